import { defineConfig } from 'vite';

// The renderer: one page app served at `/` (control panel) and `/s/:id` (viewer),
// the same build the desktop window loads from the in-process server.
// No inline scripts are emitted (the server's CSP forbids them): the entry is an external
// module and the modulepreload polyfill is off (every supported browser has modulepreload).
export default defineConfig({
  root: 'renderer',
  base: '/',
  build: {
    outDir: '../dist/renderer',
    emptyOutDir: true,
    sourcemap: true,
    target: 'es2022',
    modulePreload: { polyfill: false },
    chunkSizeWarningLimit: 1024,
  },
});
