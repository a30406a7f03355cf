// Why: the page a share link opens (`/s/:id#<token>`). It shows the owner's screen at the
// owner's size (scaled, never reflowed, never resizing the session), says plainly whether
// typing goes through, survives network loss without duplicating output, and explains
// every way the link can stop working.
import './zod-config.js';
import { closeReasonCode } from '../../common/errors.js';
import type { SharedSession, ViewMode } from '../../common/protocol.js';
import type { EarlySocket } from './early.js';
import { captureShareToken, forgetShareToken, isExpired } from './auth.js';
import { registerProbe } from './debug.js';
import { clear, h } from './dom.js';
import { FlowWriter } from './flow.js';
import { createKeyBar } from './keybar.js';
import { afterThisFrame, dropPreview, placePreview, takePreview } from './preview.js';
import { brand, messageScreen, type ScreenAction } from './screens.js';
import { canReplay, canRequestControl } from './features.js';
import { SessionSocket, type EndReason } from './socket.js';
import { ScaledStage } from './stage.js';
import { createTerminal } from './terminal.js';
import { addTouchGestures } from './touch.js';

export function startViewer(root: HTMLElement, sessionId: string, early: EarlySocket | null = null): void {
  document.body.classList.add('page-viewer');
  const token = early?.token ?? captureShareToken(sessionId);
  if (!token) {
    show(root, messageScreen('incomplete', 'This link is incomplete',
      'The part after # is missing. Ask the person who shared it for the whole link.'));
    return;
  }
  if (isExpired(token)) {
    show(root, expiredScreen());
    return;
  }

  const title = h('span', { class: 'viewer-title' }, 'Connecting…');
  const badge = h('span', { class: 'badge', 'data-mode': '' }, '');
  const status = h('span', { class: 'conn', role: 'status', 'aria-live': 'polite' }, 'Connecting…');
  const notice = h('span', { class: 'notice', 'aria-live': 'polite' });
  const zoomBtn = h('button', {
    type: 'button',
    class: 'btn small zoom-btn',
    'aria-pressed': 'false',
    title: 'Fill the height and pan sideways, or fit the whole screen',
    hidden: true,
  }, 'Zoom');
  // Offered to a view link on a server that takes control requests (ready.features).
  const askBtn = h('button', { type: 'button', class: 'btn small ask-btn', hidden: true, title: 'Ask the owner to let you type' }, 'Request control');
  askBtn.addEventListener('click', () => {
    socket.requestControl();
    setAsking(true);
  });
  const header = h('header', { class: 'viewer-bar' }, brand(), title, badge, askBtn, notice, zoomBtn, status);
  const stage = new ScaledStage('viewer-stage');
  zoomBtn.addEventListener('click', () => {
    stage.zoom = !stage.zoom;
    zoomBtn.setAttribute('aria-pressed', String(stage.zoom));
    if (stage.zoom) revealCursor();
  });
  // Offered only when the screen is squeezed to fit the width (a phone, a narrow window).
  stage.onLayout(() => (zoomBtn.hidden = !stage.zoomable && !stage.zoom));
  const main = h('div', { class: 'viewer' }, header, stage.el);
  // The screen the first chunk drew (preview.ts) stays where it is, over the stage, until
  // xterm.js paints the same screen: in one frame one replaces the other (no blank frame).
  const preview = takePreview();
  show(root, main);
  if (preview.host) {
    const host = preview.host;
    stage.el.append(host);
    placePreview(host, stage.el);
    // The bar gains its badge and buttons at `ready`: the stage's box changes, and so must this.
    stage.onLayout(() => host.isConnected && placePreview(host, stage.el));
  }

  // The socket opens first: its handshake runs while the terminal is being built.
  const socket = new SessionSocket(sessionId, () => token, {
    onReady(msg, reconnect) {
      if (!reconnect) performance.mark('porthole:ready');
      mode = msg.mode;
      probe.mode = mode;
      probe.readyCount++;
      setMode(msg.mode);
      setSession(msg.session);
      // Resumed: only the missed bytes follow, so the screen (and its scroll) stays as it is.
      if (!msg.resumed) writer.resetThen();
      probe.resumedCount = (probe.resumedCount ?? 0) + (msg.resumed ? 1 : 0);
      setAsking(false);
      setStatus(reconnect ? 'Reconnected' : 'Live', 'ok');
    },
    onOutput(data) {
      if (firstScreenPending) {
        firstScreenPending = false;
        performance.mark('porthole:first-output');
        writer.write(data, () =>
          requestAnimationFrame(() => {
            // xterm.js renders in its own animation frame, queued by this write before ours:
            // the preview goes in the frame that shows xterm's screen.
            dropPreview();
            afterThisFrame((ms) => {
              probe.xtermScreenMs = Math.round(ms);
              probe.previewMs = preview.paintedMs();
              probe.firstScreenMs = probe.previewMs ?? probe.xtermScreenMs;
              document.body.dataset.firstScreen = String(probe.firstScreenMs);
              // The crisper, faster renderer loads only now, so it never delays the first screen.
              void kit.enableWebgl().then(() => {
                probe.renderer = kit.renderer;
                stage.layout();
              });
            });
          }),
        );
      } else writer.write(data);
    },
    onMessage(msg) {
      switch (msg.type) {
        case 'resize':
          // In order with the output before it (FlowWriter.inOrder), not as soon as it arrives.
          writer.inOrder(() => applySize(msg.cols, msg.rows));
          break;
        case 'title':
          document.title = msg.title ? `${msg.title} · Porthole` : 'Porthole';
          break;
        case 'resync':
          writer.resetThen();
          break;
        case 'exit':
          setStatus(`Exited${msg.exitCode === null ? '' : ` (code ${msg.exitCode})`}`, 'warn');
          break;
        case 'error':
          if (msg.code === 'read_only') flash('This link is view-only: typing is not sent');
          else if (msg.code === 'request_pending') setAsking(true);
          else {
            if (msg.code === 'not_needed') setAsking(false);
            flash(msg.message);
          }
          break;
        case 'mode':
          mode = msg.mode;
          probe.mode = mode;
          setAsking(false);
          setMode(msg.mode);
          flash(msg.mode === 'control' ? 'The owner let you type' : 'The owner took control back');
          break;
        case 'control_denied':
          setAsking(false);
          flash('The owner did not give you control');
          break;
      }
    },
    onConnecting(attempt, delay) {
      setStatus(`Connection lost, retrying in ${Math.ceil(delay / 1000)} s (try ${attempt})`, 'warn');
    },
    onEnd(reason) {
      dropPreview();
      stage.el.classList.add('ended');
      askBtn.hidden = true;
      if (reason.kind === 'forbidden' || reason.kind === 'unauthenticated' || reason.kind === 'not_found') forgetShareToken(sessionId);
      // An ended session's recording opens to this link (contract section 8, replay).
      const replay = canReplay(reason, socket.features) ? () => openViewerReplay(sessionId, token, title.textContent ?? '') : undefined;
      show(root, endScreen(reason, token, replay), true);
    },
  });
  if (!early) socket.connect();

  performance.mark('porthole:viewer-start');
  const kit = createTerminal(stage.host, { readOnly: true });
  performance.mark('porthole:terminal-created');
  kit.term.onResize(() => stage.layout());
  kit.term.onRender(() => stage.layout());
  kit.term.onTitleChange((t) => (document.title = t ? `${t} · Porthole` : 'Porthole'));

  let mode: ViewMode | null = null;
  let firstScreenPending = true;
  let keybarShown = false;

  const writer = new FlowWriter(kit.term, () => {
    // Too far behind: drop the rest, close, and reconnect once xterm has caught up; the
    // server's redraw on reconnect replaces what was dropped.
    setStatus('Catching up…', 'warn');
    socket.pause();
    void writer.whenDrained().then(() => socket.resume());
  });

  const probe = registerProbe(() => kit.term, {
    page: 'viewer',
    mode: null,
    firstScreenMs: null,
    xtermScreenMs: null,
    previewMs: null,
    readyCount: 0,
    resumedCount: 0,
    renderer: kit.renderer,
    dropSocket: () => socket.dropForTest(),
  });

  // Typing on a zoomed screen keeps the cursor in view once the echo has been drawn.
  let revealOnRender = false;
  kit.term.onRender(() => {
    if (!revealOnRender) return;
    revealOnRender = false;
    revealCursor();
  });
  function revealCursor(): void {
    const cell = stage.host.offsetWidth / Math.max(1, kit.term.cols);
    stage.reveal((kit.term.buffer.active.cursorX + 0.5) * cell);
  }
  const sendTyped = (data: string): void => {
    if (mode !== 'control' && mode !== 'owner') return;
    revealOnRender = stage.zoom;
    socket.sendInput(keybar ? keybar.transform(data) : data);
  };
  const keybar = createKeyBar((d) => {
    revealOnRender = stage.zoom;
    socket.sendInput(d);
  }, () => kit.term.focus());
  kit.term.onData(sendTyped);
  kit.term.onBinary((data) => {
    if (mode !== 'control') return;
    const bytes = new Uint8Array(data.length);
    for (let i = 0; i < data.length; i++) bytes[i] = data.charCodeAt(i) & 0xff;
    socket.sendInput(bytes);
  });
  addTouchGestures(stage, () => kit.term.rows, (n) => kit.term.scrollLines(n));
  // A tap in the letterbox around the screen still means "the terminal" (and, on a phone,
  // brings up the keyboard for a control link).
  stage.el.addEventListener('click', (ev) => {
    if (ev.target === stage.el && (mode === 'control' || mode === 'owner')) kit.term.focus();
  });

  // Replays what the early socket buffered: only now, when every handler's state exists.
  if (early) socket.adopt(early);

  function setSession(s: SharedSession): void {
    title.textContent = s.name;
    document.title = `${s.name} · Porthole`;
    applySize(s.cols, s.rows);
  }

  function applySize(cols: number, rows: number): void {
    if (kit.term.cols !== cols || kit.term.rows !== rows) kit.term.resize(cols, rows);
    stage.layout();
  }

  function setMode(m: ViewMode): void {
    const control = m === 'control' || m === 'owner';
    kit.term.options.disableStdin = !control;
    kit.term.options.cursorBlink = control;
    badge.dataset.mode = m;
    badge.textContent = control ? 'Control: your typing goes to the terminal' : 'View only';
    badge.title = control ? 'Keys you press are sent to the shared terminal' : 'You can watch but not type';
    if (control && !keybarShown) {
      keybarShown = true;
      main.appendChild(keybar.el);
      kit.term.focus();
    }
  }

  /** The Request control button: shown for a view link only, disabled while a request waits. */
  function setAsking(asking: boolean): void {
    askBtn.hidden = !canRequestControl(mode, socket.features);
    askBtn.disabled = asking;
    askBtn.textContent = asking ? 'Asked the owner…' : 'Request control';
  }

  function setStatus(text: string, tone: 'ok' | 'warn'): void {
    status.textContent = text;
    status.dataset.tone = tone;
  }

  let flashTimer: ReturnType<typeof setTimeout> | undefined;
  function flash(text: string): void {
    notice.textContent = text;
    clearTimeout(flashTimer);
    flashTimer = setTimeout(() => (notice.textContent = ''), 4000);
  }
}

