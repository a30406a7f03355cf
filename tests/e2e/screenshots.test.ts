// Screenshots for docs/screenshots/ against a real server (run on demand, not in CI):
//   PORTHOLE_SCREENSHOTS=1 npx vitest run tests/e2e/screenshots.test.ts
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { chromiumAvailable, e2eServer, ensureRendererBuilt, input, launchBrowser, makeShare, newPage, ROOT, waitForTerm } from './harness.js';

const OUT = resolve(ROOT, 'docs/screenshots');
let browser: Browser;
const SHELL = { command: ['bash', '--norc', '--noprofile', '-i'], env: { PS1: '\\[\\e[32m\\]demo@porthole\\[\\e[0m\\]:\\[\\e[34m\\]~/project\\[\\e[0m\\]$ ' } };

describe.skipIf(!chromiumAvailable() || !process.env.PORTHOLE_SCREENSHOTS)('screenshots', () => {
  beforeAll(async () => {
    ensureRendererBuilt();
    browser = await launchBrowser();
    mkdirSync(OUT, { recursive: true });
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
  });

  it('control panel, share dialog, shared session, phone viewer', async () => {
    const ts = await e2eServer();
    await ts.createSession({ ...SHELL, command: ['sleep', '1'], name: 'quick job' });
    await ts.createSession({ ...SHELL, name: 'build server' });
    const s = await ts.createSession({ ...SHELL, name: 'pairing: api refactor' });
    const { context, page } = await newPage(browser, { viewport: { width: 1280, height: 760 } });
    await page.goto(ts.server.ownerLink());
    await page.locator('.session-item', { hasText: 'pairing: api refactor' }).click();
    await page.waitForFunction(() => (window.portholeProbe?.readyCount ?? 0) >= 1);
    await new Promise((r) => setTimeout(r, 400));
    await input(ts, s.id, "printf '\\e[1mPorthole\\e[0m shares this terminal with a link.\\n'; ls -la /usr | head -12; echo; echo 'Docs: https://example.org/porthole'\n");
    await waitForTerm(page, 'Docs:');
    await new Promise((r) => setTimeout(r, 1500));
    await page.screenshot({ path: resolve(OUT, 'control-panel.png') });

    await page.getByRole('button', { name: 'Share this session' }).click();
    await page.locator('#share-mode-control').check();
    await page.locator('#share-label').fill('Alice (pairing)');
    await page.getByRole('button', { name: 'Create link' }).click();
    await page.locator('canvas.qr').waitFor();
    await new Promise((r) => setTimeout(r, 300));
    await page.screenshot({ path: resolve(OUT, 'share-dialog.png') });

    const share = await makeShare(ts, s.id, 'view');
    const viewer = await newPage(browser, { viewport: { width: 1100, height: 700 } });
    await viewer.page.goto(share.url);
    await waitForTerm(viewer.page, 'Docs:');
    await new Promise((r) => setTimeout(r, 500));
    await viewer.page.screenshot({ path: resolve(OUT, 'shared-session.png') });

    const control = await makeShare(ts, s.id, 'control');
    const phone = await newPage(browser, { viewport: { width: 390, height: 780 }, isMobile: true, hasTouch: true });
    await phone.page.goto(control.url);
    await waitForTerm(phone.page, 'Docs:');
    await new Promise((r) => setTimeout(r, 500));
    await phone.page.screenshot({ path: resolve(OUT, 'phone-control.png') });
    await Promise.all([context.close(), viewer.context.close(), phone.context.close()]);
  }, 60_000);
});
