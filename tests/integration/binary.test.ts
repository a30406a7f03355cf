// dist/bin/porthole (the single binary, contract section 7) built from the current sources,
// copied alone into an empty folder and run with neither node nor bun on PATH: `--version`,
// `passwd`, `serve` with its pages served from memory (same headers and br/gz twins as from
// disk), `ls`, `share`, `run` and `attach` under a real terminal, the WebSocket protocol, the
// event stream and recordings, with section 1's flags, data dir and exit codes.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import * as pty from '@lydell/node-pty';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { VERSION } from '../../common/version.js';
import { buildLoneBinary, type LoneBinary } from '../helpers/binary.js';
import { ROOT } from '../helpers/build-main.js';
import { sleep } from '../helpers/server.js';

const PASSWORD = 'binary horse battery staple';
let bin: LoneBinary;
let dataDir = '';
let serve: ChildProcess | undefined;
let url = '';
let ownerToken = '';
let serveStderr = '';
const serveExit: { code: number | null } = { code: null };
let serveExited: Promise<void> = Promise.resolve();

/** The environment of a user's shell on a box without node or bun. */
function env(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return { PATH: bin.path, HOME: process.env.HOME ?? '/tmp', TMPDIR: tmpdir(), TERM: 'xterm-256color', PORTHOLE_LOG_LEVEL: 'warn', ...extra };
}

function run(args: string[], input?: string) {
  return spawnSync(bin.exe, args, { cwd: bin.dir, env: env(), input, encoding: 'utf8', timeout: 20_000 });
}

async function closedPort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', () => r()));
  const port = (srv.address() as { port: number }).port;
  await new Promise<void>((r) => srv.close(() => r()));
  return port;
}

