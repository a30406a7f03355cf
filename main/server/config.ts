// Where `porthole serve` gets its settings: CLI flags beat environment variables, which beat
// config.json in the data dir, which beats the defaults. Everything is validated here, once,
// so the Server receives a ServerOptions it can trust.
//
// Environment variables (documented in `porthole serve --help` too):
//   PORTHOLE_PASSWORD    owner password for this run; hashed at start, never written anywhere
//   PORTHOLE_DATA_DIR    data dir (like --data-dir)
//   PORTHOLE_HOST        like --host
//   PORTHOLE_PORT        like --port
//   PORTHOLE_PUBLIC_URL  like --public-url
import { constants as FS, promises as fsp } from 'node:fs';
import { isIP } from 'node:net';
import { resolve } from 'node:path';
import { UsageError } from '../../common/errors.js';
import { parseDuration } from '../../common/protocol.js';
import { DEFAULT_RECORDING_CAP_BYTES, DEFAULT_SCROLLBACK_LINES, type Limits } from '../../common/flow.js';
import { passwordProblem } from './auth/passwords.js';
import { isLoopbackName as isLoopbackHost } from '../../common/reach.js';
import { dataDirFrom, type PortholeConfig } from './datadir.js';
import type { Logger } from './log.js';
import { parseTrustProxy, type TrustProxy } from './net/client-address.js';
import { parseTunnelKind, type TunnelKind } from './net/tunnel.js';

export const DEFAULT_PORT = 4022;
export const DEFAULT_HOST = '127.0.0.1';

export const ENV = {
  password: 'PORTHOLE_PASSWORD',
  dataDir: 'PORTHOLE_DATA_DIR',
  host: 'PORTHOLE_HOST',
  port: 'PORTHOLE_PORT',
  publicUrl: 'PORTHOLE_PUBLIC_URL',
} as const;

/** Structurally identical to ServerOptions in main/server/server.ts (docs/architecture.md). */
export interface ResolvedServeOptions {
  port: number;
  host: string;
  dataDir: string;
  auth: boolean;
  password?: string;
  tls?: { cert: string; key: string };
  publicUrl?: string;
  allowOrigins?: string[];
  allowHosts?: string[];
  limits?: Partial<Limits>;
  scrollback?: number;
  recordingCapBytes?: number;
  shell?: string | string[];
  rendererDir?: string;
  logger?: Logger;
  trustProxy?: TrustProxy;
  record?: boolean;
  keepRecordings?: boolean;
  recordingRetentionSeconds?: number;
  /** --tunnel: serve starts it after listen; its URL becomes publicUrl. Not a ServerOptions field. */
  tunnel?: TunnelKind;
}

/** `porthole serve` flags after parsing, before validation (undefined = not given). */
export interface ServeFlags {
  port?: string;
  host?: string;
  dataDir?: string;
  noAuth?: boolean;
  insecure?: boolean;
  tlsCert?: string;
  tlsKey?: string;
  publicUrl?: string;
  allowOrigin?: string[];
  allowHost?: string[];
  scrollback?: string;
  trustProxy?: string;
  noRecord?: boolean;
  tunnel?: string;
}

/** The data dir a command uses: --data-dir, else PORTHOLE_DATA_DIR, else the default. */
export function resolveDataDirPath(flag: string | undefined, env: NodeJS.ProcessEnv): string {
  return dataDirFrom(flag, env);
}

/** 127.0.0.0/8, ::1, localhost: addresses no other machine can reach (one definition, in
 *  the request gate). */
export { isLoopbackHost };

/** An --allow-host value: a bare host name or IP literal (no scheme, path or port). */
export function parseAllowHost(text: string, what: string): string {
  const h = text.trim().toLowerCase().replace(/^\[|\]$/g, '');
  if (!/^[a-z0-9.\-:_]{1,253}$/.test(h) || (h.includes(':') && isIP(h) !== 6)) {
    throw new UsageError(`${what} ${JSON.stringify(text)}: expected a host name like porthole.lan (no scheme, port or path)`);
  }
  return h;
}

