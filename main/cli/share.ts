// `porthole share ID [--mode view|control] [--expires DURATION] [--label TEXT] [--max-viewers N]`: a new share
// link for a session, printed alone on stdout so `$(porthole share ID)` captures just the URL.
import { UsageError } from '../../common/errors.js';
import { DEFAULT_SHARE_EXPIRES_SECONDS, MAX_VIEWERS_MAX, MAX_VIEWERS_MIN, parseDuration, SESSION_NAME_MAX, type ShareMode } from '../../common/protocol.js';
import { connect, type ClientFlags } from './client/credentials.js';
import { findSession } from './client/format.js';
import { processIO, type ClientIO, type ClientOutput } from './client/io.js';

export interface ShareOptions extends ClientFlags {
  /** A session id, a unique id prefix or a unique session name. */
  id: string;
  /** `view` (default) or `control`. */
  mode?: string;
  /** How long the link works: 90s, 30m, 2h, 7d (default 24h). */
  expires?: string;
  label?: string;
  /** `--max-viewers N`: sockets open at once through the link (contract section 8). */
  maxViewers?: string;
}

export function parseMaxViewers(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const n = /^\s*\d{1,4}\s*$/.test(text) ? Number(text) : Number.NaN;
  if (!Number.isInteger(n) || n < MAX_VIEWERS_MIN || n > MAX_VIEWERS_MAX) {
    throw new UsageError(`--max-viewers must be a whole number from ${MAX_VIEWERS_MIN} to ${MAX_VIEWERS_MAX}, not ${JSON.stringify(text)}`);
  }
  return n;
}

export function parseShareMode(text: string | undefined, flag: string): ShareMode {
  if (text === undefined || text === 'view') return 'view';
  if (text === 'control') return 'control';
  throw new UsageError(`${flag} must be view or control, not ${JSON.stringify(text)}`);
}

export function parseExpires(text: string | undefined): number {
  if (text === undefined) return DEFAULT_SHARE_EXPIRES_SECONDS;
  const seconds = parseDuration(text);
  const m = /^\s*(\d{1,9})([smhd])\s*$/.exec(text);
  if (seconds === null && m && Number(m[1]) === 0) {
    throw new UsageError(`--expires ${JSON.stringify(text)} would end the link at once: give at least 1s (e.g. 90s, 30m, 2h, 7d); \`porthole revoke SHAREID\` ends one early`);
  }
  if (seconds === null && m) {
    throw new UsageError(`--expires ${JSON.stringify(text)} is too long: at most 365d`);
  }
  if (seconds === null) {
    throw new UsageError(`--expires ${JSON.stringify(text)} is not a duration: use a number and s, m, h or d (90s, 30m, 2h, 7d; at most 365d)`);
  }
  return seconds;
}

export async function share(opts: ShareOptions, io: ClientIO = processIO()): Promise<number> {
  // Every flag is checked before anything touches the network or the data dir.
  const mode = parseShareMode(opts.mode, '--mode');
  const expiresIn = parseExpires(opts.expires);
  const maxViewers = parseMaxViewers(opts.maxViewers);
  if (opts.label !== undefined && (opts.label.length === 0 || opts.label.length > SESSION_NAME_MAX)) {
    throw new UsageError(`--label must be 1 to ${SESSION_NAME_MAX} characters`);
  }
  const api = await connect(opts, io);
  const session = await findSession(api, opts.id);
  const created = await api.createShare(session.id, {
    mode,
    expiresIn,
    ...(opts.label ? { label: opts.label } : {}),
    ...(maxViewers !== undefined ? { maxViewers } : {}),
  });
  io.stdout.write(created.url + '\n');
  if ((io.stderr as ClientOutput).isTTY) {
    // For the person at the terminal only; scripts read the URL from stdout.
    io.stderr.write(`porthole: ${mode} link to ${session.name} (${session.id}), expires ${created.expiresAt}; share id ${created.id}\n`);
  }
  return 0;
}
