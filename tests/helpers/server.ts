// Shared integration-test helpers: a real Server on port 0 in a temp data dir (closed and
// removed after each test), an owner token, JSON fetch, and a `ws` client that records
// everything it receives. Other test files import these instead of re-inventing them.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach } from 'vitest';
import WebSocket from 'ws';
import type { Session, WsServerMessage } from '../../common/protocol.js';
import { silentLogger } from '../../main/server/log.js';
import { loadRuntime } from '../../main/server/runtime.js';
import { Server, type ServerOptions } from '../../main/server/server.js';
import { cliRuntime, type CliRuntime } from './runtimes.js';
import { startServerChild } from './server-process.js';

export interface TestServer {
  server: Server;
  url: string;
  port: number;
  dataDir: string;
  ownerToken: string;
  /** fetch against the server; `token: null` sends no Authorization header. */
  api(path: string, init?: ApiInit): Promise<Response>;
  /** api() + JSON body parse; returns status, headers and parsed body. */
  json<T = unknown>(path: string, init?: ApiInit): Promise<{ status: number; body: T; headers: Headers }>;
  /** POST /api/sessions with a command (default: cat, which echoes input back). */
  createSession(body?: Record<string, unknown>): Promise<Session>;
  close(): Promise<void>;
}

export interface ApiInit {
  method?: string;
  /** An object is sent as JSON; a string is sent as-is (to test malformed bodies). */
  body?: unknown;
  token?: string | null;
  headers?: Record<string, string>;
}

const cleanups: Array<() => Promise<void>> = [];

/** Registered once per test file: everything started by these helpers is torn down. */
afterEach(async () => {
  const tasks = cleanups.splice(0).reverse();
  for (const t of tasks) await t().catch(() => {});
});

export async function makeTempDir(prefix = 'porthole-test-'): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

/**
 * The runtime the tests' servers run on: unset = in this process (Node); `bun`, `node` or
 * `binary` = a child process under that runtime (server-process.ts). vitest.config.ts's "bun"
 * project sets it.
 */
export function testRuntime(): CliRuntime | undefined {
  return process.env.PORTHOLE_TEST_RUNTIME ? cliRuntime() : undefined;
}

/** True when the servers run as child processes: tests that reach into the Server skip then. */
export const inChildProcess = testRuntime() !== undefined;

export async function startServer(overrides: Partial<ServerOptions> = {}): Promise<TestServer> {
  const dataDir = overrides.dataDir ?? (await makeTempDir());
  const childRuntime = testRuntime();
  if (childRuntime) {
    const c = await startServerChild(childRuntime, dataDir, overrides);
    cleanups.push(c.close);
    return withClient({ server: c.server, url: c.url, port: c.port, dataDir, ownerToken: c.ownerToken, close: c.close });
  }
  const runtime = await loadRuntime();
  const server = await Server.create({
    pty: runtime.pty,
    runtime: runtime.info,
    port: 0,
    host: '127.0.0.1',
    dataDir,
    auth: true,
    logger: silentLogger,
    ...overrides,
  });
  const { url, port } = await server.listen();
  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    await server.close();
  };
  cleanups.push(close);
  return withClient({ server, url, port, dataDir, ownerToken: server.mintOwnerToken().token, close });
}

/** The HTTP client half of a TestServer, the same whichever way the server runs. */
function withClient(base: Pick<TestServer, 'server' | 'url' | 'port' | 'dataDir' | 'ownerToken' | 'close'>): TestServer {
  const { url, ownerToken } = base;
  const api = (path: string, init: ApiInit = {}) => {
    const headers: Record<string, string> = { ...(init.headers ?? {}) };
    const token = init.token === undefined ? ownerToken : init.token;
    if (token !== null) headers.authorization = `Bearer ${token}`;
    let body: string | undefined;
    if (typeof init.body === 'string') body = init.body;
    else if (init.body !== undefined) body = JSON.stringify(init.body);
    if (body !== undefined && !headers['content-type']) headers['content-type'] = 'application/json';
    return fetch(url + path, { method: init.method ?? (body !== undefined ? 'POST' : 'GET'), headers, body });
  };
  const json = async <T>(path: string, init?: ApiInit) => {
    const res = await api(path, init);
    const text = await res.text();
    return { status: res.status, headers: res.headers, body: (text ? JSON.parse(text) : undefined) as T };
  };
  const createSession = async (body: Record<string, unknown> = {}) => {
    const r = await json<Session>('/api/sessions', { body: { command: ['cat'], cwd: tmpdir(), ...body } });
    if (r.status !== 201) throw new Error(`createSession: ${r.status} ${JSON.stringify(r.body)}`);
    return r.body;
  };
  return { ...base, api, json, createSession };
}

