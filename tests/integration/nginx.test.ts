// A real nginx (Debian's nginx-light) in front of `porthole serve --public-url`, with the
// config docs/deploy.md shows (docs/deploy/nginx.conf, ports swapped). Checked through the
// proxy: links on the proxy's origin, WebSocket auth and typing, a foreign Origin refused,
// SSE events arriving at once (no buffering), and --trust-proxy limiting logins per real
// client (clients come from different loopback addresses, so nginx's X-Forwarded-For differs).
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { buildMain, ROOT } from '../helpers/build-main.js';
import { until } from '../helpers/server.js';

const NGINX = ['/usr/sbin/nginx', '/usr/bin/nginx'].find((p) => existsSync(p));
const HOST = 'porthole.test';
const children: ChildProcess[] = [];
let dir = '';
let proxyPort = 0;
let origin = '';
let serveOut: string[] = [];
let serveErr = '';

async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as { port: number }).port;
  await new Promise((r) => s.close(r));
  return port;
}

interface Res {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** A request to nginx as a browser on `from` (a loopback address) would send it. */
function viaProxy(path: string, opts: { method?: string; headers?: Record<string, string>; body?: unknown; from?: string } = {}): Promise<Res> {
  return new Promise((resolve, reject) => {
    const body = opts.body === undefined ? undefined : JSON.stringify(opts.body);
    const req = request(
      {
        host: '127.0.0.1',
        port: proxyPort,
        path,
        method: opts.method ?? (body ? 'POST' : 'GET'),
        localAddress: opts.from,
        headers: { host: `${HOST}:${proxyPort}`, ...(body ? { 'content-type': 'application/json' } : {}), ...opts.headers },
      },
      (res) => {
        let text = '';
        res.on('data', (c: Buffer) => (text += c.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

function ownerToken(): string {
  const line = serveOut.find((l) => l.startsWith('Owner link: '))!;
  return line.split('#token=')[1];
}

beforeAll(async () => {
  if (!NGINX) return;
  buildMain();
  dir = mkdtempSync(join(tmpdir(), 'porthole-nginx-'));
  proxyPort = await freePort();
  origin = `http://${HOST}:${proxyPort}`;
  const env: NodeJS.ProcessEnv = { ...process.env, PORTHOLE_PASSWORD: 'the right one', PORTHOLE_LOG_LEVEL: 'info' };
  for (const k of Object.keys(env)) if (k.startsWith('PORTHOLE_') && k !== 'PORTHOLE_PASSWORD' && k !== 'PORTHOLE_LOG_LEVEL') delete env[k];
  const serve = spawn(
    process.execPath,
    ['bin/porthole.js', 'serve', '--port', '0', '--data-dir', join(dir, 'data'), '--public-url', origin, '--trust-proxy', '127.0.0.1'],
    { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  children.push(serve);
  serve.stderr!.on('data', (c: Buffer) => (serveErr += c.toString()));
  createInterface({ input: serve.stdout! }).on('line', (l) => serveOut.push(l));
  await until(() => serveOut.length >= 2, 15_000, 'serve to start');
  const servePort = Number(/:(\d+)$/.exec(serveOut[0])![1]);

  // The documented config, with this test's ports; nginx's own files in the temp dir.
  const site = readFileSync(join(ROOT, 'docs', 'deploy', 'nginx.conf'), 'utf8')
    .replace('server 127.0.0.1:4022;', `server 127.0.0.1:${servePort};`)
    .replace('listen 80;', `listen 127.0.0.1:${proxyPort};`)
    .replace('server_name porthole.example.com;', `server_name ${HOST};`);
  for (const d of ['body', 'proxy', 'fastcgi', 'uwsgi', 'scgi']) mkdirSync(join(dir, d));
  writeFileSync(
    join(dir, 'nginx.conf'),
    [
      'worker_processes 1;',
      'user root;',
      `pid ${dir}/nginx.pid;`,
      `error_log ${dir}/error.log warn;`,
      'daemon off;',
      'events { worker_connections 256; }',
      'http {',
      `  access_log ${dir}/access.log;`,
      ...['body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map((d) => `  ${d === 'body' ? 'client_body' : d}_temp_path ${dir}/${d};`),
      site,
      '}',
    ].join('\n'),
  );
  const nginx = spawn(NGINX, ['-p', dir, '-c', join(dir, 'nginx.conf')], { stdio: ['ignore', 'ignore', 'pipe'] });
  children.push(nginx);
  let nginxErr = '';
  nginx.stderr!.on('data', (c: Buffer) => (nginxErr += c.toString()));
  await until(() => existsSync(join(dir, 'nginx.pid')) || nginx.exitCode !== null, 10_000, 'nginx to start');
  if (nginx.exitCode !== null) throw new Error(`nginx failed: ${nginxErr}`);
  await until(() => true, 10);
}, 40_000);

afterAll(async () => {
  for (const c of children.reverse()) {
    if (c.exitCode !== null || c.signalCode !== null) continue;
    const gone = new Promise((r) => c.once('exit', r));
    c.kill('SIGTERM');
    await gone;
  }
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe.skipIf(!NGINX)('behind a real nginx', () => {
  it('the docs show the config this test runs', () => {
    const doc = readFileSync(join(ROOT, 'docs', 'deploy.md'), 'utf8');
    expect(doc).toContain(readFileSync(join(ROOT, 'docs', 'deploy', 'nginx.conf'), 'utf8').trim());
  });

  it('links are on the proxy\'s origin', async () => {
    expect(serveOut[1]).toMatch(new RegExp(`^Owner link: ${origin}/#token=`));
    const created = await viaProxy('/api/sessions', { body: { command: ['cat'], cwd: tmpdir() }, headers: { authorization: `Bearer ${ownerToken()}`, origin } });
    expect(created.status).toBe(201);
    const id = (JSON.parse(created.body) as { id: string }).id;
    const share = await viaProxy(`/api/sessions/${id}/shares`, { body: { mode: 'view' }, headers: { authorization: `Bearer ${ownerToken()}`, origin } });
    expect((JSON.parse(share.body) as { url: string }).url.startsWith(`${origin}/s/${id}#`)).toBe(true);
    expect((await viaProxy(`/s/${id}`)).status).toBe(200);
  });

  it('WebSocket auth and typing go through; a foreign Origin is refused', async () => {
    const created = await viaProxy('/api/sessions', { body: { command: ['cat'], cwd: tmpdir() }, headers: { authorization: `Bearer ${ownerToken()}`, origin } });
    const id = (JSON.parse(created.body) as { id: string }).id;
    const ws = new WebSocket(`ws://127.0.0.1:${proxyPort}/api/sessions/${id}/ws`, { headers: { host: `${HOST}:${proxyPort}` }, origin });
    let out = '';
    const texts: string[] = [];
    ws.on('message', (d, bin) => (bin ? (out += (d as Buffer).toString()) : texts.push((d as Buffer).toString())));
    await new Promise((r, j) => {
      ws.once('open', r);
      ws.once('error', j);
    });
    ws.send(JSON.stringify({ type: 'auth', token: ownerToken() }));
    await until(() => texts.some((t) => t.includes('"ready"')), 5000, 'ready through nginx');
    ws.send(Buffer.from('typed through nginx\n'));
    await until(() => out.includes('typed through nginx'), 5000, 'the echo through nginx');
    ws.close();

    const foreign = new WebSocket(`ws://127.0.0.1:${proxyPort}/api/sessions/${id}/ws`, { headers: { host: `${HOST}:${proxyPort}` }, origin: 'https://evil.example' });
    const status = await new Promise<number>((r) => foreign.once('unexpected-response', (_q, res) => r(res.statusCode ?? 0)));
    expect(status).toBe(403);
    const post = await viaProxy('/api/sessions', { from: '127.0.0.4', body: { command: ['cat'] }, headers: { authorization: `Bearer ${ownerToken()}`, origin: 'https://evil.example' } });
    expect(post.status).toBe(403);
    // The refusal is logged with the real client (--trust-proxy), not nginx's address.
    await until(() => /"code":"origin_forbidden"[^\n]*"ip":"127\.0\.0\.4"/.test(serveErr), 3000, 'the refusal logged with the client address');
  });

  it('SSE events arrive at once, not when a proxy buffer fills', async () => {
    const events: string[] = [];
    let sawHeaders = false;
    const req = request({
      host: '127.0.0.1',
      port: proxyPort,
      path: '/api/events',
      headers: { host: `${HOST}:${proxyPort}`, authorization: `Bearer ${ownerToken()}`, accept: 'text/event-stream' },
    });
    req.on('response', (res) => {
      sawHeaders = true;
      res.on('data', (c: Buffer) => events.push(c.toString()));
    });
    req.end();
    await until(() => sawHeaders, 5000, 'the event stream to open');
    const before = Date.now();
    await viaProxy('/api/sessions', { body: { command: ['cat'], cwd: tmpdir(), name: 'sse-probe' }, headers: { authorization: `Bearer ${ownerToken()}`, origin } });
    // One small event: buffered, it would sit in nginx until 4-8 KiB piled up (or forever).
    await until(() => events.join('').includes('sse-probe'), 3000, 'session.created through nginx');
    expect(Date.now() - before).toBeLessThan(3000);
    req.destroy();
  });

  it('--trust-proxy 127.0.0.1: five wrong passwords lock out that client, not the others', async () => {
    const login = (from: string, password: string, headers: Record<string, string> = {}) =>
      viaProxy('/api/auth/login', { body: { password }, from, headers: { origin, ...headers } });
    for (let i = 0; i < 5; i++) expect((await login('127.0.0.2', 'wrong')).status).toBe(401);
    expect((await login('127.0.0.2', 'the right one')).status).toBe(429);
    // Another person behind the same proxy still gets in, even one who claims to be the first.
    expect((await login('127.0.0.3', 'the right one', { 'x-forwarded-for': '127.0.0.9' })).status).toBe(200);
    // The log names the real client, not nginx.
    await until(() => serveErr.includes('"ip":"127.0.0.2"'), 3000, 'the log naming the real client');
    const wrong = serveErr.split('\n').filter((l) => l.includes('"code":"invalid_credentials"'));
    expect(wrong).toHaveLength(5);
    for (const l of wrong) expect(l).toContain('"ip":"127.0.0.2"');
  });
});
