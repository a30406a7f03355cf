// The PtyPort contract (tests/helpers/pty-contract.ts) against Bun's adapter: the cases run in
// one Bun process (the bun devDependency) and each reported line becomes a test here.
import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { PTY_CASES } from '../helpers/pty-contract.js';
import { bunPath } from '../helpers/runtimes.js';

const ROOT = resolve(import.meta.dirname, '../..');

interface CaseResult {
  name: string;
  ok: boolean;
  ms: number;
  error?: string;
}

describe('PtyPort contract: Bun.spawn terminal', () => {
  const results = new Map<string, CaseResult>();
  beforeAll(async () => {
    const stdout = await new Promise<string>((res, rej) =>
      execFile(bunPath(), [resolve(ROOT, 'tests/helpers/pty-contract-bun.ts')], { cwd: ROOT, timeout: 120_000 }, (err, out, errOut) =>
        err ? rej(new Error(`${err.message}\n${errOut}`)) : res(out),
      ),
    );
    for (const line of stdout.split('\n').filter(Boolean)) {
      const r = JSON.parse(line) as CaseResult;
      results.set(r.name, r);
    }
  }, 150_000);

  for (const c of PTY_CASES) {
    it(c.name, () => {
      const r = results.get(c.name);
      expect(r, 'the Bun process reported this case').toBeDefined();
      expect(r?.error ?? '').toBe('');
      expect(r?.ok).toBe(true);
    });
  }
});
