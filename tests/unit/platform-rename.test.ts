// An atomic replace on Windows survives a scanner holding the target for a moment; elsewhere a
// permission error is reported at once (it is real there).
import { describe, expect, it } from 'vitest';
import { renameRetryDelays, renameWithRetry } from '../../main/server/platform/rename.js';

function flaky(failures: string[]) {
  const calls: Array<[string, string]> = [];
  const rename = async (from: string, to: string): Promise<void> => {
    calls.push([from, to]);
    const code = failures.shift();
    if (code) throw Object.assign(new Error(code), { code });
  };
  return { rename, calls };
}

const noSleep = async (): Promise<void> => {};

describe('renameWithRetry', () => {
  it('win32: EPERM / EBUSY / EACCES are retried until the rename goes through', async () => {
    const f = flaky(['EPERM', 'EBUSY', 'EACCES']);
    await renameWithRetry('win32', f.rename, 'a.tmp', 'a', noSleep);
    expect(f.calls).toHaveLength(4);
  });

  it('win32: gives up after the last delay with the error', async () => {
    const f = flaky(Array(20).fill('EPERM'));
    await expect(renameWithRetry('win32', f.rename, 'a.tmp', 'a', noSleep)).rejects.toMatchObject({ code: 'EPERM' });
    expect(f.calls).toHaveLength(renameRetryDelays('win32').length + 1);
  });

  it('other errors are never retried', async () => {
    const f = flaky(['ENOSPC']);
    await expect(renameWithRetry('win32', f.rename, 'a.tmp', 'a', noSleep)).rejects.toMatchObject({ code: 'ENOSPC' });
    expect(f.calls).toHaveLength(1);
  });

  it('linux and darwin: no retry, EPERM is a real permission problem there', async () => {
    for (const p of ['linux', 'darwin'] as const) {
      const f = flaky(['EPERM']);
      await expect(renameWithRetry(p, f.rename, 'a.tmp', 'a', noSleep)).rejects.toMatchObject({ code: 'EPERM' });
      expect(f.calls).toHaveLength(1);
    }
  });

  it('the waits stay well under a second in total', () => {
    expect(renameRetryDelays('win32').reduce((a, b) => a + b, 0)).toBeLessThan(1000);
  });
});