/** A command of the binary in a fresh pseudo-terminal (raw mode and the detach key are real). */
function inPty(args: string[]) {
  const term = pty.spawn(bin.exe, args, { name: 'xterm-256color', cols: 90, rows: 20, cwd: bin.dir, env: env() });
  let out = '';
  term.onData((d) => (out += d));
  const exited = new Promise<number>((r) => term.onExit(({ exitCode }) => r(exitCode)));
  return {
    term,
    exited,
    output: () => out,
    async waitFor(needle: string | RegExp, timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      while (!(typeof needle === 'string' ? out.includes(needle) : needle.test(out))) {
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${String(needle)} in ${JSON.stringify(out)}`);
        await sleep(25);
      }
    },
  };
}

interface WsClient {
  ws: WebSocket;
  texts: Array<{ type: string; [k: string]: unknown }>;
  output: string;
  closed: Promise<{ code: number }>;
  until(cond: (c: WsClient) => boolean, timeoutMs?: number): Promise<void>;
}

/** A plain `ws` client that authenticates with its first message, as section 2 says. */
function wsClient(address: string, token: string): WsClient {
  const ws = new WebSocket(address);
  const c: WsClient = {
    ws,
    texts: [],
    output: '',
    closed: new Promise((r) => ws.on('close', (code) => r({ code }))),
    async until(cond, timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      while (!cond(c)) {
        if (Date.now() > deadline) throw new Error(`timed out; texts ${JSON.stringify(c.texts)} output ${JSON.stringify(c.output)}`);
        await sleep(20);
      }
    },
  };
  ws.on('open', () => ws.send(JSON.stringify({ type: 'auth', token })));
  ws.on('message', (data, isBinary) => {
    if (isBinary) c.output += (data as Buffer).toString('utf8');
    else c.texts.push(JSON.parse((data as Buffer).toString('utf8')) as WsClient['texts'][number]);
  });
  ws.on('error', () => {});
  return c;
}

beforeAll(() => {
  bin = buildLoneBinary();
  dataDir = join(bin.dir, 'data');
}, 180_000);

afterAll(async () => {
  if (serve && serve.exitCode === null) {
    serve.kill('SIGKILL');
    await serveExited;
  }
  bin?.dispose();
});

describe('dist/bin/porthole copied alone (no node, no bun, no node_modules)', () => {
  it('is one file: the folder holds nothing else it could load', () => {
    expect(existsSync(join(bin.dir, 'node_modules'))).toBe(false);
    expect(spawnSync('sh', ['-c', 'command -v node || command -v bun'], { env: env() }).status).not.toBe(0);
  });

  it('--version prints the built version, exit 0; a bad flag is exit 2 with one line', () => {
    const v = run(['--version']);
    expect(v.status).toBe(0);
    expect(v.stdout).toMatch(new RegExp(`^porthole ${VERSION.replace(/\./g, '\\.')}\\b`));
    const bad = run(['serve', '--bogus']);
    expect(bad.status).toBe(2);
    expect(bad.stderr.trim().split('\n')).toHaveLength(1);
    expect(bad.stderr).not.toMatch(/\bat .+:\d+:\d+/); // no stack trace
  });

  it('passwd --stdin stores a bcrypt hash in the data dir, never the password', () => {
    const r = run(['passwd', '--stdin', '--data-dir', dataDir], `${PASSWORD}\n`);
    expect(r.status, r.stderr).toBe(0);
    const config = readFileSync(join(dataDir, 'config.json'), 'utf8');
    expect(config).toMatch(/"passwordHash":\s*"\$2[aby]\$/);
    expect(config).not.toContain(PASSWORD);
  });

  it('no server: a client command exits 2 with one line saying how to start one', async () => {
    const r = run(['ls', '--url', `http://127.0.0.1:${await closedPort()}`, '--data-dir', dataDir]);
    expect(r.status).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain('porthole serve');
  });

  it('serve prints the listening line and an owner link; --no-auth on 0.0.0.0 and a port in use are exit 2', async () => {
    const refused = run(['serve', '--no-auth', '--host', '0.0.0.0', '--port', '0', '--data-dir', dataDir]);
    expect(refused.status).toBe(2);
    expect(refused.stderr.trim().split('\n')).toHaveLength(1);

    serve = spawn(bin.exe, ['serve', '--port', '0', '--data-dir', dataDir], { cwd: bin.dir, env: env(), stdio: ['ignore', 'pipe', 'pipe'] });
    serve.stderr!.on('data', (c: Buffer) => (serveStderr += c.toString()));
    serveExited = new Promise((r) => serve!.once('exit', (code) => ((serveExit.code = code), r())));
    const lines: string[] = [];
    createInterface({ input: serve.stdout! }).on('line', (l) => lines.push(l));
    for (let i = 0; i < 300 && lines.length < 2 && serve.exitCode === null; i++) await sleep(50);
    expect(lines.length, serveStderr).toBeGreaterThanOrEqual(2);
    url = /^Porthole listening on (http:\/\/127\.0\.0\.1:\d+)$/.exec(lines[0]!)?.[1] ?? '';
    ownerToken = /^Owner link: http:\/\/127\.0\.0\.1:\d+\/#token=(.+)$/.exec(lines[1]!)?.[1] ?? '';
    expect(url).not.toBe('');
    expect(ownerToken).not.toBe('');
    expect(existsSync(join(dataDir, 'secret'))).toBe(true);

    const port = new URL(url).port;
    const inUse = run(['serve', '--port', port, '--data-dir', mkdtempSync(join(tmpdir(), 'porthole-bin-other-'))]);
    expect(inUse.status).toBe(2);
    expect(inUse.stderr).toMatch(/in use/);
  });

  it('/health says the built version and Bun; the password from passwd logs in', async () => {
    const health = (await (await fetch(`${url}/health`)).json()) as { status: string; version: string; runtime: { name: string } };
    expect(health).toMatchObject({ status: 'ok', version: VERSION, runtime: { name: 'bun' } });
    const login = await fetch(`${url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ password: PASSWORD }) });
    expect(login.status).toBe(200);
    const wrong = await fetch(`${url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ password: 'nope' }) });
    expect(wrong.status).toBe(401);
    // bcrypt ran on its own thread (the binary carries password-worker.js as an entry point):
    // without it the pool falls back to the server's thread and warns.
    expect(serveStderr).not.toMatch(/password thread failed/);
  });

  it('serves the embedded pages with the same headers, CSP and precompressed twins as from disk', async () => {
    const renderer = join(ROOT, 'dist/renderer');
    for (const path of ['/', '/s/someid']) {
      const page = await fetch(`${url}${path}`);
      expect(page.status).toBe(200);
      expect(page.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
      expect(page.headers.get('content-security-policy')).not.toContain("'unsafe-inline' 'unsafe-eval'");
      expect(page.headers.get('x-content-type-options')).toBe('nosniff');
      expect(page.headers.get('referrer-policy')).toBe('no-referrer');
      expect(page.headers.get('cache-control')).toBe('no-cache');
      expect(await page.text()).toBe(readFileSync(join(renderer, 'index.html'), 'utf8'));
    }
    const html = readFileSync(join(renderer, 'index.html'), 'utf8');
    const script = /src="\/(assets\/[^"]+\.js)"/.exec(html)![1]!;
    // Raw bytes: undici's fetch would decode them; compare against the build's own twin.
    const raw = await new Promise<{ headers: Record<string, unknown>; body: Buffer }>((resolve, reject) => {
      const req = request(`${url}/${script}`, { headers: { 'accept-encoding': 'br' } }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ headers: res.headers, body: Buffer.concat(chunks) }));
      });
      req.on('error', reject);
      req.end();
    });
    expect(raw.headers['content-encoding']).toBe('br');
    expect(raw.headers['cache-control']).toContain('immutable');
    expect(raw.body.equals(readFileSync(join(renderer, `${script}.br`)))).toBe(true);
    expect((await fetch(`${url}/${script}.map`)).status).toBe(404); // maps stay out of the binary
  });

  it('ls finds the running server through server.json in the data dir; share of a missing session is exit 2', () => {
    const ls = run(['ls', '--json', '--data-dir', dataDir]);
    expect(ls.status, ls.stderr).toBe(0);
    expect(Array.isArray(JSON.parse(ls.stdout))).toBe(true);
    const share = run(['share', 'no-such-session', '--data-dir', dataDir]);
    expect(share.status).toBe(2);
    expect(share.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('run starts CMD as a session in this terminal and exits with its code; share prints a link', async () => {
    const r = inPty(['run', '--name', 'bin-run', '--data-dir', dataDir, '--', '/bin/sh', '-c', 'echo from-the-binary-$((6*7)); exit 7']);
    await r.waitFor('from-the-binary-42');
    expect(await r.exited).toBe(7);
    const ls = JSON.parse(run(['ls', '--json', '--data-dir', dataDir]).stdout) as Array<{ id: string; name: string; exitCode: number }>;
    const session = ls.find((s) => s.name === 'bin-run');
    expect(session?.exitCode).toBe(7);
    const share = run(['share', session!.id, '--mode', 'view', '--expires', '30m', '--data-dir', dataDir]);
    expect(share.status, share.stderr).toBe(0);
    expect(share.stdout.trim()).toMatch(new RegExp(`^${url}/s/${session!.id}#.+`));
  });

  it('attach joins a running session; Ctrl-] d detaches and leaves it running', async () => {
    const created = await fetch(`${url}/api/sessions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ownerToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ command: ['/bin/sh', '-c', 'echo ready; exec cat'], name: 'bin-attach' }),
    });
    expect(created.status).toBe(201);
    const { id } = (await created.json()) as { id: string };
    const a = inPty(['attach', id, '--data-dir', dataDir]);
    await a.waitFor('ready');
    a.term.write('typed-through-attach\r');
    await a.waitFor('typed-through-attach');
    a.term.write('\x1dd');
    expect(await a.exited).toBe(0);
    const s = (await (await fetch(`${url}/api/sessions/${id}`, { headers: { authorization: `Bearer ${ownerToken}` } })).json()) as { status: string };
    expect(s.status).toBe('running');
  });

  it('WebSocket (section 4): auth, ready, redraw and live output, input, ping; a view link is read-only; events; recording', async () => {
    const auth = { authorization: `Bearer ${ownerToken}`, 'content-type': 'application/json' };
    const events = await fetch(`${url}/api/events`, { headers: { authorization: `Bearer ${ownerToken}` } });
    expect(events.status).toBe(200);
    const reader = events.body!.getReader();
    let eventText = '';
    const readEvents = (async () => {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return;
        eventText += Buffer.from(value).toString('utf8');
      }
    })().catch(() => {});

    const created = await fetch(`${url}/api/sessions`, { method: 'POST', headers: auth, body: JSON.stringify({ command: ['/bin/sh', '-c', 'echo ws-start; exec cat'], name: 'bin-ws' }) });
    expect(created.status).toBe(201);
    const { id } = (await created.json()) as { id: string };
    const wsUrl = url.replace(/^http/, 'ws') + `/api/sessions/${id}/ws`;

    const owner = wsClient(wsUrl, ownerToken);
    await owner.until((c) => c.texts.some((m) => m.type === 'ready' && m.mode === 'owner'));
    await owner.until((c) => c.output.includes('ws-start'));
    owner.ws.send(Buffer.from('typed-over-ws\n'));
    await owner.until((c) => c.output.includes('typed-over-ws'));
    owner.ws.send(JSON.stringify({ type: 'ping' }));
    await owner.until((c) => c.texts.some((m) => m.type === 'pong'));

    const share = await fetch(`${url}/api/sessions/${id}/shares`, { method: 'POST', headers: auth, body: JSON.stringify({ mode: 'view' }) });
    expect(share.status).toBe(201);
    const { token: viewToken, url: shareUrl } = (await share.json()) as { token: string; url: string };
    expect(shareUrl).toMatch(new RegExp(`^${url}/s/${id}#`));
    const viewer = wsClient(wsUrl, viewToken);
    await viewer.until((c) => c.texts.some((m) => m.type === 'ready' && m.mode === 'view'));
    await viewer.until((c) => c.output.includes('typed-over-ws')); // the redraw
    viewer.ws.send(Buffer.from('sneaky\n'));
    await viewer.until((c) => c.texts.some((m) => m.type === 'error' && m.code === 'read_only'));

    const cast = await (await fetch(`${url}/api/sessions/${id}/recording`, { headers: auth })).text();
    expect(JSON.parse(cast.split('\n')[0]!)).toMatchObject({ version: 2 });
    expect(cast).toContain('ws-start');

    expect((await fetch(`${url}/api/sessions/${id}`, { method: 'DELETE', headers: { authorization: `Bearer ${ownerToken}` } })).status).toBe(204);
    expect((await owner.closed).code).toBe(1000);
    for (let i = 0; i < 100 && !eventText.includes('session.removed'); i++) await sleep(50);
    expect(eventText).toContain('session.created');
    expect(eventText).toContain('session.removed');
    await reader.cancel();
    await readEvents;
  });

  it('every worker thread of the binary started (no fallback warnings)', () => {
    expect(serveStderr).not.toMatch(/worker failed|thread failed|Cannot find module/);
  });

  it('SIGTERM: exit 0, server.json removed', async () => {
    serve!.kill('SIGTERM');
    await serveExited;
    expect(serveExit.code, serveStderr).toBe(0);
    expect(existsSync(join(dataDir, 'server.json'))).toBe(false);
  });
});

describe('the systemd user unit (docs/install.md)', () => {
  const unitFile = join(ROOT, 'resources/systemd/porthole.service');
  const hasAnalyze = spawnSync('sh', ['-c', 'command -v systemd-analyze']).status === 0;

  it('docs/install.md shows resources/systemd/porthole.service as it is (comments aside)', () => {
    const doc = readFileSync(join(ROOT, 'docs/install.md'), 'utf8');
    const block = /```ini\n([\s\S]*?)```/.exec(doc)?.[1] ?? '';
    const settings = (text: string) => text.split('\n').filter((l) => l.trim() !== '' && !l.startsWith('#'));
    expect(settings(block)).toEqual(settings(readFileSync(unitFile, 'utf8')));
  });

  it.skipIf(!hasAnalyze)('systemd-analyze --user verify passes with ExecStart on the binary', () => {
    const runtimeDir = mkdtempSync(join(tmpdir(), 'porthole-unit-'));
    try {
      const unit = join(runtimeDir, 'porthole.service');
      writeFileSync(unit, readFileSync(unitFile, 'utf8').replace('%h/.local/bin/porthole', bin.exe));
      const r = spawnSync('systemd-analyze', ['--user', 'verify', unit], { env: { ...process.env, XDG_RUNTIME_DIR: runtimeDir }, encoding: 'utf8' });
      expect(r.status, r.stderr).toBe(0);
      expect(r.stderr.trim()).toBe(''); // systemd only warns (exit 0) about a setting it cannot parse
    } finally {
      rmSync(runtimeDir, { recursive: true, force: true });
    }
  });
});
