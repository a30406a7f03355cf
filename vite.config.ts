import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { defineConfig, type Plugin } from 'vite';

/** Text assets at least this big get .br and .gz twins, which the server sends when accepted. */
const PRECOMPRESS_MIN_BYTES = 1024;
const PRECOMPRESS = /\.(js|css|svg|html|json|txt)$/;

// A share link downloads ~500 KB of JavaScript before its first screen: ~130 KB compressed.
// Compressing once at build time costs the server nothing per request (pages.ts serves them).
function precompress(): Plugin {
  let outDir = '';
  return {
    name: 'porthole-precompress',
    apply: 'build',
    configResolved(c) {
      outDir = c.build.outDir.startsWith('/') ? c.build.outDir : join(c.root, c.build.outDir);
    },
    closeBundle() {
      const walk = (dir: string): void => {
        for (const name of readdirSync(dir)) {
          const file = join(dir, name);
          if (statSync(file).isDirectory()) walk(file);
          else if (PRECOMPRESS.test(name) && statSync(file).size >= PRECOMPRESS_MIN_BYTES) {
            const data = readFileSync(file);
            writeFileSync(`${file}.br`, brotliCompressSync(data, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }));
            writeFileSync(`${file}.gz`, gzipSync(data, { level: 9 }));
          }
        }
      };
      walk(outDir);
    },
  };
}

// The renderer: one page app served at `/` (control panel) and `/s/:id` (viewer),
// the same build the desktop window loads from the in-process server.
// No inline scripts are emitted (the server's CSP forbids them): the entry is an external
// module and the modulepreload polyfill is off (every supported browser has modulepreload).
export default defineConfig({
  root: 'renderer',
  base: '/',
  plugins: [precompress()],
  build: {
    outDir: '../dist/renderer',
    emptyOutDir: true,
    // No source maps in a build: they would be served beside the pages from a checkout's
    // `porthole serve` (the npm package, the binary and the desktop app leave them out anyway).
    // PORTHOLE_SOURCEMAPS=1 npm run build:renderer makes them for debugging (docs/security.md).
    sourcemap: process.env.PORTHOLE_SOURCEMAPS === '1',
    target: 'es2022',
    modulePreload: { polyfill: false },
    chunkSizeWarningLimit: 1024,
  },
});
