import { defineConfig } from 'vite';

// The renderer: one page app served at `/` (control panel) and `/s/:id` (viewer),
// the same build the desktop window loads from the in-process server.
export default defineConfig({
  root: 'renderer',
  base: '/',
  build: {
    outDir: '../dist/renderer',
    emptyOutDir: true,
    sourcemap: true,
  },
});
