// Links that others can open (contract section 9), over real HTTP: share urls follow
// --public-url, else the request's allowed Host, else the listen address, and are never
// 0.0.0.0; a link built on a LAN address opens from that address. And --trust-proxy: the
// login limiter counts per real client behind a trusted proxy, while a spoofed
// X-Forwarded-For sent straight to the server changes nothing.
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../main/server/log.js';
import { parseTrustProxy } from '../../main/server/net/client-address.js';
import { reachableAddresses } from '../../main/server/net/links.js';
import { startServer, type TestServer } from '../helpers/server.js';

interface Raw {
  status: number;
  body: string;
}

/** An HTTP request with exactly these headers (fetch may not set Host). */
function raw(port: number, path: string, opts: { method?: string; headers?: Record<string, string>; body?: unknown; address?: string } = {}): Promise<Raw> {
  return new Promise((resolve, reject) => {
    const body = opts.body === undefined ? undefined : JSON.stringify(opts.body);
    const req = request(
      {
        host: opts.address ?? '127.0.0.1',
        port,
        path,
        method: opts.method ?? (body ? 'POST' : 'GET'),
        headers: { ...(body ? { 'content-type': 'application/json' } : {}), ...opts.headers },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (text += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

async function shareUrl(ts: TestServer, host: string | undefined, address?: string): Promise<string> {
  const s = await ts.createSession({ command: ['cat'], cwd: tmpdir() });
  const headers: Record<string, string> = { authorization: `Bearer ${ts.ownerToken}` };
  if (host !== undefined) headers.host = host;
  const r = await raw(ts.port, `/api/sessions/${s.id}/shares`, { body: { mode: 'view' }, headers, address });
  expect(r.status).toBe(201);
  return (JSON.parse(r.body) as { url: string }).url;
}

const lan = reachableAddresses('ipv4')[0];

describe('links', () => {
  it('are built on --public-url whatever the Host', async () => {
    const ts = await startServer({ publicUrl: 'https://term.example.com' });
    expect(await shareUrl(ts, `127.0.0.1:${ts.port}`)).toMatch(/^https:\/\/term\.example\.com\/s\//);
    expect(ts.server.ownerLink()).toMatch(/^https:\/\/term\.example\.com\/#token=/);
    expect(ts.server.linksLocalOnly()).toBe(false);
  });

  it('on a loopback bind: the allowed Host it came through; a foreign Host never makes a link', async () => {
    const ts = await startServer();
    expect(await shareUrl(ts, `localhost:${ts.port}`)).toMatch(new RegExp(`^http://localhost:${ts.port}/s/`));
    const foreign = await shareUrl(ts, `evil.example:${ts.port}`).catch(() => 'refused');
    // Refused outright (421 from the Host guard) or built on the listen address: never on evil.example.
    expect(foreign).not.toContain('evil.example');
    expect(ts.server.linksLocalOnly()).toBe(true);
  });

  it.skipIf(!lan)('on 0.0.0.0: never 0.0.0.0; a reachable address of this machine, and the link opens from it', async () => {
    const ts = await startServer({ host: '0.0.0.0' });
    expect(ts.server.ownerLink()).not.toContain('0.0.0.0');
    expect(ts.server.ownerLink()).toMatch(new RegExp(`^http://${lan.replace(/\./g, '\\.')}:${ts.port}/#token=`));
    expect(ts.server.linksLocalOnly()).toBe(false);
    // The panel opened on loopback still hands out a link the LAN can open.
    const fromLoopback = await shareUrl(ts, `127.0.0.1:${ts.port}`);
    expect(fromLoopback.startsWith(`http://${lan}:${ts.port}/s/`)).toBe(true);
    // The panel opened on the LAN address: that address.
    const url = new URL(await shareUrl(ts, `${lan}:${ts.port}`, lan));
    expect(url.host).toBe(`${lan}:${ts.port}`);
    // Someone on the network opens it: the viewer page, then the API with the link's token.
    const page = await raw(ts.port, url.pathname, { address: lan, headers: { host: url.host } });
    expect(page.status).toBe(200);
    expect(page.body).toContain('<html');
    const me = await raw(ts.port, '/api/auth/me', { address: lan, headers: { host: url.host, authorization: `Bearer ${url.hash.slice(1)}` } });
    expect(JSON.parse(me.body)).toMatchObject({ role: 'share', mode: 'view' });
  });
});

describe('--trust-proxy', () => {
  const login = (ts: TestServer, xff: string | undefined, password = 'wrong') =>
    raw(ts.port, '/api/auth/login', { body: { password }, headers: xff ? { 'x-forwarded-for': xff } : {} });

  it('behind a trusted proxy, five wrong passwords lock out that client only, and logs name it', async () => {
    const lines: string[] = [];
    const ts = await startServer({
      password: 'right one',
      trustProxy: parseTrustProxy('127.0.0.1'),
      logger: createLogger({ level: 'info', write: (l) => lines.push(l) }),
    });
    for (let i = 0; i < 5; i++) expect((await login(ts, '198.51.100.1')).status).toBe(401);
    expect((await login(ts, '198.51.100.1')).status).toBe(429);
    // Another person behind the same proxy still gets in.
    expect((await login(ts, '198.51.100.2', 'right one')).status).toBe(200);
    expect(lines.some((l) => l.includes('"ip":"198.51.100.1"'))).toBe(true);
  });

  it('by default (trust none) a spoofed X-Forwarded-For changes nothing', async () => {
    const ts = await startServer({ password: 'right one' });
    for (let i = 0; i < 5; i++) expect((await login(ts, `198.51.100.${i}`)).status).toBe(401);
    expect((await login(ts, '198.51.100.99', 'right one')).status).toBe(429);
  });

  it('a spoofed X-Forwarded-For from a peer that is not the trusted proxy changes nothing', async () => {
    const ts = await startServer({ password: 'right one', trustProxy: parseTrustProxy('10.9.9.9') });
    for (let i = 0; i < 5; i++) expect((await login(ts, `198.51.100.${i}`)).status).toBe(401);
    expect((await login(ts, '198.51.100.99', 'right one')).status).toBe(429);
  });
});
