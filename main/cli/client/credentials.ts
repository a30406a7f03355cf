// How a client command acts as the owner: PORTHOLE_TOKEN when set, else a short-lived owner
// token minted from the data dir's secret, which only the OS user who runs the server can read.
// The token travels in headers only, never in argv or URLs.
import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { clientDataDirCandidates } from '../../server/platform/dirs.js';
import { UsageError } from '../../../common/errors.js';
import { ApiClient, DEFAULT_URL, parseServerUrl, type TokenSource } from './api.js';
import type { ClientIO } from './io.js';
import { dataDirFrom, SECRET_BYTES, SECRET_FILE } from '../../server/datadir.js';
import { readLiveServerFile } from '../../server/discovery.js';
import { mintOwnerToken } from './mint.js';
import { formatCommand } from './format.js';

/** A minted owner token lives this long: enough for one command, useless if it leaks later. */
export const CLIENT_TOKEN_TTL_SECONDS = 5 * 60;

/** The flags every client command takes. */
export interface ClientFlags {
  url?: string;
  dataDir?: string;
}

export interface OwnerCredential {
  token: string | null;
  source: TokenSource;
}

/** Reads the data dir's secret; a missing or unreadable one is a UsageError saying what to do. */
async function readSecret(dataDir: string): Promise<Buffer | null> {
  const file = join(dataDir, SECRET_FILE);
  try {
    const secret = await readFile(file);
    if (secret.length !== SECRET_BYTES) {
      throw new UsageError(`${file} is not a ${SECRET_BYTES}-byte secret: check --data-dir, or set PORTHOLE_TOKEN`);
    }
    return secret;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return null;
    if (code === 'EACCES' || code === 'EPERM') {
      throw new UsageError(`cannot read ${file} (${code}): run this as the user who runs \`porthole serve\`, or set PORTHOLE_TOKEN`);
    }
    if (err instanceof UsageError) throw err;
    throw new UsageError(`cannot read ${file} (${code ?? String(err)}): check --data-dir, or set PORTHOLE_TOKEN`);
  }
}

/**
 * The owner credential for one command. A data dir without a secret is fine only when the
 * server runs with --no-auth (asked over the API); otherwise it is a UsageError that says to
 * start `porthole serve` first or set PORTHOLE_TOKEN.
 */
export async function resolveOwnerCredential(
  env: NodeJS.ProcessEnv,
  dataDir: string | undefined,
  base: URL,
  fetchImpl?: typeof fetch,
): Promise<OwnerCredential> {
  const fromEnv = env.PORTHOLE_TOKEN?.trim();
  if (fromEnv) return { token: fromEnv, source: 'env' };
  const dir = dataDirFrom(dataDir, env);
  // Nothing named a dir: the headless default, then the desktop app's where it differs (macOS).
  const named = dataDir !== undefined || Boolean(env.PORTHOLE_DATA_DIR);
  for (const d of named ? [dir] : clientDataDirCandidates(process.platform, env, homedir())) {
    const secret = await readSecret(d);
    if (secret) return { token: mintOwnerToken(secret, CLIENT_TOKEN_TTL_SECONDS), source: 'datadir' };
  }
  // No secret: ask the server (this also turns "no server" into its own clear line).
  const probe = new ApiClient({ base, token: null, tokenSource: 'none', fetch: fetchImpl });
  const config = await probe.authConfig();
  if (!config.authRequired) return { token: null, source: 'none' };
  throw new UsageError(
    `no owner secret in ${dir}: run \`porthole serve\` first (with the same --data-dir), or set PORTHOLE_TOKEN`,
  );
}

/**
 * The server a client command talks to (contract section 9): --url, else PORTHOLE_URL, else
 * the live server.json of the data dir (--data-dir, else PORTHOLE_DATA_DIR, else the
 * default), else the default address.
 */
export async function serverUrl(flags: ClientFlags, env: NodeJS.ProcessEnv): Promise<string> {
  if (flags.url !== undefined) return flags.url;
  const fromEnv = env.PORTHOLE_URL?.trim();
  if (fromEnv) return fromEnv;
  const live = await readLiveServerFile(dataDirFrom(flags.dataDir, env));
  return live?.url ?? DEFAULT_URL;
}

/** The flags a hint must repeat so that pasting it reaches the same server: the ones given. */
export function hintFlags(flags: ClientFlags): string {
  let out = '';
  if (flags.url !== undefined) out += ` --url ${formatCommand([flags.url])}`;
  if (flags.dataDir !== undefined) out += ` --data-dir ${formatCommand([flags.dataDir])}`;
  return out;
}

/** The API client a client command uses: --url checked, owner credential resolved. */
export async function connect(flags: ClientFlags, io: Pick<ClientIO, 'env'>, fetchImpl?: typeof fetch): Promise<ApiClient> {
  const base = parseServerUrl(await serverUrl(flags, io.env));
  const cred = await resolveOwnerCredential(io.env, flags.dataDir, base, fetchImpl);
  return new ApiClient({ base, token: cred.token, tokenSource: cred.source, fetch: fetchImpl });
}
