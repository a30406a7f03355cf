// A benchmark, not a test: `npm run bench` runs it (benchmarks/vitest.measure.config.ts), and
// `npm test` never does, so an ordinary test run leaves benchmarks/results alone.
// Time from opening a share link to the first screen rendered, on loopback in headless
// Chromium: performance.now() (ms since navigation start) when the first redraw has been parsed
// by xterm.js and a frame painted (renderer/src/viewer.ts sets portholeProbe.firstScreenMs).
// Two cases, each over many opens: a cold visitor (fresh browser context, empty HTTP cache) and
// a warm reopen (same context, cached assets). Results go to benchmarks/results/first-screen.json
// and .md. The target is <= 300 ms; it is recorded, not asserted (a loaded CI box
// would make a wall-time assertion flaky). The file holds the e2e lock exclusively, so no other
// browser test (say the 30 MB flood) runs while it measures; the machine's load is recorded.
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { resolve } from 'node:path';
import type { BrowserContext } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import {
  e2eBrowserSuite,
  chromiumAvailable,
  e2eServer,
  input,
  makeShare,
  newPage,
  ROOT,
  snapshot,
  termText,
} from '../tests/e2e/harness.js';

const TARGET_MS = 300;
const WARMUP = 2;
const OPENS = 20;
const OUT = resolve(ROOT, 'benchmarks/results');

/** Nearest-rank percentile of an ascending list. */
function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

function summary(samples: number[]): { n: number; p50: number; p95: number; min: number; max: number; mean: number } {
  const s = [...samples].sort((a, b) => a - b);
  const mean = Math.round(s.reduce((a, b) => a + b, 0) / s.length);
  return { n: s.length, p50: percentile(s, 50), p95: percentile(s, 95), min: s[0], max: s[s.length - 1], mean };
}

/** Opens the link in a page of `context`, returns the page's first-screen time. */
async function openOnce(context: BrowserContext, url: string): Promise<number> {
  const page = await context.newPage();
  try {
    await page.goto(url);
    await page.waitForFunction(() => window.portholeProbe?.firstScreenMs != null, null, { timeout: 10_000 });
    const ms = await page.evaluate(() => window.portholeProbe!.firstScreenMs!);
    // The number only counts if the screen really is the session's screen.
    expect(await termText(page)).toContain('row 40 of');
    return ms;
  } finally {
    await page.close();
  }
}

describe.skipIf(!chromiumAvailable())('first screen (e2e measurement)', () => {
  const e2e = e2eBrowserSuite('exclusive');

  it('measures opening a link to the first screen rendered (cold and warm) into benchmarks/results', async () => {
    const ts = await e2eServer();
    const s = await ts.createSession({ command: ['bash', '--norc', '--noprofile', '-i'], env: { PS1: '$ ' }, cols: 100, rows: 30 });
    await input(ts, s.id, 'for i in $(seq 1 40); do echo "row $i of the first screen"; done\n');
    await expect.poll(() => snapshot(ts, s.id)).toContain('row 40 of');
    const share = await makeShare(ts, s.id, 'view');

    // Cold: a new context per open (no HTTP cache, no storage), as a first-time visitor.
    const cold: number[] = [];
    for (let i = 0; i < WARMUP + OPENS; i++) {
      const { context } = await newPage(e2e.browser);
      try {
        const ms = await openOnce(context, share.url);
        if (i >= WARMUP) cold.push(ms); // warm-ups: server JIT, browser process start-up
      } finally {
        await context.close();
      }
    }
    // Warm: the same context reopening the link (assets from the HTTP cache).
    const warm: number[] = [];
    const { context } = await newPage(e2e.browser);
    e2e.closers.push(() => context.close());
    for (let i = 0; i < WARMUP + OPENS; i++) {
      const ms = await openOnce(context, share.url);
      if (i >= WARMUP) warm.push(ms);
    }

    // Other work on the machine slows the page's parse and layout: record how busy it was.
    const load = loadavg().map((x) => Math.round(x * 100) / 100);
    const result = {
      name: 'first-screen',
      description:
        'ms from navigation start (performance.timeOrigin) to the first redraw parsed by xterm.js and painted, opening a view link on loopback in headless Chromium (benchmarks/first-screen.measure.ts)',
      targetMs: TARGET_MS,
      screen: '100x30 session, 40 lines of output',
      cold: { ...summary(cold), samplesMs: cold },
      warm: { ...summary(warm), samplesMs: warm },
      meetsTarget: { cold: summary(cold).p95 <= TARGET_MS, warm: summary(warm).p95 <= TARGET_MS },
      environment: { chromium: e2e.browser.version(), node: process.version, cpus: cpus().length, loadavg: load, renderer: 'dist/renderer (vite build)' },
      measuredAt: new Date().toISOString(),
    };
    mkdirSync(OUT, { recursive: true });
    writeFileSync(resolve(OUT, 'first-screen.json'), JSON.stringify(result, null, 2) + '\n');
    writeFileSync(resolve(OUT, 'first-screen.md'), markdown(result));
    expect(cold).toHaveLength(OPENS);
    expect(warm.every((ms) => ms > 0)).toBe(true);
  }, 120_000);
});

function markdown(r: {
  targetMs: number;
  screen: string;
  cold: ReturnType<typeof summary>;
  warm: ReturnType<typeof summary>;
  environment: { chromium: string; node: string; cpus: number; loadavg: number[] };
  measuredAt: string;
}): string {
  const row = (name: string, s: ReturnType<typeof summary>): string =>
    `| ${name} | ${s.n} | ${s.p50} | ${s.p95} | ${s.min} | ${s.max} | ${s.p95 <= r.targetMs ? 'yes' : 'no'} |`;
  return [
    '# First screen of a share link',
    '',
    'Written by `npm run bench` (benchmarks/first-screen.measure.ts): milliseconds from navigation start to the',
    'first redraw parsed by xterm.js and painted, opening a view link on loopback in headless Chromium',
    `(${r.screen}). Target: ≤ ${r.targetMs} ms.`,
    '',
    `| case | opens | p50 ms | p95 ms | min ms | max ms | p95 ≤ ${r.targetMs} ms |`,
    '| --- | ---: | ---: | ---: | ---: | ---: | :---: |',
    row('cold (new browser context, empty cache)', r.cold),
    row('warm (same context, cached assets)', r.warm),
    '',
    `Chromium ${r.environment.chromium}, Node ${r.environment.node}, ${r.environment.cpus} CPUs, load average`,
    `${r.environment.loadavg.join(' / ')} (1/5/15 min) when measured; other work on the machine slows the cold case most`,
    `(parsing and compiling xterm.js). Measured ${r.measuredAt}.`,
    '',
  ].join('\n');
}
