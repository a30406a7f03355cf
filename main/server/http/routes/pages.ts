// Section 5 pages: `/` (control panel) and `/s/:id` (share viewer) are the same Vite-built
// index.html; hashed files under /assets are cached for a year, and sent as the .br or .gz twin
// the build made for them when the browser accepts it. When the renderer is not built (a bare
// checkout running `porthole serve`) a small built-in page says so.
import { stat, readFile } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';
import express, { Router, type Request, type RequestHandler, type Response } from 'express';

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

const ENCODINGS = [
  { token: 'br', suffix: '.br' },
  { token: 'gzip', suffix: '.gz' },
] as const;

/** The encodings the request accepts (a `;q=0` refuses one). */
function accepted(req: Request): Set<string> {
  const out = new Set<string>();
  for (const part of String(req.headers['accept-encoding'] ?? '').split(',')) {
    const [token, ...params] = part.trim().toLowerCase().split(';');
    if (!params.some((p) => /^\s*q=0(\.0*)?\s*$/.test(p))) out.add(token.trim());
  }
  return out;
}

/** /assets/* from its precompressed twin when there is one the browser takes; else next(). */
function precompressed(rendererDir: string): RequestHandler {
  const root = normalize(join(rendererDir, 'assets')) + sep;
  return (req, res, next) => {
    let file: string;
    try {
      file = normalize(join(rendererDir, decodeURIComponent(req.path)));
    } catch {
      return next(); // malformed escapes: express.static answers those
    }
    if (!file.startsWith(root)) return next();
    const ok = accepted(req);
    const pick = async (): Promise<void> => {
      for (const enc of ENCODINGS) {
        if (!ok.has(enc.token)) continue;
        const twin = file + enc.suffix;
        if (!(await stat(twin).then((st) => st.isFile(), () => false))) continue;
        res.setHeader('Content-Encoding', enc.token);
        res.setHeader('Vary', 'Accept-Encoding');
        res.type(extname(file));
        res.sendFile(twin, { headers: { 'Cache-Control': 'public, max-age=31536000, immutable' } }, (err) => err && next(err));
        return;
      }
      // Shared caches must not hand the identity body to a browser that takes br, or back.
      res.setHeader('Vary', 'Accept-Encoding');
      next();
    };
    pick().catch(next);
  };
}

export function pageRoutes(rendererDir: string | undefined): Router {
  const r = Router();
  r.get('/', (_req, res) => sendIndex(rendererDir, res));
  r.get('/s/:id', (_req, res) => sendIndex(rendererDir, res));
  if (rendererDir) {
    const assets = precompressed(rendererDir);
    r.use((req, res, next) => ((req.method === 'GET' || req.method === 'HEAD') && req.path.startsWith('/assets/') ? assets(req, res, next) : next()));
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
