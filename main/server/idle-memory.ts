// Gives memory back after a burst. V8 keeps its young generation at full size and a worker's
// isolate keeps its committed heap once the work stops (a flood leaves the server ~50 MB above
// idle for good); a GC is only triggered by allocation, which an idle server no longer does.
// So: once the process has been busy and then quiet for a moment, one full GC on the server
// thread, and the same asked of the screen worker (ScreenHost.collect). Activity is the
// process's CPU time (every thread), sampled once a second: no hook on any hot path.
import { GC_PASSES, fullGc } from './full-gc.js';

/** How often the process's CPU time is sampled. */
export const IDLE_MEMORY_SAMPLE_MS = 1000;
/** A sample with at least this share of one core in use marks a burst (a flood, many joins). */
export const IDLE_MEMORY_BUSY_LOAD = 0.25;
/** Below this share of one core a sample counts as quiet (idle viewers' pings stay far below). */
export const IDLE_MEMORY_QUIET_LOAD = 0.05;
/** This many quiet samples in a row after a burst, then one collection: ~2 s after it ends. */
export const IDLE_MEMORY_QUIET_SAMPLES = 2;

export interface IdleMemoryOptions {
  /** Also collect elsewhere (the screen worker's isolate). */
  onCollect?: () => void;
  sampleMs?: number;
}

export interface IdleMemoryStats {
  collections: number;
  /** The last collection's pause on this thread, ms. */
  lastPauseMs: number;
}

export class IdleMemory {
  private readonly timer: NodeJS.Timeout;
  private readonly sampleMs: number;
  private lastCpu = process.cpuUsage();
  private lastAt = performance.now();
  private busy = false;
  private quiet = 0;
  /** GC passes still to run on this thread, one per quiet sample (full-gc.ts: two on V8). */
  private passes = 0;
  private readonly counts: IdleMemoryStats = { collections: 0, lastPauseMs: 0 };

  constructor(private readonly opts: IdleMemoryOptions = {}) {
    this.sampleMs = opts.sampleMs ?? IDLE_MEMORY_SAMPLE_MS;
    this.timer = setInterval(() => this.sample(), this.sampleMs);
    this.timer.unref();
  }

  get stats(): IdleMemoryStats {
    return { ...this.counts };
  }

  dispose(): void {
    clearInterval(this.timer);
  }

  private sample(): void {
    const now = performance.now();
    const cpu = process.cpuUsage(this.lastCpu);
    const load = (cpu.user + cpu.system) / 1000 / Math.max(1, now - this.lastAt);
    this.lastCpu = process.cpuUsage();
    this.lastAt = now;
    if (load >= IDLE_MEMORY_BUSY_LOAD) {
      this.passes = 0;
      this.busy = true;
      this.quiet = 0;
    } else if (this.busy && load < IDLE_MEMORY_QUIET_LOAD && ++this.quiet >= IDLE_MEMORY_QUIET_SAMPLES) {
      this.busy = false;
      this.quiet = 0;
      this.collect();
    } else if (this.passes > 0 && load < IDLE_MEMORY_QUIET_LOAD) {
      this.pass();
    } else if (load >= IDLE_MEMORY_QUIET_LOAD) {
      this.quiet = 0;
    }
  }

  private collect(): void {
    this.passes = GC_PASSES;
    if (!this.pass()) return;
    this.counts.collections++;
    this.opts.onCollect?.(); // the worker's pauses are its own: it runs all its passes at once
  }

  /** One pass per sample, so the server's thread never pauses for more than one GC (~5-30 ms). */
  private pass(): boolean {
    const t = performance.now();
    const ran = fullGc(1);
    this.passes = ran ? this.passes - 1 : 0;
    this.counts.lastPauseMs = performance.now() - t;
    // The GC's own CPU time is not activity: it must not start a new burst.
    this.lastCpu = process.cpuUsage();
    this.lastAt = performance.now();
    return ran;
  }
}
