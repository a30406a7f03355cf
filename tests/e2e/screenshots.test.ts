// Screenshots for docs/screenshots/ against a real server (run on demand, not in CI):
//   PORTHOLE_SCREENSHOTS=1 npx vitest run tests/e2e/screenshots.test.ts
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, it } from 'vitest';
import {
  chromiumAvailable,
  e2eServer,
  ensureRendererBuilt,
  holdE2eLock,
  input,
  launchBrowser,
  LOCK_WAIT_MS,
  makeShare,
  newPage,
  ROOT,
  waitForTerm,
} from './harness.js';

const OUT = resolve(ROOT, 'docs/screenshots');
let browser: Browser;
let releaseLock: (() => Promise<void>) | undefined;
// The demo session runs real commands in this repository, so the screen shows real output.
const SHELL = {
  command: ['bash', '--norc', '--noprofile', '-i'],
  cwd: ROOT,
  env: { PS1: '\\[\\e[32m\\]demo@porthole\\[\\e[0m\\]:\\[\\e[34m\\]~/porthole\\[\\e[0m\\]$ ', GIT_PAGER: 'cat', PAGER: 'cat',
    // `git lg`: one short line per commit, so the demo command stays short too.
    GIT_CONFIG_COUNT: '1', GIT_CONFIG_KEY_0: 'alias.lg', GIT_CONFIG_VALUE_0: 'log --format=%C(yellow)%h%C(reset)%x20%<(76,trunc)%s' },
};

describe.skipIf(!chromiumAvailable() || !process.env.PORTHOLE_SCREENSHOTS)('screenshots', () => {
  beforeAll(async () => {
    releaseLock = await holdE2eLock('shared');
    ensureRendererBuilt();
    browser = await launchBrowser();
    mkdirSync(OUT, { recursive: true });
  }, LOCK_WAIT_MS);
  afterAll(async () => {
    await browser?.close();
    await releaseLock?.();
  });

  it('control panel, share dialog, shared session, phone viewer', async () => {
    const ts = await e2eServer();
    await ts.createSession({ ...SHELL, command: ['sleep', '1'], name: 'quick job' });
    await ts.createSession({ ...SHELL, name: 'build server' });
    const s = await ts.createSession({ ...SHELL, name: 'pairing: tests' });
    const { context, page } = await newPage(browser, { viewport: { width: 1280, height: 760 } });
    await page.goto(ts.server.ownerLink());
    await page.locator('.session-item', { hasText: 'pairing: tests' }).click();
    await page.waitForFunction(() => (window.portholeProbe?.readyCount ?? 0) >= 1);
    await new Promise((r) => setTimeout(r, 400));
    await input(ts, s.id, 'git lg -6\n');
    await waitForTerm(page, /lg -6\n[^]*~\/porthole\$\s*$/);
    await input(ts, s.id, 'npx vitest run tests/e2e/renderer-logic.test.ts\n');
    await waitForTerm(page, /Duration[^]*~\/porthole\$\s*$/, 30_000);
    await new Promise((r) => setTimeout(r, 1500));
    await page.screenshot({ path: resolve(OUT, 'control-panel.png') });

    // Someone is already watching through a labelled view link when the dialog opens.
    const share = await ts.json<{ url: string }>(`/api/sessions/${s.id}/shares`, { body: { mode: 'view', label: 'Team demo' } });
    const viewer = await newPage(browser, { viewport: { width: 1100, height: 700 } });
    await viewer.page.goto(share.body.url);
    await waitForTerm(viewer.page, /Duration/);

    await page.getByRole('button', { name: 'Share this session' }).click();
    await page.locator('#share-mode-control').check();
    await page.locator('#share-label').fill('Alice (pairing)');
    await page.getByRole('button', { name: 'Create link' }).click();
    await page.locator('canvas.qr').waitFor();
    await new Promise((r) => setTimeout(r, 300));
    await page.screenshot({ path: resolve(OUT, 'share-dialog.png') });

    await page.keyboard.press('Escape');
    await viewer.page.screenshot({ path: resolve(OUT, 'shared-session.png') });

    const control = await makeShare(ts, s.id, 'control');
    const phone = await newPage(browser, { viewport: { width: 390, height: 780 }, isMobile: true, hasTouch: true });
    await phone.page.goto(control.url);
    await waitForTerm(phone.page, /Duration/);
    // A wide screen on a phone is shown zoomed to the height, panned to the cursor.
    await phone.page.getByRole('button', { name: 'Zoom' }).click();
    await new Promise((r) => setTimeout(r, 500));
    await phone.page.screenshot({ path: resolve(OUT, 'phone-control.png') });
    await Promise.all([context.close(), viewer.context.close(), phone.context.close()]);
  }, 60_000);

  it('files view: the shell moved into docs/, the view followed, an upload on its way', async () => {
    const ts = await e2eServer();
    const s = await ts.createSession({ ...SHELL, name: 'docs work', env: { ...SHELL.env, PS1: '\\[\\e[32m\\]demo@porthole\\[\\e[0m\\]:\\[\\e[34m\\]\\W\\[\\e[0m\\]$ ' } });
    const { context, page } = await newPage(browser, { viewport: { width: 1280, height: 760 } });
    await page.goto(ts.server.ownerLink());
    await page.locator('.session-item', { hasText: 'docs work' }).click();
    await page.waitForFunction(() => (window.portholeProbe?.readyCount ?? 0) >= 1);
    await page.getByRole('button', { name: 'Files in the session’s folder' }).click();
    await page.locator(`.files-view[data-path="${ROOT}"]:not([aria-busy])`).waitFor();
    await new Promise((r) => setTimeout(r, 300));
    await input(ts, s.id, 'cd docs && ls -1 | head -4\n');
    await waitForTerm(page, /api\.md[^]*docs\$\s*$/);
    await page.locator(`.files-view[data-path="${resolve(ROOT, 'docs')}"]:not([aria-busy])`).waitFor();
    // A slow link, so the progress bar is caught half way; the upload is cancelled after.
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: 2 * 1024 * 1024 });
    await page.locator('.files-view').evaluate((target) => {
      const dt = new DataTransfer();
      dt.items.add(new File([new Uint8Array(24 * 1024 * 1024)], 'build-logs.tar.gz'));
      target.dispatchEvent(new DragEvent('drop', { bubbles: true, cancelable: true, dataTransfer: dt }));
    });
    await page.waitForFunction(() => Number(document.querySelector<HTMLProgressElement>('.fv-upload progress')?.value ?? 0) > 9 * 1024 * 1024);
    await page.screenshot({ path: resolve(OUT, 'files.png') });
    await page.getByRole('button', { name: /Cancel the upload/ }).click();
    await context.close();
  }, 60_000);
});