/** `https://host:port` from a URL the user typed; anything but a bare origin is refused so
 *  that links and the Origin check agree. */
export function parseOrigin(text: string, what: string): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new UsageError(`${what} ${JSON.stringify(text)} is not a URL: use e.g. https://example.com:8443`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new UsageError(`${what} must start with http:// or https:// (got ${url.protocol})`);
  }
  if ((url.pathname !== '/' && url.pathname !== '') || url.search || url.hash || url.username || url.password) {
    throw new UsageError(`${what} must be an origin only, like ${url.origin} (no path, query or credentials)`);
  }
  return url.origin;
}

function parsePort(text: string, what: string): number {
  if (!/^\d{1,5}$/.test(text.trim()) || Number(text) > 65535) {
    throw new UsageError(`${what} ${JSON.stringify(text)}: expected a port number 0..65535 (0 picks a free one)`);
  }
  return Number(text);
}

function parseScrollback(text: string, what: string): number {
  if (!/^\d{1,7}$/.test(text.trim()) || Number(text) > 1_000_000) {
    throw new UsageError(`${what} ${JSON.stringify(text)}: expected a number of lines 0..1000000`);
  }
  return Number(text);
}

function checkHost(host: string, what: string): string {
  const h = host.trim();
  // A hostname or an IP literal; refuse things like URLs that would make a confusing error later.
  if (h === '' || /[\s/]/.test(h) || h.includes('://')) throw new UsageError(`${what} ${JSON.stringify(host)}: expected an address like 127.0.0.1 or 0.0.0.0`);
  return h.replace(/^\[|\]$/g, '');
}

async function readableFile(path: string, flag: string): Promise<string> {
  const abs = resolve(path);
  try {
    const st = await fsp.stat(abs);
    if (!st.isFile()) throw Object.assign(new Error('not a file'), { code: 'EISDIR' });
    await fsp.access(abs, FS.R_OK);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? 'unreadable';
    throw new UsageError(`${flag} ${abs} cannot be read (${code}): pass a readable PEM file`);
  }
  return abs;
}

export interface ResolveInput {
  flags: ServeFlags;
  env: NodeJS.ProcessEnv;
  /** config.json of the data dir (already validated). */
  config: PortholeConfig;
  /** The resolved data dir path. */
  dataDir: string;
  logger?: Logger;
}

