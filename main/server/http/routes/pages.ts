// Section 5 pages: `/` (control panel) and `/s/:id` (share viewer) are the same Vite-built
// index.html; hashed files under /assets are cached for a year, and sent as the .br or .gz twin
// the build made for them when the browser accepts it. The files come from an AssetSource (a
// folder on disk, or memory in the single binary), so every runtime sends the same headers.
// When the renderer is not built (a bare checkout running `porthole serve`) a small built-in
// page says so.
import { extname } from 'node:path';
import { Router, type Request, type Response } from 'express';
import { assetPath, type AssetSource } from '../assets.js';

const FALLBACK_PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Porthole</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:40rem;margin:4rem auto;padding:0 1rem;color:#222}code{background:#eee;padding:0 .25rem}</style>
</head><body><h1>Porthole</h1>
<p>The server is running, but its web pages have not been built.</p>
<p>Run <code>npm run build:renderer</code> in the Porthole folder and reload. The HTTP API is available under <code>/api</code>.</p>
</body></html>
`;

async function sendIndex(assets: AssetSource | undefined, res: Response): Promise<void> {
  const html = (await assets?.read('index.html')) ?? FALLBACK_PAGE;
  res.status(200).type('text/html; charset=utf-8').set('Cache-Control', 'no-cache').send(typeof html === 'string' ? html : bytes(html));
}

/** A Buffer view of the bytes (express sends a Buffer as is; a bare Uint8Array it would JSON). */
function bytes(b: Uint8Array): Buffer {
  return Buffer.isBuffer(b) ? b : Buffer.from(b.buffer, b.byteOffset, b.byteLength);
}

const ENCODINGS = [
  { token: 'br', suffix: '.br' },
  { token: 'gzip', suffix: '.gz' },
] as const;

/** Vite content-hashes everything under assets/: safe to cache for good. */
const IMMUTABLE = 'public, max-age=31536000, immutable';

/** The encodings the request accepts (a `;q=0` refuses one). */
function accepted(req: Request): Set<string> {
  const out = new Set<string>();
  for (const part of String(req.headers['accept-encoding'] ?? '').split(',')) {
    const [token, ...params] = part.trim().toLowerCase().split(';');
    if (!params.some((p) => /^\s*q=0(\.0*)?\s*$/.test(p))) out.add(token.trim());
  }
  return out;
}

/** One file of the renderer: under assets/ from its precompressed twin when there is one the
 *  browser takes; false when there is no such file (the caller answers 404). */
async function sendFile(assets: AssetSource, rel: string, req: Request, res: Response): Promise<boolean> {
  const underAssets = rel.startsWith('assets/');
  if (underAssets) {
    // Shared caches must not hand the identity body to a browser that takes br, or back.
    res.setHeader('Vary', 'Accept-Encoding');
    const ok = accepted(req);
    for (const enc of ENCODINGS) {
      if (!ok.has(enc.token)) continue;
      const twin = await assets.read(rel + enc.suffix);
      if (!twin) continue;
      res.setHeader('Content-Encoding', enc.token);
      res.status(200).type(extname(rel)).set('Cache-Control', IMMUTABLE).send(bytes(twin));
      return true;
    }
  }
  const body = await assets.read(rel);
  if (!body) return false;
  res.status(200).type(extname(rel) || 'application/octet-stream').set('Cache-Control', underAssets ? IMMUTABLE : 'no-cache').send(bytes(body));
  return true;
}

export function pageRoutes(assets: AssetSource | undefined): Router {
  const r = Router();
  r.get('/', (_req, res) => sendIndex(assets, res));
  r.get('/s/:id', (_req, res) => sendIndex(assets, res));
  if (assets) {
    r.use((req, res, next) => {
      if (req.method !== 'GET' && req.method !== 'HEAD') return next();
      const rel = assetPath(req.path);
      if (rel === undefined) return next();
      sendFile(assets, rel, req, res).then((sent) => sent || next(), next);
    });
  }
  return r;
}
