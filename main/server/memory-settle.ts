// Gives memory back once the server goes quiet after a burst (a flood, a connect storm, the
// start itself). V8 grows its young generation up to 3 x 16 MB under load and shrinks it only in
// a major GC that sees a low allocation rate over the last ~5 s (Heap::ReduceNewSpaceSize),
// which a quiet server never runs by itself: without this, RSS after one flood stays 30-60 MB
// up for good. One collection, SETTLE_QUIET_TICKS into the quiet, and on the screen worker too;
// a tick later, the C heap's free pages go back as well (platform/malloc-trim.ts).
// benchmarks/results/perf-memory.md, round 3.
import { runInNewContext } from 'node:vm';
import { getHeapSpaceStatistics, setFlagsFromString } from 'node:v8';
import type { RuntimeInfo } from '../../common/protocol.js';
import type { Logger } from './log.js';
import { mallocTrim } from './platform/malloc-trim.js';

/** How often the process's CPU time is sampled. */
export const SETTLE_TICK_MS = 1000;
/** A tick that used more CPU than this share of one core (all threads) is activity. */
export const SETTLE_BUSY_SHARE = 0.1;
/** A tick under this share of a core is quiet. */
export const SETTLE_QUIET_SHARE = 0.03;
/** Quiet ticks in a row before the collection: V8 judges the allocation rate over ~5 s, so a
 *  GC any sooner still sees the burst and keeps the grown heap (measured: 3 s keeps it, 6 s
 *  gives 31 MB of new space back). */
export const SETTLE_QUIET_TICKS = 6;
/** New space still above this after a collection means V8 kept it (it judged the allocation
 *  rate too high, or zero): one more try after another quiet spell. */
export const SETTLE_NEW_SPACE_KEPT_BYTES = 2 * 1024 * 1024;
/** Small objects allocated just before the collection: V8 shrinks new space only when the
 *  recent allocation throughput is low but not zero (measured: an allocation-free quiet
 *  spell of 6.5-8 s kept 32 MB of new space in 3 of 3 tries). */
const NUDGE_OBJECTS = 2000;
/** RSS this far above the lowest the server has settled to, after a collection, is free C heap
 *  worth handing back (a flood leaves 40-60 MB; the start's own settle leaves under 1 MB, less
 *  than loading the FFI costs: +1.2 MB). */
export const SETTLE_TRIM_EXCESS_BYTES = 16 * 1024 * 1024;

/** What a tick asks for: `mark` a cheap young-generation GC as the quiet begins (it closes
 *  V8's allocation sample on the burst, so the full GC later judges the quiet alone: without it
 *  the sample spans the burst's last seconds and new space was kept in 2 of 3 runs), `collect`
 *  the full GC. */
export type SettleAction = 'mark' | 'collect';

/** The decision alone, fed one CPU sample per tick (testable without a clock). */
export class SettlePolicy {
  /** Set by activity (and at start: loading the server is a burst); cleared by a collection. */
  private dirty = true;
  private quiet = 0;
  private retried = false;

  /** `cpuMs`: CPU time of the whole process over the last `tickMs`. */
  tick(cpuMs: number, tickMs: number): SettleAction | undefined {
    const share = cpuMs / tickMs;
    if (share >= SETTLE_BUSY_SHARE) {
      this.dirty = true;
      this.retried = false;
    }
    this.quiet = share < SETTLE_QUIET_SHARE ? this.quiet + 1 : 0;
    if (!this.dirty) return undefined;
    if (this.quiet === 1) return 'mark';
    if (this.quiet < SETTLE_QUIET_TICKS) return undefined;
    this.dirty = false;
    return 'collect';
  }

  /** The collection did not give the memory back: collect once more after another quiet
   *  spell (once per burst, so a heap that stays large costs one extra GC, not one a tick). */
  kept(): void {
    if (this.retried) return;
    this.retried = true;
    this.dirty = true;
    this.quiet = 0;
  }
}

/** Garbage that gives V8's allocation-rate estimate a small non-zero value (see NUDGE_OBJECTS). */
function nudge(): number {
  const kept: { i: number }[] = [];
  for (let i = 0; i < NUDGE_OBJECTS; i++) kept.push({ i });
  return kept.length;
}

type V8Gc = (options?: { type: 'major' | 'minor'; execution: 'sync' }) => void;

/** This thread's gc(), once fetched (null: the runtime offers none). */
let threadGc: V8Gc | null | undefined;

/** V8's gc(), without a process flag: handed to contexts made after --expose-gc is set (the
 *  flag does nothing else). One per thread: the function keeps its context alive (~140 KB of
 *  heap each), and the full and the minor collector share it. */
