// The single binary as the tests use it: built once per test process from the current sources
// (`scripts/build-bin.mjs`, this machine only), then copied ALONE into an empty temp folder,
// far from the checkout and its node_modules, and run with a PATH that has neither node nor
// bun, so a test passes only if the file needs nothing beside it (contract section 7).
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from './build-main.js';

export interface LoneBinary {
  /** The folder holding only `porthole` (and `bin/` with the few tools on PATH). */
  dir: string;
  /** Absolute path of the copied executable. */
  exe: string;
  /** A PATH with sh, cat, sleep and env only: no node, no bun, no compiler. */
  path: string;
  dispose(): void;
}

/** Tools a session's commands in the tests may run by name (the shell itself is absolute). */
const TOOLS = ['sh', 'cat', 'sleep', 'env', 'stty', 'true', 'false'];

export function buildLoneBinary(): LoneBinary {
  // The renderer is built under the lock the e2e tests take, and only when stale, so this
  // never empties dist/renderer under another test file that is reading it.
  execFileSync('flock', ['/tmp/porthole-build-renderer.lock', process.execPath, join(ROOT, 'tests/e2e/build-renderer.mjs')], { cwd: ROOT, stdio: 'pipe' });
  const out = mkdtempSync(join(tmpdir(), 'porthole-binbuild-'));
  try {
    execFileSync(process.execPath, [join(ROOT, 'scripts/build-bin.mjs'), '--no-renderer', '--out', out], { cwd: ROOT, stdio: 'pipe', timeout: 170_000 });
    const dir = mkdtempSync(join(tmpdir(), 'porthole-alone-'));
    const exe = join(dir, 'porthole');
    copyFileSync(join(out, 'porthole'), exe);
    execFileSync('chmod', ['755', exe]);
    const bin = join(dir, 'bin');
    mkdirSync(bin);
    for (const t of TOOLS) {
      const from = ['/bin', '/usr/bin'].map((d) => join(d, t)).find((p) => existsSync(p));
      if (from) symlinkSync(from, join(bin, t));
    }
    return { dir, exe, path: bin, dispose: () => rmSync(dir, { recursive: true, force: true }) };
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}
