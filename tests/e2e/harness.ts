// End-to-end harness: builds the renderer when stale, starts Debian's Chromium through
// playwright-core (never a downloaded browser), and opens pages against a real Server from
// tests/helpers/server.ts. Pages expose window.portholeProbe (renderer/src/debug.ts) so a test
// can read the terminal even when it is drawn on a WebGL canvas.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll } from 'vitest';
import type { ServerOptions } from '../../main/server/server.js';
import { startServer, type TestServer } from '../helpers/server.js';

export const ROOT = resolve(import.meta.dirname, '../..');
export const RENDERER_DIR = resolve(ROOT, 'dist/renderer');
export const CHROMIUM = process.env.PORTHOLE_CHROMIUM ?? '/usr/bin/chromium';
export const PASSWORD = 'correct horse battery staple';

/** Build dist/renderer once for all e2e files (flock serialises parallel workers). */
export function ensureRendererBuilt(): void {
  execFileSync('flock', ['/tmp/porthole-build-renderer.lock', process.execPath, resolve(import.meta.dirname, 'build-renderer.mjs')], {
    cwd: ROOT,
    stdio: 'inherit',
  });
  if (!existsSync(resolve(RENDERER_DIR, 'index.html'))) throw new Error('renderer build produced no index.html');
}

/**
 * A readers-writer lock across the e2e files (vitest runs files in parallel): browser tests
 * hold it shared; the first-screen measurement holds it exclusive, so the numbers it records
 * are not those of a machine busy with a 30 MB flood in the next worker. flock(1) holds the
 * lock for as long as its child `cat` runs; closing stdin releases it, and so does a crash.
 */
export async function holdE2eLock(mode: 'shared' | 'exclusive'): Promise<() => Promise<void>> {
  const child = spawn('flock', [mode === 'shared' ? '-s' : '-x', '/tmp/porthole-e2e.lock', '-c', 'echo locked; exec cat'], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  await new Promise<void>((resolve, reject) => {
    child.stdout.once('data', () => resolve());
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`flock exited with ${code} before locking`)));
  });
  return async () => {
    child.stdin.end();
    await exited;
  };
}

/** Long enough for a beforeAll that may wait for the lock while a measurement runs. */
export const LOCK_WAIT_MS = 300_000;

export function chromiumAvailable(): boolean {
  return existsSync(CHROMIUM);
}

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

export async function e2eServer(overrides: Partial<ServerOptions> = {}): Promise<TestServer> {
  return startServer({ password: PASSWORD, rendererDir: RENDERER_DIR, ...overrides });
}

/** A fresh context (its own storage: a second "browser") and page; console errors collected. */
export async function newPage(browser: Browser, opts: { viewport?: { width: number; height: number }; isMobile?: boolean; hasTouch?: boolean } = {}): Promise<{ context: BrowserContext; page: Page; errors: string[] }> {
  const context = await browser.newContext({ viewport: opts.viewport ?? { width: 1280, height: 800 }, isMobile: opts.isMobile, hasTouch: opts.hasTouch });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    // HTTP errors the page expects (a 401 for a wrong password) are logged by the browser
    // itself as "Failed to load resource"; only script errors count.
    if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) errors.push(`console: ${m.text()}`);
  });
  return { context, page, errors };
}

type PageOptions = NonNullable<Parameters<typeof newPage>[1]>;

/**
 * Opens a link (a share link, the owner link) as a new visitor: a fresh context (no cache, no
 * storage) closed after the test. `before` runs on the page before it navigates (routes, init
 * scripts). The one place the e2e files and the first-screen measurement open a page.
 */
export async function openLink(
  suite: { readonly browser: Browser; readonly closers: Array<() => Promise<void>> },
  url: string,
  opts: PageOptions & { before?: (page: Page) => Promise<unknown> } = {},
): Promise<{ context: BrowserContext; page: Page; errors: string[] }> {
  const opened = await newPage(suite.browser, opts);
  suite.closers.push(() => opened.context.close());
  await opts.before?.(opened.page);
  await opened.page.goto(url);
  return opened;
}

/** Text of the page's terminal buffer (scrollback + screen). */
export function termText(page: Page): Promise<string> {
  return page.evaluate(() => window.portholeProbe?.text() ?? '');
}

export async function waitForTerm(page: Page, needle: string | RegExp, timeoutMs = 10_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  while (Date.now() < deadline) {
    last = await termText(page);
    if (typeof needle === 'string' ? last.includes(needle) : needle.test(last)) return last;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`terminal never showed ${String(needle)}; it shows:\n${last.slice(-2000)}`);
}

export function count(haystack: string, needle: string): number {
  let n = 0;
  for (let i = haystack.indexOf(needle); i >= 0; i = haystack.indexOf(needle, i + needle.length)) n++;
  return n;
}

/** A share link for a session, made through the public API. */
export async function makeShare(ts: Pick<TestServer, 'json'>, sessionId: string, mode: 'view' | 'control', expiresIn?: number): Promise<{ id: string; url: string; token: string }> {
  const r = await ts.json<{ id: string; url: string; token: string }>(`/api/sessions/${sessionId}/shares`, {
    body: expiresIn ? { mode, expiresIn } : { mode },
  });
  if (r.status !== 201) throw new Error(`share: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body;
}

/** The server's view of the screen (what the PTY really got). */
export async function snapshot(ts: Pick<TestServer, 'api'>, sessionId: string): Promise<string> {
  const res = await ts.api(`/api/sessions/${sessionId}/snapshot`);
  return res.text();
}

/** Type into the session through the API (as another owner client would). */
export async function input(ts: Pick<TestServer, 'api'>, sessionId: string, data: string): Promise<void> {
  const res = await ts.api(`/api/sessions/${sessionId}/input`, { body: { data } });
  if (res.status !== 204) throw new Error(`input: ${res.status}`);
}

declare global {
  interface Window {
    portholeProbe?: {
      page: string;
      text(): string;
      size(): { cols: number; rows: number };
      mode: string | null;
      firstScreenMs: number | null;
      xtermScreenMs?: number | null;
      previewMs?: number | null;
      readyCount: number;
      resumedCount?: number;
      scroll(): { viewportY: number; baseY: number };
      renderer: string;
      dropSocket(): void;
    };
  }
}

/**
 * The hooks every browser suite shares: the e2e lock, a built renderer, one Chromium, and what
 * to close after each test. Call it inside describe(); tests read `.browser` once it has run.
 */
export function e2eBrowserSuite(mode: 'shared' | 'exclusive'): { readonly browser: Browser; readonly closers: Array<() => Promise<void>> } {
  const suite: { browser: Browser; closers: Array<() => Promise<void>> } = { browser: undefined as unknown as Browser, closers: [] };
  let release: (() => Promise<void>) | undefined;
  beforeAll(async () => {
    release = await holdE2eLock(mode);
    ensureRendererBuilt();
    suite.browser = await launchBrowser();
  }, LOCK_WAIT_MS);
  afterEach(async () => {
    for (const c of suite.closers.splice(0).reverse()) await c().catch(() => undefined);
  });
  afterAll(async () => {
    await suite.browser?.close();
    await release?.();
  });
  return suite;
}
