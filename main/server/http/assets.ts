// Where the built pages come from. `porthole serve` under Node and the desktop app read them
// from dist/renderer on disk; the single binary has them compiled in and serves them from
// memory. Both hand the page routes an AssetSource, so headers, CSP, caching and the
// precompressed twins are the same code whichever runtime answers (contract sections 5, 7).
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Platform } from '../platform/env.js';
import { namesWindowsDevice } from '../platform/paths.js';

/** Files of the built renderer by path relative to its root ('index.html', 'assets/x.js'). */
export interface AssetSource {
  /** The file's bytes, or undefined when there is no such file. `path` comes from assetPath(). */
  read(path: string): Promise<Uint8Array | undefined>;
}

/** A request path (`/assets/x.js`) as a path relative to the renderer root, or undefined for
 *  one that must not reach a file: bad escapes, `..`, dot-files, empty or backslashed segments. */
export function assetPath(urlPath: string, platform: Platform = process.platform): string | undefined {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return undefined;
  }
  if (!decoded.startsWith('/') || decoded.includes('\0') || decoded.includes('\\')) return undefined;
  const segments = decoded.slice(1).split('/');
  if (segments.some((s) => s === '' || s.startsWith('.'))) return undefined;
  // Windows: `/assets/CON` would open the console device and hang a file-system thread; `:`
  // would name an alternate data stream. No built page has either.
  if (namesWindowsDevice(platform, decoded) || (platform === 'win32' && decoded.includes(':'))) return undefined;
  return segments.join('/');
}

/** The pages in a folder, read on each request (a rebuild shows at once; nothing is cached). */
export function diskAssets(dir: string): AssetSource {
  return {
    async read(path) {
      try {
        return await readFile(join(dir, path));
      } catch {
        return undefined; // missing, a directory, unreadable: not a page
      }
    },
  };
}

/** Pages held in the process: each entry is the bytes or a loader called once on first use
 *  (the binary's entry passes loaders that read its embedded files). */
export function memoryAssets(files: ReadonlyMap<string, Uint8Array | (() => Promise<Uint8Array>)>): AssetSource {
  const loaded = new Map<string, Promise<Uint8Array>>();
  return {
    read(path) {
      const entry = files.get(path);
      if (entry === undefined) return Promise.resolve(undefined);
      if (entry instanceof Uint8Array) return Promise.resolve(entry);
      let p = loaded.get(path);
      if (!p) {
        p = entry();
        loaded.set(path, p);
        p.catch(() => loaded.delete(path)); // a failed read is tried again next time
      }
      return p;
    },
  };
}
