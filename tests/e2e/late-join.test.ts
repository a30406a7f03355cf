// A share link opened on a session with a long scrollback (issue 13, late join): the server sends
// the visible rows first and the whole state after a `resync` (viewer.ts, `scrollbackFollows`).
// The page must end with exactly the session's buffer: every scrollback line once, the visible
// rows not duplicated, and typing works meanwhile.
import { describe, expect, it } from 'vitest';
import { chromiumAvailable, e2eBrowserSuite, e2eServer, input, makeShare, newPage, snapshot, termText, waitForTerm } from './harness.js';

// Enough lines for the visible rows to come first (VISIBLE_FIRST_MIN_LINES in screen-worker.ts),
// too few for the idle serializer, so the state the page joins is not serialized yet.
const LINES = 900;

describe.skipIf(!chromiumAvailable())('late join on a long scrollback (e2e)', () => {
  const e2e = e2eBrowserSuite('shared');

  it('shows the visible rows first, then the scrollback, and ends with exactly the session buffer', async () => {
    const ts = await e2eServer();
    const s = await ts.createSession({ command: ['sh', '-c', `seq 1 ${LINES}; exec cat`], cols: 80, rows: 24 });
    await expect.poll(() => snapshot(ts, s.id), { timeout: 10_000 }).toContain(String(LINES));
    // The snapshot cached a serialization; one more line makes the screen new again.
    await input(ts, s.id, 'before\n');
    await new Promise((r) => setTimeout(r, 400));

    const share = await makeShare(ts, s.id, 'control');
    const { context, page, errors } = await newPage(e2e.browser);
    e2e.closers.push(() => context.close());
    const texts: string[] = [];
    page.on('websocket', (ws) => ws.on('framereceived', (f) => typeof f.payload === 'string' && texts.push(f.payload)));
    await page.goto(share.url);
    await waitForTerm(page, 'before\nbefore');
    await page.locator('.stage').click();
    await page.keyboard.type('after\n');
    await waitForTerm(page, 'after\nafter');

    const expected = [...Array.from({ length: LINES }, (_, i) => String(i + 1)), 'before', 'before', 'after', 'after'];
    await expect.poll(async () => (await termText(page)).split('\n')).toEqual(expected);
    expect(await snapshot(ts, s.id)).toContain('after\nafter');
    // The two pieces did happen: `ready` announced the scrollback, and its resync followed.
    const ready = JSON.parse(texts.find((t) => t.includes('"ready"')) ?? '{}') as { scrollbackFollows?: boolean };
    expect(ready.scrollbackFollows).toBe(true);
    expect(texts.some((t) => t.includes('"resync"'))).toBe(true);
    expect(await page.evaluate(() => window.portholeProbe!.readyCount)).toBe(1); // no reconnect
    expect(errors).toEqual([]);
  });
});
