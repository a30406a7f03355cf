// Tests that spawn real processes (`porthole serve`, a writer killed with -9) run the compiled
// dist/, so they build it first. tsc is fast here (well under a second); the lock keeps
// parallel test files from writing dist/ at the same moment.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';

export const ROOT = resolve(import.meta.dirname, '../..');

let built = false;

/** Build main/ into dist/ once per test process; returns the repo root. Type errors in
 *  other files do not stop the emit, so only a missing output is fatal. */
export function buildMain(): string {
  if (built) return ROOT;
  const tsc = resolve(ROOT, 'node_modules/typescript/bin/tsc');
  try {
    execFileSync('flock', ['/tmp/porthole-build-main.lock', process.execPath, tsc, '-p', 'tsconfig.main.json'], {
      cwd: ROOT,
      stdio: 'pipe',
    });
  } catch {
    /* emitted anyway unless the build could not run at all; checked below */
  }
  if (!existsSync(resolve(ROOT, 'dist/main/server/datadir.js'))) throw new Error('npm run build:main produced no dist/');
  built = true;
  return ROOT;
}
