// Password checks off the server's thread (contract section 9: /health answers within 100 ms
// during a login burst). One worker thread runs the checks one after another (bcrypt is pure
// CPU; one thread leaves the other core to the server and the sessions); at most
// BCRYPT_MAX_QUEUED wait, and past that a check is refused at once (429, the client retries)
// instead of queueing without bound. The thread starts with the first check and stops after
// BCRYPT_WORKER_IDLE_MS without one, so an idle server runs no extra thread; close() stops it.
// If no thread can be started (a runtime without worker_threads, a missing entry file), the
// checks run here instead, still one at a time.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import bcrypt from 'bcryptjs';
import { PortholeError } from '../../../common/errors.js';
import { passwordWorkerSource, type PasswordJob, type PasswordOutcome, type PasswordWorkerData } from './password-worker.js';

/** Checks waiting for the thread beyond the one it runs: ~64 × 60 ms = 4 s of backlog at most. */
export const BCRYPT_MAX_QUEUED = 64;
/** The thread is stopped after this long without a check. */
export const BCRYPT_WORKER_IDLE_MS = 10_000;

const require = createRequire(import.meta.url);

export interface BcryptPoolOptions {
  maxQueued?: number;
  idleMs?: number;
  /** Log a lost thread (the pool carries on without it). */
  onError?: (err: unknown) => void;
}

interface Pending {
  job: PasswordJob;
  resolve(ok: boolean): void;
}

export class BcryptPool {
  private worker: Worker | undefined;
  private workerBroken = false;
  private readonly queue: Pending[] = [];
  private running: Pending | undefined;
  private nextId = 1;
  private idleTimer: NodeJS.Timeout | undefined;
  private closed = false;
  private readonly maxQueued: number;
  private readonly idleMs: number;

  constructor(private readonly opts: BcryptPoolOptions = {}) {
    this.maxQueued = opts.maxQueued ?? BCRYPT_MAX_QUEUED;
    this.idleMs = opts.idleMs ?? BCRYPT_WORKER_IDLE_MS;
  }

  /** Checks waiting or running now. */
  get pending(): number {
    return this.queue.length + (this.running ? 1 : 0);
  }

  /** Whether a worker thread is running (for tests of the idle stop). */
  get threadRunning(): boolean {
    return this.worker !== undefined;
  }

  /** bcrypt.compare off the event loop; 429 rate_limited when too many are waiting. */
  compare(password: string, hash: string): Promise<boolean> {
    if (this.closed) return Promise.reject(new PortholeError('internal', 'The server is stopping'));
    if (this.queue.length >= this.maxQueued) {
      return Promise.reject(new PortholeError('rate_limited', 'Too many logins at once; try again in a moment', { retryAfterSeconds: 1 }));
    }
    return new Promise<boolean>((resolve) => {
      this.queue.push({ job: { id: this.nextId++, password, hash }, resolve });
      this.pump();
    });
  }

  /** Stops the thread; checks still waiting resolve false. Idempotent. */
  async close(): Promise<void> {
    this.closed = true;
    this.stopIdleTimer();
    for (const p of this.queue.splice(0)) p.resolve(false);
    this.running?.resolve(false);
    this.running = undefined;
    const w = this.worker;
    this.worker = undefined;
    if (w) await w.terminate();
  }

  private pump(): void {
    if (this.running || this.closed) return;
    const next = this.queue.shift();
    if (!next) {
      this.startIdleTimer();
      return;
    }
    this.stopIdleTimer();
    this.running = next;
    const w = this.ensureWorker();
    if (w) {
      w.postMessage(next.job);
      return;
    }
    // No thread: bcryptjs's async form, which yields between chunks of rounds.
    bcrypt.compare(next.job.password, next.job.hash).then(
      (ok) => this.settle(next.job.id, ok),
      () => this.settle(next.job.id, false),
    );
  }

  private settle(id: number, ok: boolean): void {
    const r = this.running;
    if (!r || r.job.id !== id) return;
    this.running = undefined;
    r.resolve(ok);
    this.pump();
  }

  private ensureWorker(): Worker | undefined {
    if (this.worker || this.workerBroken) return this.worker;
    try {
      const entry = new URL('./password-worker.js', import.meta.url);
      // The entry file imports bcryptjs itself (so a bundler sees it: the single binary has no
      // node_modules to resolve a path in); only the evaluated source form needs the path.
      const worker = existsSync(fileURLToPath(entry))
        ? new Worker(entry, { workerData: { kind: 'porthole-password' } satisfies PasswordWorkerData })
        : new Worker(passwordWorkerSource(), { eval: true, workerData: { kind: 'porthole-password', bcryptPath: require.resolve('bcryptjs') } satisfies PasswordWorkerData });
      worker.on('message', (m: PasswordOutcome) => this.settle(m.id, m.ok === true));
      worker.on('error', (err) => {
        this.opts.onError?.(err);
        this.lose(worker);
      });
      worker.on('exit', () => this.lose(worker));
      worker.unref();
      this.worker = worker;
    } catch (err) {
      this.opts.onError?.(err);
      this.workerBroken = true;
    }
    return this.worker;
  }

  /** The thread died under us (we clear this.worker before stopping it ourselves): the
   *  check it held runs again, and from now on every check runs here. */
  private lose(worker: Worker): void {
    if (this.worker !== worker) return;
    this.worker = undefined;
    this.workerBroken = true;
    const r = this.running;
    this.running = undefined;
    if (r) this.queue.unshift(r);
    this.pump();
  }

  private startIdleTimer(): void {
    if (this.idleTimer || !this.worker) return;
    this.idleTimer = setTimeout(() => {
      this.idleTimer = undefined;
      const w = this.worker;
      this.worker = undefined;
      void w?.terminate();
    }, this.idleMs);
    this.idleTimer.unref();
  }

  private stopIdleTimer(): void {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = undefined;
  }
}
