// A benchmark, not a test: `npm run bench` runs it (benchmarks/vitest.measure.config.ts), and
// `npm test` never does, so an ordinary test run leaves benchmarks/results alone.
// Time from opening a share link to the first screen on show, on loopback in headless Chromium:
// performance.now() (ms since navigation start) once a frame showing the session's screen has
// been painted (renderer/src/viewer.ts sets portholeProbe.firstScreenMs): the server-drawn
// preview (renderer/src/preview.ts) when it came first, else xterm.js's first redraw. A second
// figure, xtermScreenMs, is when xterm.js painted the redraw (the terminal is live from then).
// Two cases, each over many opens: a cold visitor (fresh browser context, empty HTTP cache) and
// a warm reopen (same context, cached assets). Results go to benchmarks/results/first-screen.json
// and .md. Issue 13's target is <= 250 ms; it is recorded, not asserted (a loaded CI box
// would make a wall-time assertion flaky). The file holds the e2e lock exclusively, so no other
// browser test (say the 30 MB flood) runs while it measures; the machine's load is recorded.
// FIRST_SCREEN_BASELINE=DIR (a renderer build, e.g. of the commit before a change) adds a second
// server serving DIR, and every cold open is made on both in turn (A/B interleaved).
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { resolve } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import {
  e2eBrowserSuite,
  chromiumAvailable,
  e2eServer,
  input,
  makeShare,
  openLink,
  ROOT,
  snapshot,
  termText,
} from '../tests/e2e/harness.js';
import type { TestServer } from '../tests/helpers/server.js';

const TARGET_MS = 250;
const BASELINE = process.env.FIRST_SCREEN_BASELINE ? resolve(process.env.FIRST_SCREEN_BASELINE) : null;
const WARMUP = 2;
const OPENS = 20;
const OUT = resolve(ROOT, 'benchmarks/results');

/** Nearest-rank percentile of an ascending list. */
function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

function summary(samples: number[]): { n: number; p50: number; p90: number; p95: number; min: number; max: number; mean: number } {
  const s = [...samples].sort((a, b) => a - b);
  const mean = Math.round(s.reduce((a, b) => a + b, 0) / s.length);
  return { n: s.length, p50: percentile(s, 50), p90: percentile(s, 90), p95: percentile(s, 95), min: s[0], max: s[s.length - 1], mean };
}

interface Open {
  /** The screen on show (preview or xterm.js), by the page's probe. */
  first: number;
  /** The same moment seen from outside (watchPaint): the same code measures every build (the
   *  probe's own stamp moved with the preview: it is now taken after the frame's paint, the old
   *  one at the start of that frame). */
  painted: number;
  /** xterm.js's redraw painted (a build without the probe field: the same as `first`). */
  xterm: number;
  preview: boolean;
}

/** Before the page loads: note when a frame showing the screen's text (preview or xterm.js's
 *  DOM rows) has been painted. A MutationObserver sees the text as soon as it is in the DOM
 *  (before the WebGL renderer can take xterm's rows away); the stamp is taken by a task queued
 *  in the next animation frame, which runs after that frame's paint. (The browser's
 *  largest-contentful-paint entries would be neater, but arrive after the rows are gone.) */
function watchPaint(): void {
  const w = window as unknown as { screenPaintMs?: number };
  const mo = new MutationObserver(() => {
    const el = document.querySelector('.preview-screen') ?? document.querySelector('.xterm-rows');
    if (!el?.textContent?.includes('row 40 of')) return;
    mo.disconnect();
    requestAnimationFrame(() => {
      const ch = new MessageChannel();
      ch.port1.onmessage = () => (w.screenPaintMs = Math.round(performance.now()));
      ch.port2.postMessage(null);
    });
  });
  mo.observe(document, { childList: true, subtree: true, characterData: true });
}

