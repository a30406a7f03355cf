// Measures the Files view with big folders (run on demand, not in CI):
//   PORTHOLE_BENCH=1 npx vitest run tests/e2e/files-bench.test.ts
// For 10,000 and 100,000 entries: the listing's time at the API, the view's time from the click
// on the folder to its list on screen (fetch + validate + render) and the render alone, the
// page's JS heap, row elements in the DOM, and the worst frame while scrolling end to end.
// Writes benchmarks/results/files-view.{json,md}.
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeTempDir } from '../helpers/server.js';
import { chromiumAvailable, e2eBrowserSuite, e2eServer, newPage, ROOT, waitForTerm } from './harness.js';

const COUNTS = [10_000, 100_000];
const RUNS = 3;

describe.skipIf(!chromiumAvailable() || !process.env.PORTHOLE_BENCH)('Files view with big folders (benchmark)', () => {
  const e2e = e2eBrowserSuite('exclusive');

  it('lists, renders and scrolls 10,000 and 100,000 entries', async () => {
    const ts = await e2eServer();
    const root = await makeTempDir('porthole-files-bench-');
    for (const n of COUNTS) {
      const dir = path.join(root, `n${n}`);
      mkdirSync(dir);
      for (let i = 0; i < n; i++) writeFileSync(path.join(dir, `file-${i}.log`), '');
    }
    const s = await ts.createSession({ command: ['bash', '--norc', '--noprofile', '-i'], env: { PS1: '$ ' }, cwd: root, name: 'bench' });
    const { context, page, errors } = await newPage(e2e.browser);
    e2e.closers.push(() => context.close());
    await page.goto(ts.server.ownerLink());
    await page.locator('.session-item', { hasText: 'bench' }).click();
    await waitForTerm(page, '$ ');
    await page.getByRole('button', { name: 'Files in the session’s folder' }).click();
    await page.locator(`.files-view[data-path="${root}"]:not([aria-busy])`).waitFor();

    const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
    const rows: Array<Record<string, number>> = [];
    for (const n of COUNTS) {
      const dir = path.join(root, `n${n}`);
      const api: number[] = [];
      const load: number[] = [];
      const render: number[] = [];
      const worstFrame: number[] = [];
      let heapMB = 0;
      let domRows = 0;
      for (let r = 0; r < RUNS; r++) {
        const t0 = performance.now();
        const res = await ts.api(`/api/fs?path=${encodeURIComponent(dir)}`);
        await res.arrayBuffer();
        api.push(performance.now() - t0);

        await page.locator(`.fv-row[data-name="n${n}"]`).click();
        await page.locator(`.files-view[data-path="${dir}"]:not([aria-busy])`).waitFor({ timeout: 120_000 });
        expect(await page.locator('.files-view').getAttribute('data-count')).toBe(String(n));
        load.push(Number(await page.locator('.files-view').getAttribute('data-load-ms')));
        render.push(Number(await page.locator('.files-view').getAttribute('data-render-ms')));
        domRows = await page.locator('.fv-row').count();
        // Scroll end to end in 60 frames; the longest gap between frames is what a person feels.
        worstFrame.push(await page.locator('.fv-list').evaluate((el) => new Promise<number>((resolve) => {
          let last = performance.now();
          let worst = 0;
          let k = 0;
          const step = (): void => {
            const now = performance.now();
            if (k > 0) worst = Math.max(worst, now - last);
            last = now;
            el.scrollTop = (el.scrollHeight * k) / 60;
            if (++k <= 60) requestAnimationFrame(step);
            else resolve(worst);
          };
          requestAnimationFrame(step);
        })));
        heapMB = await page.evaluate(() => ((performance as unknown as { memory?: { usedJSHeapSize: number } }).memory?.usedJSHeapSize ?? 0) / 1048576);
        await page.locator('.fv-crumb', { hasText: path.basename(root) }).click();
        await page.locator(`.files-view[data-path="${root}"]:not([aria-busy])`).waitFor();
      }
      rows.push({ entries: n, apiMs: median(api), viewLoadMs: median(load), renderMs: median(render), worstFrameMs: median(worstFrame), heapMB, domRows });
    }
    expect(errors).toEqual([]);
    void s;
    const stamp = new Date().toISOString();
    const out = path.join(ROOT, 'benchmarks/results');
    writeFileSync(path.join(out, 'files-view.json'), JSON.stringify({ stamp, node: process.version, cpus: os.cpus().length, runs: RUNS, rows }, null, 2));
    writeFileSync(path.join(out, 'files-view.md'), [
      '# The Files view with big folders',
      '',
      `${stamp}; Chromium headless, Node ${process.version}, ${os.cpus().length} cores shared with other work (wall times are noisy); median of ${RUNS}. \`PORTHOLE_BENCH=1 npx vitest run tests/e2e/files-bench.test.ts\`.`,
      '',
      '`API`: `GET /api/fs` for the folder, whole body read. `view`: from the click on the folder to its list on screen (fetch, zod validation, render). `render`: the list alone. `worst frame`: the longest gap between frames while scrolling end to end in 60 frames. `heap`: the page\'s JS heap after it. `rows`: row elements in the DOM.',
      '',
      '| entries | API (ms) | view (ms) | render (ms) | worst frame (ms) | heap (MB) | rows in DOM |',
      '| ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
      ...rows.map((r) => `| ${r.entries.toLocaleString('en')} | ${r.apiMs.toFixed(0)} | ${r.viewLoadMs.toFixed(0)} | ${r.renderMs.toFixed(1)} | ${r.worstFrameMs.toFixed(0)} | ${r.heapMB.toFixed(0)} | ${r.domRows} |`),
      '',
    ].join('\n'));
    console.log(rows);
  }, 900_000);
});
