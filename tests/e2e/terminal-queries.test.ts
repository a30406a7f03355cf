// A program's terminal queries get exactly one answer with pages open: the pages never answer
// (renderer/src/terminal.ts swallows the queries), the server's screen does. Before, every
// owner and control page answered: with an owner page and two control links a program that
// printed ESC[6n ESC[c read three answers to each.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { e2eBrowserSuite, chromiumAvailable, e2eServer, input, makeShare, newPage, snapshot, waitForTerm } from './harness.js';
import type { TestServer } from '../helpers/server.js';

const PROGRAM = ['sh', '-c', `read go; exec node ${new URL('../helpers/query-program.mjs', import.meta.url).pathname}`];

/** Starts the program once the pages are up, waits until each page has parsed its queries,
 *  ends it and returns its count of answers. */
async function countReplies(ts: TestServer, id: string, pages: Page[]): Promise<string> {
  await input(ts, id, 'go\n');
  for (const p of pages) await waitForTerm(p, 'QUERIES-SENT');
  await new Promise((r) => setTimeout(r, 700)); // any page answer is on its way by now
  await input(ts, id, 'done');
  await expect.poll(() => snapshot(ts, id), { timeout: 10_000 }).toContain('REPLIES');
  return /REPLIES \S+ \S+ \S+/.exec(await snapshot(ts, id))![0];
}

describe.skipIf(!chromiumAvailable())('terminal queries with pages open (e2e)', () => {
  const e2e = e2eBrowserSuite('shared');

  it('one view page: exactly one answer (the server\'s)', async () => {
    const ts = await e2eServer();
    const s = await ts.createSession({ command: PROGRAM });
    const view = await makeShare(ts, s.id, 'view');
    const v = await newPage(e2e.browser);
    e2e.closers.push(() => v.context.close());
    await v.page.goto(view.url);
    await v.page.waitForFunction(() => (window.portholeProbe?.readyCount ?? 0) >= 1);
    expect(await countReplies(ts, s.id, [v.page])).toBe('REPLIES cpr=1 da=1 osc=1');
  });

  it('the owner page and two control pages: exactly one answer', async () => {
    const ts = await e2eServer();
    const s = await ts.createSession({ command: PROGRAM, name: 'asks' });
    const pages: Page[] = [];
    const owner = await newPage(e2e.browser);
    e2e.closers.push(() => owner.context.close());
    await owner.page.goto(ts.server.ownerLink());
    await owner.page.locator('.session-item', { hasText: 'asks' }).click();
    await owner.page.waitForFunction(() => (window.portholeProbe?.readyCount ?? 0) >= 1);
    pages.push(owner.page);
    for (let i = 0; i < 2; i++) {
      const control = await makeShare(ts, s.id, 'control');
      const c = await newPage(e2e.browser);
      e2e.closers.push(() => c.context.close());
      await c.page.goto(control.url);
      await c.page.waitForFunction(() => window.portholeProbe?.mode === 'control');
      pages.push(c.page);
    }
    expect(await countReplies(ts, s.id, pages)).toBe('REPLIES cpr=1 da=1 osc=1');
  });
});
