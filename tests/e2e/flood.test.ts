// A 30 MB output flood must not freeze the page: while it streams, a script call into the page
// answers within 1 s, and when it ends the page shows the final screen (dropped output is
// replaced by the server's redraw, not lost in a frozen tab).
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { chromiumAvailable, e2eServer, ensureRendererBuilt, input, launchBrowser, makeShare, newPage, snapshot, waitForTerm } from './harness.js';

const closers: Array<() => Promise<void>> = [];
let browser: Browser;
const SHELL = { command: ['bash', '--norc', '--noprofile', '-i'], env: { PS1: '$ ' }, cols: 120, rows: 40 };
const FLOOD =
  "yes 'flood 0123456789 abcdefghijklmnopqrstuvwxyz ABCDEFGHIJKLMNOPQRSTUVWXYZ !@#$%^&*()' | head -c 30000000; echo; echo FLOOD-$((1+1))-DONE\n";

async function watchResponsiveness(page: Page, until: () => Promise<boolean>, maxMs: number): Promise<number[]> {
  const latencies: number[] = [];
  const deadline = Date.now() + maxMs;
  while (Date.now() < deadline) {
    const t0 = Date.now();
    await page.evaluate(() => document.title.length);
    latencies.push(Date.now() - t0);
    if (await until()) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  return latencies;
}

describe.skipIf(!chromiumAvailable())('flood (e2e)', () => {
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

  it('a 30 MB flood leaves the viewer page answering within 1 s', async () => {
    const ts = await e2eServer();
    const s = await ts.createSession(SHELL);
    const share = await makeShare(ts, s.id, 'view');
    const { context, page, errors } = await newPage(browser);
    closers.push(() => context.close());
    await page.goto(share.url);
    await page.waitForFunction(() => (window.portholeProbe?.readyCount ?? 0) >= 1);
    await input(ts, s.id, FLOOD);
    let serverDone = false;
    const latencies = await watchResponsiveness(
      page,
      async () => {
        serverDone ||= (await snapshot(ts, s.id)).includes('FLOOD-2-DONE');
        return serverDone;
      },
      90_000,
    );
    expect(serverDone).toBe(true);
    expect(Math.max(...latencies)).toBeLessThan(1000);
    // The page catches up to the final screen.
    await waitForTerm(page, 'FLOOD-2-DONE', 30_000);
    const t0 = Date.now();
    await page.evaluate(() => 1);
    expect(Date.now() - t0).toBeLessThan(1000);
    expect(errors).toEqual([]);
  }, 180_000);
});