/** Reads an open page's probe once its first screen is in. */
async function probeOf(page: Page): Promise<Open> {
  await page.waitForFunction(() => window.portholeProbe?.firstScreenMs != null, null, { timeout: 10_000 });
  await page.waitForFunction(() => (window as unknown as { screenPaintMs?: number }).screenPaintMs !== undefined, null, { timeout: 10_000 });
  const p = await page.evaluate(() => ({ ...window.portholeProbe!, text: undefined, painted: (window as unknown as { screenPaintMs: number }).screenPaintMs }));
  // The number only counts if the screen really is the session's screen.
  expect(await termText(page)).toContain('row 40 of');
  return { first: p.firstScreenMs!, painted: p.painted, xterm: p.xtermScreenMs ?? p.firstScreenMs!, preview: p.previewMs != null };
}

/** Opens the link in a page of `context` (the warm case). */
async function openIn(context: BrowserContext, url: string): Promise<Open> {
  const page = await context.newPage();
  try {
    await page.goto(url);
    return await probeOf(page);
  } finally {
    await page.close();
  }
}

/** Opens the link as a first-time visitor: a context of its own, closed at once after. */
async function openCold(suite: Parameters<typeof openLink>[0], url: string): Promise<Open> {
  const { context, page } = await openLink(suite, url, { before: (pg) => pg.addInitScript(watchPaint) });
  try {
    return await probeOf(page);
  } finally {
    await context.close();
  }
}

async function sessionWithScreen(ts: TestServer): Promise<string> {
  const s = await ts.createSession({ command: ['bash', '--norc', '--noprofile', '-i'], env: { PS1: '$ ' }, cols: 100, rows: 30 });
  await input(ts, s.id, 'for i in $(seq 1 40); do echo "row $i of the first screen"; done\n');
  await expect.poll(() => snapshot(ts, s.id)).toContain('row 40 of');
  return (await makeShare(ts, s.id, 'view')).url;
}

describe.skipIf(!chromiumAvailable())('first screen (e2e measurement)', () => {
  const e2e = e2eBrowserSuite('exclusive');

  it('measures opening a link to the first screen rendered (cold and warm) into benchmarks/results', async () => {
    const url = await sessionWithScreen(await e2eServer());
    const baseUrl = BASELINE ? await sessionWithScreen(await e2eServer({ rendererDir: BASELINE })) : null;

    // Cold: a new context per open (no HTTP cache, no storage), as a first-time visitor; with a
    // baseline, the two builds alternate (which goes first alternates too).
    const cold: Open[] = [];
    const base: Open[] = [];
    for (let i = 0; i < WARMUP + OPENS; i++) {
      const order: Array<[string, Open[]]> = baseUrl ? [[url, cold], [baseUrl, base]] : [[url, cold]];
      if (i % 2 === 1) order.reverse();
      for (const [u, into] of order) {
        const o = await openCold(e2e, u);
        if (i >= WARMUP) into.push(o); // warm-ups: server JIT, browser process start-up
      }
    }
    // Warm: the same context reopening the link (assets from the HTTP cache).
    const warm: Open[] = [];
    const { context } = await openLink(e2e, 'about:blank');
    await context.addInitScript(watchPaint);
    for (let i = 0; i < WARMUP + OPENS; i++) {
      const o = await openIn(context, url);
      if (i >= WARMUP) warm.push(o);
    }

    // Other work on the machine slows the page's parse and layout: record how busy it was.
    const load = loadavg().map((x) => Math.round(x * 100) / 100);
    const fig = (opens: Open[], k: 'first' | 'painted' | 'xterm') => ({ ...summary(opens.map((o) => o[k])), samplesMs: opens.map((o) => o[k]) });
    const result = {
      name: 'first-screen',
      description:
        'ms from navigation start (performance.timeOrigin) to a painted frame showing the session screen (the preview drawn from GET /api/sessions/:id/preview, or xterm.js), and to xterm.js\'s redraw painted; opening a view link on loopback in headless Chromium (benchmarks/first-screen.measure.ts)',
      targetMs: TARGET_MS,
      screen: '100x30 session, 40 lines of output',
      cold: fig(cold, 'first'),
      coldPainted: fig(cold, 'painted'),
      coldXterm: fig(cold, 'xterm'),
      coldPreviewShown: cold.filter((o) => o.preview).length,
      warm: fig(warm, 'first'),
      warmPainted: fig(warm, 'painted'),
      warmXterm: fig(warm, 'xterm'),
      baseline: base.length ? { dir: BASELINE, cold: fig(base, 'first'), coldPainted: fig(base, 'painted'), coldXterm: fig(base, 'xterm') } : null,
      meetsTarget: { cold: summary(cold.map((o) => o.first)).p50 <= TARGET_MS, warm: summary(warm.map((o) => o.first)).p50 <= TARGET_MS },
      environment: { chromium: e2e.browser.version(), node: process.version, cpus: cpus().length, loadavg: load, renderer: 'dist/renderer (vite build)' },
      measuredAt: new Date().toISOString(),
    };
    mkdirSync(OUT, { recursive: true });
    writeFileSync(resolve(OUT, 'first-screen.json'), JSON.stringify(result, null, 2) + '\n');
    writeFileSync(resolve(OUT, 'first-screen.md'), markdown(result));
    expect(cold).toHaveLength(OPENS);
    expect(warm.every((o) => o.first > 0)).toBe(true);
  }, 120_000);
});

