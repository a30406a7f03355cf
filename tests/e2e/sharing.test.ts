// Contract section 8 in Chromium against a real server: a view link asks for control, the
// owner allows it from the panel, and the viewer's typing lands in the session; a dropped
// socket mid-output resumes with only the gap (nothing twice, no redraw); an ended session
// offers Replay, also from a browser that restarted. With PORTHOLE_SCREENSHOTS=1 it also
// writes docs/screenshots/{watching-now,control-request,replay-offer}.png.
import { resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { chromiumAvailable, count, e2eBrowserSuite, e2eServer, input, makeShare, newPage, openLink, ROOT, snapshot, termText, waitForTerm } from './harness.js';

const SHELL = { command: ['bash', '--norc', '--noprofile', '-i'], env: { PS1: '$ ' }, cols: 100, rows: 30 };
const SHOTS = process.env.PORTHOLE_SCREENSHOTS ? resolve(ROOT, 'docs/screenshots') : null;

async function shot(page: Page, name: string): Promise<void> {
  if (SHOTS) await page.screenshot({ path: resolve(SHOTS, `${name}.png`) });
}

describe.skipIf(!chromiumAvailable())('sharing, section 8 (e2e)', () => {
  const e2e = e2eBrowserSuite('shared');

  it('a view link requests control, the owner allows it in the panel, the viewer types into the session', async () => {
    const ts = await e2eServer();
    const s = await ts.createSession({ ...SHELL, name: 'pairing' });
    const r = await ts.json<{ url: string }>(`/api/sessions/${s.id}/shares`, { body: { mode: 'view', label: 'Dana' } });
    const owner = await openLink(e2e, ts.server.ownerLink());
    await owner.page.locator('.session-item', { hasText: 'pairing' }).click();
    await owner.page.waitForFunction(() => (window.portholeProbe?.readyCount ?? 0) >= 1);

    const viewer = await openLink(e2e, r.body.url);
    const ask = viewer.page.getByRole('button', { name: 'Request control' });
    await ask.waitFor();
    expect(await viewer.page.locator('.viewer-bar .badge').getAttribute('data-mode')).toBe('view');
    await ask.click();
    expect(await viewer.page.locator('.ask-btn').textContent()).toContain('Asked');

    // The owner hears of it at once: a toast with Allow / Deny.
    const toast = owner.page.locator('.toast.control-request');
    await toast.waitFor({ timeout: 5000 });
    expect(await toast.textContent()).toContain('Dana');
    await shot(owner.page, 'control-request');
    await toast.getByRole('button', { name: 'Allow' }).click();
    await toast.waitFor({ state: 'detached' });

    // The viewer's badge switches live, and its typing reaches the PTY.
    await viewer.page.waitForFunction(() => document.querySelector('.viewer-bar .badge')?.getAttribute('data-mode') === 'control', null, { timeout: 5000 });
    expect(await ask.isHidden()).toBe(true);
    await viewer.page.locator('.viewer-stage').click();
    await viewer.page.keyboard.type('echo granted-$((6*7))\n');
    await expect.poll(() => snapshot(ts, s.id), { timeout: 10_000 }).toContain('granted-42');

    // The watching list shows both sockets; the owner takes control back from it.
    await owner.page.getByRole('button', { name: 'Share this session' }).click();
    const row = owner.page.locator('.watching-item', { hasText: 'Dana' });
    await row.waitFor();
    expect(await row.getAttribute('data-mode')).toBe('control');
    await expect.poll(() => row.locator('.typed').count()).toBe(1);
    expect(await owner.page.locator('.watching-item').count()).toBe(2);
    await shot(owner.page, 'watching-now');
    await row.getByRole('button', { name: /Take control back/ }).click();
    await viewer.page.waitForFunction(() => document.querySelector('.viewer-bar .badge')?.getAttribute('data-mode') === 'view', null, { timeout: 5000 });
    await viewer.page.keyboard.type('echo refused-$((5*5))\n');
    await input(ts, s.id, 'echo owner-marker\n');
    await expect.poll(() => snapshot(ts, s.id)).toContain('owner-marker');
    expect(await snapshot(ts, s.id)).not.toContain('refused-25');
    expect(owner.errors).toEqual([]);
    expect(viewer.errors).toEqual([]);
  });

  it('a socket dropped mid-output resumes: the gap is filled, nothing twice, no redraw', async () => {
    const ts = await e2eServer();
    const s = await ts.createSession(SHELL);
    const share = await makeShare(ts, s.id, 'view');
    const { page, errors } = await openLink(e2e, share.url);
    await page.waitForFunction(() => (window.portholeProbe?.readyCount ?? 0) >= 1);
    // Output that keeps coming while the socket is down: one numbered line every 20 ms.
    await input(ts, s.id, 'for i in $(seq 1 150); do echo "row-$i-end"; sleep 0.02; done; echo loop-$((2*50))-done\n');
    await waitForTerm(page, 'row-10-end');
    await page.evaluate(() => window.portholeProbe!.dropSocket());
    await page.waitForFunction(() => (window.portholeProbe?.readyCount ?? 0) >= 2, null, { timeout: 10_000 });
    const text = await waitForTerm(page, 'loop-100-done', 20_000);
    expect(await page.evaluate(() => window.portholeProbe?.resumedCount ?? 0)).toBe(1);
    for (let i = 1; i <= 150; i++) expect(count(text, `row-${i}-end`), `row-${i}`).toBe(1);
    expect(count(text, 'loop-100-done')).toBe(1);
    expect(errors).toEqual([]);
  });

  it('a resumed viewer keeps its scroll position (no reset, no jump to the bottom)', async () => {
    const ts = await e2eServer();
    const s = await ts.createSession(SHELL);
    await input(ts, s.id, 'seq 1 300 | sed "s/^/scroll-/"\n');
    await expect.poll(() => snapshot(ts, s.id)).toContain('scroll-300');
    const share = await makeShare(ts, s.id, 'view');
    const { page, errors } = await openLink(e2e, share.url);
    await waitForTerm(page, 'scroll-300');
    const box = (await page.locator('.viewer-stage').boundingBox())!;
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await page.mouse.wheel(0, -1500);
    await expect.poll(() => page.evaluate(() => window.portholeProbe!.scroll().viewportY)).toBeLessThan(
      await page.evaluate(() => window.portholeProbe!.scroll().baseY),
    );
    const before = await page.evaluate(() => window.portholeProbe!.scroll());
    await page.evaluate(() => window.portholeProbe!.dropSocket());
    await page.waitForFunction(() => (window.portholeProbe?.readyCount ?? 0) >= 2, null, { timeout: 10_000 });
    expect(await page.evaluate(() => window.portholeProbe?.resumedCount ?? 0)).toBe(1);
    await new Promise((r) => setTimeout(r, 300));
    expect(await page.evaluate(() => window.portholeProbe!.scroll())).toEqual(before);
    expect(count(await termText(page), 'scroll-150')).toBe(1);
    expect(errors).toEqual([]);
  });

  it('an ended session offers Replay, also after the browser restarted', async () => {
    const ts = await e2eServer();
    const s = await ts.createSession({ ...SHELL, name: 'demo' });
    const share = await makeShare(ts, s.id, 'view');
    const first = await openLink(e2e, share.url);
    await first.page.waitForFunction(() => (window.portholeProbe?.readyCount ?? 0) >= 1);
    await input(ts, s.id, 'echo replayed-$((8*8)); exit\n');
    const ended = first.page.locator('[data-screen=ended]');
    await ended.waitFor({ timeout: 10_000 });
    await shot(first.page, 'replay-offer');
    await ended.getByRole('button', { name: 'Replay' }).click();
    await first.page.locator('.modal-replay .xterm').waitFor();
    await expect
      .poll(() => first.page.evaluate(() => document.querySelector('.modal-replay .xterm')?.textContent ?? ''), { timeout: 10_000 })
      .toContain('replayed-64');

    // A restarted browser: a new context with only what persists (no sessionStorage, no
    // fragment in the restored address) still opens the ended session and replays it.
    const state = await first.context.storageState();
    const restarted = await e2e.browser.newContext({ storageState: state, viewport: { width: 1280, height: 800 } });
    e2e.closers.push(() => restarted.close());
    const page = await restarted.newPage();
    await page.goto(`${ts.url}/s/${s.id}`);
    const again = page.locator('[data-screen=ended]');
    await again.waitFor({ timeout: 10_000 });
    await again.getByRole('button', { name: 'Replay' }).click();
    await expect
      .poll(() => page.evaluate(() => document.querySelector('.modal-replay .xterm')?.textContent ?? ''), { timeout: 10_000 })
      .toContain('replayed-64');
    expect(first.errors).toEqual([]);
  });
});
