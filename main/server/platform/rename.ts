// Replacing a file by rename is atomic on every OS, but Windows refuses it (EPERM, EACCES or
// EBUSY) while another program has the target open without sharing delete: a virus scanner or
// the search indexer looking at a file we just wrote, for a few milliseconds. Node's own readers
// always share delete, so this is only ever someone else, briefly: retry a few times on Windows
// (as graceful-fs does), fail at once elsewhere, where those codes mean a real permission problem.
import { isWindows, type Platform } from './env.js';

/** Waits between attempts on Windows: ~0.6 s in all, then the error stands. */
export function renameRetryDelays(platform: Platform): readonly number[] {
  return isWindows(platform) ? [10, 20, 40, 80, 160, 320] : [];
}

const TRANSIENT = new Set(['EPERM', 'EACCES', 'EBUSY']);

export async function renameWithRetry(
  platform: Platform,
  rename: (from: string, to: string) => Promise<void>,
  from: string,
  to: string,
  sleep: (ms: number) => Promise<void> = (ms) => new Promise((r) => setTimeout(r, ms)),
): Promise<void> {
  const delays = renameRetryDelays(platform);
  for (let attempt = 0; ; attempt++) {
    try {
      return await rename(from, to);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException | undefined)?.code;
      if (attempt >= delays.length || !code || !TRANSIENT.has(code)) throw err;
      await sleep(delays[attempt]);
    }
  }
}