/** A ws client that keeps every frame it receives and can wait for one. */
/** What every recording test socket shares: waiting, re-checked on each frame, for a condition. */
export abstract class WaitingSocket {
  abstract readonly texts: WsServerMessage[];
  closeInfo: { code: number; reason: string } | undefined;
  private waiters: Array<() => void> = [];

  protected wake(): void {
    for (const w of this.waiters.splice(0)) w();
  }

  /** Resolve once `check` is true (re-checked on each frame), or reject after timeoutMs. */
  waitFor<T>(check: () => T | undefined | false, what: string, timeoutMs = 5000): Promise<T> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}`)), timeoutMs);
      const test = () => {
        const v = check();
        if (v) {
          clearTimeout(timer);
          resolve(v);
        } else if (this.closeInfo) {
          clearTimeout(timer);
          reject(new Error(`socket closed (${this.closeInfo.code}) while waiting for ${what}`));
        } else this.waiters.push(test);
      };
      test();
    });
  }

  waitForText<K extends WsServerMessage['type']>(type: K, timeoutMs?: number): Promise<Extract<WsServerMessage, { type: K }>> {
    return this.waitFor(() => this.texts.find((m) => m.type === type) as Extract<WsServerMessage, { type: K }> | undefined, `"${type}"`, timeoutMs);
  }
}

export class TestSocket extends WaitingSocket {
  readonly texts: WsServerMessage[] = [];
  private output = Buffer.alloc(0);
  readonly closed: Promise<{ code: number; reason: string; at: number }>;
  readonly opened: Promise<void>;

  constructor(readonly ws: WebSocket) {
    super();
    this.opened = new Promise((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('unexpected-response', (_req, res) => reject(Object.assign(new Error(`HTTP ${res.statusCode}`), { status: res.statusCode })));
      ws.once('error', reject);
    });
    this.opened.catch(() => {});
    this.closed = new Promise((resolve) => {
      ws.on('close', (code, reason) => {
        this.closeInfo = { code, reason: reason.toString() };
        resolve({ code, reason: reason.toString(), at: Date.now() });
        this.wake();
      });
    });
    ws.on('error', () => {});
    ws.on('message', (data, isBinary) => {
      if (isBinary) this.output = Buffer.concat([this.output, data as Buffer]);
      else this.texts.push(JSON.parse((data as Buffer).toString()) as WsServerMessage);
      this.wake();
    });
  }

  /** Every binary byte received so far. */
  get outputBytes(): Buffer {
    return this.output;
  }

  get outputText(): string {
    return this.output.toString('utf8');
  }

  waitForOutput(needle: string, timeoutMs?: number): Promise<true> {
    return this.waitFor(() => this.outputText.includes(needle) || undefined, `output ${JSON.stringify(needle)}`, timeoutMs);
  }

  sendJson(msg: unknown): void {
    this.ws.send(JSON.stringify(msg));
  }
}

export interface ConnectOptions {
  /** Sent as the first message; null = send nothing. Default: the server's owner token. */
  token?: string | null;
  /** Send the token as an Authorization header on the upgrade instead. */
  headerToken?: string;
  origin?: string;
  path?: string;
  /** Sent in the auth message as `resumeFrom` (any value, to test garbage too). */
  resumeFrom?: unknown;
}

export function connectWs(ts: Pick<TestServer, 'url' | 'ownerToken'>, sessionId: string, opts: ConnectOptions = {}): TestSocket {
  const headers: Record<string, string> = {};
  if (opts.headerToken) headers.authorization = `Bearer ${opts.headerToken}`;
  const wsUrl = ts.url.replace(/^http/, 'ws') + (opts.path ?? `/api/sessions/${sessionId}/ws`);
  const ws = new WebSocket(wsUrl, { headers, origin: opts.origin, maxPayload: 64 * 1024 * 1024 });
  const sock = new TestSocket(ws);
  const token = opts.headerToken ? null : opts.token === undefined ? ts.ownerToken : opts.token;
  const auth = opts.resumeFrom === undefined ? { type: 'auth', token } : { type: 'auth', token, resumeFrom: opts.resumeFrom };
  if (token !== null) sock.opened.then(() => sock.sendJson(auth), () => {});
  cleanups.push(async () => {
    if (ws.readyState !== WebSocket.CLOSED) ws.terminate();
  });
  return sock;
}

/** Whether a process still exists (and is not a zombie) per /proc. */
export async function processAlive(pid: number): Promise<boolean> {
  const { readFile } = await import('node:fs/promises');
  try {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
    const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
    return state !== 'Z' && state !== 'X';
  } catch {
    return false;
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** Polls `cond` until it holds; fails with `what` after `timeoutMs`. */
export async function until(cond: () => boolean, timeoutMs = 5000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}
