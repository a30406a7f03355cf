// The thread that runs bcrypt: a password check costs ~60 ms of pure CPU (cost 10), and on the
// server's thread 150 of them in a burst held /health up for 17.5 s (issue 8). Here they run
// one after another, off the event loop. The thread is a real entry file in dist/ and in the
// binary; from source (tests, where Node cannot load .ts) bcrypt-pool.ts evaluates
// passwordWorkerMain's text instead, so both run the same function.
import { createRequire } from 'node:module';
import { isMainThread, workerData } from 'node:worker_threads';
import bcryptjs from 'bcryptjs';

/** What the pool passes to the thread. */
export interface PasswordWorkerData {
  kind: 'porthole-password';
  /** require.resolve('bcryptjs') in the host, for the evaluated (source) form only. */
  bcryptPath?: string;
}

/** Host -> thread: compare `password` with `hash`. */
export interface PasswordJob {
  id: number;
  password: string;
  hash: string;
}

/** Thread -> host: the outcome of job `id` (false for a malformed hash too). */
export interface PasswordOutcome {
  id: number;
  ok: boolean;
}

/** The thread's body. Self-contained (it is also run from its own source text): it touches
 *  nothing outside itself but what `req` loads. */
export function passwordWorkerMain(req: (id: string) => unknown, imported?: { compareSync(p: string, h: string): boolean }): void {
  const { parentPort, workerData: data } = req('node:worker_threads') as typeof import('node:worker_threads');
  const bcrypt = imported ?? (req((data as PasswordWorkerData).bcryptPath!) as { compareSync(p: string, h: string): boolean });
  // At a lower priority, so a burst of guesses yields the CPU to the server's thread (and the
  // sessions) on a 2-core box. Linux nice values are per thread: the server thread keeps its own.
  try {
    const fs = req('node:fs') as typeof import('node:fs');
    const os = req('node:os') as typeof import('node:os');
    const tid = Number(fs.readlinkSync('/proc/thread-self').split('/').pop());
    if (Number.isInteger(tid) && tid > 0) os.setPriority(tid, Math.max(os.getPriority(tid), 10));
  } catch {
    // not Linux, or not allowed: check at the normal priority
  }
  parentPort?.on('message', (job: PasswordJob) => {
    let ok = false;
    try {
      ok = bcrypt.compareSync(job.password, job.hash);
    } catch {
      ok = false;
    }
    parentPort.postMessage({ id: job.id, ok } satisfies PasswordOutcome);
  });
}

/** Source text for `new Worker(text, { eval: true })`, when the entry file is not there. */
export function passwordWorkerSource(): string {
  return ['var __name = (f) => f;', `(${passwordWorkerMain.toString()})(require);`].join('\n');
}

// Started as the entry file: run. Imported by the pool on the main thread: do nothing.
if (!isMainThread && (workerData as PasswordWorkerData | undefined)?.kind === 'porthole-password') {
  passwordWorkerMain(createRequire(import.meta.url), bcryptjs);
}
