// A path the server cannot percent-decode (`%zz`) is the client's mistake: 400 with the error
// shape on every route (express routes, the bare-http fast path, pages, HEAD, the WebSocket
// upgrade), logged once at info and never as an error with a stack. Upload names up to 255
// bytes work (the temp name beside them is short) and longer ones are a 400.
import { tmpdir } from 'node:os';
import { readdir } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createLogger } from '../../main/server/log.js';
import { makeTempDir, startServer } from '../helpers/server.js';

const ROUTES: Array<[string, string]> = [
  ['GET', '/s/%zz'],
  ['HEAD', '/s/%zz'],
  ['GET', '/api/sessions/%zz'],
  ['HEAD', '/api/sessions/%zz'],
  ['PATCH', '/api/sessions/%zz'],
  ['DELETE', '/api/sessions/%zz'],
  ['GET', '/api/sessions/%zz/snapshot'],
  ['GET', '/api/sessions/%zz/recording'],
  ['POST', '/api/sessions/%zz/resize'],
  ['POST', '/api/sessions/%zz/input'],
  ['HEAD', '/api/sessions/%zz/input'],
  ['POST', '/api/sessions/%zz/shares'],
  ['GET', '/api/sessions/%zz/shares'],
  ['DELETE', '/api/shares/%zz'],
  ['DELETE', '/api/shares/%E0%A4%A'],
];

function logCapture(): { lines: Array<Record<string, unknown>>; logger: ReturnType<typeof createLogger> } {
  const lines: Array<Record<string, unknown>> = [];
  return { lines, logger: createLogger({ level: 'debug', write: (l) => lines.push(JSON.parse(l) as Record<string, unknown>) }) };
}

describe('malformed percent-encoding', () => {
  it('answers 400 with the error shape on every route, with or without a token, logged once at info', async () => {
    const { lines, logger } = logCapture();
    const ts = await startServer({ logger, rendererDir: undefined });
    for (const [method, path] of ROUTES) {
      for (const token of [undefined, null] as const) {
        const before = lines.length;
        const res = await ts.api(path, { method, token, body: method === 'POST' || method === 'PATCH' ? {} : undefined });
        const text = await res.text();
        const what = `${method} ${path} token=${token === null ? 'none' : 'owner'}`;
        // Without a token, the auth check may come first: 401 is as right as 400 then.
        if (token === null) expect([400, 401], what).toContain(res.status);
        else expect(res.status, what).toBe(400);
        if (method !== 'HEAD') {
          const body = JSON.parse(text) as { error: { code: string; message: string } };
          expect(typeof body.error.code, what).toBe('string');
          expect(typeof body.error.message, what).toBe('string');
          if (res.status === 400) expect(body.error.code, what).toBe('validation_failed');
        }
        const logged = lines.slice(before).filter((l) => l.msg !== 'listening');
        expect(logged.length, what).toBeLessThanOrEqual(1);
        for (const l of logged) {
          expect(l.level, what).not.toBe('error');
          expect(l.stack, what).toBeUndefined();
        }
      }
    }
    // The upgrade too: a 400 before any socket exists.
    const ws = new WebSocket(ts.url.replace(/^http/, 'ws') + '/api/sessions/%zz/ws');
    const status = await new Promise<number>((resolve) => {
      ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
      ws.on('error', () => {});
    });
    expect(status).toBe(400);
    expect(lines.filter((l) => l.level === 'error')).toEqual([]);
    expect((await ts.json<{ status: string }>('/health')).body.status).toBe('ok');
  });

  it('accepts upload names up to 255 bytes and refuses longer ones with 400, leaving no temp file', async () => {
    const ts = await startServer();
    const dir = await makeTempDir();
    for (const len of [230, 255]) {
      const name = 'n'.repeat(len);
      const res = await ts.api(`/api/fs/upload?dir=${encodeURIComponent(dir)}&name=${name}`, { method: 'POST', body: 'hello', headers: { 'content-type': 'application/octet-stream' } });
      expect(res.status, `name of ${len}`).toBe(201);
    }
    // 128 two-byte characters: 128 chars, 256 bytes.
    const wide = 'é'.repeat(128);
    const res = await ts.json<{ error: { code: string } }>(`/api/fs/upload?dir=${encodeURIComponent(dir)}&name=${encodeURIComponent(wide)}`, {
      method: 'POST',
      body: 'hello',
      headers: { 'content-type': 'application/octet-stream' },
    });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('validation_failed');
    // A directory path so long that the name cannot fit: 400, not 500.
    const deep = `${tmpdir()}/${'d'.repeat(300)}`;
    const r2 = await ts.json<{ error: { code: string } }>(`/api/fs/upload?dir=${encodeURIComponent(deep)}&name=x`, { method: 'POST', body: 'x', headers: { 'content-type': 'application/octet-stream' } });
    expect(r2.status).toBeLessThan(500);
    expect(typeof r2.body.error.code).toBe('string');
    expect((await readdir(dir)).filter((n) => n.includes('porthole-upload'))).toEqual([]);
  });
});
