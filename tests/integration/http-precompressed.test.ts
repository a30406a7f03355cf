// Renderer assets go out as the .br or .gz twin the build made, when the browser accepts it:
// right Content-Type, Content-Encoding and Vary, identity otherwise, and never a file outside
// assets/ through this path.
import { mkdir, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import { join } from 'node:path';
import { brotliCompressSync, brotliDecompressSync, gunzipSync, gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
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

describe('precompressed assets', () => {
  it('sends br, then gzip, then identity, as the request allows', async () => {
    const dir = await makeTempDir('porthole-renderer-');
    await mkdir(join(dir, 'assets'));
    await writeFile(join(dir, 'index.html'), '<!doctype html><title>t</title>');
    await writeFile(join(dir, 'assets', 'app-1.js'), JS);
    await writeFile(join(dir, 'assets', 'app-1.js.br'), brotliCompressSync(JS));
    await writeFile(join(dir, 'assets', 'app-1.js.gz'), gzipSync(JS));
    await writeFile(join(dir, 'assets', 'plain-1.css'), 'body{}');
    await writeFile(join(dir, 'secret.txt.gz'), gzipSync('not an asset'));
    const ts = await startServer({ rendererDir: dir });
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
    expect(plain.body.toString()).toBe(JS);

    const noTwin = await get(`${ts.url}/assets/plain-1.css`, 'br, gzip');
    expect(noTwin.headers['content-encoding']).toBeUndefined();
    expect(noTwin.body.toString()).toBe('body{}');

    // Only assets/ has twins: a path that climbs out of it is left to express.static.
    const out = await get(`${ts.url}/assets/..%2fsecret.txt`, 'gzip');
    expect(out.headers['content-encoding']).toBeUndefined();
    expect([403, 404]).toContain(out.status);
  });
});
