// Issue 8 point 1 (contract section 9): requests from other sites and DNS-rebinding names are
// refused before anything happens, on every path (express routes, the bare-http fast path,
// pages, uploads, the WebSocket upgrade), with auth on and with --no-auth. The attacks are
// sent as they were found: a no-cors text/plain POST that starts `sh -c 'id > FILE'`, an upload
// from another origin, and `Host: rebind.attacker.example` reading a secret file.
import { request } from 'node:http';
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { makeTempDir, startServer, type TestServer } from '../helpers/server.js';

interface RawAnswer {
  status: number;
  body: string;
  headers: Record<string, string | string[] | undefined>;
}

/** node:http, so Host, Origin and Sec-Fetch-* are sent exactly as a browser or attacker would. */
function raw(ts: TestServer, method: string, path: string, headers: Record<string, string>, body?: string | Buffer): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: ts.port, method, path, headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString(), headers: res.headers }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

function codeOf(a: RawAnswer): string | undefined {
  try {
    return (JSON.parse(a.body) as { error?: { code?: string } }).error?.code;
  } catch {
    return undefined;
  }
}

const EVIL = 'http://evil.example';

for (const auth of [true, false]) {
  describe(`requests from other sites (${auth ? 'auth on' : '--no-auth'})`, () => {
    const bearer = (ts: TestServer): Record<string, string> => (auth ? { authorization: `Bearer ${ts.ownerToken}` } : {});

    it('a no-cors text/plain POST from another origin starts nothing: 403 origin_forbidden', async () => {
      const ts = await startServer({ auth });
      const dir = await makeTempDir();
      const proof = join(dir, 'x');
      const body = JSON.stringify({ command: ['sh', '-c', `id > ${proof}`] });
      const a = await raw(ts, 'POST', '/api/sessions', { ...bearer(ts), origin: EVIL, 'content-type': 'text/plain;charset=UTF-8' }, body);
      expect(a.status).toBe(403);
      expect(codeOf(a)).toBe('origin_forbidden');
      // Even an application/json body (which a page could only send after a preflight) is refused.
      const b = await raw(ts, 'POST', '/api/sessions', { ...bearer(ts), origin: EVIL, 'content-type': 'application/json' }, body);
      expect(b.status).toBe(403);
      await new Promise((r) => setTimeout(r, 300));
      expect(existsSync(proof)).toBe(false);
      expect(ts.server.sessions.list()).toHaveLength(0);
    });

    it('every path refuses a foreign Origin: fast path, express, pages, SSE, preflight', async () => {
      const ts = await startServer({ auth });
      const s = await ts.createSession();
      for (const [method, path] of [
        ['GET', '/health'],
        ['GET', '/api/sessions'],
        ['GET', `/api/sessions/${s.id}`],
        ['GET', `/api/sessions/${s.id}/snapshot`],
        ['GET', '/api/auth/config'],
        ['GET', '/api/events'],
        ['GET', '/'],
        ['GET', `/s/${s.id}`],
        ['OPTIONS', '/api/sessions'],
        ['DELETE', `/api/sessions/${s.id}`],
      ]) {
        const a = await raw(ts, method, path, { ...bearer(ts), origin: EVIL });
        expect(a.status, `${method} ${path}`).toBe(403);
        expect(codeOf(a), `${method} ${path}`).toBe('origin_forbidden');
        expect(a.headers['x-content-type-options']).toBe('nosniff');
      }
      // Origin "null" (sandboxed frames, file: pages) is another site too.
      expect((await raw(ts, 'GET', '/health', { origin: 'null' })).status).toBe(403);
      expect(ts.server.sessions.get(s.id)).toBeDefined();
    });

    it('an upload from another origin writes nothing', async () => {
      const ts = await startServer({ auth });
      const dir = await makeTempDir();
      const q = `/api/fs/upload?dir=${encodeURIComponent(dir)}&name=planted.sh`;
      const a = await raw(ts, 'POST', q, { ...bearer(ts), origin: EVIL, 'content-type': 'multipart/form-data; boundary=x' }, 'echo owned');
      expect(a.status).toBe(403);
      expect(codeOf(a)).toBe('origin_forbidden');
      expect(existsSync(join(dir, 'planted.sh'))).toBe(false);
      // Our own origin still uploads (the panel's Files view).
      const own = await raw(ts, 'POST', q, { ...bearer(ts), origin: ts.url, 'content-type': 'application/octet-stream' }, 'echo mine');
      expect(own.status).toBe(201);
      expect(existsSync(join(dir, 'planted.sh'))).toBe(true);
    });

    it('our own origin and its loopback aliases are allowed', async () => {
      const ts = await startServer({ auth });
      for (const origin of [ts.url, `http://localhost:${ts.port}`, `http://[::1]:${ts.port}`]) {
        const a = await raw(ts, 'POST', '/api/sessions', { ...bearer(ts), origin, 'content-type': 'application/json' }, JSON.stringify({ command: ['true'] }));
        expect(a.status, origin).toBe(201);
      }
      // A *.localhost name is ours as well, with the Origin the page under it would send.
      const named = await raw(ts, 'GET', '/api/sessions', { ...bearer(ts), host: `porthole.localhost:${ts.port}`, origin: `http://porthole.localhost:${ts.port}` });
      expect(named.status).toBe(200);
      // ...but not another port of the same name (a different local server's page).
      const otherPort = await raw(ts, 'GET', '/api/sessions', { ...bearer(ts), host: `porthole.localhost:${ts.port}`, origin: `http://porthole.localhost:${ts.port + 1}` });
      expect(otherPort.status).toBe(403);
    });

    it('a no-cors subresource GET from another site (no Origin, Sec-Fetch-Site) is refused; a navigation is not', async () => {
      const ts = await startServer({ auth });
      const dir = await makeTempDir();
      const file = join(dir, 'notes.js');
      await writeFile(file, 'var secret = "s3cret";');
      const path = `/api/fs/file?path=${encodeURIComponent(file)}`;
      for (const site of ['cross-site', 'same-site']) {
        const img = await raw(ts, 'GET', path, { ...bearer(ts), 'sec-fetch-site': site, 'sec-fetch-mode': 'no-cors', 'sec-fetch-dest': 'script' });
        expect(img.status, site).toBe(403);
        expect(img.body).not.toContain('s3cret');
      }
      const nav = await raw(ts, 'GET', '/', { 'sec-fetch-site': 'cross-site', 'sec-fetch-mode': 'navigate', 'sec-fetch-dest': 'document' });
      expect(nav.status).toBe(200);
      const same = await raw(ts, 'GET', path, { ...bearer(ts), 'sec-fetch-site': 'same-origin', 'sec-fetch-mode': 'cors' });
      expect(same.status).toBe(200);
      expect(same.body).toContain('s3cret');
    });

    it('JSON routes take application/json only: 415 unsupported_media_type', async () => {
      const ts = await startServer({ auth });
      const dir = await makeTempDir();
      const proof = join(dir, 'y');
      const body = JSON.stringify({ command: ['sh', '-c', `id > ${proof}`] });
      for (const type of ['text/plain;charset=UTF-8', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=z', undefined]) {
        const headers: Record<string, string> = { ...bearer(ts) };
        if (type) headers['content-type'] = type;
        const a = await raw(ts, 'POST', '/api/sessions', headers, body);
        expect(a.status, String(type)).toBe(415);
        expect(codeOf(a)).toBe('unsupported_media_type');
      }
      // An empty form POST (Content-Length: 0) would start a default shell: refused as well.
      const empty = await raw(ts, 'POST', '/api/sessions', { ...bearer(ts), 'content-type': 'application/x-www-form-urlencoded' }, '');
      expect(empty.status).toBe(415);
      await new Promise((r) => setTimeout(r, 300));
      expect(existsSync(proof)).toBe(false);
      expect(ts.server.sessions.list()).toHaveLength(0);
      // application/json with a charset, and no body with no type, are fine.
      const ok = await raw(ts, 'POST', '/api/sessions', { ...bearer(ts), 'content-type': 'application/json; charset=utf-8' }, JSON.stringify({ command: ['true'] }));
      expect(ok.status).toBe(201);
    });
  });

  describe(`DNS rebinding: the Host check on loopback (${auth ? 'auth on' : '--no-auth'})`, () => {
    it('Host: rebind.attacker.example cannot read a file, list sessions or open a socket: 421', async () => {
      const ts = await startServer({ auth });
      const secret = join(ts.dataDir, 'secret');
      const bearer: Record<string, string> = auth ? { authorization: `Bearer ${ts.ownerToken}` } : {};
      const s = await ts.createSession();
      for (const path of [`/api/fs/file?path=${encodeURIComponent(secret)}`, '/api/sessions', `/api/sessions/${s.id}`, '/health', '/']) {
        const a = await raw(ts, 'GET', path, { ...bearer, host: `rebind.attacker.example:${ts.port}` });
        expect(a.status, path).toBe(421);
        expect(codeOf(a)).toBe('host_not_allowed');
      }
      const post = await raw(ts, 'POST', '/api/sessions', { ...bearer, host: 'rebind.attacker.example', 'content-type': 'application/json' }, '{}');
      expect(post.status).toBe(421);
      expect(ts.server.sessions.list()).toHaveLength(1);
      const ws = new WebSocket(`ws://127.0.0.1:${ts.port}/api/sessions/${s.id}/ws`, { headers: { host: `rebind.attacker.example:${ts.port}` } });
      const status = await new Promise<number>((resolve) => {
        ws.once('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
        ws.once('open', () => resolve(101));
        ws.once('error', () => {});
      });
      ws.terminate();
      expect(status).toBe(421);
    });

    it('loopback names, --public-url host and --allow-host are accepted', async () => {
      const ts = await startServer({ auth, publicUrl: 'https://term.example.com', allowHosts: ['porthole.lan'] });
      for (const host of ['127.0.0.1', `127.0.0.1:${ts.port}`, `localhost:${ts.port}`, `[::1]:${ts.port}`, 'a.b.localhost', 'term.example.com', 'porthole.lan:4022', 'PORTHOLE.LAN']) {
        expect((await raw(ts, 'GET', '/health', { host })).status, host).toBe(200);
      }
      expect((await raw(ts, 'GET', '/health', { host: 'other.lan' })).status).toBe(421);
      // The page opened through an allowed name is same-origin with it.
      const page = await raw(ts, 'GET', '/health', { host: `porthole.lan:${ts.port}`, origin: `http://porthole.lan:${ts.port}` });
      expect(page.status).toBe(200);
    });
  });
}

describe('the Host check is for loopback listeners only', () => {
  it('a server on every interface accepts any Host but still refuses foreign origins', async () => {
    const ts = await startServer({ host: '0.0.0.0' });
    expect((await raw(ts, 'GET', '/health', { host: 'box.lan' })).status).toBe(200);
    expect((await raw(ts, 'GET', '/health', { host: 'box.lan', origin: 'http://box.lan' })).status).toBe(403);
    // A LAN address literal is this server: its page's Origin matches.
    expect((await raw(ts, 'GET', '/health', { host: `192.168.1.5:${ts.port}`, origin: `http://192.168.1.5:${ts.port}` })).status).toBe(200);
  });
});

describe('WebSocket upgrade: the same gate', () => {
  it('a foreign Origin gets 403 origin_forbidden before the upgrade', async () => {
    const ts = await startServer();
    const s = await ts.createSession();
    const ws = new WebSocket(`ws://127.0.0.1:${ts.port}/api/sessions/${s.id}/ws`, { origin: EVIL });
    const got = await new Promise<{ status: number; body: string }>((resolve) => {
      ws.once('unexpected-response', (_req, res) => {
        let body = '';
        res.on('data', (c: Buffer) => (body += c.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      });
      ws.once('open', () => resolve({ status: 101, body: '' }));
      ws.once('error', () => {});
    });
    ws.terminate();
    expect(got.status).toBe(403);
    expect(got.body).toContain('origin_forbidden');
  });
});
