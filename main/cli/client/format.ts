// Text the client commands print: the `porthole ls` table, ages, shell-style command lines,
// and the lookup of a session by id, unique id prefix or name.
import { UsageError } from '../../../common/errors.js';
import type { Session } from '../../../common/protocol.js';
import { noSession, type ApiClient } from './api.js';

/** An age as its largest whole unit: 42s, 5m, 3h, 2d. */
export function formatAge(fromIso: string, now: number = Date.now()): string {
  const then = Date.parse(fromIso);
  if (!Number.isFinite(then)) return '?';
  const s = Math.max(0, Math.floor((now - then) / 1000));
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m`;
  if (s < 86400) return `${Math.floor(s / 3600)}h`;
  return `${Math.floor(s / 86400)}d`;
}

/** argv as a shell would need it typed: plain words bare, the rest single-quoted. */
export function formatCommand(argv: readonly string[]): string {
  return argv.map((a) => (/^[A-Za-z0-9_@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`)).join(' ');
}

export function formatStatus(s: Session): string {
  if (s.status === 'running') return 'running';
  return s.exitCode === null ? 'exited (signal)' : `exited ${s.exitCode}`;
}

/** Control characters would let a session's name or command rewrite the reader's terminal. */
function printable(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\x00-\x1f\x7f-\x9f]/g, '?');
}

function clip(text: string, max: number): string {
  if (max < 2) return text.slice(0, Math.max(0, max));
  return text.length <= max ? text : text.slice(0, max - 1) + '…';
}

/** The `porthole ls` table; `width` (a TTY's columns) clips the last column, the command. */
export function formatSessionTable(sessions: readonly Session[], now: number = Date.now(), width?: number): string {
  const header = ['ID', 'NAME', 'STATUS', 'VIEWERS', 'AGE', 'COMMAND'];
  const rows = sessions.map((s) => [
    s.id,
    clip(printable(s.name), 32),
    formatStatus(s),
    String(s.viewers),
    formatAge(s.createdAt, now),
    printable(formatCommand(s.command)),
  ]);
  const all = [header, ...rows];
  const widths = header.map((_, i) => Math.max(...all.map((r) => r[i].length)));
  const lines = all.map((r) => {
    const head = r.slice(0, -1).map((cell, i) => cell.padEnd(widths[i])).join('  ') + '  ';
    const last = r[r.length - 1];
    return head + (width && width > head.length ? clip(last, width - head.length) : last);
  });
  return lines.map((l) => l.trimEnd()).join('\n') + '\n';
}

/**
 * The session the user meant by ID: an exact id, else a unique exact name, else a unique id
 * prefix (ids are long; a few characters are usually enough). UsageError when none or several.
 */
export async function findSession(api: ApiClient, text: string): Promise<Session> {
  if (text.length === 0) throw new UsageError('the session ID is empty: `porthole ls` lists them');
  const sessions = await api.listSessions();
  const exact = sessions.find((s) => s.id === text);
  if (exact) return exact;
  const byName = sessions.filter((s) => s.name === text);
  if (byName.length === 1) return byName[0];
  const byPrefix = sessions.filter((s) => s.id.startsWith(text));
  if (byPrefix.length === 1) return byPrefix[0];
  const several = byName.length > 1 ? byName : byPrefix;
  if (several.length > 1) {
    throw new UsageError(`${text} matches ${several.length} sessions (${several.map((s) => s.id).join(', ')}): give more of the id`);
  }
  throw new UsageError(noSession(text));
}
