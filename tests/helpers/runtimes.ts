// The runtimes the server is tested under: Node (this process's node) and Bun (the bun
// devDependency's binary). Test files that start the server as a child process take one of these.
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';

export type TestRuntime = 'node' | 'bun';

const ROOT = resolve(import.meta.dirname, '../..');

/** The bun binary installed by `npm ci` (node_modules/.bin/bun). */
export function bunPath(): string {
  const p = resolve(ROOT, 'node_modules/.bin/bun');
  if (!existsSync(p)) throw new Error('bun is not installed: run npm ci (it is a devDependency)');
  return p;
}

/** The executable that runs `bin/porthole.js` under `runtime`. */
export function runtimeExecutable(runtime: TestRuntime): string {
  return runtime === 'bun' ? bunPath() : process.execPath;
}
