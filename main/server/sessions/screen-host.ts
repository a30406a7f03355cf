// The one worker thread that hosts every session's server-side screen (see screen-worker.ts).
// Started with the first screen and stopped a moment after the last one closes, so a server
// without sessions costs no thread; stopped by its owner (SessionManager.closeAll) so nothing
// outlives the server. If the worker dies, every screen hears onLost and its session opens a
// new one on a fresh worker, rebuilt from the output it still holds (session.ts
// rebuildScreen); restarts are bounded, past that screens fall back to live output only.
import { Worker } from 'node:worker_threads';
import type { Logger } from '../log.js';
import type { FromScreenWorker, ToScreenWorker } from './screen-protocol.js';

/**
 * Run from the TypeScript source (vitest: Node 20 cannot start a .ts worker), the worker is the
 * compiled entry in dist/, which the test setup builds first; compiled or bundled, it is the
 * screen-worker.js beside this file.
 */
const FROM_SOURCE = import.meta.url.endsWith('.ts');

/**
 * With no screen left, the worker is stopped after this long: its heap (a long flood's
 * scrollback) goes back to the system at once, and a server without sessions costs no thread.
 * A session created later starts a fresh worker (~40 ms, off the request's path).
 */
export const SCREEN_WORKER_IDLE_MS = 2000;

/**
 * The worker isolate's young generation, MB. V8's default grows it to ~32 MB during a flood and
 * never shrinks it once the worker idles (a forced GC does not either): with 8, a server whose
 * sessions stay open settles 24-27 MB lower after floods, for ~5% more parse time (4: 16-42 MB
 * lower but parsing 23-55% slower). benchmarks/results/perf-memory.md, round 2.
 */
export const SCREEN_WORKER_YOUNG_GEN_MB = 8;

/** A worker that died is restarted (its screens rebuilt by their sessions) at most this many
 *  times a minute; past that, screens stay on live output only until a minute has passed. */
export const SCREEN_WORKER_RESTARTS_PER_MINUTE = 5;

/** What a screen gives the host: where its messages go, and what to do when the worker is lost. */
export interface ScreenClient {
  onMessage(m: FromScreenWorker): void;
  onLost(): void;
}

/** The data and resize messages, minus the screen id the host adds. */
export type ScreenMessage = ToScreenWorker extends infer M ? (M extends { s: number } ? Omit<M, 's'> : never) : never;

export class ScreenHost {
  private worker: Worker | undefined;
  private readonly clients = new Map<number, ScreenClient>();
  private nextId = 1;
  private idleTimer: NodeJS.Timeout | undefined;
  private disposed = false;
  /** When the worker died unexpectedly, newest last: restarts are bounded (RESTARTS_PER_MINUTE). */
  private crashes: number[] = [];

  constructor(private readonly logger: Logger) {}

  /** Registers a screen and returns its id; throws if the worker cannot start. */
  open(client: ScreenClient, cols: number, rows: number, scrollback: number): number {
    // After dispose() no worker may start again: it would outlive the server.
    if (this.disposed) throw new Error('ScreenHost: disposed');
    // A worker that keeps dying (say on output that crashes the parser) is not restarted forever.
    const now = Date.now();
    this.crashes = this.crashes.filter((t) => now - t < 60_000);
    if (!this.worker && this.crashes.length > SCREEN_WORKER_RESTARTS_PER_MINUTE) {
      throw new Error(`ScreenHost: the screen worker died ${this.crashes.length} times in a minute`);
    }
    this.stopIdleTimer();
    const w = this.ensureWorker();
    const s = this.nextId++;
    this.clients.set(s, client);
    w.postMessage({ t: 'open', s, cols, rows, scrollback } satisfies ToScreenWorker);
    return s;
  }

  post(s: number, m: ScreenMessage): void {
    if (!this.clients.has(s)) return;
    this.worker?.postMessage({ ...m, s } as ToScreenWorker);
  }

  close(s: number): void {
    if (!this.clients.delete(s)) return;
    this.worker?.postMessage({ t: 'close', s } satisfies ToScreenWorker);
    if (this.clients.size === 0 && this.worker) {
      this.idleTimer = setTimeout(() => {
        this.idleTimer = undefined;
        const w = this.worker;
        this.worker = undefined;
        void w?.terminate();
      }, SCREEN_WORKER_IDLE_MS);
      this.idleTimer.unref();
    }
  }

  /** Asks a running worker for a full GC (memory-settle.ts); starts none. */
  collectGarbage(): void {
    this.worker?.postMessage({ t: 'gc' } satisfies ToScreenWorker);
  }

  get size(): number {
    return this.clients.size;
  }

  /** Stops the worker; screens still open are told they lost it. Idempotent. */
  async dispose(): Promise<void> {
    this.disposed = true;
    this.stopIdleTimer();
    const w = this.worker;
    this.lose();
    if (w) await w.terminate();
  }

  private stopIdleTimer(): void {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = undefined;
  }

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    const options = { resourceLimits: { maxYoungGenerationSizeMb: SCREEN_WORKER_YOUNG_GEN_MB } };
    const worker = FROM_SOURCE
      ? new Worker(new URL('../../../dist/main/server/sessions/screen-worker.js', import.meta.url), options)
      : new Worker(new URL('./screen-worker.js', import.meta.url), options);
    worker.on('message', (m: FromScreenWorker) => this.clients.get(m.s)?.onMessage(m));
    worker.on('error', (err) => {
      this.logger.error('screen worker failed; restarting it and rebuilding its screens', { err });
      if (this.worker === worker) this.crashed();
    });
    worker.on('exit', () => {
      if (this.worker === worker) this.crashed();
    });
    this.worker = worker;
    return worker;
  }

  /** The worker died while in use: each screen hears onLost and its owner may open a new one,
   *  which starts a fresh worker. */
  private crashed(): void {
    this.crashes.push(Date.now());
    this.lose();
  }

  private lose(): void {
    this.worker = undefined;
    const lost = [...this.clients.values()];
    this.clients.clear();
    for (const c of lost) c.onLost();
  }
}
