// The control panel in Chromium against a real server: password and owner-link login, the
// clear error screens, and a session created, typed into and shown from the page.
import { describe, expect, it } from 'vitest';
import {
  e2eBrowserSuite,
  chromiumAvailable,
  e2eServer,
  newPage,
  PASSWORD,
  snapshot,
  waitForTerm,
} from './harness.js';


describe.skipIf(!chromiumAvailable())('control panel (e2e)', () => {
  const e2e = e2eBrowserSuite('shared');

  it('logs in with the password form, after a wrong password says so', async () => {
    const ts = await e2eServer();
    const { context, page, errors } = await newPage(e2e.browser);
    e2e.closers.push(() => context.close());
    await page.goto(ts.url + '/');
    await page.locator('#login-password').fill('wrong password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => page.locator('#login-error').textContent()).toContain('Wrong password');
    await page.locator('#login-password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('button', { name: '+ New session' }).first().waitFor();
    expect(await page.evaluate(() => sessionStorage.getItem('porthole.owner'))).toBeTruthy();
    expect(errors).toEqual([]);
  });

  it('logs in with the owner link and clears the token from the address bar', async () => {
    const ts = await e2eServer();
    const { context, page, errors } = await newPage(e2e.browser);
    e2e.closers.push(() => context.close());
    await page.goto(ts.server.ownerLink());
    await page.getByRole('button', { name: '+ New session' }).first().waitFor();
    expect(page.url()).toBe(ts.url + '/');
    expect(await page.evaluate(() => location.hash)).toBe('');
    expect(await page.evaluate(() => sessionStorage.getItem('porthole.owner'))).toMatch(/^ey/);
    expect(errors).toEqual([]);
  });

  it('an owner link pasted into a tab showing the login form signs in (only the fragment changes)', async () => {
    const ts = await e2eServer();
    const { context, page, errors } = await newPage(e2e.browser);
    e2e.closers.push(() => context.close());
    await page.goto(ts.url + '/');
    await page.locator('#login-password').waitFor();
    // Same path, new fragment: the browser loads nothing, the page must notice by itself.
    await page.goto(ts.server.ownerLink());
    await page.getByRole('button', { name: '+ New session' }).first().waitFor();
    expect(await page.evaluate(() => location.hash)).toBe('');
    expect(errors).toEqual([]);
  });

  it('shows the wait from Retry-After after too many failed logins', async () => {
    const ts = await e2eServer();
    const { context, page } = await newPage(e2e.browser);
    e2e.closers.push(() => context.close());
    await page.goto(ts.url + '/');
    for (let i = 0; i < 6; i++) {
      await page.locator('#login-password').fill(`nope ${i}`);
      await page.locator('#login-password').press('Enter');
      await expect.poll(() => page.locator('#login-error').getAttribute('data-code')).toBeTruthy();
      if ((await page.locator('#login-error').getAttribute('data-code')) === 'rate_limited') break;
    }
    await expect.poll(() => page.locator('#login-error').textContent()).toMatch(/Too many failed attempts\. Try again in \d+/);
  });

  it('says the login expired when the stored token is no longer valid', async () => {
    const ts = await e2eServer();
    const { context, page } = await newPage(e2e.browser);
    e2e.closers.push(() => context.close());
    const { token } = ts.server.mintOwnerToken(1);
    await new Promise((r) => setTimeout(r, 2100));
    await page.goto(`${ts.url}/#token=${token}`);
    await page.locator('[data-reason=expired]').waitFor();
    expect(await page.locator('[data-reason=expired]').textContent()).toContain('expired');
  });

  it('creates a session from the form, types into it and shows the output', async () => {
    const ts = await e2eServer();
    const { context, page, errors } = await newPage(e2e.browser);
    e2e.closers.push(() => context.close());
    await page.goto(ts.server.ownerLink());
    await page.getByRole('button', { name: '+ New session' }).first().click();
    await page.locator('#new-command').fill("bash --norc --noprofile -i");
    await page.locator('#new-name').fill('e2e shell');
    await page.getByRole('button', { name: 'Start' }).click();
    await page.locator('.session-item', { hasText: 'e2e shell' }).waitFor();
    await page.locator('.sv-term .xterm').waitFor();
    await page.waitForFunction(() => (window.portholeProbe?.readyCount ?? 0) >= 1);
    await page.locator('.sv-term').click();
    await page.keyboard.type('echo panel-$((6*7))\n');
    await waitForTerm(page, 'panel-42');
    const sessions = await ts.json<Array<{ id: string; name: string; cols: number; rows: number }>>('/api/sessions');
    const s = sessions.body.find((x) => x.name === 'e2e shell');
    expect(s).toBeTruthy();
    expect(await snapshot(ts, s!.id)).toContain('panel-42');
    // The owner's window decides the size: the session was resized to the fitted terminal.
    const size = await page.evaluate(() => window.portholeProbe!.size());
    await expect.poll(async () => (await ts.json<{ cols: number; rows: number }>(`/api/sessions/${s!.id}`)).body.cols).toBe(size.cols);
    expect(size.cols).not.toBe(80);
    expect(errors).toEqual([]);
  });

  it('share dialog: creates a link with copy and QR, lists it, revokes it', async () => {
    const ts = await e2eServer();
    const s = await ts.createSession({ command: ['bash', '--norc', '--noprofile', '-i'], name: 'to share' });
    const { context, page, errors } = await newPage(e2e.browser);
    e2e.closers.push(() => context.close());
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: ts.url });
    await page.goto(ts.server.ownerLink());
    await page.locator('.session-item', { hasText: 'to share' }).click();
    await page.getByRole('button', { name: 'Share this session' }).click();
    await page.locator('#share-mode-control').check();
    await page.locator('#share-label').fill('pairing with Bo');
    await page.getByRole('button', { name: 'Create link' }).click();
    const url = await page.locator('.share-url').inputValue();
    expect(url).toMatch(new RegExp(`^${ts.url}/s/${s.id}#ey`));
    await page.locator('canvas.qr').waitFor();
    await page.getByRole('button', { name: 'Copy link' }).click();
    await expect.poll(() => page.evaluate(() => navigator.clipboard.readText())).toBe(url);
    const item = page.locator('.share-item', { hasText: 'pairing with Bo' });
    await item.waitFor();
    expect(await item.locator('.badge').textContent()).toBe('control');
    await item.getByRole('button', { name: /Revoke/ }).click();
    await item.waitFor({ state: 'detached' });
    const shares = await ts.json<unknown[]>(`/api/sessions/${s.id}/shares`);
    expect(shares.body).toEqual([]);
    // Who is watching: the owner's own window counts as one connection.
    expect(await page.locator('.viewers').textContent()).toMatch(/^1 connection open/);
    // The revoked link on show says so (it no longer opens); "Create a new link" brings the form back.
    expect(await page.locator('.share-form').isHidden()).toBe(true);
    await page.locator('.share-revoked').waitFor();
    await page.getByRole('button', { name: 'Create a new link' }).click();
    await page.locator('#share-label').waitFor({ state: 'visible' });
    expect(await page.locator('#share-label').inputValue()).toBe('');
    expect(errors).toEqual([]);
  });

  it('downloads the recording and replays it in the page', async () => {
    const ts = await e2eServer();
    const s = await ts.createSession({ command: ['bash', '--norc', '--noprofile', '-i'], env: { PS1: '$ ' }, name: 'recorded' });
    await ts.api(`/api/sessions/${s.id}/input`, { body: { data: 'echo recorded-$((3*3))\n' } });
    const { context, page, errors } = await newPage(e2e.browser);
    e2e.closers.push(() => context.close());
    await page.goto(ts.server.ownerLink());
    await page.locator('.session-item', { hasText: 'recorded' }).click();
    await waitForTerm(page, 'recorded-9');
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: /Download the recording/ }).click()]);
    expect(download.suggestedFilename()).toBe('recorded.cast');
    const { readFile } = await import('node:fs/promises');
    const cast = await readFile((await download.path())!, 'utf8');
    expect(JSON.parse(cast.split('\n')[0]).version).toBe(2);
    expect(cast).toContain('recorded-9');
    await page.getByRole('button', { name: 'Replay the recording' }).click();
    await page.locator('.modal-replay .xterm').waitFor();
    await expect
      .poll(() => page.evaluate(() => document.querySelector('.modal-replay .xterm')?.textContent ?? ''), { timeout: 10_000 })
      .toContain('recorded-9');
    expect(errors).toEqual([]);
  });
});
