// Why this exists: the tray menu lists every session with what the owner can do to it, and is
// rebuilt whenever a session event arrives. Building it is pure (sessions in, plain data out)
// so it is tested without Electron; main.ts turns the data into a Menu and the actions into calls.
import type { ServerEvent, Session, ShareMode, Viewer } from '../../common/protocol.js';

/** "Typed in the last minute", as the panel's watching list says it. */
export const TRAY_TYPED_RECENTLY_MS = 60_000;

export type TrayAction =
  | { type: 'open-session'; sessionId: string }
  | { type: 'copy-link'; sessionId: string; mode: ShareMode }
  | { type: 'end-session'; sessionId: string }
  | { type: 'answer-control'; sessionId: string; requestId: string; grant: boolean }
  | { type: 'take-back'; sessionId: string; requestId: string }
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

function since(iso: string, now: number): string {
  const s = Math.max(0, Math.round((now - Date.parse(iso)) / 1000));
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min`;
  return `${Math.floor(s / 3600)} h`;
}

/** "Watching now" under a session: one line per socket, and what the owner can do about it. */
export function watchingItems(sessionId: string, viewers: readonly Viewer[], now: number): TrayItem[] {
  if (viewers.length === 0) return [];
  const items: TrayItem[] = [{ label: 'Watching now', enabled: false }];
  for (const v of viewers) {
    const who = v.kind === 'owner' ? 'You (owner)' : clip(v.label ?? 'Unlabelled link');
    const typed = v.lastInputAt !== null && now - Date.parse(v.lastInputAt) < TRAY_TYPED_RECENTLY_MS ? ' · typing' : '';
    items.push({ label: `  ${who} · ${v.mode} · since ${since(v.connectedAt, now)}${typed}`, enabled: false });
    if (v.kind !== 'share' || v.requestId === null) continue;
    if (v.mode === 'control') {
      items.push({ label: `  Take control back from ${who}`, action: { type: 'take-back', sessionId, requestId: v.requestId } });
    } else {
      items.push(
        { label: `  Allow ${who} to type`, action: { type: 'answer-control', sessionId, requestId: v.requestId, grant: true } },
        { label: `  Deny ${who}`, action: { type: 'answer-control', sessionId, requestId: v.requestId, grant: false } },
      );
    }
  }
  items.push({ type: 'separator' });
  return items;
}

function sessionItem(s: Session, viewers: readonly Viewer[], now: number): TrayItem {
  const running = s.status === 'running';
  const id = s.id;
  return {
    label: `${running ? '●' : '○'} ${clip(s.name || s.id)} — ${sessionStatusText(s)}`,
    submenu: [
      ...watchingItems(id, viewers, now),
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
export function trayTemplate(
  sessions: readonly Session[],
  opts: { maxSessions?: number; viewers?: ReadonlyMap<string, readonly Viewer[]>; now?: number } = {},
): TrayItem[] {
  const max = opts.maxSessions ?? TRAY_MAX_SESSIONS;
  const now = opts.now ?? Date.now();
  const items: TrayItem[] = [];
  if (sessions.length === 0) {
    items.push({ label: 'No sessions', enabled: false });
  } else {
    for (const s of sessions.slice(0, max)) items.push(sessionItem(s, opts.viewers?.get(s.id) ?? [], now));
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

/** Keeps who is watching each session in step with viewer.* events (and drops removed sessions). */
export function applyViewerEvent(viewers: ReadonlyMap<string, readonly Viewer[]>, e: ServerEvent): Map<string, readonly Viewer[]> {
  const next = new Map(viewers);
  switch (e.type) {
    case 'viewer.joined':
      next.set(e.sessionId, [...(viewers.get(e.sessionId) ?? []).filter((v) => v.id !== e.viewer.id), e.viewer]);
      break;
    case 'viewer.updated':
      next.set(e.sessionId, (viewers.get(e.sessionId) ?? []).map((v) => (v.id === e.viewer.id ? e.viewer : v)));
      break;
    case 'viewer.left': {
      const left = (viewers.get(e.sessionId) ?? []).filter((v) => v.id !== e.viewer.id);
      if (left.length) next.set(e.sessionId, left);
      else next.delete(e.sessionId);
      break;
    }
    case 'control.requested':
      // The request's viewer carries its requestId: the tray offers Allow / Deny on its line.
      next.set(e.sessionId, (viewers.get(e.sessionId) ?? []).map((v) => (v.id === e.viewer.id ? e.viewer : v)));
      break;
    case 'session.removed':
      next.delete(e.sessionId);
      break;
  }
  return next;
}

/** True when two templates would draw the same menu (skip rebuilding on output-only updates). */
export function sameTemplate(a: readonly TrayItem[], b: readonly TrayItem[]): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
