// The server as a child process under a chosen runtime (`bun bin/porthole.js serve ...` or
// `node bin/porthole.js serve ...`), behind the same TestServer shape as the in-process helper,
// so one test file runs against Node and against Bun (vitest project "bun" sets
// PORTHOLE_TEST_RUNTIME=bun; see vitest.config.ts). ServerOptions become flags, config.json and
// PORTHOLE_PASSWORD, as a user would set them. `server` is a stand-in with what a test can do from
// outside (tokens signed with the data dir's secret, events over SSE, the owner link); anything
// else throws, so a test that reaches into the in-process Server says so at once.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import jwt from 'jsonwebtoken';
import { UsageError } from '../../common/errors.js';
import type { ServerEvent } from '../../common/protocol.js';
import type { Logger } from '../../main/server/log.js';
import type { Server, ServerOptions } from '../../main/server/server.js';
import { portholeCommand, type CliRuntime } from './runtimes.js';

const ROOT = resolve(import.meta.dirname, '../..');
const START_TIMEOUT_MS = 20_000;
const STOP_TIMEOUT_MS = 10_000;

/** Options a child can be given, and where each one goes. */
const CONFIG_KEYS = ['publicUrl', 'allowOrigins', 'allowHosts', 'scrollback', 'recordingCapBytes', 'shell', 'record', 'keepRecordings'] as const;
const IGNORED_KEYS = new Set(['logger', 'pty', 'runtime']);
const LEVELS = new Set(['debug', 'info', 'warn', 'error']);

export interface ServerChild {
  url: string;
  port: number;
  ownerToken: string;
  /** The stand-in for the in-process Server (see the header). */
  server: Server;
  /** SIGTERM and wait for the exit (the contract's shutdown). */
  close(): Promise<void>;
  /** Everything the child wrote to stderr so far. */
  stderr(): string;
  readonly child: ChildProcess;
}

export async function startServerChild(runtime: CliRuntime, dataDir: string, overrides: Partial<ServerOptions>): Promise<ServerChild> {
  const args = ['serve', '--data-dir', dataDir, '--port', String(overrides.port ?? 0), '--host', overrides.host ?? '127.0.0.1'];
  const config: Record<string, unknown> = {};
  const env: Record<string, string> = { ...cleanEnv(), PORTHOLE_LOG_LEVEL: 'warn' };
  for (const [key, value] of Object.entries(overrides)) {
    if (value === undefined || IGNORED_KEYS.has(key) || key === 'port' || key === 'host' || key === 'dataDir') continue;
    if (key === 'auth') {
      if (value === false) args.push('--no-auth', '--i-know-this-is-insecure');
    } else if (key === 'password') env.PORTHOLE_PASSWORD = String(value);
    else if (key === 'tls') args.push('--tls-cert', (value as { cert: string }).cert, '--tls-key', (value as { key: string }).key);
    else if (key === 'recordingRetentionSeconds') config.recordingRetention = `${value as number}s`;
    else if (key === 'rendererDir' && resolve(String(value)) === resolve(ROOT, 'dist/renderer')) continue;
    else if ((CONFIG_KEYS as readonly string[]).includes(key)) config[key] = value;
    else throw new Error(`startServer: option ${key} cannot reach a server child process (PORTHOLE_TEST_RUNTIME=${runtime})`);
  }
  if (Object.keys(config).length > 0) await writeFile(join(dataDir, 'config.json'), JSON.stringify(config), { mode: 0o600 });

  // With a logger, the child logs everything; the test's logger gets each line (and filters by its own level).
  if (overrides.logger) env.PORTHOLE_LOG_LEVEL = 'debug';
  const cmd = portholeCommand(args, runtime);
  const child = spawn(cmd.file, cmd.args, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => (err += d));
  if (overrides.logger) forwardLog(child, overrides.logger);
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));

  const started = await new Promise<{ url: string; token: string }>((resolveStart, reject) => {
    const timer = setTimeout(() => reject(new Error(`server child did not start in ${START_TIMEOUT_MS} ms:\n${err}`)), START_TIMEOUT_MS);
    const check = (): void => {
      const url = /Porthole listening on (\S+)/.exec(out)?.[1];
      const link = /Owner link: \S+#token=(\S+)/.exec(out)?.[1];
      if (url && (link || overrides.auth === false)) {
        clearTimeout(timer);
        resolveStart({ url, token: link ?? '' });
      }
    };
    child.stdout.on('data', check);
    void exited.then((code) => {
      clearTimeout(timer);
      const line = err.trim().split('\n').at(-1) ?? '';
      reject(code === 2 ? new UsageError(line.replace(/^porthole: /, '')) : new Error(`server child exited (${code}) before listening:\n${err}`));
    });
  });

  const secret = await readFile(join(dataDir, 'secret'));
  const mintOwnerToken = (ttlSeconds = 24 * 3600): { token: string; expiresAt: string } => {
    const iat = Math.floor(Date.now() / 1000);
    const token = jwt.sign({ role: 'owner', jti: randomBytes(12).toString('base64url'), iat, exp: iat + ttlSeconds }, secret, { algorithm: 'HS256' });
    return { token, expiresAt: new Date((iat + ttlSeconds) * 1000).toISOString() };
  };
  const ownerToken = started.token || mintOwnerToken().token;
  const events = eventStream(started.url, ownerToken);
  await events.ready;

  let closing: Promise<void> | undefined;
  const close = (): Promise<void> =>
    (closing ??= (async () => {
      events.stop();
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
        await exited;
        clearTimeout(timer);
      }
    })());

  const stand = {
    url: started.url,
    dataDir: { dir: dataDir, secret, recordingsDir: join(dataDir, 'recordings') },
    mintOwnerToken,
    ownerLink: () => `${started.url}/#token=${mintOwnerToken().token}`,
    onEvent: (l: (e: ServerEvent) => void) => events.on(l),
    close,
    listen: () => Promise.reject(new Error('a server child is already listening')),
  };
  const server = new Proxy(stand, {
    get(target, prop, receiver) {
      if (prop in target || typeof prop === 'symbol' || prop === 'then') return Reflect.get(target, prop, receiver) as unknown;
      throw new Error(`server.${String(prop)} is not reachable in a server child process (PORTHOLE_TEST_RUNTIME=${runtime})`);
    },
  }) as unknown as Server;
  return { url: started.url, port: Number(new URL(started.url).port), ownerToken, server, close, stderr: () => err, child };
}

