// Why: the control panel at `/`: the owner's live session list (from /api/events), creating,
// renaming and ending sessions, and one session open in a full terminal with its share dialog
// and recordings. The same page runs in the desktop window and in a browser.
import './zod-config.js';
import type { ServerEvent, Session } from '../../common/protocol.js';
import { SESSION_NAME_MAX } from '../../common/protocol.js';
import { Api, ApiError } from './api.js';
import { captureOwnerToken, getOwnerToken, setOwnerToken } from './auth.js';
import { ArgvError, joinArgv, splitArgv } from './argv.js';
import { confirmModal, field, openModal } from './dialog.js';
import { ago, clear, h } from './dom.js';
import { openEventStream, type StreamState } from './events.js';
import { ListSync } from './list-sync.js';
import { ensureOwner } from './login.js';
import { SessionListSchema, SessionSchema } from './schemas.js';
import { requestToasts } from './requests.js';
import { openSessionView, type SessionView } from './sessionview.js';

export async function startPanel(root: HTMLElement): Promise<void> {
  document.body.classList.add('page-panel');
  captureOwnerToken();
  const api = new Api(getOwnerToken);
  const { authRequired } = await ensureOwner(root, api);
  runPanel(root, api, authRequired);
}

function runPanel(root: HTMLElement, api: Api, authRequired: boolean): void {
  clear(root);
  const sessions = new Map<string, Session>();
  let selected: string | null = null;
  let view: SessionView | null = null;
  let shareDialog: { refresh(s?: Session): void; refreshWatching(): void } | null = null;
  let stopEvents = (): void => undefined;
  const listSync = new ListSync((e) => applyEvent(e));
  let ended = false;

  const streamDot = h('span', { class: 'conn', role: 'status', 'aria-live': 'polite' }, 'Connecting…');
  const list = h('ul', { class: 'session-list', 'aria-label': 'Sessions' });
  const newBtn = h('button', { type: 'button', class: 'btn primary wide', onclick: () => newSessionDialog() }, '+ New session');
  const logoutBtn = authRequired
    ? h('button', { type: 'button', class: 'btn ghost', onclick: () => void logout() }, 'Sign out')
    : null;
  // A recording from disk (a downloaded .cast, or one from recordings/ in the data dir).
  const castPicker = h('input', { type: 'file', accept: '.cast,application/x-asciicast', hidden: true, 'aria-label': 'Recording to replay' });
  castPicker.addEventListener('change', () => {
    const file = castPicker.files?.[0];
    castPicker.value = '';
    if (file) void import('./replay.js').then(({ openReplayFile }) => openReplayFile(file));
  });
  const replayFileBtn = h('button', { type: 'button', class: 'btn ghost', onclick: () => castPicker.click() }, 'Replay a file…');
  const content = h('div', { class: 'content' });
  const sidebar = h('nav', { class: 'sidebar', 'aria-label': 'Sessions' },
    h('div', { class: 'sidebar-head' }, h('h1', { class: 'brand' }, h('span', { class: 'brand-mark', 'aria-hidden': 'true' }), 'Porthole'), streamDot),
    newBtn,
    list,
    h('div', { class: 'sidebar-foot' }, replayFileBtn, castPicker, logoutBtn),
  );
  const panelEl = h('div', { class: 'panel' }, sidebar, content);
  root.append(panelEl);
  const toasts = requestToasts(panelEl, api);
  showEmpty();

  const refreshTimer = setInterval(() => renderList(), 5000);

  function authLost(): void {
    if (ended) return;
    ended = true;
    stopEvents();
    toasts.dispose();
    clearInterval(refreshTimer);
    view?.dispose();
    view = null;
    void ensureOwner(root, api, 'expired').then(({ authRequired: a }) => runPanel(root, api, a));
  }

  async function logout(): Promise<void> {
    try {
      await api.send('POST', '/api/auth/logout');
    } catch {
      /* signing out locally is what matters */
    }
    setOwnerToken(null);
    ended = true;
    stopEvents();
    toasts.dispose();
    clearInterval(refreshTimer);
    view?.dispose();
    view = null;
    void ensureOwner(root, api, 'logged_out').then(({ authRequired: a }) => runPanel(root, api, a));
  }

  async function reload(): Promise<void> {
    // Events that arrive during the GET are held and the newer ones applied after it (list-sync.ts).
    listSync.begin();
    try {
      const res = await api.raw('GET', '/api/sessions');
      const seqHeader = res.headers.get('X-Porthole-Event-Seq');
      const all = SessionListSchema.parse(await res.json());
      listSync.finish(all, seqHeader !== null && /^\d+$/.test(seqHeader) ? Number(seqHeader) : undefined, (list) => {
        sessions.clear();
        for (const s of list) sessions.set(s.id, s);
      });
      renderList();
      if (selected && !sessions.has(selected)) closeView();
      // A reload keeps the open session (its id rides in ?s=, never a token).
      const wanted = new URLSearchParams(location.search).get('s');
      if (!selected && wanted && sessions.has(wanted)) select(wanted);
    } catch (err) {
      listSync.abort();
      renderList();
      if (err instanceof ApiError && err.status === 401) authLost();
    }
  }

  stopEvents = openEventStream(() => api.authHeaders(), {
    onOpen: () => void reload(),
    onState(state: StreamState) {
      if (state === 'unauthorized') return authLost();
      streamDot.textContent = state === 'open' ? 'Live' : state === 'connecting' ? 'Connecting…' : 'Reconnecting…';
      streamDot.dataset.tone = state === 'open' ? 'ok' : 'warn';
    },
    onEvent: (e: ServerEvent, seq: number | undefined) => listSync.event(e, seq),
  });

  function applyEvent(e: ServerEvent): void {
    switch (e.type) {
      case 'session.created':
      case 'session.updated':
      case 'session.exited':
        sessions.set(e.session.id, e.session);
        if (e.session.id === selected) {
          view?.update(e.session);
          shareDialog?.refresh(e.session);
        }
        break;
      case 'session.removed':
        sessions.delete(e.sessionId);
        if (e.sessionId === selected) closeView();
        break;
      case 'share.created':
      case 'share.revoked':
        if (e.share.sessionId === selected) shareDialog?.refresh();
        break;
      case 'viewer.joined':
      case 'viewer.left':
      case 'viewer.updated':
        if (e.sessionId === selected) shareDialog?.refreshWatching();
        return; // the session's own count comes with session.updated
      case 'control.requested':
        toasts.add(e.sessionId, sessions.get(e.sessionId)?.name ?? 'a session', e.requestId, e.viewer);
        if (e.sessionId === selected) shareDialog?.refreshWatching();
        return;
      case 'control.resolved':
        toasts.remove(e.requestId);
        if (e.sessionId === selected) shareDialog?.refreshWatching();
        return;
    }
    renderList();
  }

  function sorted(): Session[] {
    return [...sessions.values()].sort((a, b) => Date.parse(b.createdAt) - Date.parse(a.createdAt));
  }

  function renderList(): void {
    const focusedId = (document.activeElement as HTMLElement | null)?.dataset?.sessionId;
    clear(list);
    const all = sorted();
    if (!all.length) list.append(h('li', { class: 'empty' }, 'No sessions yet.'));
    for (const s of all) {
      const item = h(
        'button',
        {
          type: 'button',
          class: 'session-item',
          'data-session-id': s.id,
          'aria-current': s.id === selected ? 'true' : undefined,
          'aria-label': `${s.name}, ${s.status === 'running' ? 'running' : 'exited'}, ${s.viewers} connected`,
          onclick: () => select(s.id),
        },
        h('span', { class: 'si-top' },
          h('span', { class: 'si-name' }, s.name),
          h('span', { class: 'pill', 'data-status': s.status, 'data-exit': s.exitCode === null ? undefined : String(s.exitCode) }, s.status === 'running' ? 'running' : `exit ${s.exitCode ?? '?'}`)),
        h('span', { class: 'si-cmd' }, joinArgv(s.command)),
        h('span', { class: 'si-meta' },
          h('span', { title: 'Open connections' }, `${s.viewers} connected`),
          h('span', { title: 'Last output' }, `output ${ago(s.lastOutputAt)}`)),
      );
      list.append(h('li', null, item));
      if (s.id === focusedId) item.focus();
    }
  }

  function select(id: string): void {
    const s = sessions.get(id);
    if (!s) return;
    if (selected === id && view) {
      return;
    }
    view?.dispose();
    selected = id;
    view = openSessionView(s, getOwnerToken, {
      onShare: () => openShare(id),
      onRename: () => renameDialog(id),
      onEnd: () => void endSession(id),
      onDownload: () => void download(id),
      onReplay: () => void replay(id),
      onAuthLost: authLost,
    });
    clear(content);
    content.append(view.el);
    history.replaceState(history.state, '', `/?s=${encodeURIComponent(id)}`);
    renderList();
  }

  function closeView(): void {
    view?.dispose();
    view = null;
    selected = null;
    history.replaceState(history.state, '', '/');
    showEmpty();
    renderList();
  }

  function showEmpty(): void {
    clear(content);
    content.append(
      h('div', { class: 'empty-state' },
        h('h2', null, 'No session open'),
        h('p', { class: 'muted' }, 'Pick a session on the left, or start a new one.'),
        h('button', { type: 'button', class: 'btn primary', onclick: () => newSessionDialog() }, '+ New session')),
    );
  }

  function newSessionDialog(): void {
    const m = openModal('New session', 'modal-small');
    const command = h('input', { type: 'text', id: 'new-command', autocomplete: 'off', spellcheck: 'false', placeholder: 'your login shell' });
    const cwd = h('input', { type: 'text', id: 'new-cwd', autocomplete: 'off', spellcheck: 'false', placeholder: 'your home directory' });
    const name = h('input', { type: 'text', id: 'new-name', autocomplete: 'off', maxlength: String(SESSION_NAME_MAX), placeholder: 'from the command' });
    const error = h('p', { class: 'error', role: 'alert' });
    const submit = h('button', { type: 'submit', class: 'btn primary' }, 'Start');
    const form = h('form', null,
      // The example is code that must not break at its hyphens (it did: "-/-oneline").
      field('Command', command, h('span', null, 'Run directly, not through a shell: quotes group words, e.g. ', h('code', { class: 'nowrap' }, 'git log --oneline'))),
      field('Working directory', cwd),
      field('Name', name),
      error,
      h('div', { class: 'actions' }, h('button', { type: 'button', class: 'btn', onclick: () => m.close() }, 'Cancel'), submit),
    );
    m.body.append(form);
    command.focus();
    form.addEventListener('submit', (ev) => {
      ev.preventDefault();
      error.textContent = '';
      const body: { command?: string[]; cwd?: string; name?: string } = {};
      try {
        const argv = splitArgv(command.value);
        if (argv.some((a) => a === '')) throw new ArgvError('Empty arguments cannot be passed');
        if (argv.length) body.command = argv;
      } catch (err) {
        error.textContent = err instanceof ArgvError ? `Command: ${err.message}` : 'Command not understood';
        command.focus();
        return;
      }
      if (cwd.value.trim()) body.cwd = cwd.value.trim();
      if (name.value.trim()) body.name = name.value.trim();
      submit.disabled = true;
      api
        .json(SessionSchema, 'POST', '/api/sessions', body)
        .then((s) => {
          sessions.set(s.id, s);
          m.close();
          select(s.id);
        })
        .catch((err: unknown) => {
          submit.disabled = false;
          error.textContent = err instanceof ApiError ? err.message : 'Could not start the session';
          if (err instanceof ApiError && err.status === 401) authLost();
        });
    });
  }

  function renameDialog(id: string): void {
    const s = sessions.get(id);
    if (!s) return;
    const m = openModal('Rename session', 'modal-small');
    const name = h('input', { type: 'text', id: 'rename-name', value: s.name, maxlength: String(SESSION_NAME_MAX), required: true, autocomplete: 'off' });
    const error = h('p', { class: 'error', role: 'alert' });
    const form = h('form', null, field('Name', name), error,
      h('div', { class: 'actions' }, h('button', { type: 'button', class: 'btn', onclick: () => m.close() }, 'Cancel'),
        h('button', { type: 'submit', class: 'btn primary' }, 'Rename')));
    m.body.append(form);
    name.focus();
    name.select();
    form.addEventListener('submit', (ev) => {
      ev.preventDefault();
      const value = name.value.trim();
      if (!value) return;
      api
        .json(SessionSchema, 'PATCH', `/api/sessions/${encodeURIComponent(id)}`, { name: value })
        .then((updated) => {
          sessions.set(id, updated);
          if (selected === id) view?.update(updated);
          renderList();
          m.close();
        })
        .catch((err: unknown) => (error.textContent = err instanceof ApiError ? err.message : 'Could not rename'));
    });
  }

  async function endSession(id: string): Promise<void> {
    const s = sessions.get(id);
    if (!s) return;
    const ok = await confirmModal('End session?', `“${s.name}” will be ended and removed, and everyone watching disconnected.`, 'End session');
    if (!ok) return;
    try {
      await api.send('DELETE', `/api/sessions/${encodeURIComponent(id)}`);
      sessions.delete(id);
      if (selected === id) closeView();
      renderList();
    } catch (err) {
      if (err instanceof ApiError && err.status === 401) authLost();
    }
  }

  function openShare(id: string): void {
    const s = sessions.get(id);
    if (!s) return;
    void import('./share.js').then(({ openShareDialog }) => {
      shareDialog = openShareDialog(api, sessions.get(id) ?? s, () => (shareDialog = null));
    });
  }

  async function download(id: string): Promise<void> {
    const s = sessions.get(id);
    if (!s) return;
    const { downloadRecording } = await import('./replay.js');
    await downloadRecording(api, s).catch(() => undefined);
  }

  async function replay(id: string): Promise<void> {
    const s = sessions.get(id);
    if (!s) return;
    const { openReplay } = await import('./replay.js');
    openReplay(api, s);
  }
}
