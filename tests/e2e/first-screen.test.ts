// The share link's first paint in Chromium (renderer/src/preview.ts, docs/first-screen.md): the
// server's visible screen is drawn as text before xterm.js has loaded, xterm.js takes it over
// in one frame (never a blank frame between them, the same place on the page, the same text),
// terminal output is text and never markup, and the preview needs the link's token.
import type { Page, Route } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { chromiumAvailable, e2eBrowserSuite, e2eServer, input, makeShare, openLink, snapshot, waitForTerm } from './harness.js';

const SHELL = { command: ['bash', '--norc', '--noprofile', '-i'], env: { PS1: '$ ' }, cols: 100, rows: 30 };

/** Holds back xterm.js's chunk (and everything that imports it) until `release` is called. */
async function holdXterm(page: Page): Promise<() => void> {
  let release!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  await page.route(/\/assets\/(socket|viewer)-[^/]+\.js$/, async (route: Route) => {
    await gate;
    await route.continue();
  });
  return release;
}

/** In every animation frame from the preview's first one until xterm.js's DOM rows show the
 *  screen (later the WebGL renderer replaces those rows with a canvas): is some screen on show? */
async function watchFrames(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const w = window as unknown as { frames_: { blank: number; total: number; previewRect: DOMRect | null; termRect: DOMRect | null } };
    w.frames_ = { blank: 0, total: 0, previewRect: null, termRect: null };
    let seen = false;
    let done = false;
    const tick = (): void => {
      if (done) return;
      const pv = document.querySelector<HTMLElement>('.preview-host');
      const rows = document.querySelector('.xterm-rows')?.textContent ?? '';
      if (pv) {
        seen = true;
        w.frames_.previewRect = pv.getBoundingClientRect();
      }
      if (seen) {
        w.frames_.total++;
        if (!pv && !rows.includes('row 40 of')) w.frames_.blank++;
        done = !pv && rows.includes('row 40 of');
        // The frame after the takeover: xterm's screen as the DOM renderer first drew it.
        if (done) w.frames_.termRect = document.querySelector('.xterm-screen')?.getBoundingClientRect() ?? null;
      }
      requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  });
}

describe.skipIf(!chromiumAvailable())('first screen of a share link (e2e)', () => {
  const e2e = e2eBrowserSuite('shared');

  it('paints the server screen before xterm.js loads, then xterm.js takes over in place without a blank frame', async () => {
    const ts = await e2eServer();
    const s = await ts.createSession(SHELL);
    await input(ts, s.id, 'for i in $(seq 1 40); do printf "\\e[31mrow %d of\\e[0m the screen\\n" $i; done\n');
    await expect.poll(() => snapshot(ts, s.id)).toContain('row 40 of');
    const share = await makeShare(ts, s.id, 'view');
    let release = (): void => undefined;
    const { page } = await openLink(e2e, share.url, {
      before: async (p) => {
        await watchFrames(p);
        release = await holdXterm(p);
      },
    });

    // xterm.js has not loaded, yet the screen is there, row for row what the server has.
    const host = page.locator('.preview-host');
    await host.waitFor({ timeout: 10_000 });
    expect(await page.evaluate(() => window.portholeProbe)).toBeUndefined();
    const rows = await page.locator('.preview-row').allTextContents();
    const server = (await snapshot(ts, s.id)).split('\n');
    expect(rows).toHaveLength(30);
    expect(rows.map((r) => r.trimEnd())).toEqual(server.map((r) => r.trimEnd()));
    // Styled as xterm.js will draw it: SGR 31 is the theme's red.
    const red = await page.locator('.preview-row span', { hasText: 'row 40 of' }).first().evaluate((el) => getComputedStyle(el).color);
    expect(red).toBe('rgb(255, 123, 114)');

    release();
    await page.waitForFunction(() => window.portholeProbe?.firstScreenMs != null, null, { timeout: 10_000 });
    await waitForTerm(page, 'row 40 of');
    const probe = await page.evaluate(() => ({ ...window.portholeProbe! }));
    expect(probe.previewMs).not.toBeNull();
    expect(probe.firstScreenMs).toBe(probe.previewMs);
    expect(probe.xtermScreenMs!).toBeGreaterThan(probe.previewMs!);
    expect(await host.count()).toBe(0);

    // Where the preview was, xterm's first screen is, to the pixel (the WebGL renderer, loaded after it, may
    // then snap cells to whole pixels: that is xterm's own business).
    await expect.poll(() => page.evaluate(() => (window as unknown as { frames_: { termRect: DOMRect | null } }).frames_.termRect !== null)).toBe(true);
    const frames = await page.evaluate(() => (window as unknown as { frames_: { blank: number; total: number; previewRect: DOMRect; termRect: DOMRect } }).frames_);
    expect(frames.total).toBeGreaterThan(1);
    expect(frames.blank).toBe(0);
    for (const k of ['left', 'top', 'width', 'height'] as const) expect(Math.abs(frames.previewRect[k] - frames.termRect[k]), k).toBeLessThanOrEqual(0.5);
  });

  it('draws terminal output as text: <script> and & stay characters, nothing runs', async () => {
    const ts = await e2eServer();
    const s = await ts.createSession(SHELL);
    const evil = `<script>window.pwned=1</script> & <img src=x onerror="window.pwned=2"> &amp; </div>`;
    await input(ts, s.id, `clear; printf '%s\\n' '${evil}'\n`);
    await expect.poll(() => snapshot(ts, s.id)).toContain('</div>');
    const share = await makeShare(ts, s.id, 'view');
    let release = (): void => undefined;
    const { page } = await openLink(e2e, share.url, { before: async (p) => void (release = await holdXterm(p)) });
    await page.locator('.preview-host').waitFor({ timeout: 10_000 });
    const texts = await page.locator('.preview-row').allTextContents();
    expect(texts.some((t) => t.includes(evil))).toBe(true);
    expect(await page.locator('.preview-host script, .preview-host img, .preview-host div:not(.preview-row):not(.preview-screen)').count()).toBe(0);
    expect(await page.evaluate(() => (window as unknown as { pwned?: number }).pwned)).toBeUndefined();
    release();
    await waitForTerm(page, '</div>');
    expect(await page.evaluate(() => (window as unknown as { pwned?: number }).pwned)).toBeUndefined();
  });

  it('without a token the page gets no screen: the HTML is the same for everyone, the preview is 401', async () => {
    const ts = await e2eServer();
    const s = await ts.createSession(SHELL);
    await input(ts, s.id, 'echo secret-marker-$((6*7))\n');
    await expect.poll(() => snapshot(ts, s.id)).toContain('secret-marker-42');
    const html = await (await fetch(`${ts.url}/s/${s.id}`)).text();
    expect(html).not.toContain('secret-marker');
    const { page } = await openLink(e2e, `${ts.url}/s/${s.id}#not-a-token`);
    await page.locator('[data-screen]').waitFor({ timeout: 10_000 });
    expect(await page.locator('.preview-host').count()).toBe(0);
    expect((await page.content()).includes('secret-marker')).toBe(false);
  });
});
