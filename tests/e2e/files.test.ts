// The Files view in Chromium against a real server and a real shell: it opens where the shell
// is and follows `cd`, goes into folders, downloads (with a preview for text) byte for byte,
// uploads through the picker and by dropping onto the terminal, cancels an upload leaving
// nothing behind, asks before overwriting, makes folders, stays light with 10,000 entries,
// and never shows on a share link. Each case runs against the in-process server (Node) and
// against `porthole serve` under Bun.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it, vi } from 'vitest';
import type { TestRuntime } from '../helpers/runtimes.js';
import { startTarget, type ServerTarget } from '../helpers/serve-child.js';
import { makeTempDir } from '../helpers/server.js';
import { smallDisk } from '../helpers/small-disk.js';
import { chromiumAvailable, e2eBrowserSuite, input, makeShare, newPage, PASSWORD, RENDERER_DIR, waitForTerm } from './harness.js';

const SHELL = { command: ['bash', '--norc', '--noprofile', '-i'], env: { PS1: '$ ' } };

const RUNTIMES: TestRuntime[] = ['node', 'bun'];
/** Generous: ~8 engineers share 2 cores, and each case runs under Bun too. */
const POLL_MS = 20_000;
const poll = <T>(fn: () => T | Promise<T>) => expect.poll(fn, { timeout: POLL_MS });
vi.setConfig({ testTimeout: 90_000 });

