// Runs the real main/electron/main.ts (glue) with a stand-in `electron` module (electron-fake.ts)
// and a real in-process Server: port-in-use dialog, window options and URL, permission and
// navigation lock-down, IPC gate with a real owner token, tray menu actions on a real session,
// and the ask-then-shutdown quit. Real Electron cannot run on the development machines.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import WebSocket from 'ws';
import { SHUTDOWN_SIGNALS } from '../../main/electron/quit-policy.js';
import { answers, app, FakeWebContents, fireReady, holdPort, pidAlive, recorded, trayItem, until } from './electron-fake.js';

vi.mock('electron', async () => (await import('./electron-fake.js')).electron);

const ROOT = path.resolve(import.meta.dirname, '../..');
const PREFERRED = 4022;
let userData = '';
let holder: { release(): Promise<void> } | undefined;
let appUrl = '';

function invoke(channel: string, senderUrl: string | null, ...args: unknown[]): Promise<unknown> {
  const h = recorded.handlers.get(channel);
  if (!h) throw new Error(`no handler for ${channel}`);
  return Promise.resolve().then(() => h({ senderFrame: senderUrl === null ? null : { url: senderUrl } }, ...args));
}


beforeAll(async () => {
  process.env.PORTHOLE_LOG_LEVEL ??= 'error';
  userData = mkdtempSync(path.join(tmpdir(), 'porthole-desktop-'));
  app.appPath = ROOT;
  app.userData = userData;
  // Make sure 4022 is taken (by us, unless something else already has it): the dialog path.
  holder = await holdPort(PREFERRED);
  await import('../../main/electron/main.js');
  fireReady();
  const win = await until('the window', () => recorded.windows[0], 15_000);
  appUrl = new URL(win.urls[0]!).origin;
}, 30_000);

afterAll(async () => {
  // The signal handlers main.ts installed would outlive the test in this worker process.
  for (const sig of SHUTDOWN_SIGNALS) process.removeAllListeners(sig);
  if (!recorded.quitted) app.quit();
  await holder?.release();
  rmSync(userData, { recursive: true, force: true });
});