/** Each JSON log line of the child's stderr, re-logged through `logger` at its level. */
function forwardLog(child: ChildProcess, logger: Logger): void {
  let rest = '';
  child.stderr?.on('data', (d: string) => {
    const lines = (rest + d).split('\n');
    rest = lines.pop() ?? '';
    for (const line of lines) {
      try {
        const { level, msg, time: _time, ...fields } = JSON.parse(line) as Record<string, unknown>;
        if (typeof level === 'string' && LEVELS.has(level)) logger[level as 'info'](String(msg), fields);
      } catch {
        logger.info(line); // a plain line (porthole: ...)
      }
    }
  });
}

/** The environment a user's shell would give `porthole serve`: none of this process's PORTHOLE_*. */
function cleanEnv(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined && !k.startsWith('PORTHOLE_') && !k.startsWith('VITEST')) env[k] = v;
  return env;
}

/** GET /api/events, parsed: the child's ServerEvents, for server.onEvent(). */
function eventStream(url: string, token: string): { on(l: (e: ServerEvent) => void): () => void; stop(): void; ready: Promise<void> } {
  const listeners = new Set<(e: ServerEvent) => void>();
  const abort = new AbortController();
  let opened: () => void = () => {};
  const ready = new Promise<void>((r) => (opened = r));
  void (async () => {
    try {
      const res = await fetch(`${url}/api/events`, { headers: token ? { authorization: `Bearer ${token}` } : {}, signal: abort.signal });
      opened(); // the server writes its first comment as it registers the client
      if (!res.body) return;
      const decoder = new TextDecoder();
      let buf = '';
      for await (const chunk of res.body) {
        buf += decoder.decode(chunk as Uint8Array, { stream: true });
        let end: number;
        while ((end = buf.indexOf('\n\n')) !== -1) {
          const block = buf.slice(0, end);
          buf = buf.slice(end + 2);
          const data = block
            .split('\n')
            .filter((l) => l.startsWith('data:'))
            .map((l) => l.slice(5).trimStart())
            .join('\n');
          if (!data) continue;
          try {
            const e = JSON.parse(data) as ServerEvent;
            for (const l of [...listeners]) l(e);
          } catch {
            // a comment or keep-alive
          }
        }
      }
    } catch {
      // stopped, or the server went away
    } finally {
      opened();
    }
  })();
  return {
    on(l) {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    stop: () => abort.abort(),
    ready,
  };
}
