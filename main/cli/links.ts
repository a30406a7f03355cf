// `porthole links ID [--json]` and `porthole revoke SHAREID`: a session's share links managed
// from a terminal, as the share dialog does. The listing never holds a token (the API never
// gives one back), so it is safe to paste into a chat or a bug report.
import type { ShareListItem } from '../../common/protocol.js';
import { connect, hintFlags, type ClientFlags } from './client/credentials.js';
import { findSession, formatAge } from './client/format.js';
import { processIO, type ClientIO } from './client/io.js';

export interface LinksOptions extends ClientFlags {
  /** A session id, a unique id prefix or a unique session name. */
  id: string;
  json?: boolean;
}

export interface RevokeOptions extends ClientFlags {
  shareId: string;
}

/** Time left until an ISO instant, as its largest whole unit (`in 59m`). */
function left(iso: string, now: number): string {
  const s = Math.max(0, Math.floor((Date.parse(iso) - now) / 1000));
  return s < 60 ? `${s}s` : s < 3600 ? `${Math.floor(s / 60)}m` : s < 86400 ? `${Math.floor(s / 3600)}h` : `${Math.floor(s / 86400)}d`;
}

/** Control characters in a label would let it rewrite the reader's terminal. */
function printable(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\x00-\x1f\x7f-\x9f]/g, '?');
}

export function formatLinksTable(shares: readonly ShareListItem[], now: number = Date.now()): string {
  const header = ['SHARE ID', 'MODE', 'VIEWERS', 'CREATED', 'EXPIRES IN', 'LABEL'];
  const rows = shares.map((s) => [s.id, s.mode, String(s.viewers), `${formatAge(s.createdAt, now)} ago`, left(s.expiresAt, now), printable(s.label ?? '')]);
  const all = [header, ...rows];
  const widths = header.map((_, i) => Math.max(...all.map((r) => r[i].length)));
  return all.map((r) => r.map((c, i) => c.padEnd(widths[i])).join('  ').trimEnd()).join('\n') + '\n';
}

export async function links(opts: LinksOptions, io: ClientIO = processIO()): Promise<number> {
  const api = await connect(opts, io);
  const session = await findSession(api, opts.id);
  const shares = await api.listShares(session.id);
  if (opts.json) io.stdout.write(JSON.stringify(shares, null, 2) + '\n');
  else if (shares.length === 0) io.stdout.write(`No live links for ${session.name} (${session.id}). Make one with \`porthole share${hintFlags(opts)} ${session.id}\`.\n`);
  else io.stdout.write(formatLinksTable(shares));
  return 0;
}

export async function revoke(opts: RevokeOptions, io: ClientIO = processIO()): Promise<number> {
  const api = await connect(opts, io);
  await api.revokeShare(opts.shareId);
  io.stdout.write(`Revoked link ${opts.shareId}: it no longer opens, and its viewers are cut off.\n`);
  return 0;
}