export async function resolveServeOptions(input: ResolveInput): Promise<ResolvedServeOptions> {
  const { flags, env, config } = input;
  const envStr = (name: string): string | undefined => (env[name] !== undefined && env[name] !== '' ? env[name] : undefined);

  const port =
    flags.port !== undefined
      ? parsePort(flags.port, '--port')
      : envStr(ENV.port) !== undefined
        ? parsePort(envStr(ENV.port)!, ENV.port)
        : (config.port ?? DEFAULT_PORT);

  const host =
    flags.host !== undefined
      ? checkHost(flags.host, '--host')
      : envStr(ENV.host) !== undefined
        ? checkHost(envStr(ENV.host)!, ENV.host)
        : checkHost(config.host ?? DEFAULT_HOST, 'host in config.json');

  const auth = flags.noAuth !== true;
  if (!auth && !isLoopbackHost(host) && flags.insecure !== true) {
    throw new UsageError(
      `--no-auth with --host ${host} lets anyone who can reach it run commands as you: use --host 127.0.0.1, drop --no-auth, or add --i-know-this-is-insecure`,
    );
  }

  if ((flags.tlsCert === undefined) !== (flags.tlsKey === undefined)) {
    throw new UsageError('--tls-cert and --tls-key go together: pass both or neither');
  }
  const tls =
    flags.tlsCert !== undefined && flags.tlsKey !== undefined
      ? { cert: await readableFile(flags.tlsCert, '--tls-cert'), key: await readableFile(flags.tlsKey, '--tls-key') }
      : undefined;

  const publicUrlText = flags.publicUrl ?? envStr(ENV.publicUrl) ?? config.publicUrl;
  const publicUrl = publicUrlText !== undefined ? parseOrigin(publicUrlText, flags.publicUrl !== undefined ? '--public-url' : 'publicUrl') : undefined;

  // A list given on the command line replaces the config file's list rather than adding to
  // it: what you see in the command is what is allowed.
  const originList = flags.allowOrigin ?? config.allowOrigins;
  const allowOrigins = originList?.map((o) => parseOrigin(o, '--allow-origin'));

  const hostList = flags.allowHost ?? config.allowHosts;
  const allowHosts = hostList?.map((h) => parseAllowHost(h, flags.allowHost !== undefined ? '--allow-host' : 'allowHosts in config.json'));

  const scrollback = flags.scrollback !== undefined ? parseScrollback(flags.scrollback, '--scrollback') : (config.scrollback ?? DEFAULT_SCROLLBACK_LINES);

  const tunnel = flags.tunnel !== undefined ? parseTunnelKind(flags.tunnel) : undefined;
  if (tunnel && publicUrl !== undefined) {
    throw new UsageError(`--tunnel ${tunnel} gives the public URL itself: drop --public-url (or publicUrl in config.json / ${ENV.publicUrl})`);
  }
  if (tunnel && tls) throw new UsageError(`--tunnel ${tunnel} serves HTTPS itself and reaches this server over plain HTTP on loopback: drop --tls-cert/--tls-key`);
  // The tunnel program connects from loopback: unless told otherwise, its X-Forwarded-For is
  // believed, so the login limit counts each real visitor rather than the tunnel as one.
  const trustProxy = parseTrustProxy(flags.trustProxy ?? config.trustProxy ?? (tunnel ? '127.0.0.1,::1' : undefined));

  let recordingRetentionSeconds: number | undefined;
  if (config.recordingRetention !== undefined) {
    const s = parseDuration(config.recordingRetention);
    if (s === null) throw new UsageError(`recordingRetention ${JSON.stringify(config.recordingRetention)} in config.json: use a duration from 1s to 365d, like 7d`);
    recordingRetentionSeconds = s;
  }

  const password = envStr(ENV.password);
  if (password !== undefined) {
    const problem = passwordProblem(password);
    if (problem) throw new UsageError(`${ENV.password}: ${problem}`);
  }

  const options: ResolvedServeOptions = {
    port,
    host,
    dataDir: input.dataDir,
    auth,
    scrollback,
    recordingCapBytes: config.recordingCapBytes ?? DEFAULT_RECORDING_CAP_BYTES,
  };
  if (password !== undefined) options.password = password;
  if (tls) options.tls = tls;
  if (publicUrl !== undefined) options.publicUrl = publicUrl;
  if (allowOrigins !== undefined) options.allowOrigins = allowOrigins;
  if (allowHosts !== undefined) options.allowHosts = allowHosts;
  const limits = {
    ...(config.maxSessions !== undefined ? { sessions: config.maxSessions } : {}),
    ...(config.maxSharesPerSession !== undefined ? { sharesPerSession: config.maxSharesPerSession } : {}),
    ...(config.maxEventStreams !== undefined ? { eventStreams: config.maxEventStreams } : {}),
    ...(config.maxSockets !== undefined ? { sockets: config.maxSockets } : {}),
  };
  if (Object.keys(limits).length > 0) options.limits = limits;
  if (config.shell !== undefined) options.shell = config.shell;
  if (trustProxy.kind !== 'none') options.trustProxy = trustProxy;
  if (tunnel) options.tunnel = tunnel;
  if (flags.noRecord === true || config.record === false) options.record = false;
  if (config.keepRecordings === true) options.keepRecordings = true;
  if (recordingRetentionSeconds !== undefined) options.recordingRetentionSeconds = recordingRetentionSeconds;
  if (input.logger) options.logger = input.logger;
  return options;
}
