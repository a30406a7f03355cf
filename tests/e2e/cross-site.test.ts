// Issue 8 point 1 in a real browser: a page served from another local origin (a second tiny
// http server on another port of 127.0.0.1: "same site", another origin) attacks the server
// the way the security test did: fetch with mode no-cors, a form POST, an upload, an image
// GET and a script GET of a file. Nothing changes on the server (no session, no file), the
// attacking page reads nothing, and the server's log shows that each request arrived and was
// refused (so the test cannot pass just because the browser never sent them).
import { createServer, type Server as HttpServer } from 'node:http';
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../main/server/log.js';
import { makeTempDir, until } from '../helpers/server.js';
import { chromiumAvailable, e2eBrowserSuite, e2eServer, newPage } from './harness.js';

interface Rejection {
  method: string;
  path: string;
  code: string;
}

/** The attacker's page: every request it makes would run a command or plant a file. */
function attackPage(target: string, dir: string, secretJs: string): string {
  const cmd = (file: string) => JSON.stringify({ command: ['sh', '-c', `id > ${join(dir, file)}`] });
  const upload = `${target}/api/fs/upload?dir=${encodeURIComponent(dir)}&name=planted.txt`;
  // A text/plain form posts `name=value`: split the JSON so that it still parses as JSON.
  const formJson = cmd('form-proof');
  const cut = formJson.lastIndexOf('}');
  const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;');
  return `<!doctype html><html><body>
<iframe name="sink"></iframe>
<form id="f" method="POST" action="${target}/api/sessions" enctype="text/plain" target="sink">
  <input name="${esc(formJson.slice(0, cut) + ',"x":"')}" value="${esc('"' + formJson.slice(cut))}">
</form>
<form id="u" method="POST" action="${esc(upload)}" enctype="multipart/form-data" target="sink">
  <input name="file" value="planted by another site">
</form>
<img id="img" src="${target}/api/fs/file?path=${encodeURIComponent(secretJs)}&amp;img=1">
<script>
  window.done = 0;
  const bump = () => { window.done++; };
  fetch(${JSON.stringify(target + '/api/sessions')}, { method: 'POST', mode: 'no-cors', body: ${JSON.stringify(cmd('fetch-proof'))} }).then(bump, bump);
  fetch(${JSON.stringify(upload)}, { method: 'POST', mode: 'no-cors', body: 'planted by fetch' }).then(bump, bump);
  document.getElementById('f').submit();
  setTimeout(() => document.getElementById('u').submit(), 200);
  const s = document.createElement('script');
  s.src = ${JSON.stringify(`${target}/api/fs/file?path=${encodeURIComponent(secretJs)}`)};
  s.onload = bump; s.onerror = bump;
  document.body.appendChild(s);
</script></body></html>`;
}

async function serveAttacker(html: () => string): Promise<{ url: string; close(): Promise<void> }> {
  const http: HttpServer = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(html());
  });
  await new Promise<void>((r) => http.listen(0, '127.0.0.1', () => r()));
  const port = (http.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/`,
    close: () => new Promise<void>((r) => { http.closeAllConnections(); http.close(() => r()); }),
  };
}

describe.skipIf(!chromiumAvailable())('a page on another local origin (e2e)', () => {
  const e2e = e2eBrowserSuite('shared');

  for (const auth of [false, true]) {
    it(`changes nothing on the server: no-cors fetch, form POST, upload, image and script GET (${auth ? 'auth on' : '--no-auth'})`, async () => {
      const rejections: Rejection[] = [];
      const logger = createLogger({
        write: (line) => {
          const e = JSON.parse(line) as { msg: string; method?: string; path?: string; code?: string };
          if (e.msg === 'request rejected') rejections.push({ method: e.method ?? '', path: e.path ?? '', code: e.code ?? '' });
        },
      });
      const ts = await e2eServer({ auth, logger });
      const dir = await makeTempDir();
      const secretJs = join(dir, 'secret.js');
      await writeFile(secretJs, 'window.leaked = "s3cret";');
      const attacker = await serveAttacker(() => attackPage(ts.url, dir, secretJs));
      e2e.closers.push(attacker.close);

      const { context, page } = await newPage(e2e.browser);
      e2e.closers.push(() => context.close());
      await page.goto(attacker.url);
      await page.waitForFunction(() => (window as unknown as { done: number }).done >= 3, undefined, { timeout: 10_000 });

      const refused = (method: string, path: string) => rejections.some((r) => r.method === method && r.path === path && r.code === 'origin_forbidden');
      // fetch + form to /api/sessions, fetch + form upload, the image and the script.
      await until(() => rejections.filter((r) => r.path === '/api/sessions').length >= 2, 10_000, 'both session POSTs refused');
      await until(() => rejections.filter((r) => r.path === '/api/fs/upload').length >= 2, 10_000, 'both uploads refused');
      await until(() => rejections.filter((r) => r.path === '/api/fs/file').length >= 2, 10_000, 'image and script GETs refused');
      expect(refused('POST', '/api/sessions')).toBe(true);
      expect(refused('POST', '/api/fs/upload')).toBe(true);
      expect(refused('GET', '/api/fs/file')).toBe(true);

      await new Promise((r) => setTimeout(r, 300));
      expect(ts.server.sessions.list()).toEqual([]);
      for (const f of ['fetch-proof', 'form-proof', 'planted.txt']) expect(existsSync(join(dir, f)), f).toBe(false);
      expect(await page.evaluate(() => (window as unknown as { leaked?: string }).leaked)).toBeUndefined();
    });
  }
});
