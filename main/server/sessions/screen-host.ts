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

/** A worker that died is restarted (its screens rebuilt by their sessions) at most this many
 *  times a minute; past that, screens stay on live output only until a minute has passed. */
export const SCREEN_WORKER_RESTARTS_PER_MINUTE = 5;

/**
 * A flood's output is parsed after the flood, not during it: on 2 cores the parse (and the
 * garbage it makes, collected by V8 threads at the normal priority, not the worker's nice)
 * competes with the program and the viewers (benchmarks/results/perf-ptypath.md, the bound).
 * So a screen's data that follows other data within SCREEN_DEFER_QUIET_MS is held here (the
 * same Buffers the screen's redraw tail holds: no copy) and posted once output pauses that long
 * or SCREEN_DEFER_MAX_BYTES are held. The first data after a pause goes at once, so an echo or
 * a query's answer is not delayed; any other message for the screen (resize, a redraw or text
 * request, close) posts what is held first, so the worker sees everything in order.
 */
export const SCREEN_DEFER_QUIET_MS = 16;
/** Below SCREEN_BACKLOG_MAX_BYTES (8 MiB): held data alone never pauses the PTY. */
export const SCREEN_DEFER_MAX_BYTES = 6 * 1024 * 1024;

interface Held {
  msgs: ToScreenWorker[];
  bytes: number;
  /** When the screen's last data came (held or posted). */
  lastAt: number;
  timer: NodeJS.Timeout | undefined;
}

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
  /** Per screen: its data held during a flood (SCREEN_DEFER_QUIET_MS). */
  private readonly held = new Map<number, Held>();

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
    if (!this.clients.has(s) || !this.worker) return;
    const msg = { ...m, s } as ToScreenWorker;
    let h = this.held.get(s);
    if (msg.t !== 'data') {
      if (h) this.release(s, h);
      this.worker.postMessage(msg);
      return;
    }
    const now = Date.now();
    if (!h) this.held.set(s, (h = { msgs: [], bytes: 0, lastAt: -Infinity, timer: undefined }));
    const quiet = now - h.lastAt >= SCREEN_DEFER_QUIET_MS;
    h.lastAt = now;
    if (quiet && h.msgs.length === 0) {
      this.worker.postMessage(msg);
      return;
    }
    h.msgs.push(msg);
    h.bytes += msg.d.length;
    if (h.bytes >= SCREEN_DEFER_MAX_BYTES) this.release(s, h);
    else h.timer ??= this.quietTimer(s, h, SCREEN_DEFER_QUIET_MS);
  }

  /** Fires once output has paused SCREEN_DEFER_QUIET_MS (re-armed for the rest while it has not). */
  private quietTimer(s: number, h: Held, ms: number): NodeJS.Timeout {
    const t = setTimeout(() => {
      h.timer = undefined;
      const left = h.lastAt + SCREEN_DEFER_QUIET_MS - Date.now();
      if (left > 0 && h.msgs.length > 0) h.timer = this.quietTimer(s, h, left);
      else this.release(s, h);
    }, ms);
    t.unref();
    return t;
  }

  private release(s: number, h: Held): void {
    if (h.timer) clearTimeout(h.timer);
    h.timer = undefined;
    const msgs = h.msgs;
    h.msgs = [];
    h.bytes = 0;
    if (this.clients.has(s)) for (const m of msgs) this.worker?.postMessage(m);
  }

  private drop(s: number): void {
    const h = this.held.get(s);
    if (h?.timer) clearTimeout(h.timer);
    this.held.delete(s);
  }

  close(s: number): void {
    this.drop(s);
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
    const worker = FROM_SOURCE
      ? new Worker(new URL('../../../dist/main/server/sessions/screen-worker.js', import.meta.url))
      : new Worker(new URL('./screen-worker.js', import.meta.url));
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
    for (const s of [...this.held.keys()]) this.drop(s);
    const lost = [...this.clients.values()];
    this.clients.clear();
    for (const c of lost) c.onLost();
  }
}
