// Why this exists: the owner should know at once when someone joins through a control link
// (they can type into the owner's shell) and when a view-link viewer asks for control (with
// Allow / Deny on the notification). The server says exactly who joined (`viewer.joined`, with
// the viewer's mode and link label) and who asks (`control.requested`), so the decisions are
// small and pure, tested here; main.ts shows the notifications and answers the request.
import type { ServerEvent, Session, Viewer } from '../../common/protocol.js';

export interface JoinState {
  /** Session names, for the notification's text. */
  names: ReadonlyMap<string, string>;
}

export interface JoinNotification {
  title: string;
  body: string;
  sessionId: string;
  /** Set for a control request: the notification offers Allow / Deny and answers it. */
  request?: { requestId: string; actions: readonly ['Allow', 'Deny'] };
  /** Set for a control request: when it stops pending, the notification is withdrawn. */
  closeOn?: string;
}

export function initialJoinState(sessions: readonly Session[] = []): JoinState {
  return { names: new Map(sessions.map((s) => [s.id, s.name])) };
}

function who(v: Viewer): string {
  return v.label ? `Someone (${v.label})` : 'Someone';
}

/** Which notification button means what (Electron reports the index of the action). */
export function grantOfAction(index: number): boolean | null {
  return index === 0 ? true : index === 1 ? false : null;
}

/** Folds one event into the state and says whether to show a notification for it. */
export function onJoinEvent(state: JoinState, e: ServerEvent): { state: JoinState; notify: JoinNotification | null } {
  const name = (id: string) => state.names.get(id) ?? id;
  switch (e.type) {
    case 'session.created':
    case 'session.updated':
    case 'session.exited':
      if (state.names.get(e.session.id) === e.session.name) return { state, notify: null };
      return { state: { names: new Map(state.names).set(e.session.id, e.session.name) }, notify: null };
    case 'session.removed': {
      const names = new Map(state.names);
      names.delete(e.sessionId);
      return { state: { names }, notify: null };
    }
    case 'viewer.joined':
      // The exact event: a share socket whose link lets it type. A view link that is granted
      // control later asked for it, and the owner answered, so that needs no notice.
      if (e.viewer.kind !== 'share' || e.viewer.mode !== 'control') return { state, notify: null };
      return {
        state,
        notify: { title: 'Porthole: someone can type', body: `${who(e.viewer)} joined “${name(e.sessionId)}” with a control link.`, sessionId: e.sessionId },
      };
    case 'control.requested':
      return {
        state,
        notify: {
          title: 'Porthole: control requested',
          body: `${who(e.viewer)} watching “${name(e.sessionId)}” asks to type.`,
          sessionId: e.sessionId,
          request: { requestId: e.requestId, actions: ['Allow', 'Deny'] },
          closeOn: e.requestId,
        },
      };
    default:
      return { state, notify: null };
  }
}

/** The request id a `control.resolved` event withdraws (its notification closes). */
export function resolvedRequest(e: ServerEvent): string | null {
  return e.type === 'control.resolved' ? e.requestId : null;
}