describe.skipIf(!chromiumAvailable()).each(RUNTIMES)('Files view (e2e) under %s', (runtime) => {
  const e2e = e2eBrowserSuite('shared');
  const e2eServer = (overrides: { uploadMaxBytes?: number } = {}): Promise<ServerTarget> =>
    startTarget(runtime, { password: PASSWORD, rendererDir: RENDERER_DIR, ...overrides });

  async function openFiles(ts: ServerTarget, dir: string, name = 'files'): Promise<{ page: Page; errors: string[]; id: string }> {
    const s = await ts.createSession({ ...SHELL, cwd: dir, name });
    const { context, page, errors } = await newPage(e2e.browser);
    e2e.closers.push(() => context.close());
    await page.goto(ts.ownerLink());
    await page.locator('.session-item', { hasText: name }).click();
    await waitForTerm(page, '$ ');
    return { page, errors, id: s.id };
  }

  /** A fresh server, a temp dir (filled by `fill`), a shell there, and the Files view open on it. */
  async function filesViewOn(fill: (dir: string) => void = () => undefined, overrides: { uploadMaxBytes?: number } = {}): Promise<{ page: Page; errors: string[]; id: string; dir: string; ts: ServerTarget }> {
    const ts = await e2eServer(overrides);
    const dir = await makeTempDir('porthole-files-');
    fill(dir);
    const opened = await openFiles(ts, dir);
    await clickFiles(opened.page);
    await viewAt(opened.page, dir);
    return { ...opened, dir, ts };
  }

  const clickFiles = (page: Page) => page.getByRole('button', { name: 'Files in the session’s folder' }).click();
  const viewAt = (page: Page, dir: string) => page.locator(`.files-view[data-path="${dir}"]:not([aria-busy])`).waitFor({ timeout: POLL_MS });
  const rowNames = (page: Page) => page.locator('.fv-row:not([hidden])').evaluateAll((els) => els.map((e) => (e as HTMLElement).dataset.name));

  async function waitForFile(file: string, bytes: Buffer): Promise<void> {
    await expect.poll(() => (existsSync(file) ? readFileSync(file).equals(bytes) : false), { timeout: POLL_MS }).toBe(true);
  }

  it('opens at the shell’s current folder, lists it folders first, hides dot files until asked, and follows `cd`', async () => {
    const ts = await e2eServer();
    const dir = await makeTempDir('porthole-files-');
    mkdirSync(path.join(dir, 'sub', 'deeper'), { recursive: true });
    writeFileSync(path.join(dir, 'a.txt'), 'hello');
    writeFileSync(path.join(dir, 'sub', 'inner.txt'), 'inner');
    writeFileSync(path.join(dir, '.secret'), 'x');
    const { page, errors, id } = await openFiles(ts, dir);
    // The shell has moved since it started: the view opens where it is now.
    await input(ts, id, 'cd sub\n');
    await poll(async () => (await ts.json<{ cwd: string }>(`/api/sessions/${id}/cwd`)).body.cwd).toBe(path.join(dir, 'sub'));
    await clickFiles(page);
    await viewAt(page, path.join(dir, 'sub'));
    expect(await rowNames(page)).toEqual(['deeper', 'inner.txt']);
    await input(ts, id, 'cd ..\n');
    await viewAt(page, dir);
    expect(await rowNames(page)).toEqual(['sub', 'a.txt']);
    const row = page.locator('.fv-row[data-name="a.txt"]');
    expect(await row.locator('.fv-size').textContent()).toBe('5 B');
    expect(await row.locator('.fv-mtime').textContent()).not.toBe('');
    await page.getByRole('button', { name: 'Hidden' }).click();
    expect(await rowNames(page)).toEqual(['sub', '.secret', 'a.txt']);
    // Breadcrumbs lead back up.
    await page.locator('.fv-row[data-name="sub"]').click();
    await viewAt(page, path.join(dir, 'sub'));
    await page.locator('.fv-crumb', { hasText: path.basename(dir) }).click();
    await viewAt(page, dir);
    expect(errors).toEqual([]);
  });

  it('goes into a folder and downloads a file byte for byte; a small text file gets a preview first', async () => {
    const blob = randomBytes(300 * 1024);
    const { page, errors, dir } = await filesViewOn((dir) => {
      mkdirSync(path.join(dir, 'data'));
      writeFileSync(path.join(dir, 'data', 'blob.bin'), blob);
      writeFileSync(path.join(dir, 'data', 'notes.txt'), 'line one\nline <b>two</b>\n');
      symlinkSync('data', path.join(dir, 'to-data'));
      symlinkSync('data/notes.txt', path.join(dir, 'notes-link.txt'));
    });
    // Links: to a folder opens it, to a file previews it.
    await page.locator('.fv-row[data-name="notes-link.txt"][data-type="symlink"]').click();
    await poll(() => page.locator('.fv-text').textContent()).toBe('line one\nline <b>two</b>\n');
    await page.keyboard.press('Escape');
    await page.locator('.fv-row[data-name="to-data"]').click();
    await viewAt(page, path.join(dir, 'to-data'));
    await page.locator('.fv-crumb', { hasText: path.basename(dir) }).click();
    await viewAt(page, dir);
    await page.locator('.fv-row[data-name="data"]').click();
    await viewAt(page, path.join(dir, 'data'));
    const [download] = await Promise.all([page.waitForEvent('download'), page.locator('.fv-row[data-name="blob.bin"]').click()]);
    expect(download.suggestedFilename()).toBe('blob.bin');
    expect((await readFile((await download.path())!)).equals(blob)).toBe(true);

    await page.locator('.fv-row[data-name="notes.txt"]').click();
    await poll(() => page.locator('.fv-text').textContent()).toBe('line one\nline <b>two</b>\n');
    const [dl2] = await Promise.all([page.waitForEvent('download'), page.locator('.modal-preview').getByRole('button', { name: /^Download/ }).click()]);
    expect(await readFile((await dl2.path())!, 'utf8')).toBe('line one\nline <b>two</b>\n');
    expect(errors).toEqual([]);
  });

  it('uploads through the picker, and by dropping onto the terminal into the shell’s folder', async () => {
    const { page, errors, id, dir, ts } = await filesViewOn((dir) => {
      mkdirSync(path.join(dir, 'work'));
    });
    const picked = randomBytes(200 * 1024);
    await page.locator('.fv-picker').setInputFiles({ name: 'picked.bin', mimeType: 'application/octet-stream', buffer: picked });
    await waitForFile(path.join(dir, 'picked.bin'), picked);
    await page.locator('.fv-row[data-name="picked.bin"]').waitFor();

    // Close the view, move the shell, drop onto the terminal: the file lands where the shell is.
    await page.getByRole('button', { name: 'Close the Files view' }).click();
    await input(ts, id, 'cd work\n');
    await poll(async () => (await ts.json<{ cwd: string }>(`/api/sessions/${id}/cwd`)).body.cwd).toBe(path.join(dir, 'work'));
    const dropped = randomBytes(150 * 1024);
    // A busy machine: the view's own first look at the shell's folder answers a little late and
    // the first listing much later, so the view opening and the drop each start a listing. The
    // drop must still upload (it once gave up when the other listing superseded its own).
    const late = (ms: number) => {
      let first = true;
      return async (route: import('playwright-core').Route) => {
        if (first) {
          first = false;
          await new Promise((r) => setTimeout(r, ms));
        }
        await route.continue();
      };
    };
    await page.route('**/api/sessions/*/cwd', late(300));
    await page.route('**/api/fs?*', late(2000));
    await dropFiles(page, '.sv-term', [{ name: 'dropped.bin', bytes: dropped }]);
    await waitForFile(path.join(dir, 'work', 'dropped.bin'), dropped);
    await viewAt(page, path.join(dir, 'work'));
    await page.locator('.fv-row[data-name="dropped.bin"]').waitFor();
    expect(readdirSync(path.join(dir, 'work'))).toEqual(['dropped.bin']);
    expect(errors).toEqual([]);
  });

  it('cancels an upload: neither the file nor a temp file is left', async () => {
    const { page, errors, dir } = await filesViewOn();
    // A slow link, so the upload is still going when Cancel is clicked.
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: 512 * 1024 });
    await dropFiles(page, '.files-view', [{ name: 'huge.bin', size: 40 * 1024 * 1024 }]);
    const item = page.locator('.fv-upload[data-name="huge.bin"]');
    await page.locator('.fv-upload[data-name="huge.bin"][data-state=running]').waitFor();
    await expect.poll(() => readdirSync(dir).some((n) => n.startsWith('.porthole-upload.')), { timeout: POLL_MS }).toBe(true);
    await item.getByRole('button', { name: /Cancel the upload/ }).click();
    await poll(() => item.locator('.fv-up-text').textContent().catch(() => 'Cancelled')).toBe('Cancelled');
    await expect.poll(() => readdirSync(dir), { timeout: POLL_MS }).toEqual([]);
    expect(errors).toEqual([]);
  });

  it('asks before overwriting: Cancel keeps the old file, Replace writes the new one', async () => {
    const { page, errors, dir } = await filesViewOn((dir) => {
      writeFileSync(path.join(dir, 'config.yml'), 'old: true\n');
    });
    const upload = () => page.locator('.fv-picker').setInputFiles({ name: 'config.yml', mimeType: 'text/yaml', buffer: Buffer.from('new: true\n') });
    await upload();
    const ask = page.getByRole('dialog', { name: 'Replace file?' });
    await ask.waitFor();
    await ask.getByRole('button', { name: 'Cancel' }).click();
    await poll(() => page.locator('.fv-upload[data-name="config.yml"] .fv-up-text').textContent()).toBe('Not replaced');
    expect(readFileSync(path.join(dir, 'config.yml'), 'utf8')).toBe('old: true\n');
    await upload();
    await ask.getByRole('button', { name: 'Replace' }).click();
    await waitForFile(path.join(dir, 'config.yml'), Buffer.from('new: true\n'));
    expect(readdirSync(dir)).toEqual(['config.yml']);
    expect(errors).toEqual([]);
  });

  // The limit is a ServerOptions knob (no flag), so only the in-process server can lower it.
  it.skipIf(runtime === 'bun')('refuses a file over the upload limit before sending a byte, and says why', async () => {
    const { page, errors, dir } = await filesViewOn(undefined, { uploadMaxBytes: 1024 });
    let uploads = 0;
    page.on('request', (r) => void (r.url().includes('/api/fs/upload') && uploads++));
    await page.locator('.fv-picker').setInputFiles({ name: 'big.bin', mimeType: 'application/octet-stream', buffer: Buffer.alloc(2048) });
    await poll(() => page.locator('.fv-upload[data-name="big.bin"] .fv-up-text').textContent())
      .toBe('“big.bin” is 2.0 KB; the server accepts uploads up to 1.0 KB. Nothing was sent.');
    expect(uploads).toBe(0);
    expect(readdirSync(dir)).toEqual([]);
    expect(errors).toEqual([]);
  });

  it('says what to do when a folder vanished, and when the disk is full', async () => {
    const { page, errors, dir } = await filesViewOn((dir) => {
      mkdirSync(path.join(dir, 'gone'));
      mkdirSync(path.join(dir, 'small'));
    });
    rmSync(path.join(dir, 'gone'), { recursive: true });
    await page.locator('.fv-row[data-name="gone"]').click();
    await poll(() => page.locator('.fv-error').textContent()).toMatch(/gone does not exist\. It may have been moved or deleted: go up a level or refresh\./);
    const undo = smallDisk(path.join(dir, 'small'));
    if (!undo) return; // not root: no tmpfs to fill
    try {
      await page.locator('.fv-row[data-name="small"]').click();
      await viewAt(page, path.join(dir, 'small'));
      await dropFiles(page, '.files-view', [{ name: 'big.bin', size: 1024 * 1024 }]);
      await poll(() => page.locator('.fv-upload[data-name="big.bin"] .fv-up-text').textContent()).toMatch(/^The disk is full \(No space left.*\)\. Free some space on the server, then try again\.$/);
      expect(readdirSync(path.join(dir, 'small'))).toEqual([]);
    } finally {
      undo();
    }
    expect(errors).toEqual([]);
  });

  it('makes a new folder and says so when the name exists', async () => {
    const { page, errors, dir } = await filesViewOn();
    await page.getByRole('button', { name: 'New folder' }).click();
    await page.locator('#fv-mkdir-name').fill('made here');
    await page.getByRole('button', { name: 'Create' }).click();
    await page.locator('.fv-row[data-name="made here"][data-type="dir"]').waitFor();
    expect(existsSync(path.join(dir, 'made here'))).toBe(true);
    await page.getByRole('button', { name: 'New folder' }).click();
    await page.locator('#fv-mkdir-name').fill('made here');
    await page.getByRole('button', { name: 'Create' }).click();
    await poll(() => page.locator('.modal .error').textContent()).toContain('already exists');
    await page.keyboard.press('Escape');
    expect(errors).toEqual([]);
  });

  // Rendering is the browser's work: once is enough (the listing itself runs under Bun in http-fs).
  it.skipIf(runtime === 'bun')('a folder of 10,000 entries renders only what is visible and scrolls to the last one', async () => {
    const ts = await e2eServer();
    const dir = await makeTempDir('porthole-files-');
    for (let i = 0; i < 10_000; i++) writeFileSync(path.join(dir, `file-${String(i).padStart(5, '0')}.log`), '');
    const { page, errors } = await openFiles(ts, dir);
    const t0 = Date.now();
    await clickFiles(page);
    await viewAt(page, dir);
    const openMs = Date.now() - t0;
    expect(await page.locator('.files-view').getAttribute('data-count')).toBe('10000');
    const rows = await page.locator('.fv-row').count();
    expect(rows).toBeLessThan(120);
    await page.locator('.fv-list').evaluate((el) => (el.scrollTop = el.scrollHeight));
    await page.locator('.fv-row[data-name="file-09999.log"]').waitFor();
    const renderMs = Number(await page.locator('.files-view').getAttribute('data-render-ms'));
    console.log(`files e2e: 10,000 entries: view open ${openMs} ms (click to list), list render ${renderMs} ms, ${rows} row elements`);
    expect(errors).toEqual([]);
  }, 120_000);

  it('is not offered on a share link', async () => {
    const ts = await e2eServer();
    const dir = await makeTempDir('porthole-files-');
    const s = await ts.createSession({ ...SHELL, cwd: dir });
    const share = await makeShare(ts, s.id, 'control');
    const { context, page } = await newPage(e2e.browser);
    e2e.closers.push(() => context.close());
    await page.goto(share.url);
    await waitForTerm(page, '$ ');
    expect(await page.getByRole('button', { name: /Files/ }).count()).toBe(0);
    const status = await page.evaluate(async ([id, token]) => (await fetch(`/api/sessions/${id}/cwd`, { headers: { Authorization: `Bearer ${token}` } })).status, [s.id, share.token]);
    expect(status).toBe(403);
  });
});


/** Drops files onto an element as a person dragging them from the desktop would. */
async function dropFiles(page: Page, selector: string, files: Array<{ name: string; bytes?: Buffer; size?: number }>): Promise<void> {
  const specs = files.map((f) => ({ name: f.name, b64: f.bytes ? f.bytes.toString('base64') : null, size: f.size ?? 0 }));
  await page.locator(selector).first().evaluate((target, list) => {
    const dt = new DataTransfer();
    for (const f of list) {
      const bytes = f.b64 ? Uint8Array.from(atob(f.b64), (c) => c.charCodeAt(0)) : new Uint8Array(f.size);
      dt.items.add(new File([bytes], f.name, { type: 'application/octet-stream' }));
    }
    const at = target.getBoundingClientRect();
    const init = { bubbles: true, cancelable: true, dataTransfer: dt, clientX: at.left + 20, clientY: at.top + 20 };
    target.dispatchEvent(new DragEvent('dragenter', init));
    target.dispatchEvent(new DragEvent('dragover', init));
    target.dispatchEvent(new DragEvent('drop', init));
  }, specs);
}
