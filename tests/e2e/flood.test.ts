// A 30 MB output flood must not freeze the page: while it streams, a script call into the page
// answers within 1 s, and when it ends the page shows the final screen (dropped output is
// replaced by the server's redraw, not lost in a frozen tab). Both pages that show a session
// are checked, each alone in its browser as it would be on its own machine: a share-link viewer
// and the owner's control panel.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import {
  e2eBrowserSuite,
  chromiumAvailable,
  e2eServer,
  input,
  makeShare,
  newPage,
  snapshot,
} from './harness.js';
import type { TestServer } from '../helpers/server.js';

const SHELL = { command: ['bash', '--norc', '--noprofile', '-i'], env: { PS1: '$ ' }, cols: 120, rows: 40 };
const FLOOD =
  "yes 'flood 0123456789 abcdefghijklmnopqrstuvwxyz ABCDEFGHIJKLMNOPQRSTUVWXYZ !@#$%^&*()' | head -c 30000000; echo; echo FLOOD-$((1+1))-DONE\n";
const DONE = 'FLOOD-2-DONE';

/** Starts the flood and times a trivial script call into the page every ~100 ms until the
 *  server's screen shows the end of it; returns the latencies (ms). */
async function floodAndWatch(ts: TestServer, sessionId: string, page: Page): Promise<number[]> {
  await input(ts, sessionId, FLOOD);
  const latencies: number[] = [];
  const deadline = Date.now() + 90_000;
  while (Date.now() < deadline) {
    const t0 = Date.now();
    await page.evaluate(() => document.title.length);
    latencies.push(Date.now() - t0);
    if ((await snapshot(ts, sessionId)).includes(DONE)) return latencies;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`the flood did not finish on the server within 90 s (latencies so far: ${latencies.join(', ')})`);
}

/** Waits for the page's terminal to show the end of the flood. The check runs in the page:
 *  copying a 10 000-line scrollback out every poll would itself load the page. */
async function waitForEnd(page: Page): Promise<void> {
  await page.waitForFunction((needle) => window.portholeProbe?.text().includes(needle), DONE, { timeout: 30_000, polling: 250 });
}

/** During the flood every script call is answered within 1 s; afterwards the page catches up
 *  to the final screen and still answers within 1 s. */
async function expectAnsweringThroughFlood(ts: TestServer, sessionId: string, page: Page): Promise<void> {
  const latencies = await floodAndWatch(ts, sessionId, page);
  expect(Math.max(...latencies)).toBeLessThan(1000);
  await waitForEnd(page);
  const t0 = Date.now();
  await page.evaluate(() => 1);
  expect(Date.now() - t0).toBeLessThan(1000);
}

describe.skipIf(!chromiumAvailable())('flood (e2e)', () => {
  const e2e = e2eBrowserSuite('shared');

  it('a 30 MB flood leaves the viewer page answering within 1 s', async () => {
    const ts = await e2eServer();
    const s = await ts.createSession(SHELL);
    const share = await makeShare(ts, s.id, 'view');
    const { context, page, errors } = await newPage(e2e.browser);
    e2e.closers.push(() => context.close());
    await page.goto(share.url);
    await page.waitForFunction(() => (window.portholeProbe?.readyCount ?? 0) >= 1);
    await expectAnsweringThroughFlood(ts, s.id, page);
    expect(errors).toEqual([]);
  }, 180_000);

  it('a 30 MB flood leaves the control panel answering within 1 s', async () => {
    const ts = await e2eServer();
    await ts.createSession({ ...SHELL, name: 'idle' });
    const s = await ts.createSession({ ...SHELL, name: 'flood' });
    const { context, page, errors } = await newPage(e2e.browser);
    e2e.closers.push(() => context.close());
    await page.goto(ts.server.ownerLink());
    await page.locator('.session-item', { hasText: 'flood' }).click();
    await page.waitForFunction(() => (window.portholeProbe?.readyCount ?? 0) >= 1);
    await expectAnsweringThroughFlood(ts, s.id, page);
    // The rest of the panel still works: another session opens.
    await page.locator('.session-item', { hasText: 'idle' }).click();
    await page.locator('.sv-name', { hasText: 'idle' }).waitFor();
    expect(errors).toEqual([]);
  }, 180_000);
});
