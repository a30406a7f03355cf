// Share links in Chromium against a real server: the owner's panel in one browser context and
// viewers in others; a view link sees output and cannot type, a control link can, revoking
// shows the revoked screen within 2 s, a dropped socket reconnects without duplicated lines,
// viewers never resize the session, and a phone gets a key bar and a zoom. (The time to the
// first screen is measured in first-screen.test.ts.)
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import {
  e2eBrowserSuite,
  chromiumAvailable,
  count,
  e2eServer,
  input,
  makeShare,
  newPage,
  openLink,
  PASSWORD,
  snapshot,
  termText,
  waitForTerm,
} from './harness.js';

const SHELL = { command: ['bash', '--norc', '--noprofile', '-i'], env: { PS1: '$ ' }, cols: 100, rows: 30 };

describe.skipIf(!chromiumAvailable())('share-link viewer (e2e)', () => {
  const e2e = e2eBrowserSuite('shared');

  it('owner in the panel, a view link and a control link each in their own browser context', async () => {
    const ts = await e2eServer();
    const s = await ts.createSession({ ...SHELL, name: 'pair' });
    // The owner signs in with the password in the first context and types in the panel.
    const owner = await openLink(e2e, ts.url + '/');
    await owner.page.locator('#login-password').fill(PASSWORD);
    await owner.page.locator('#login-password').press('Enter');
    await owner.page.locator('.session-item', { hasText: 'pair' }).click();
    await owner.page.waitForFunction(() => (window.portholeProbe?.readyCount ?? 0) >= 1);
    await owner.page.locator('.sv-term').click();
    await owner.page.keyboard.type('echo owner-$((20+1))\n');
    await waitForTerm(owner.page, 'owner-21');
    const ownerSize = await owner.page.evaluate(() => window.portholeProbe!.size());

    // A second context with the view link sees it, at the owner's size, and cannot type.
    const view = await makeShare(ts, s.id, 'view');
    const viewer = await openLink(e2e, view.url, { viewport: { width: 800, height: 600 } });
    await waitForTerm(viewer.page, 'owner-21');
    expect(await viewer.page.evaluate(() => window.portholeProbe!.size())).toEqual(ownerSize);
    await viewer.page.locator('.stage').click();
    await viewer.page.keyboard.type('echo viewer-typed\n');

    // A third context with a control link types; the owner and the viewer both see it.
    const control = await makeShare(ts, s.id, 'control');
    const typist = await openLink(e2e, control.url);
    await typist.page.waitForFunction(() => window.portholeProbe?.mode === 'control');
    await typist.page.locator('.stage').click();
    await typist.page.keyboard.type('echo guest-$((5*5))\n');
    await waitForTerm(owner.page, 'guest-25');
    await waitForTerm(viewer.page, 'guest-25');
    // The viewer's keys (typed before the guest's) never reached the session.
    expect(await snapshot(ts, s.id)).not.toContain('viewer-typed');
    expect(await termText(owner.page)).not.toContain('viewer-typed');
    // Nobody but the owner's window changed the size.
    expect((await ts.json<{ cols: number; rows: number }>(`/api/sessions/${s.id}`)).body).toMatchObject(ownerSize);
    for (const p of [owner, viewer, typist]) expect(p.errors).toEqual([]);
  });

  it('a view link sees the output at the owner size, cannot type, and never resizes', async () => {
    const ts = await e2eServer();
    const s = await ts.createSession(SHELL);
    await input(ts, s.id, 'echo view-$((40+2))\n');
    const share = await makeShare(ts, s.id, 'view');
    const { page, errors } = await openLink(e2e, share.url, { viewport: { width: 700, height: 500 } });
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
    const { page, errors } = await openLink(e2e, share.url);
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
    const { page } = await openLink(e2e, share.url);
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
    const { context, page } = await openLink(e2e, share.url);
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
    const { page } = await openLink(e2e, share.url);
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
    const { page, errors } = await openLink(e2e, share.url);
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

  it('on a phone, a control link has a key bar and a zoom; a view link has neither key bar nor input', async () => {
    const ts = await e2eServer();
    const s = await ts.createSession({ ...SHELL, cols: 120, rows: 30 });
    const control = await makeShare(ts, s.id, 'control');
    const phone = await openLink(e2e, control.url, { viewport: { width: 390, height: 780 }, isMobile: true, hasTouch: true });
    const page = phone.page;
    await page.waitForFunction(() => window.portholeProbe?.mode === 'control');
    await page.locator('.keybar').waitFor();
    // The key bar edits the line: "echo ab", two steps left, "X" -> "echo Xab".
    await page.locator('.stage').tap();
    await page.keyboard.type('echo ab');
    await page.getByRole('button', { name: 'Arrow left' }).tap();
    await page.getByRole('button', { name: 'Arrow left' }).tap();
    await page.keyboard.type('X');
    await page.keyboard.press('Enter');
    await waitForTerm(page, /^Xab$/m);
    // Sticky Ctrl: Ctrl then "u" sends ^U (readline: kill the line typed so far).
    await page.keyboard.type('echo killed');
    await page.getByRole('button', { name: 'Control (applies to the next key)' }).tap();
    await page.keyboard.type('u');
    await page.keyboard.type('echo kept\n');
    await waitForTerm(page, /^kept$/m);
    expect(await termText(page)).not.toMatch(/^killed$/m);

    // 120 columns on a 390 px phone: fitted to the width, with a zoom that fills the height.
    const scale = (p: Page): Promise<number> =>
      p.evaluate(() => new DOMMatrixReadOnly(getComputedStyle(document.querySelector('.stage-host')!).transform).a);
    const fitted = await scale(page);
    const zoom = page.getByRole('button', { name: 'Zoom' });
    await zoom.tap();
    expect(await zoom.getAttribute('aria-pressed')).toBe('true');
    await expect.poll(() => scale(page)).toBeGreaterThan(fitted * 1.5);
    expect(await page.evaluate(() => window.portholeProbe!.size())).toEqual({ cols: 120, rows: 30 });
    await zoom.tap();
    await expect.poll(() => scale(page)).toBeCloseTo(fitted, 3);

    const view = await makeShare(ts, s.id, 'view');
    const p2 = await phone.context.newPage();
    await p2.goto(view.url);
    await p2.waitForFunction(() => window.portholeProbe?.mode === 'view');
    expect(await p2.locator('.keybar').count()).toBe(0);
    expect(phone.errors).toEqual([]);
  });
});
