// What tests that run the built `porthole` as a subprocess share: temp dirs made on the spot
// (sync, so an env object can be built inline) and children that are SIGKILLed if a test
// left them running, both undone after each test.
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach } from 'vitest';

export interface ChildScope {
  /** A fresh temp dir, removed after the test. */
  tmp(): string;
  /** Kill this child after the test if it is still running. */
  track<C extends ChildProcess>(child: C): C;
}

export function childScope(prefix: string): ChildScope {
  const dirs: string[] = [];
  const children: ChildProcess[] = [];
  afterEach(() => {
    for (const c of children.splice(0)) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });
  return {
    tmp() {
      const d = mkdtempSync(join(tmpdir(), prefix));
      dirs.push(d);
      return d;
    },
    track(child) {
      children.push(child);
      return child;
    },
  };
}