describe('desktop main process (glue, stand-in Electron, real server)', () => {
  it('enables the sandbox for every renderer and locks permissions before anything loads', async () => {
    expect(recorded.sandboxEnabled).toBe(true);
    const granted: boolean[] = [];
    recorded.permissionRequest!(null, 'media', (ok: boolean) => granted.push(ok), { requestingUrl: `${appUrl}/` });
    recorded.permissionRequest!(null, 'clipboard-read', (ok: boolean) => granted.push(ok), { requestingUrl: `${appUrl}/` });
    expect(granted).toEqual([false, false]);
    expect(recorded.permissionCheck!(null, 'notifications', appUrl, {})).toBe(false);
  });

  it('said plainly that 4022 was taken, and listens on the port it offered', () => {
    const box = recorded.boxes.find((b) => b.message === `Port ${PREFERRED} is already in use.`);
    expect(box).toBeDefined();
    const port = Number(new URL(appUrl).port);
    expect(port).not.toBe(PREFERRED);
    expect(box!.buttons[0]).toBe(`Use port ${port}`);
    expect(new URL(appUrl).hostname).toBe('127.0.0.1');
  });

  it('opens one locked-down window on the server page, shown when ready', async () => {
    const [win] = recorded.windows;
    const wp = win!.options.webPreferences as Record<string, unknown>;
    expect(wp).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false, webSecurity: true });
    expect(wp.preload).toBe(path.join(ROOT, 'dist/preload/index.cjs'));
    expect(win!.urls[0]).toBe(`${appUrl}/`);
    await until('ready-to-show', () => win!.shown > 0);
    if (existsSync(path.join(ROOT, 'dist/renderer/index.html'))) {
      const res = await fetch(`${appUrl}/`);
      expect(res.status).toBe(200);
    }
  });

  it('hands a real owner token to the app page only', async () => {
    const t = (await invoke('porthole:get-owner-token', `${appUrl}/`)) as { token: string; expiresAt: string };
    const me = await fetch(`${appUrl}/api/auth/me`, { headers: { authorization: `Bearer ${t.token}` } });
    expect(me.status).toBe(200);
    expect(((await me.json()) as { role: string }).role).toBe('owner');
    await expect(invoke('porthole:get-owner-token', 'https://evil.example/')).rejects.toThrow(/sender/);
    await expect(invoke('porthole:get-owner-token', null)).rejects.toThrow(/sender/);
    await expect(invoke('porthole:copy-to-clipboard', `${appUrl}/`, 42)).rejects.toThrow();
    await invoke('porthole:copy-to-clipboard', `${appUrl}/s/x`, 'copied text');
    expect(recorded.clipboard.at(-1)).toBe('copied text');
    await invoke('porthole:notify', `${appUrl}/`, { title: 'Hi', body: 'there' });
    expect(recorded.notifications.at(-1)).toEqual({ title: 'Hi', body: 'there' });
  });

  it('keeps every webContents on the app origin', () => {
    const wc = new FakeWebContents();
    app.emit('web-contents-created', {}, wc);
    expect(wc.navigate('will-navigate', `${appUrl}/s/abc`)).toBe(false);
    expect(wc.navigate('will-navigate', 'https://example.com/docs')).toBe(true);
    expect(recorded.external).toEqual(['https://example.com/docs']);
    expect(wc.navigate('will-redirect', 'file:///etc/passwd')).toBe(true);
    expect(recorded.external).toHaveLength(1);
    expect(wc.openHandler!({ url: 'https://example.com/x' }).action).toBe('deny');
    expect(recorded.external).toContain('https://example.com/x');
    expect(wc.openHandler!({ url: 'javascript:alert(1)' }).action).toBe('deny');
    const same = wc.openHandler!({ url: `${appUrl}/s/x` });
    expect(same.action).toBe('allow');
    expect(same.overrideBrowserWindowOptions).toMatchObject({ webPreferences: { sandbox: true, contextIsolation: true } });
  });

  it('hides the window on close and shows it again for a second launch', () => {
    const [win] = recorded.windows;
    expect(win!.close()).toBe(false);
    expect(win!.hidden).toBe(1);
    const shown = win!.shown;
    app.emit('second-instance');
    expect(win!.shown).toBe(shown + 1);
  });

  it('tray: New session starts a real session, lists it, and opens it', async () => {
    expect(trayItem(['No sessions'])).toBeDefined();
    trayItem(['New session'])!.click!();
    const item = await until('the session in the tray', () => trayItem([/^● .* — running · \d+ viewers?$/]));
    expect(item.submenu!.map((i) => i.label ?? '-')).toEqual(['Open', 'Copy view link', 'Copy control link', '-', 'End session']);
    const [win] = recorded.windows;
    await until('the session page', () => win!.urls.some((u) => /\/\?s=[\w-]+$/.test(u)));
  });

  it('tray: Copy view link puts a working share URL on the clipboard', async () => {
    trayItem([/^● /, 'Copy view link'])!.click!();
    const url = await until('a share URL', () => recorded.clipboard.find((c) => c.includes('/s/')));
    expect(url.startsWith(`${appUrl}/s/`)).toBe(true);
    const [, token] = url.split('#');
    const me = await fetch(`${appUrl}/api/auth/me`, { headers: { authorization: `Bearer ${token}` } });
    expect(((await me.json()) as { role: string; mode: string }).mode).toBe('view');
  });

  it('notifies a control-link join and a control request (Allow on the notification grants it); the tray lists who watches', async () => {
    const { token } = (await invoke('porthole:get-owner-token', `${appUrl}/`)) as { token: string };
    const auth = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
    const listed = (await (await fetch(`${appUrl}/api/sessions`, { headers: { authorization: auth.authorization } })).json()) as unknown;
    const [session] = listed as Array<{ id: string }>;
    expect(session, JSON.stringify(listed)).toBeDefined();
    const link = async (mode: string, label: string) =>
      (await (await fetch(`${appUrl}/api/sessions/${session!.id}/shares`, { method: 'POST', headers: auth, body: JSON.stringify({ mode, label }) })).json()) as { token: string };
    const open = async (t: string) => {
      const ws = new WebSocket(`${appUrl.replace('http', 'ws')}/api/sessions/${session!.id}/ws`);
      const texts: Array<{ type: string; mode?: string }> = [];
      ws.on('message', (data, isBinary) => {
        if (!isBinary) texts.push(JSON.parse(String(data)) as { type: string });
      });
      await new Promise((r) => ws.once('open', r));
      ws.send(JSON.stringify({ type: 'auth', token: t }));
      await until('ready', () => texts.some((m) => m.type === 'ready'));
      return { ws, texts };
    };
    const ctl = await open((await link('control', 'Carol')).token);
    await until('the join notification', () => recorded.notifications.find((n) => /^Someone \(Carol\) joined “.+” with a control link\.$/.test(n.body)));
    const viewer = await open((await link('view', 'Vic')).token);
    viewer.ws.send('{"type":"request_control"}');
    const note = await until('the request notification', () => recorded.shownNotifications.find((n) => n.opts.title === 'Porthole: control requested'));
    expect(note.opts.body).toContain('Vic');
    expect(note.opts.actions?.map((a) => a.text)).toEqual(['Allow', 'Deny']);
    await until('the tray to list the request', () => trayItem([/^● /, /Allow Vic to type/]));
    note.emit('action', {}, 0);
    await until('control granted', () => viewer.texts.some((m) => m.type === 'mode' && m.mode === 'control'));
    await until('the notification withdrawn', () => note.closed);
    await until('the tray to offer take back', () => trayItem([/^● /, /Take control back from Vic/]));
    expect(trayItem([/^● /, 'Watching now'])).toBeDefined();
    ctl.ws.close();
    viewer.ws.close();
  });

  it('quit asks while a session runs; Cancel keeps everything, Quit shuts the server down', async () => {
    const res = await fetch(`${appUrl}/api/sessions`, {
      headers: { authorization: `Bearer ${((await invoke('porthole:get-owner-token', `${appUrl}/`)) as { token: string }).token}` },
    });
    const [session] = (await res.json()) as Array<{ pid: number; status: string }>;
    expect(session!.status).toBe('running');

    answers.push(() => 1); // Cancel
    app.quit();
    await until('the question', () => recorded.boxes.find((b) => /session is running\. Quit Porthole\?$/.test(b.message)));
    await new Promise((r) => setTimeout(r, 100));
    expect(recorded.quitted).toBe(false);
    expect(pidAlive(session!.pid)).toBe(true);

    answers.push(() => 0); // Quit
    app.quit();
    await until('the app to quit', () => recorded.quitted, 10_000);
    expect(recorded.trays.at(-1)!.destroyed).toBe(true);
    await until('the shell to end', () => !pidAlive(session!.pid), 5000);
    await expect(fetch(`${appUrl}/health`)).rejects.toThrow();
  });
});
