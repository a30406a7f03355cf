// A 30 MB output flood must not freeze the page: while it streams, script calls into the page
// are answered and its timers keep running (no wall-time threshold: see floodAndWatch), and when it ends the page shows the final screen (dropped output is
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
  openLink,
  snapshot,
} from './harness.js';
import type { TestServer } from '../helpers/server.js';

const SHELL = { command: ['bash', '--norc', '--noprofile', '-i'], env: { PS1: '$ ' }, cols: 120, rows: 40 };
const FLOOD =
  "yes 'flood 0123456789 abcdefghijklmnopqrstuvwxyz ABCDEFGHIJKLMNOPQRSTUVWXYZ !@#$%^&*()' | head -c 30000000; echo; echo FLOOD-$((1+1))-DONE\n";
const DONE = 'FLOOD-2-DONE';

/** Calls in a row (each ~100 ms apart) over which the page's timer must have advanced. */
const STALL_CALLS = 10;

/** The counter the page's own timer advances (floodAndWatch), read inside the page. */
function pageTicks(): number {
  return (window as unknown as { __ticks: number }).__ticks;
}

/** A script call into the page; a page frozen by the flood would never answer it. */
async function call<T>(page: Page, fn: () => T): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const frozen = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error('the page stopped answering during the flood')), 20_000)));
  try {
    return await Promise.race([page.evaluate(fn), frozen]);
  } finally {
    clearTimeout(timer);
  }
}

/** Starts the flood and, until the server's screen shows its end, calls into the page every
 *  ~100 ms and reads a counter that the page's own timer advances every 50 ms. No wall-time
 *  threshold (a loaded machine slows everything): the page must keep answering, and its timers
 *  must keep running across our calls (STALL_CALLS), i.e. the flood never starves its event loop for good. */
async function floodAndWatch(ts: TestServer, sessionId: string, page: Page): Promise<number[]> {
  await page.evaluate(() => {
    const w = window as unknown as { __ticks: number };
    w.__ticks = 0;
    setInterval(() => w.__ticks++, 50);
  });
  await input(ts, sessionId, FLOOD);
  const ticks: number[] = [];
  const deadline = Date.now() + 90_000;
  while (Date.now() < deadline) {
    ticks.push(await call(page, pageTicks));
    if ((await snapshot(ts, sessionId)).includes(DONE)) return ticks;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`the flood did not finish on the server within 90 s (${ticks.length} calls answered)`);
}

/** Waits for the page's terminal to show the end of the flood. The check runs in the page:
 *  copying a 10 000-line scrollback out every poll would itself load the page. */
async function waitForEnd(page: Page): Promise<void> {
  await page.waitForFunction((needle) => window.portholeProbe?.text().includes(needle), DONE, { timeout: 30_000, polling: 250 });
}

/** Through the flood every call is answered and the page's timer advanced over every
 *  STALL_CALLS of them; afterwards the page catches up to the final screen, still answers, and
 *  its timer has run. */
async function expectAnsweringThroughFlood(ts: TestServer, sessionId: string, page: Page): Promise<void> {
  const ticks = await floodAndWatch(ts, sessionId, page);
  expect(ticks.length).toBeGreaterThan(1);
  // A busy page may answer a call or two before its timer runs again (one such gap at the
  // flood's start failed CI on a loaded machine); a starved one falls behind for good.
  for (let i = STALL_CALLS; i < ticks.length; i++) expect(ticks[i], `timer ticks at call ${i}`).toBeGreaterThan(ticks[i - STALL_CALLS]);
  await waitForEnd(page);
  expect(await call(page, pageTicks)).toBeGreaterThan(ticks[0]);
}

describe.skipIf(!chromiumAvailable())('flood (e2e)', () => {
  const e2e = e2eBrowserSuite('shared');

  it('a 30 MB flood leaves the viewer page answering', async () => {
    const ts = await e2eServer();
    const s = await ts.createSession(SHELL);
    const share = await makeShare(ts, s.id, 'view');
    const { page, errors } = await openLink(e2e, share.url);
    await page.waitForFunction(() => (window.portholeProbe?.readyCount ?? 0) >= 1);
    await expectAnsweringThroughFlood(ts, s.id, page);
    expect(errors).toEqual([]);
  }, 180_000);

  it('a 30 MB flood leaves the control panel answering', async () => {
    const ts = await e2eServer();
    await ts.createSession({ ...SHELL, name: 'idle' });
    const s = await ts.createSession({ ...SHELL, name: 'flood' });
    const { page, errors } = await openLink(e2e, ts.server.ownerLink());
    await page.locator('.session-item', { hasText: 'flood' }).click();
    await page.waitForFunction(() => (window.portholeProbe?.readyCount ?? 0) >= 1);
    await expectAnsweringThroughFlood(ts, s.id, page);
    // The rest of the panel still works: another session opens.
    await page.locator('.session-item', { hasText: 'idle' }).click();
    await page.locator('.sv-name', { hasText: 'idle' }).waitFor();
    expect(errors).toEqual([]);
  }, 180_000);
});
