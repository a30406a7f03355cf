// Why this exists: the tray menu lists every session with what the owner can do to it, and is
// rebuilt whenever a session event arrives. Building it is pure (sessions in, plain data out)
// so it is tested without Electron; main.ts turns the data into a Menu and the actions into calls.
import type { ServerEvent, Session, ShareMode } from '../../common/protocol.js';

export type TrayAction =
  | { type: 'open-session'; sessionId: string }
  | { type: 'copy-link'; sessionId: string; mode: ShareMode }
  | { type: 'end-session'; sessionId: string }
  | { type: 'remove-session'; sessionId: string }
  | { type: 'new-session' }
  | { type: 'open-app' }
  | { type: 'quit' };

/** A menu item as plain data: main.ts maps `action` to a click handler. */
export interface TrayItem {
  type?: 'normal' | 'separator';
  label?: string;
  enabled?: boolean;
  action?: TrayAction;
  submenu?: TrayItem[];
}

/** Sessions beyond this many are summarised in one disabled line (the menu stays usable). */
export const TRAY_MAX_SESSIONS = 15;
/** Names longer than this are cut with an ellipsis. */
export const TRAY_LABEL_MAX = 40;

function clip(text: string): string {
  const oneLine = text.replace(/\s+/g, ' ').trim();
  return oneLine.length > TRAY_LABEL_MAX ? `${oneLine.slice(0, TRAY_LABEL_MAX - 1)}…` : oneLine;
}

/** "running · 2 viewers", "exited (code 1)". */
export function sessionStatusText(s: Session): string {
  if (s.status === 'exited') return s.exitCode === null ? 'exited' : `exited (code ${s.exitCode})`;
  const v = s.viewers === 1 ? '1 viewer' : `${s.viewers} viewers`;
  return `running · ${v}`;
}

function sessionItem(s: Session): TrayItem {
  const running = s.status === 'running';
  const id = s.id;
  return {
    label: `${running ? '●' : '○'} ${clip(s.name || s.id)} — ${sessionStatusText(s)}`,
    submenu: [
      { label: 'Open', action: { type: 'open-session', sessionId: id } },
      { label: 'Copy view link', enabled: running, action: { type: 'copy-link', sessionId: id, mode: 'view' } },
      { label: 'Copy control link', enabled: running, action: { type: 'copy-link', sessionId: id, mode: 'control' } },
      { type: 'separator' },
      running
        ? { label: 'End session', action: { type: 'end-session', sessionId: id } }
        : { label: 'Remove session', action: { type: 'remove-session', sessionId: id } },
    ],
  };
}

/** The whole tray menu: sessions (newest first), then New session, Open Porthole, Quit. */
export function trayTemplate(sessions: readonly Session[], opts: { maxSessions?: number } = {}): TrayItem[] {
  const max = opts.maxSessions ?? TRAY_MAX_SESSIONS;
  const items: TrayItem[] = [];
  if (sessions.length === 0) {
    items.push({ label: 'No sessions', enabled: false });
  } else {
    for (const s of sessions.slice(0, max)) items.push(sessionItem(s));
    if (sessions.length > max) {
      items.push({ label: `…and ${sessions.length - max} more (open Porthole)`, enabled: false });
    }
  }
  items.push(
    { type: 'separator' },
    { label: 'New session', action: { type: 'new-session' } },
    { label: 'Open Porthole', action: { type: 'open-app' } },
    { type: 'separator' },
    { label: 'Quit Porthole', action: { type: 'quit' } },
  );
  return items;
}

/** The tray icon's tooltip. */
export function trayTooltip(sessions: readonly Session[]): string {
  const running = sessions.filter((s) => s.status === 'running');
  if (running.length === 0) return 'Porthole: no running sessions';
  const viewers = running.reduce((n, s) => n + s.viewers, 0);
  const ss = running.length === 1 ? '1 session' : `${running.length} sessions`;
  const vv = viewers === 1 ? '1 viewer' : `${viewers} viewers`;
  return `Porthole: ${ss}, ${vv}`;
}

/** Keeps the tray's session list in step with server events (newest first, as the API). */
export function applySessionEvent(sessions: readonly Session[], e: ServerEvent): Session[] {
  switch (e.type) {
    case 'session.created':
      return [e.session, ...sessions.filter((s) => s.id !== e.session.id)];
    case 'session.updated':
    case 'session.exited': {
      const next = e.session;
      return sessions.some((s) => s.id === next.id)
        ? sessions.map((s) => (s.id === next.id ? next : s))
        : [next, ...sessions];
    }
    case 'session.removed':
      return sessions.filter((s) => s.id !== e.sessionId);
    default:
      return [...sessions];
  }
}

/** True when two templates would draw the same menu (skip rebuilding on output-only updates). */
export function sameTemplate(a: readonly TrayItem[], b: readonly TrayItem[]): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
