// Why this exists: the owner should know when someone joins a session through a control link
// (they can type into the owner's shell). Deciding when to notify is pure and tested here.
//
// Two sources, best first:
// 1. An exact server event `viewer.joined` carrying the viewer's mode (proposed in
//    docs/desktop.md; main.ts listens for it if the server emits it). Once one is seen, the
//    heuristic below is switched off.
// 2. Until then, a heuristic from the contract's events: a session's `viewers` count went up
//    while it has at least one unrevoked, unexpired control share. It can also fire for someone
//    who came in through a view link on that session, or for the owner's own window if the
//    server counts it as a viewer; docs/desktop.md says so.
import type { ServerEvent, Session, ShareMode } from '../../common/protocol.js';

/** The proposed server event (not in the contract yet). */
export interface ViewerJoinedEvent {
  type: 'viewer.joined';
  sessionId: string;
  mode: 'owner' | ShareMode;
  shareId?: string;
  label?: string | null;
}

export interface JoinState {
  /** Last known viewer count per session. */
  viewers: ReadonlyMap<string, number>;
  /** Session names, for the notification's text. */
  names: ReadonlyMap<string, string>;
  /** Live control shares: share id → { sessionId, expiresAt (ms) }. */
  controlShares: ReadonlyMap<string, { sessionId: string; expiresAtMs: number }>;
  /** True once the server has sent an exact `viewer.joined` event. */
  exact: boolean;
}

export interface JoinNotification {
  title: string;
  body: string;
  sessionId: string;
}

export function initialJoinState(sessions: readonly Session[] = []): JoinState {
  return {
    viewers: new Map(sessions.map((s) => [s.id, s.viewers])),
    names: new Map(sessions.map((s) => [s.id, s.name])),
    controlShares: new Map(),
    exact: false,
  };
}

function isViewerJoined(e: unknown): e is ViewerJoinedEvent {
  if (typeof e !== 'object' || e === null) return false;
  const o = e as Record<string, unknown>;
  return o.type === 'viewer.joined' && typeof o.sessionId === 'string' && (o.mode === 'owner' || o.mode === 'view' || o.mode === 'control');
}

function notification(state: JoinState, sessionId: string, label?: string | null): JoinNotification {
  const name = state.names.get(sessionId) ?? sessionId;
  const who = label ? `Someone (${label})` : 'Someone';
  return {
    title: 'Porthole: someone can type',
    body: `${who} joined “${name}” with a control link.`,
    sessionId,
  };
}

function hasLiveControlShare(state: JoinState, sessionId: string, nowMs: number): boolean {
  for (const s of state.controlShares.values()) {
    if (s.sessionId === sessionId && s.expiresAtMs > nowMs) return true;
  }
  return false;
}

/** Folds one event into the state and says whether to show a notification for it. */
export function onJoinEvent(
  state: JoinState,
  event: ServerEvent | ViewerJoinedEvent,
  nowMs: number,
): { state: JoinState; notify: JoinNotification | null } {
  if (isViewerJoined(event)) {
    const next = { ...state, exact: true };
    return { state: next, notify: event.mode === 'control' ? notification(next, event.sessionId, event.label) : null };
  }
  const e = event as ServerEvent;
  switch (e.type) {
    case 'session.created':
    case 'session.updated':
    case 'session.exited': {
      const s = e.session;
      const before = state.viewers.get(s.id) ?? 0;
      const viewers = new Map(state.viewers).set(s.id, s.viewers);
      const names = new Map(state.names).set(s.id, s.name);
      const next: JoinState = { ...state, viewers, names };
      const joined = e.type === 'session.updated' && s.status === 'running' && s.viewers > before;
      const notify = !state.exact && joined && hasLiveControlShare(next, s.id, nowMs) ? notification(next, s.id) : null;
      return { state: next, notify };
    }
    case 'session.removed': {
      const viewers = new Map(state.viewers);
      viewers.delete(e.sessionId);
      const names = new Map(state.names);
      names.delete(e.sessionId);
      const controlShares = new Map([...state.controlShares].filter(([, v]) => v.sessionId !== e.sessionId));
      return { state: { ...state, viewers, names, controlShares }, notify: null };
    }
    case 'share.created': {
      if (e.share.mode !== 'control') return { state, notify: null };
      const expiresAtMs = Date.parse(e.share.expiresAt);
      const controlShares = new Map(state.controlShares).set(e.share.id, {
        sessionId: e.share.sessionId,
        expiresAtMs: Number.isNaN(expiresAtMs) ? Number.POSITIVE_INFINITY : expiresAtMs,
      });
      return { state: { ...state, controlShares }, notify: null };
    }
    case 'share.revoked': {
      const controlShares = new Map(state.controlShares);
      controlShares.delete(e.share.id);
      return { state: { ...state, controlShares }, notify: null };
    }
    default:
      return { state, notify: null };
  }
}