type Fig = ReturnType<typeof summary>;

function markdown(r: {
  targetMs: number;
  screen: string;
  cold: Fig;
  coldPainted: Fig;
  coldXterm: Fig;
  coldPreviewShown: number;
  warm: Fig;
  warmPainted: Fig;
  warmXterm: Fig;
  baseline: { dir: string | null; cold: Fig; coldPainted: Fig; coldXterm: Fig } | null;
  environment: { chromium: string; node: string; cpus: number; loadavg: number[] };
  measuredAt: string;
}): string {
  const row = (name: string, s: Fig, target = true): string =>
    `| ${name} | ${s.n} | ${s.p50} | ${s.p90} | ${s.min} | ${s.max} | ${target ? (s.p50 <= r.targetMs ? 'yes' : 'no') : ''} |`;
  return [
    '# First screen of a share link',
    '',
    'Written by `npm run bench` (benchmarks/first-screen.measure.ts): milliseconds from navigation start to a painted',
    'frame showing the session\'s screen (the preview the first chunk draws from `GET /api/sessions/:id/preview`, or',
    `xterm.js when it came first), and to xterm.js's own redraw painted (live from then), opening a view link on`,
    `loopback in headless Chromium (${r.screen}). Target: p50 ≤ ${r.targetMs} ms.`,
    '',
    `| case | opens | p50 ms | p90 ms | min ms | max ms | p50 ≤ ${r.targetMs} ms |`,
    '| --- | ---: | ---: | ---: | ---: | ---: | :---: |',
    row(`cold (new browser context, empty cache): screen on show, probe (preview in ${r.coldPreviewShown} of ${r.cold.n})`, r.cold),
    row('cold: screen on show, page-independent frame watch', r.coldPainted),
    row('cold: xterm.js redraw painted (interactive), probe', r.coldXterm, false),
    ...(r.baseline
      ? [
          row(`cold, baseline build (${r.baseline.dir}), interleaved: screen on show, probe (its stamp: start of the frame)`, r.baseline.cold),
          row('cold, baseline: screen on show, page-independent frame watch', r.baseline.coldPainted),
        ]
      : []),
    row('warm (same context, cached assets): screen on show, probe', r.warm),
    row('warm: screen on show, page-independent frame watch', r.warmPainted),
    row('warm: xterm.js redraw painted, probe', r.warmXterm, false),
    '',
    `Chromium ${r.environment.chromium}, Node ${r.environment.node}, ${r.environment.cpus} CPUs, load average`,
    `${r.environment.loadavg.join(' / ')} (1/5/15 min) when measured; other work on the machine slows the cold case most`,
    `(parsing and compiling xterm.js). Measured ${r.measuredAt}.`,
    '',
  ].join('\n');
}
