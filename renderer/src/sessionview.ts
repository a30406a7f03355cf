// Why: the owner's full terminal for one session in the control panel. Unlike a viewer, the
// owner's window decides the size: the xterm fits its pane and the session follows (resize
// over the socket). Reopening shows the server's redraw of the current screen, not a replay.
import type { Session } from '../../common/protocol.js';
import { registerProbe } from './debug.js';
import { setDialogReturnFocus } from './dialog.js';
import { h } from './dom.js';
import { attachFilesDock } from './files-dock.js';
import { FlowWriter } from './flow.js';
import { SessionSocket, type EndReason } from './socket.js';
import { createSearchBar, createTerminal } from './terminal.js';

export interface SessionViewActions {
  onShare(): void;
  onRename(): void;
  onEnd(): void;
  onDownload(): void;
  onReplay(): void;
  /** The token stopped working (expired or logged out elsewhere). */
  onAuthLost(): void;
}

export interface SessionView {
  el: HTMLElement;
  update(s: Session): void;
  dispose(): void;
}

export function openSessionView(session: Session, token: () => string | null, actions: SessionViewActions): SessionView {
  const nameEl = h('h2', { class: 'sv-name' }, session.name);
  const statusEl = h('span', { class: 'pill' });
  const connEl = h('span', { class: 'conn', role: 'status', 'aria-live': 'polite' }, 'Connecting…');
  const termBox = h('div', { class: 'sv-term' });
  const banner = h('div', { class: 'sv-banner', hidden: true, role: 'status' });

  const kit = createTerminal(termBox, { onSearchKey: () => searchBar.open() });
  const body = h('div', { class: 'sv-body' }, termBox);
  const filesDock = attachFilesDock(body, termBox, session.id, token, () => actions.onAuthLost(), () => requestAnimationFrame(() => fitAndTell(false)));
  const searchBar = createSearchBar(kit);
  const btn = (label: string, aria: string, onclick: () => void, cls = 'btn'): HTMLButtonElement =>
    h('button', { type: 'button', class: cls, 'aria-label': aria, title: aria, onclick }, label);

  // An exited session has nothing to end or share: Remove (and Replay, Download) instead.
  const shareBtn = btn('Share', 'Share this session', actions.onShare, 'btn primary');
  const endBtn = btn('End', 'End this session', actions.onEnd, 'btn danger');
  const removeBtn = btn('Remove', 'Remove this session and its recording', actions.onEnd, 'btn danger');
  const toolbar = h(
    'div',
    { class: 'sv-toolbar', role: 'toolbar', 'aria-label': 'Session actions' },
    nameEl,
    statusEl,
    connEl,
    h('span', { class: 'spacer' }),
    btn('Find', 'Find in terminal (Ctrl+Shift+F)', () => searchBar.open()),
    filesDock.button,
    shareBtn,
    btn('Replay', 'Replay the recording', actions.onReplay),
    btn('Download', 'Download the recording (asciicast)', actions.onDownload),
    btn('Rename', 'Rename this session', actions.onRename),
    endBtn,
    removeBtn,
  );
  const el = h('section', { class: 'session-view', 'aria-label': `Terminal: ${session.name}` }, toolbar, searchBar.el, banner, body);

  let applyingRemote = false;
  let disposed = false;
  let current = session;
  const setConn = (text: string, tone: 'ok' | 'warn'): void => {
    connEl.textContent = text;
    connEl.dataset.tone = tone;
  };

  const writer = new FlowWriter(kit.term, () => {
    setConn('Catching up…', 'warn');
    socket.pause();
    void writer.whenDrained().then(() => socket.resume());
  });

  const socket = new SessionSocket(session.id, token, {
    onReady(msg) {
      probe.readyCount++;
      probe.mode = msg.mode;
      probe.resumedCount = (probe.resumedCount ?? 0) + (msg.resumed ? 1 : 0);
      // Resumed: only the missed bytes follow; the screen and its scroll position stay.
      if (!msg.resumed) writer.resetThen();
      banner.hidden = true;
      setConn('Live', 'ok');
      if ('command' in msg.session) update(msg.session); // the panel's socket is the owner's: a whole Session
      fitAndTell(true);
    },
    onOutput(data) {
      writer.write(data);
    },
    onMessage(msg) {
      switch (msg.type) {
        case 'resize':
          // Another owner client (say `porthole attach`) resized: follow without echoing back.
          // In order with the output before it (FlowWriter.inOrder), not as soon as it arrives.
          writer.inOrder(() => {
            if (msg.cols === kit.term.cols && msg.rows === kit.term.rows) return;
            applyingRemote = true;
            kit.term.resize(msg.cols, msg.rows);
            applyingRemote = false;
          });
          break;
        case 'title':
          document.title = msg.title ? `${msg.title} · Porthole` : 'Porthole';
          break;
        case 'resync':
          writer.resetThen();
          break;
        case 'exit':
          showBanner(`The process exited${msg.exitCode === null ? '' : ` with code ${msg.exitCode}`}.`);
          break;
        case 'error':
          showBanner(msg.message);
          break;
      }
    },
    onConnecting(attempt, delay) {
      setConn(`Reconnecting in ${Math.ceil(delay / 1000)} s (try ${attempt})`, 'warn');
    },
    onEnd(reason: EndReason) {
      if (reason.kind === 'unauthenticated' || reason.kind === 'forbidden') {
        actions.onAuthLost();
        return;
      }
      setConn('Closed', 'warn');
      if (reason.kind === 'ended') {
        showBanner(`The session has ended${reason.exitCode === null ? '' : ` (exit code ${reason.exitCode})`}.`);
      } else if (reason.kind === 'not_found') showBanner('This session no longer exists.');
      else showBanner('The server closed the connection.');
    },
  });

  const probe = registerProbe(() => kit.term, {
    page: 'panel',
    mode: null,
    firstScreenMs: null,
    readyCount: 0,
    renderer: kit.renderer,
    dropSocket: () => socket.dropForTest(),
  });

  kit.term.onData((d) => socket.sendInput(d));
  kit.term.onBinary((data) => {
    const bytes = new Uint8Array(data.length);
    for (let i = 0; i < data.length; i++) bytes[i] = data.charCodeAt(i) & 0xff;
    socket.sendInput(bytes);
  });
  kit.term.onTitleChange((t) => (document.title = t ? `${t} · Porthole` : 'Porthole'));
  kit.term.onResize(({ cols, rows }) => {
    if (!applyingRemote) socket.sendResize(cols, rows);
  });

  /** The size that fits the pane, within the protocol's bounds; undefined before layout. */
  function fittedSize(): { cols: number; rows: number } | undefined {
    if (disposed || !termBox.isConnected) return undefined;
    const dims = kit.fit.proposeDimensions();
    if (!dims || !Number.isFinite(dims.cols) || !Number.isFinite(dims.rows)) return undefined;
    return { cols: Math.max(2, Math.min(1000, dims.cols)), rows: Math.max(1, Math.min(500, dims.rows)) };
  }

  /** Fit the xterm to its pane; the session follows (onResize sends it). */
  function fitAndTell(force: boolean): void {
    const size = fittedSize();
    if (!size) return;
    const { cols, rows } = size;
    if (cols !== kit.term.cols || rows !== kit.term.rows) kit.term.resize(cols, rows);
    else if (force && (cols !== current.cols || rows !== current.rows)) socket.sendResize(cols, rows);
  }

  /** Focus makes this window the latest owner client (contract section 9, like tmux's
   *  window-size latest): it tells its own size again, even if the server has another one. */
  function claimSize(): void {
    const size = fittedSize();
    if (!size) return;
    const { cols, rows } = size;
    if (cols !== kit.term.cols || rows !== kit.term.rows) kit.term.resize(cols, rows);
    else socket.sendResize(cols, rows);
  }
  kit.term.textarea?.addEventListener('focus', claimSize);
  // Every dialog (rename, share, replay, confirm) hands the keyboard back to the terminal.
  const releaseFocus = setDialogReturnFocus(() => kit.term.focus());

  let fitTimer: ReturnType<typeof setTimeout> | undefined;
  const ro = new ResizeObserver(() => {
    clearTimeout(fitTimer);
    fitTimer = setTimeout(() => fitAndTell(false), 40);
  });
  ro.observe(termBox);

  function showBanner(text: string): void {
    banner.textContent = text;
    banner.hidden = false;
  }

  function update(s: Session): void {
    current = s;
    nameEl.textContent = s.name;
    el.setAttribute('aria-label', `Terminal: ${s.name}`);
    statusEl.textContent = s.status === 'running' ? 'running' : `exited${s.exitCode === null ? '' : ` · ${s.exitCode}`}`;
    statusEl.dataset.status = s.status;
    if (s.exitCode === null) delete statusEl.dataset.exit;
    else statusEl.dataset.exit = String(s.exitCode);
    const exited = s.status === 'exited';
    shareBtn.hidden = exited;
    endBtn.hidden = exited;
    removeBtn.hidden = !exited;
  }
  update(session);
  socket.connect();
  void kit.enableWebgl().then(() => (probe.renderer = kit.renderer));
  requestAnimationFrame(() => kit.term.focus());

  return {
    el,
    update,
    dispose() {
      disposed = true;
      releaseFocus();
      filesDock.dispose();
      ro.disconnect();
      clearTimeout(fitTimer);
      socket.close();
      kit.dispose();
      if (window.portholeProbe === probe) delete window.portholeProbe;
    },
  };
}
