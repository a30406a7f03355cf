// Share links in Chromium against a real server: a view link sees output and cannot type, a
// control link can, revoking shows the revoked screen within 2 s, a dropped socket reconnects
// without duplicated lines, viewers never resize the session, and the time from opening a link
// to the first screen is measured into benchmarks/results/viewer-first-screen.json.
import { mkdirSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  chromiumAvailable,
  count,
  e2eServer,
  ensureRendererBuilt,
  input,
  launchBrowser,
  makeShare,
  newPage,
  ROOT,
  snapshot,
  termText,
  waitForTerm,
} from './harness.js';

const closers: Array<() => Promise<void>> = [];
let browser: Browser;
const SHELL = { command: ['bash', '--norc', '--noprofile', '-i'], env: { PS1: '$ ' }, cols: 100, rows: 30 };

describe.skipIf(!chromiumAvailable())('share-link viewer (e2e)', () => {
  beforeAll(async () => {
    ensureRendererBuilt();
    browser = await launchBrowser();
  }, 120_000);
  afterEach(async () => {
    for (const c of closers.splice(0).reverse()) await c().catch(() => undefined);
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('a view link sees the output at the owner size, cannot type, and never resizes', async () => {
    const ts = await e2eServer();
    const s = await ts.createSession(SHELL);
    await input(ts, s.id, 'echo view-$((40+2))\n');
    const share = await makeShare(ts, s.id, 'view');
    const { context, page, errors } = await newPage(browser, { viewport: { width: 700, height: 500 } });
    closers.push(() => context.close());
    await page.goto(share.url);
    await waitForTerm(page, 'view-42');
    expect(page.url()).toBe(`${ts.url}/s/${s.id}`);
    expect(await page.locator('.badge').textContent()).toBe('View only');
    expect(await page.evaluate(() => window.portholeProbe!.size())).toEqual({ cols: 100, rows: 30 });
    // Typing goes nowhere.
    await page.locator('.stage').click();
    await page.keyboard.type('echo typed-by-viewer\n');
    await new Promise((r) => setTimeout(r, 500));
    expect(await snapshot(ts, s.id)).not.toContain('typed-by-viewer');
    // The session kept its size (a viewer never resizes it), and new output still arrives.
    expect((await ts.json<{ cols: number; rows: number }>(`/api/sessions/${s.id}`)).body).toMatchObject({ cols: 100, rows: 30 });
    await input(ts, s.id, 'echo more-$((1+1))\n');
    await waitForTerm(page, 'more-2');
    // The owner resizes: the viewer follows exactly.
    await ts.api(`/api/sessions/${s.id}/resize`, { body: { cols: 90, rows: 25 } });
    await expect.poll(() => page.evaluate(() => window.portholeProbe!.size())).toEqual({ cols: 90, rows: 25 });
    expect(errors).toEqual([]);
  });

  it('a control link can type, and says so', async () => {
    const ts = await e2eServer();
    const s = await ts.createSession(SHELL);
    const share = await makeShare(ts, s.id, 'control');
    const { context, page, errors } = await newPage(browser);
    closers.push(() => context.close());
    await page.goto(share.url);
    await page.waitForFunction(() => window.portholeProbe?.mode === 'control');
    expect(await page.locator('.badge').textContent()).toContain('your typing goes to the terminal');
    await page.locator('.stage').click();
    await page.keyboard.type('echo ctl-$((2+3))\n');
    await waitForTerm(page, 'ctl-5');
    await expect.poll(() => snapshot(ts, s.id)).toContain('ctl-5');
    expect(errors).toEqual([]);
  });

  it('revoking the share shows the revoked screen within 2 s', async () => {
    const ts = await e2eServer();
    const s = await ts.createSession(SHELL);
    const share = await makeShare(ts, s.id, 'view');
    const { context, page } = await newPage(browser);
    closers.push(() => context.close());
    await page.goto(share.url);
    await page.waitForFunction(() => (window.portholeProbe?.readyCount ?? 0) >= 1);
    const t0 = Date.now();
    const res = await ts.api(`/api/shares/${share.id}`, { method: 'DELETE' });
    expect(res.status).toBe(204);
    await page.locator('[data-screen=revoked]').waitFor({ timeout: 2000 });
    expect(Date.now() - t0).toBeLessThanOrEqual(2000);
    expect(await page.locator('[data-screen=revoked] h1').textContent()).toBe('This link was revoked');
  });

  it('says when the link has expired, or the session does not exist', async () => {
    const ts = await e2eServer();
    const s = await ts.createSession(SHELL);
    const share = await makeShare(ts, s.id, 'view', 1);
    const { context, page } = await newPage(browser);
    closers.push(() => context.close());
    await page.goto(share.url);
    await page.locator('[data-screen=expired]').waitFor({ timeout: 5000 });
    const other = await makeShare(ts, s.id, 'view');
    await ts.api(`/api/sessions/${s.id}`, { method: 'DELETE' });
    const p2 = await context.newPage();
    await p2.goto(other.url);
    await p2.locator('[data-screen=not-found], [data-screen=ended], [data-screen=invalid], [data-screen=revoked]').first().waitFor({ timeout: 5000 });
  });

  it('shows the ended screen when the session exits', async () => {
    const ts = await e2eServer();
    const s = await ts.createSession(SHELL);
    const share = await makeShare(ts, s.id, 'view');
    const { context, page } = await newPage(browser);
    closers.push(() => context.close());
    await page.goto(share.url);
    await page.waitForFunction(() => (window.portholeProbe?.readyCount ?? 0) >= 1);
    await input(ts, s.id, 'exit 3\n');
    await page.locator('[data-screen=ended]').waitFor({ timeout: 5000 });
    expect(await page.locator('[data-screen=ended]').textContent()).toContain('code 3');
  });

  it('reconnects after the socket drops and redraws without duplicated lines', async () => {
    const ts = await e2eServer();
    const s = await ts.createSession(SHELL);
    for (let i = 0; i < 5; i++) await input(ts, s.id, `echo line-${i}-$((i*0+${i}))\n`);
    const share = await makeShare(ts, s.id, 'view');
    const { context, page, errors } = await newPage(browser);
    closers.push(() => context.close());
    await page.goto(share.url);
    await waitForTerm(page, 'line-4-4');
    expect(count(await termText(page), 'line-4-4')).toBe(1);
    await page.evaluate(() => window.portholeProbe!.dropSocket());
    await page.waitForFunction(() => (window.portholeProbe?.readyCount ?? 0) >= 2, null, { timeout: 10_000 });
    await input(ts, s.id, 'echo after-$((9*9))\n');
    const text = await waitForTerm(page, 'after-81');
    for (let i = 0; i < 5; i++) expect(count(text, `line-${i}-${i}`)).toBe(1);
    expect(count(text, 'after-81')).toBe(1);
    expect(errors).toEqual([]);
  });

  it('measures the time from opening a link to the first screen rendered', async () => {
    const ts = await e2eServer();
    const s = await ts.createSession(SHELL);
    await input(ts, s.id, 'for i in $(seq 1 40); do echo "row $i of the first screen"; done\n');
    await expect.poll(() => snapshot(ts, s.id)).toContain('row 40 of');
    const share = await makeShare(ts, s.id, 'view');
    const { context } = await newPage(browser);
    closers.push(() => context.close());
    // One warm-up (browser caches, server JIT), then measured runs, each a fresh page.
    const samples: number[] = [];
    const wall: number[] = [];
    for (let i = 0; i < 8; i++) {
      const page = await context.newPage();
      const t0 = Date.now();
      await page.goto(share.url);
      await page.waitForFunction(() => window.portholeProbe?.firstScreenMs != null, null, { timeout: 10_000 });
      const ms = await page.evaluate(() => window.portholeProbe!.firstScreenMs!);
      const elapsed = Date.now() - t0;
      expect(await termText(page)).toContain('row 40 of');
      if (i > 0) {
        samples.push(ms);
        wall.push(elapsed);
      }
      await page.close();
    }
    const sorted = [...samples].sort((a, b) => a - b);
    const median = sorted[Math.floor(sorted.length / 2)];
    const result = {
      name: 'viewer-first-screen',
      description: 'ms from navigation start (performance.timeOrigin) to the first redraw painted, share link on loopback, headless Chromium',
      targetMs: 300,
      medianMs: median,
      minMs: sorted[0],
      maxMs: sorted[sorted.length - 1],
      samplesMs: samples,
      wallClockMedianMs: [...wall].sort((a, b) => a - b)[Math.floor(wall.length / 2)],
      renderer: 'dist/renderer (vite build)',
      measuredAt: new Date().toISOString(),
    };
    const dir = resolve(ROOT, 'benchmarks/results');
    mkdirSync(dir, { recursive: true });
    writeFileSync(resolve(dir, 'viewer-first-screen.json'), JSON.stringify(result, null, 2) + '\n');
    expect(median).toBeLessThanOrEqual(1000); // the target is 300 ms; a loaded CI box gets slack
  });
});
