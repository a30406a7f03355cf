// Renderer assets go out as the .br or .gz twin the build made, when the browser accepts it:
// right Content-Type, Content-Encoding and Vary, identity otherwise, and never a file outside
// assets/ through this path; the same from a folder on disk and from memory (the binary).
import { mkdir, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import { join } from 'node:path';
import { brotliCompressSync, brotliDecompressSync, gunzipSync, gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { memoryAssets } from '../../main/server/http/assets.js';
import { makeTempDir, startServer } from '../helpers/server.js';

const JS = 'console.log("porthole");\n'.repeat(200);

/** fetch() would decode the body itself; a raw request shows what went over the wire. */
function get(url: string, acceptEncoding?: string): Promise<{ status: number; headers: Record<string, unknown>; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { headers: acceptEncoding === undefined ? {} : { 'accept-encoding': acceptEncoding } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** The same renderer, as a folder on disk (Node, the desktop app) and in memory (the binary). */
async function renderer(): Promise<{ dir: string; files: Map<string, Uint8Array> }> {
  const files = new Map<string, Uint8Array>([
    ['index.html', Buffer.from('<!doctype html><title>t</title>')],
    ['favicon.svg', Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>')],
    ['assets/app-1.js', Buffer.from(JS)],
    ['assets/app-1.js.br', brotliCompressSync(JS)],
    ['assets/app-1.js.gz', gzipSync(JS)],
    ['assets/plain-1.css', Buffer.from('body{}')],
    ['secret.txt.gz', gzipSync('not an asset')],
    ['.env', Buffer.from('SECRET=1')],
  ]);
  const dir = await makeTempDir('porthole-renderer-');
  await mkdir(join(dir, 'assets'));
  for (const [path, body] of files) await writeFile(join(dir, path), body);
  return { dir, files };
}

describe.each([
  ['on disk', (r: { dir: string }) => ({ rendererDir: r.dir })],
  ['in memory', (r: { files: Map<string, Uint8Array> }) => ({ assets: memoryAssets(new Map([...r.files].map(([k, v]) => [k, async () => v]))) })],
] as const)('renderer files %s', (_where, source) => {
  it('sends br, then gzip, then identity, as the request allows', async () => {
    const ts = await startServer(source(await renderer()));
    const url = `${ts.url}/assets/app-1.js`;

    const br = await get(url, 'gzip, deflate, br');
    expect(br.status).toBe(200);
    expect(br.headers['content-encoding']).toBe('br');
    expect(br.headers['content-type']).toMatch(/^text\/javascript|^application\/javascript/);
    expect(br.headers.vary).toMatch(/Accept-Encoding/i);
    expect(br.headers['cache-control']).toContain('immutable');
    expect(brotliDecompressSync(br.body).toString()).toBe(JS);

    const gz = await get(url, 'gzip, br;q=0');
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(gz.body).toString()).toBe(JS);

    const plain = await get(url);
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.headers.vary).toMatch(/Accept-Encoding/i);
    expect(plain.headers['cache-control']).toContain('immutable');
    expect(plain.body.toString()).toBe(JS);

    const noTwin = await get(`${ts.url}/assets/plain-1.css`, 'br, gzip');
    expect(noTwin.headers['content-encoding']).toBeUndefined();
    expect(noTwin.headers['content-type']).toMatch(/^text\/css/);
    expect(noTwin.body.toString()).toBe('body{}');

    // Only assets/ has twins: a path that climbs out of it gets no file at all.
    const out = await get(`${ts.url}/assets/..%2fsecret.txt`, 'gzip');
    expect(out.headers['content-encoding']).toBeUndefined();
    expect([400, 403, 404]).toContain(out.status);
    expect(out.body.toString()).not.toContain('not an asset');
  });

  it('pages: index.html on / and /s/:id with the security headers, other files no-cache, no dot-files', async () => {
    const ts = await startServer(source(await renderer()));
    for (const path of ['/', '/s/abc']) {
      const page = await get(`${ts.url}${path}`);
      expect(page.status).toBe(200);
      expect(page.headers['content-type']).toMatch(/^text\/html/);
      expect(page.headers['cache-control']).toBe('no-cache');
      expect(String(page.headers['content-security-policy'])).toContain("frame-ancestors 'none'");
      expect(page.headers['x-content-type-options']).toBe('nosniff');
      expect(page.headers['referrer-policy']).toBe('no-referrer');
      expect(page.body.toString()).toBe('<!doctype html><title>t</title>');
    }
    const icon = await get(`${ts.url}/favicon.svg`);
    expect(icon.status).toBe(200);
    expect(icon.headers['content-type']).toMatch(/^image\/svg\+xml/);
    expect(icon.headers['cache-control']).toBe('no-cache');
    expect((await get(`${ts.url}/.env`)).status).toBe(404);
    expect((await get(`${ts.url}/assets/missing-1.js`, 'br')).status).toBe(404);
  });
});