/** The panel's in-page player, fed the recording through this link's own token. */
function openViewerReplay(sessionId: string, token: string, name: string): void {
  void Promise.all([import('./replay.js'), import('./api.js')]).then(([{ openReplay }, { Api }]) => {
    openReplay(new Api(() => token), { id: sessionId, name: name || 'the session' });
  });
}

function show(root: HTMLElement, el: HTMLElement, overlay = false): void {
  if (!overlay) clear(root);
  root.appendChild(el);
  if (overlay) el.classList.add('overlay');
}

function expiredScreen(): HTMLElement {
  return messageScreen('expired', 'This link has expired', 'Ask the person who shared it for a new link.');
}

export function endScreen(reason: EndReason, token: string, replay?: () => void): HTMLElement {
  switch (reason.kind) {
    case 'ended': {
      const actions: ScreenAction[] = replay ? [{ label: 'Replay', onClick: replay, primary: true }] : [];
      return messageScreen(
        'ended',
        'The session has ended',
        (reason.exitCode === null ? 'The shared terminal has closed.' : `The shared terminal exited with code ${reason.exitCode}.`) +
          (replay ? ' You can replay what happened in it.' : ''),
        actions,
      );
    }
    case 'full':
      return messageScreen('full', 'This link is full', 'As many people as it allows are watching through it now. Try again when someone leaves.', [
        { label: 'Try again', onClick: () => location.reload(), primary: true },
      ]);
    case 'forbidden': {
      // The close reason is a stable code (closeReasonCode), not text to match.
      const code = closeReasonCode(reason.reason);
      if (code === 'token_expired' || isExpired(token)) return expiredScreen();
      if (code === 'session_not_found') return messageScreen('not-found', 'No such session', 'This terminal does not exist any more.');
      return messageScreen('revoked', 'This link was revoked', 'The owner stopped sharing this terminal through this link.');
    }
    case 'unauthenticated':
      if (closeReasonCode(reason.reason) === 'token_expired' || isExpired(token)) return expiredScreen();
      return messageScreen('invalid', 'This link is not valid', 'It may have been revoked or mistyped. Ask for a new link.');
    case 'not_found':
      return messageScreen('not-found', 'No such session', 'This terminal does not exist any more.');
    case 'policy':
      return messageScreen('policy', 'Disconnected', `The server closed the connection (${reason.code}${reason.reason ? `: ${reason.reason}` : ''}).`, [
        { label: 'Reload', onClick: () => location.reload(), primary: true },
      ]);
    case 'closed':
      return messageScreen('closed', 'Disconnected', 'The connection was closed.');
  }
}
