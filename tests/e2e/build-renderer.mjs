// Builds dist/renderer with Vite when it is missing or older than its sources (renderer/,
// common/, vite.config.ts). The e2e tests run it under flock so parallel test files build once.
// Usage: node tests/e2e/build-renderer.mjs [--force]
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '../..');
const OUT = join(ROOT, 'dist/renderer/index.html');

function newest(path) {
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  let m = 0;
  for (const name of readdirSync(path)) m = Math.max(m, newest(join(path, name)));
  return m;
}

export function rendererStale() {
  if (!existsSync(OUT)) return true;
  const built = statSync(OUT).mtimeMs;
  const src = Math.max(newest(join(ROOT, 'renderer')), newest(join(ROOT, 'common')), newest(join(ROOT, 'vite.config.ts')));
  return src > built;
}

if (process.argv.includes('--force') || rendererStale()) {
  execFileSync(process.execPath, [join(ROOT, 'node_modules/vite/bin/vite.js'), 'build', '--logLevel', 'warn'], {
    cwd: ROOT,
    stdio: 'inherit',
  });
}
