// `porthole serve` as a child process under a chosen runtime (Node or Bun), on port 0 with its
// own temp data dir and password, stopped after each test. It offers the subset of TestServer
// (tests/helpers/server.ts) that HTTP and browser tests use, so one test body can run against
// the in-process Node server and against the real CLI under Bun.
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { afterEach } from 'vitest';
import type { Session } from '../../common/protocol.js';
import { buildMain, ROOT } from './build-main.js';
import { runtimeExecutable, type TestRuntime } from './runtimes.js';
import { makeTempDir, startServer, type ApiInit, type TestServer } from './server.js';

/** What a test needs of a server, whichever runtime runs it. */
export type ServerTarget = Pick<TestServer, 'url' | 'port' | 'ownerToken' | 'api' | 'json' | 'createSession'> & {
  runtime: TestRuntime;
  ownerLink(): string;
};

const stops: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const stop of stops.splice(0).reverse()) await stop();
});

export async function startServeChild(runtime: TestRuntime, extraArgs: string[] = []): Promise<ServerTarget> {
  buildMain();
  const dataDir = await makeTempDir();
  const child = spawn(runtimeExecutable(runtime), ['bin/porthole.js', 'serve', '--port', '0', '--data-dir', dataDir, ...extraArgs], {
    cwd: ROOT,
    env: { ...process.env, PORTHOLE_PASSWORD: 'child server password', PORTHOLE_LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  stops.push(async () => {
    child.kill('SIGTERM');
    await exited;
  });
  let err = '';
  child.stderr!.on('data', (c: Buffer) => (err += c.toString()));
  const lines: string[] = [];
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${runtime} serve: no owner link in 20 s; stderr: ${err}`)), 20_000);
    createInterface({ input: child.stdout! }).on('line', (l) => {
      lines.push(l);
      if (l.startsWith('Owner link:')) {
        clearTimeout(timer);
        resolve();
      }
    });
    void exited.then(() => reject(new Error(`${runtime} serve exited early; stderr: ${err}`)));
  });
  const text = lines.join('\n');
  const url = /listening on (\S+)/.exec(text)![1];
  const link = /Owner link: (\S+)/.exec(text)![1];
  const ownerToken = /#token=(\S+)/.exec(link)![1];
  return { ...targetFor(url, ownerToken), runtime, ownerLink: () => link };
}

/** The in-process server (Node) or the CLI under Bun. */
export async function startTarget(runtime: TestRuntime, overrides: Parameters<typeof startServer>[0] = {}): Promise<ServerTarget> {
  if (runtime === 'bun') return startServeChild('bun');
  const ts = await startServer(overrides);
  return { ...ts, runtime, ownerLink: () => ts.server.ownerLink() };
}

function targetFor(url: string, ownerToken: string): Omit<ServerTarget, 'runtime' | 'ownerLink'> {
  const api = (p: string, init: ApiInit = {}): Promise<Response> => {
    const headers: Record<string, string> = { ...(init.headers ?? {}) };
    const token = init.token === undefined ? ownerToken : init.token;
    if (token !== null) headers.authorization = `Bearer ${token}`;
    const body = typeof init.body === 'string' || init.body === undefined ? (init.body as string | undefined) : JSON.stringify(init.body);
    if (body !== undefined && !headers['content-type']) headers['content-type'] = 'application/json';
    return fetch(url + p, { method: init.method ?? (body !== undefined ? 'POST' : 'GET'), headers, body });
  };
  const json = async <T>(p: string, init?: ApiInit): Promise<{ status: number; body: T; headers: Headers }> => {
    const res = await api(p, init);
    const t = await res.text();
    return { status: res.status, headers: res.headers, body: (t ? JSON.parse(t) : undefined) as T };
  };
  return {
    url,
    port: Number(new URL(url).port),
    ownerToken,
    api,
    json,
    async createSession(body: Record<string, unknown> = {}): Promise<Session> {
      const r = await json<Session>('/api/sessions', { body: { command: ['cat'], ...body } });
      if (r.status !== 201) throw new Error(`createSession: ${r.status} ${JSON.stringify(r.body)}`);
      return r.body;
    },
  };
}
