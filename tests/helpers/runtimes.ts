// The runtimes the server is tested under: Node (this process's node) and Bun (the bun
// devDependency's binary). Test files that start the server as a child process take one of these.
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { inject } from 'vitest';

export type TestRuntime = 'node' | 'bun';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Absolute path of the lone binary (vitest project "binary": binary-setup.ts). */
    portholeBinary: string;
  }
}

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

/** What the CLI suites run `porthole` under: node or bun running bin/porthole.js, or the single
 *  binary (copied alone into a temp dir by the global setup). */
export type CliRuntime = TestRuntime | 'binary';

/** PORTHOLE_TEST_RUNTIME=node|bun|binary picks it (default node); the vitest projects "bun" and
 *  "binary" set it (vitest.config.ts). */
export function cliRuntime(): CliRuntime {
  const r = process.env.PORTHOLE_TEST_RUNTIME ?? 'node';
  if (r !== 'node' && r !== 'bun' && r !== 'binary') throw new Error(`PORTHOLE_TEST_RUNTIME=${r}: expected node, bun or binary`);
  return r;
}

/** The command that runs `porthole ARGS` under the chosen runtime: `spawn(c.file, c.args)`. */
export function portholeCommand(args: string[], runtime: CliRuntime = cliRuntime()): { file: string; args: string[] } {
  if (runtime === 'binary') {
    const exe = process.env.PORTHOLE_TEST_BINARY ?? inject('portholeBinary');
    if (!exe) throw new Error('PORTHOLE_TEST_RUNTIME=binary runs in the vitest project "binary" (npm run test:binary), whose setup builds the binary');
    return { file: exe, args };
  }
  return { file: runtimeExecutable(runtime), args: [resolve(ROOT, 'bin/porthole.js'), ...args] };
}
