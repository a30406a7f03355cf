// Section 5 pages: `/` (control panel) and `/s/:id` (share viewer) are the same Vite-built
// index.html; hashed files under /assets are cached for a year. When the renderer is not
// built (a bare checkout running `porthole serve`) a small built-in page says so.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import express, { Router, type Response } from 'express';

const FALLBACK_PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Porthole</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:40rem;margin:4rem auto;padding:0 1rem;color:#222}code{background:#eee;padding:0 .25rem}</style>
</head><body><h1>Porthole</h1>
<p>The server is running, but its web pages have not been built.</p>
<p>Run <code>npm run build:renderer</code> in the Porthole folder and reload. The HTTP API is available under <code>/api</code>.</p>
</body></html>
`;

async function sendIndex(rendererDir: string | undefined, res: Response): Promise<void> {
  let html: string | Buffer = FALLBACK_PAGE;
  if (rendererDir) {
    try {
      html = await readFile(join(rendererDir, 'index.html'));
    } catch {
      // not built: the fallback page
    }
  }
  res.status(200).type('text/html; charset=utf-8').set('Cache-Control', 'no-cache').send(html);
}

export function pageRoutes(rendererDir: string | undefined): Router {
  const r = Router();
  r.get('/', (_req, res) => sendIndex(rendererDir, res));
  r.get('/s/:id', (_req, res) => sendIndex(rendererDir, res));
  if (rendererDir) {
    r.use(
      express.static(rendererDir, {
        index: false,
        redirect: false,
        dotfiles: 'ignore',
        setHeaders(res, path) {
          // Vite content-hashes everything under assets/: safe to cache for good.
          if (/[\\/]assets[\\/]/.test(path)) res.setHeader('Cache-Control', 'public, max-age=31536000, immutable');
          else res.setHeader('Cache-Control', 'no-cache');
        },
      }),
    );
  }
  return r;
}