function v8Gc(): V8Gc | undefined {
  if (threadGc === undefined) {
    try {
      setFlagsFromString('--expose-gc');
      const gc = runInNewContext('gc') as unknown;
      threadGc = typeof gc === 'function' ? (gc as V8Gc) : null;
    } catch {
      threadGc = null;
    }
  }
  return threadGc ?? undefined;
}

/** A full, synchronous collection on this thread, or undefined where the runtime has none. */
export function fullCollector(runtime: RuntimeInfo['name']): (() => void) | undefined {
  if (runtime === 'bun') {
    const bun = (globalThis as { Bun?: { gc(force: boolean): void; shrink?: () => void } }).Bun;
    // Bun.shrink() hands JSC's and the allocator's free pages back: after the floods, settled
    // RSS 77.5-78.8 -> 70-70.7 MB (idle 63) in output-floods.mjs; the collection alone keeps them.
    return bun
      ? () => {
          bun.gc(true);
          bun.shrink?.();
        }
      : undefined;
  }
  const gc = v8Gc();
  return gc ? () => gc() : undefined;
}

/** A young-generation collection (V8 only: JSC sizes its heap without one). */
export function minorCollector(runtime: RuntimeInfo['name']): (() => void) | undefined {
  if (runtime === 'bun') return undefined;
  const gc = v8Gc();
  return gc ? () => gc({ type: 'minor', execution: 'sync' }) : undefined;
}

export interface MemorySettleOptions {
  runtime: RuntimeInfo['name'];
  logger: Logger;
  /** Also collect elsewhere (the screen worker): called right after this thread's collection. */
  alsoCollect?: () => void;
  /** Default SETTLE_TRIM_EXCESS_BYTES (0: trim after every collection). */
  trimExcessBytes?: number;
}

/** V8's young generation as this thread holds it now (0 where the runtime reports none). */
export function newSpaceBytes(): number {
  return getHeapSpaceStatistics().find((s) => s.space_name === 'new_space')?.physical_space_size ?? 0;
}

/** The ticker: one unref'd interval, stopped by dispose(). */
export class MemorySettle {
  private readonly policy = new SettlePolicy();
  private readonly collect: (() => void) | undefined;
  private readonly mark: (() => void) | undefined;
  private timer: NodeJS.Timeout | undefined;
  private lastCpu = process.cpuUsage();
  /** Set by a collection: the next tick trims the C heap, once the worker's own GC is done. */
  private trimDue = false;
  /** The lowest RSS seen at a settle (at first: once the server was loaded). */
  private floorRss = process.memoryUsage.rss();

  constructor(private readonly options: MemorySettleOptions) {
    this.collect = fullCollector(options.runtime);
    this.mark = minorCollector(options.runtime);
    if (!this.collect) return;
    this.timer = setInterval(() => this.onTick(), SETTLE_TICK_MS);
    this.timer.unref();
  }

  dispose(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  private onTick(): void {
    const used = process.cpuUsage(this.lastCpu);
    this.lastCpu = process.cpuUsage();
    const action = this.policy.tick((used.user + used.system) / 1000, SETTLE_TICK_MS);
    if (this.trimDue) this.trim();
    if (action === 'mark') {
      this.mark?.();
      this.lastCpu = process.cpuUsage();
    }
    if (action !== 'collect') return;
    const before = process.memoryUsage().rss;
    const ns0 = newSpaceBytes();
    const t0 = performance.now();
    nudge();
    this.collect?.();
    this.options.alsoCollect?.();
    this.trimDue = true;
    if (newSpaceBytes() > SETTLE_NEW_SPACE_KEPT_BYTES) this.policy.kept();
    const ms = performance.now() - t0;
    // The CPU this tick spent collecting is not activity: the next sample starts after it.
    this.lastCpu = process.cpuUsage();
    this.options.logger.debug('memory settled', { rssBeforeMB: mb(before), rssAfterMB: mb(process.memoryUsage().rss), gcMs: Math.round(ms * 10) / 10, newSpaceMB: [mb(ns0), mb(newSpaceBytes())] });
  }

  private trim(): void {
    this.trimDue = false;
    const before = process.memoryUsage.rss();
    this.floorRss = Math.min(this.floorRss, before);
    if (before - this.floorRss < (this.options.trimExcessBytes ?? SETTLE_TRIM_EXCESS_BYTES)) return;
    const trim = mallocTrim(this.options.runtime, (reason) => this.options.logger.debug('malloc_trim unavailable', { reason }));
    if (!trim) return;
    const t0 = performance.now();
    trim();
    const ms = performance.now() - t0;
    this.lastCpu = process.cpuUsage();
    const after = process.memoryUsage.rss();
    this.floorRss = Math.min(this.floorRss, after);
    this.options.logger.debug('memory trimmed', { rssBeforeMB: mb(before), rssAfterMB: mb(after), trimMs: Math.round(ms * 10) / 10 });
  }
}

function mb(n: number): number {
  return Math.round(n / 104857.6) / 10;
}
