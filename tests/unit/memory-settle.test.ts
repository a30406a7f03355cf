// The settle policy (memory-settle.ts): one full GC per burst, only once the process has been
// quiet long enough for V8 to see a low allocation rate; never while busy, never twice for one burst.
import { describe, expect, it } from 'vitest';
import { SETTLE_BUSY_SHARE, SETTLE_QUIET_SHARE, SETTLE_QUIET_TICKS, SETTLE_TICK_MS, SettlePolicy, fullCollector } from '../../main/server/memory-settle.js';

const busy = SETTLE_BUSY_SHARE * SETTLE_TICK_MS + 1;
const quiet = SETTLE_QUIET_SHARE * SETTLE_TICK_MS - 1;
const between = (busy + quiet) / 2;

/** Ticks `n` samples of `cpuMs`; the indexes (0-based) of the ticks that said collect. */
function run(p: SettlePolicy, cpuMs: number, n: number): number[] {
  const hits: number[] = [];
  for (let i = 0; i < n; i++) if (p.tick(cpuMs, SETTLE_TICK_MS) === 'collect') hits.push(i);
  return hits;
}

describe('SettlePolicy', () => {
  it('collects once after the start (loading the server is a burst), on the last quiet tick needed', () => {
    const p = new SettlePolicy();
    expect(run(p, quiet, SETTLE_QUIET_TICKS * 5)).toEqual([SETTLE_QUIET_TICKS - 1]);
  });

  it('collects once per burst, never while output keeps coming', () => {
    const p = new SettlePolicy();
    run(p, quiet, SETTLE_QUIET_TICKS); // the start's collection
    expect(run(p, busy, 60)).toEqual([]);
    expect(run(p, quiet, SETTLE_QUIET_TICKS * 3)).toEqual([SETTLE_QUIET_TICKS - 1]);
    // Another burst, another single collection.
    expect(run(p, busy, 1)).toEqual([]);
    expect(run(p, quiet, SETTLE_QUIET_TICKS * 3)).toEqual([SETTLE_QUIET_TICKS - 1]);
  });

  it('light steady activity (a clock, typing) neither counts as a burst nor as quiet', () => {
    const p = new SettlePolicy();
    run(p, quiet, SETTLE_QUIET_TICKS);
    expect(run(p, between, 100)).toEqual([]);
    expect(run(p, quiet, SETTLE_QUIET_TICKS * 3)).toEqual([]); // nothing to give back
    // A burst, then quiet broken by light activity: the quiet count starts again.
    run(p, busy, 2);
    expect(run(p, quiet, SETTLE_QUIET_TICKS - 1)).toEqual([]);
    expect(run(p, between, 1)).toEqual([]);
    expect(run(p, quiet, SETTLE_QUIET_TICKS)).toEqual([SETTLE_QUIET_TICKS - 1]);
  });

  it('a collection that kept the memory gets one more try after another quiet spell, once per burst', () => {
    const p = new SettlePolicy();
    run(p, quiet, SETTLE_QUIET_TICKS);
    p.kept();
    expect(run(p, quiet, SETTLE_QUIET_TICKS * 3)).toEqual([SETTLE_QUIET_TICKS - 1]);
    p.kept(); // already retried for this burst
    expect(run(p, quiet, SETTLE_QUIET_TICKS * 3)).toEqual([]);
    // A new burst may retry again.
    run(p, busy, 1);
    expect(run(p, quiet, SETTLE_QUIET_TICKS)).toEqual([SETTLE_QUIET_TICKS - 1]);
    p.kept();
    expect(run(p, quiet, SETTLE_QUIET_TICKS)).toEqual([SETTLE_QUIET_TICKS - 1]);
  });
});

describe('SettlePolicy marks', () => {
  it('asks for one cheap mark as each quiet spell of a dirty heap begins, none once it is collected', () => {
    const p = new SettlePolicy();
    const actions = Array.from({ length: SETTLE_QUIET_TICKS + 3 }, () => p.tick(quiet, SETTLE_TICK_MS));
    expect(actions.indexOf('mark')).toBe(0);
    expect(actions.filter((a) => a === 'mark')).toHaveLength(1);
    expect(actions.indexOf('collect')).toBe(SETTLE_QUIET_TICKS - 1);
    expect(actions.slice(SETTLE_QUIET_TICKS)).toEqual([undefined, undefined, undefined]);
    p.tick(busy, SETTLE_TICK_MS);
    expect(p.tick(quiet, SETTLE_TICK_MS)).toBe('mark');
  });
});

describe('fullCollector', () => {
  it('on Node, a real full GC without a process flag: an unreachable object is collected', async () => {
    const collect = fullCollector('node');
    expect(collect).toBeTypeOf('function');
    let ref: WeakRef<object> | undefined;
    (() => {
      ref = new WeakRef({ big: new Array(1000).fill(1) });
    })();
    // A WeakRef's target survives until the end of the task that created or read it.
    await new Promise((r) => setTimeout(r, 0));
    collect?.();
    expect(ref?.deref()).toBeUndefined();
  });

  it('is undefined where the runtime offers none (Bun without its global)', () => {
    expect('Bun' in globalThis ? typeof fullCollector('bun') : fullCollector('bun')).toBe('Bun' in globalThis ? 'function' : undefined);
  });
});
