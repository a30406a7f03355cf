// Issue 12 in Chromium: the share dialog says plainly when a link works on this computer only
// (and shows a tunnel link without that warning); a LAN link opens in another browser; every
// dialog hands the keyboard back to the terminal; a clean exit is not red and an exited
// session offers no End or Share; replay honours resize events and plays a .cast file the user
// picks; focusing the panel's terminal takes the size back from another owner client.
// PORTHOLE_SCREENSHOTS=1 also writes docs/screenshots/share-local-only.png and share-tunnel.png.
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { reachableAddresses } from '../../main/server/net/links.js';
import { connectWs } from '../helpers/server.js';
import { chromiumAvailable, e2eBrowserSuite, e2eServer, input, makeShare, newPage, ROOT, snapshot, waitForTerm } from './harness.js';

const SHOTS = process.env.PORTHOLE_SCREENSHOTS ? resolve(ROOT, 'docs/screenshots') : undefined;
const SHELL = { command: ['bash', '--norc', '--noprofile', '-i'], env: { PS1: '$ ' } };

describe.skipIf(!chromiumAvailable())('links and what a new user tripped on (e2e)', () => {
  const e2e = e2eBrowserSuite('shared');

  async function panelOn(ts: Awaited<ReturnType<typeof e2eServer>>, name: string) {
    const { context, page, errors } = await newPage(e2e.browser, { viewport: { width: 1280, height: 760 } });
    e2e.closers.push(() => context.close());
    // By the listen address: with --public-url the owner link is on an origin this test cannot resolve.
    await page.goto(`${ts.url}/#token=${ts.ownerToken}`);
    await page.locator('.session-item', { hasText: name }).click();
    await page.waitForFunction(() => (window.portholeProbe?.readyCount ?? 0) >= 1);
    return { page, errors };
  }

  it('share dialog: a loopback link says it works on this computer only, and what fixes it', async () => {
    const ts = await e2eServer();
    await ts.createSession({ ...SHELL, name: 'local only' });
    const { page, errors } = await panelOn(ts, 'local only');
    await page.getByRole('button', { name: 'Share this session' }).click();
    await page.getByRole('button', { name: 'Create link' }).click();
    const warning = page.locator('.share-reach[data-reach=local]');
    await warning.waitFor();
    const text = (await warning.textContent()) ?? '';
    expect(text).toContain('This link only works on this computer');
    expect(text).toContain('--tunnel cloudflared');
    expect(text).toContain('--public-url');
    expect(text).toContain('--host 0.0.0.0');
    expect(await page.locator('.share-result .hint').last().textContent()).not.toContain('Scan the code');
    if (SHOTS) await page.locator('dialog.modal-share').screenshot({ path: resolve(SHOTS, 'share-local-only.png') });
    expect(errors).toEqual([]);
  });

  it('share dialog: a tunnel link (--public-url) has no warning; a revoked link does not stay up', async () => {
    const ts = await e2eServer({ publicUrl: 'https://shy-dog-42.trycloudflare.com' });
    const s = await ts.createSession({ ...SHELL, name: 'through a tunnel' });
    await input(ts, s.id, 'echo shared through a tunnel\n');
    const { page, errors } = await panelOn(ts, 'through a tunnel');
    await page.getByRole('button', { name: 'Share this session' }).click();
    await page.locator('#share-label').fill('Alice');
    await page.getByRole('button', { name: 'Create link' }).click();
    const url = await page.locator('.share-url').inputValue();
    expect(url.startsWith(`https://shy-dog-42.trycloudflare.com/s/${s.id}#`)).toBe(true);
    expect(await page.locator('.share-reach').count()).toBe(0);
    expect(await page.locator('.share-result .hint').last().textContent()).toContain('Scan the code');
    await page.locator('canvas.qr').waitFor();
    if (SHOTS) await page.locator('dialog.modal-share').screenshot({ path: resolve(SHOTS, 'share-tunnel.png') });
    // Revoked (here, or with `porthole revoke`): the link on show is replaced, QR and Copy gone.
    await page.locator('.share-item', { hasText: 'Alice' }).getByRole('button', { name: /Revoke/ }).click();
    await page.locator('.share-revoked').waitFor();
    expect(await page.locator('.share-result canvas.qr').count()).toBe(0);
    expect(await page.locator('.share-result .share-url').count()).toBe(0);
    expect(errors).toEqual([]);
  });

  const lan = reachableAddresses('ipv4')[0];
  it.skipIf(!lan)('a --host 0.0.0.0 server hands out a LAN link, and another browser opens it there', async () => {
    const ts = await e2eServer({ host: '0.0.0.0' });
    const s = await ts.createSession({ ...SHELL, name: 'on the lan' });
    await input(ts, s.id, 'echo hello-from-the-lan\n');
    const { page } = await panelOn(ts, 'on the lan');
    await page.getByRole('button', { name: 'Share this session' }).click();
    await page.getByRole('button', { name: 'Create link' }).click();
    const url = await page.locator('.share-url').inputValue();
    expect(new URL(url).hostname).toBe(lan);
    expect(await page.locator('.share-reach[data-reach=local]').count()).toBe(0);
    // Someone else's browser (its own context), by the LAN address.
    const other = await newPage(e2e.browser);
    e2e.closers.push(() => other.context.close());
    await other.page.goto(url);
    await waitForTerm(other.page, 'hello-from-the-lan');
    // Chromium notes that it ignores Cross-Origin-Opener-Policy on plain http to a LAN address
    // (not a "trustworthy" origin); that is the browser's remark, not a fault of the page.
    const faults = other.errors.filter((e) => !e.includes('Cross-Origin-Opener-Policy header has been ignored'));
    expect(faults, faults.join('\n')).toEqual([]);
  });

  it('every dialog gives the keyboard back to the terminal: Rename + Enter, Share closed', async () => {
    const ts = await e2eServer();
    const s = await ts.createSession({ ...SHELL, name: 'before' });
    const { page, errors } = await panelOn(ts, 'before');
    const inTerminal = () => page.evaluate(() => document.activeElement?.classList.contains('xterm-helper-textarea') ?? false);

    await page.getByRole('button', { name: 'Rename this session' }).click();
    await page.locator('#rename-name').fill('after');
    await page.keyboard.press('Enter');
    await page.locator('dialog').waitFor({ state: 'detached' });
    await expect.poll(inTerminal, { timeout: 10_000 }).toBe(true);
    // A space and more keys go to the shell, not to the Rename button.
    await page.keyboard.type(' echo after-rename-typed\n');
    await expect.poll(() => snapshot(ts, s.id), { timeout: 10_000 }).toContain('after-rename-typed');
    expect(await page.locator('dialog').count()).toBe(0);
    expect((await ts.json<{ name: string }>(`/api/sessions/${s.id}`)).body.name).toBe('after');

    await page.getByRole('button', { name: 'Share this session' }).click();
    await page.locator('dialog.modal-share').waitFor();
    await page.keyboard.press('Escape');
    await page.locator('dialog').waitFor({ state: 'detached' });
    await expect.poll(inTerminal, { timeout: 10_000 }).toBe(true);
    await page.keyboard.type('echo after-share-typed\n');
    await expect.poll(() => snapshot(ts, s.id), { timeout: 10_000 }).toContain('after-share-typed');
    expect(await page.locator('dialog').count()).toBe(0); // Enter did not reopen Share
    expect(errors).toEqual([]);
  });

  it('exit 0 is not red, and an exited session offers Remove instead of End and Share', async () => {
    const ts = await e2eServer();
    const ok = await ts.createSession({ command: ['sh', '-c', 'echo done'], name: 'clean exit' });
    await ts.createSession({ command: ['sh', '-c', 'exit 3'], name: 'failed exit' });
    await expect.poll(async () => (await ts.json<Array<{ status: string }>>('/api/sessions')).body.every((x) => x.status === 'exited'), { timeout: 10_000 }).toBe(true);
    const { page, errors } = await panelOn(ts, 'clean exit');
    const pill = (name: string) => page.locator('.session-item', { hasText: name }).locator('.pill');
    const colour = (name: string) => pill(name).evaluate((el) => getComputedStyle(el).color);
    await expect.poll(() => pill('clean exit').textContent(), { timeout: 10_000 }).toBe('exit 0');
    await expect.poll(() => pill('failed exit').textContent(), { timeout: 10_000 }).toBe('exit 3');
    expect(await colour('clean exit')).not.toBe(await colour('failed exit'));
    expect(await colour('failed exit')).toBe('rgb(255, 161, 152)');
    const toolbar = page.locator('.sv-toolbar');
    const remove = toolbar.getByRole('button', { name: /Remove this session/ });
    await remove.waitFor({ state: 'visible' });
    expect(await toolbar.getByRole('button', { name: 'Share this session' }).isHidden()).toBe(true);
    expect(await toolbar.getByRole('button', { name: 'End this session' }).isHidden()).toBe(true);
    await remove.click();
    await page.getByRole('button', { name: 'End session' }).click();
    await page.locator('.session-item', { hasText: 'clean exit' }).waitFor({ state: 'detached' });
    expect((await ts.json(`/api/sessions/${ok.id}`)).status).toBe(404);
    expect(errors).toEqual([]);
  });

  it('replay: a .cast file the user picks, played at the sizes its "r" events say', async () => {
    const ts = await e2eServer();
    await ts.createSession({ ...SHELL, name: 'any' });
    const line = 'x'.repeat(90);
    const file = join(tmpdir(), `porthole-e2e-${process.pid}.cast`);
    writeFileSync(
      file,
      [
        JSON.stringify({ version: 2, width: 40, height: 8 }),
        JSON.stringify([0.05, 'o', 'narrow start\r\n']),
        JSON.stringify([0.1, 'r', '100x8']),
        JSON.stringify([0.15, 'o', `${line}\r\nwide-end`]),
      ].join('\n') + '\n',
    );
    const { page, errors } = await panelOn(ts, 'any');
    await page.locator('input[type=file][aria-label="Recording to replay"]').setInputFiles(file);
    await page.locator('.modal-replay .xterm').waitFor();
    const rows = () => page.evaluate(() => [...document.querySelectorAll('.modal-replay .xterm-rows > div')].map((d) => d.textContent ?? ''));
    await expect.poll(async () => (await rows()).join('\n'), { timeout: 10_000 }).toContain('wide-end');
    const shown = await rows();
    expect(shown.length).toBe(8);
    // At 100 columns the 90 x's are one row; at 40 (no resize) they would wrap over three.
    expect(shown.some((r) => r.trimEnd() === line)).toBe(true);
    expect(errors).toEqual([]);
  });

  it('the new-session hint keeps `git log --oneline` whole, even in a narrow window', async () => {
    const ts = await e2eServer();
    for (const width of [360, 420, 1280]) {
      const { context, page, errors } = await newPage(e2e.browser, { viewport: { width, height: 700 } });
      e2e.closers.push(() => context.close());
      await page.goto(`${ts.url}/#token=${ts.ownerToken}`);
      await page.getByRole('button', { name: '+ New session' }).first().click();
      const example = page.locator('dialog code.nowrap');
      expect(await example.textContent()).toBe('git log --oneline');
      // One box: the example is never split over two lines (it showed as "-/-oneline").
      expect(await example.evaluate((el) => el.getClientRects().length)).toBe(1);
      expect(errors).toEqual([]);
    }
  });

  it('focusing the panel terminal takes the size back from another owner client', async () => {
    const ts = await e2eServer();
    const s = await ts.createSession({ ...SHELL, name: 'sized' });
    const { page, errors } = await panelOn(ts, 'sized');
    const size = async () => {
      const b = (await ts.json<{ cols: number; rows: number }>(`/api/sessions/${s.id}`)).body;
      return `${b.cols}x${b.rows}`;
    };
    const probe = () => page.evaluate(() => window.portholeProbe!.size());
    // The panel's fit settles (a resize observer, debounced): wait until the server has it.
    // The panel's fit settles (a resize observer, debounced; fonts): compare with its size now.
    const panelHasIt = async () => {
      const m = await probe();
      return (await size()) === `${m.cols}x${m.rows}`;
    };
    await expect.poll(panelHasIt, { timeout: 10_000 }).toBe(true);
    // An attached CLI at 60x15 resizes: it is the latest.
    const cli = connectWs(ts, s.id);
    await cli.waitForText('ready');
    cli.sendJson({ type: 'resize', cols: 60, rows: 15 });
    await expect.poll(size, { timeout: 10_000 }).toBe('60x15');
    // The owner clicks into the panel's terminal (focus): the panel is the latest again.
    await page.locator('.sv-toolbar').click({ position: { x: 5, y: 5 } });
    await page.locator('.sv-term').click();
    await expect.poll(async () => (await size()) !== '60x15' && (await panelHasIt()), { timeout: 10_000 }).toBe(true);
    const mine = await size();
    // The CLI leaves while the panel is latest: nothing changes.
    cli.ws.close();
    await new Promise((r) => setTimeout(r, 200));
    expect(await size()).toBe(mine);
    expect(errors).toEqual([]);
  });
});
