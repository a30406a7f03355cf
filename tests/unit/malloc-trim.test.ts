// malloc_trim (platform/malloc-trim.ts) really hands free C heap back: a fragmented heap of
// ArrayBuffer backing stores (what xterm.js's lines are) shrinks in RSS only when it is called;
// and MemorySettle calls it a tick after a collection, on Node only.
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../main/server/log.js';
import { MemorySettle, SETTLE_QUIET_TICKS, SETTLE_TICK_MS, fullCollector } from '../../main/server/memory-settle.js';
import { mallocTrim, trimApplies } from '../../main/server/platform/malloc-trim.js';

const linuxNode = process.platform === 'linux' && !process.versions.bun;
const MB = 1024 * 1024;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** ~64 MB of 4 KB backing stores, one in 64 kept: the rest freed inside the arena, not at its top. */
async function fragmentHeap(): Promise<Buffer[]> {
  const kept: Buffer[] = [];
  let all: Buffer[] = [];
  for (let i = 0; i < 16_000; i++) {
    const b = Buffer.allocUnsafeSlow(4000).fill(i & 0xff);
    all.push(b);
    if (i % 64 === 0) kept.push(b);
  }
  all = [];
  expect(all.length).toBe(0);
  fullCollector('node')?.();
  await sleep(300); // backing stores are freed by V8's sweeper, off the GC's own pause
  fullCollector('node')?.();
  return kept;
}

describe('trimApplies', () => {
  it('plain Node on Linux only', () => {
    expect(trimApplies('node', 'linux', {})).toBe(true);
    expect(trimApplies('bun', 'linux', process.versions)).toBe(false);
    expect(trimApplies('node', 'darwin', process.versions)).toBe(false);
    expect(trimApplies('node', 'win32', process.versions)).toBe(false);
    expect(trimApplies('node', 'linux', { ...process.versions, electron: '45.0.0' })).toBe(false);
  });
});

describe.runIf(linuxNode)('mallocTrim', () => {
  it('gives a fragmented C heap back to the OS', async () => {
    const trim = mallocTrim('node');
    expect(trim).toBeTypeOf('function');
    const kept = await fragmentHeap();
    const before = process.memoryUsage.rss();
    expect(trim?.()).toBe(true);
    const after = process.memoryUsage.rss();
    expect(kept.length).toBe(250);
    expect(before - after).toBeGreaterThan(20 * MB);
  });

  it('without it, the same heap stays resident (the test above measures the call, not the GC)', async () => {
    const kept = await fragmentHeap();
    const before = process.memoryUsage.rss();
    await sleep(300);
    expect(before - process.memoryUsage.rss()).toBeLessThan(8 * MB);
    expect(kept.length).toBe(250);
  });
});

describe.runIf(linuxNode)('MemorySettle', () => {
  it('trims the tick after its collection, and logs what came back', async () => {
    const lines: Array<Record<string, unknown>> = [];
    const settle = new MemorySettle({
      runtime: 'node',
      logger: createLogger({ level: 'debug', write: (l) => lines.push(JSON.parse(l) as Record<string, unknown>) }),
      trimExcessBytes: 0,
    });
    try {
      const kept = await fragmentHeap();
      await expect.poll(() => lines.find((l) => l.msg === 'memory trimmed'), { timeout: (SETTLE_QUIET_TICKS + 10) * SETTLE_TICK_MS }).toBeDefined();
      const trimmed = lines.find((l) => l.msg === 'memory trimmed') as { rssBeforeMB: number; rssAfterMB: number };
      expect(lines.findIndex((l) => l.msg === 'memory settled')).toBeLessThan(lines.findIndex((l) => l.msg === 'memory trimmed'));
      expect(trimmed.rssAfterMB).toBeLessThanOrEqual(trimmed.rssBeforeMB);
      expect(kept.length).toBe(250);
    } finally {
      settle.dispose();
    }
  }, 30_000);
});
