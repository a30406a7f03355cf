// The OS ending the user's session (macOS logout, Linux/macOS shutdown: Electron's powerMonitor
// 'shutdown') runs the contract's shutdown without asking, even with a session running, and
// asks the OS to wait for it: the real main/electron/main.ts with the stand-in Electron and a
// real Server. (Windows' query-session-end is wired the same way; platform/signals.ts decides
// which of the two hooks an OS gets, tests/unit/platform-signals.test.ts pins that.)
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { SHUTDOWN_SIGNALS } from '../../main/electron/quit-policy.js';
import { app, FakeEvent, fireReady, holdPort, pidAlive, powerMonitor, recorded, trayItem } from './electron-fake.js';

vi.mock('electron', async () => (await import('./electron-fake.js')).electron);

const ROOT = path.resolve(import.meta.dirname, '../..');
let userData = '';
let holder: { release(): Promise<void> } | undefined;

async function until<T>(what: string, fn: () => T | undefined | null | false, ms = 10_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

beforeAll(async () => {
  process.env.PORTHOLE_LOG_LEVEL ??= 'error';
  userData = mkdtempSync(path.join(tmpdir(), 'porthole-desktop-end-'));
  app.appPath = ROOT;
  app.userData = userData;
  holder = await holdPort(4022);
  await import('../../main/electron/main.js');
  fireReady();
  await until('the window', () => recorded.windows[0], 15_000);
}, 30_000);

afterAll(async () => {
  for (const sig of SHUTDOWN_SIGNALS) process.removeAllListeners(sig);
  powerMonitor.removeAllListeners();
  if (!recorded.quitted) app.quit();
  await holder?.release();
  rmSync(userData, { recursive: true, force: true });
});

describe('desktop main process: the OS ends the session', () => {
  it('listens for powerMonitor shutdown on Linux and macOS', () => {
    expect(powerMonitor.listenerCount('shutdown')).toBe(process.platform === 'win32' ? 0 : 1);
  });

  it('shutdown with a running session: held, no question, the shell ends, the server stops', async () => {
    trayItem(['New session'])!.click!();
    await until('the session in the tray', () => trayItem([/^● /]));
    const url = new URL(recorded.windows[0]!.urls[0]!).origin;
    const mint = recorded.handlers.get('porthole:get-owner-token')!;
    const { token } = (await mint({ senderFrame: { url: `${url}/` } })) as { token: string };
    const res = await fetch(`${url}/api/sessions`, { headers: { authorization: `Bearer ${token}` } });
    const [session] = (await res.json()) as Array<{ pid: number; status: string }>;
    expect(session!.status).toBe('running');
    const boxesBefore = recorded.boxes.length;

    const e = new FakeEvent();
    powerMonitor.emit('shutdown', e);
    expect(e.defaultPrevented).toBe(true); // the OS is asked to wait for the shutdown
    await until('the app to quit', () => recorded.quitted, 10_000);
    expect(recorded.boxes.slice(boxesBefore).map((b) => b.message)).toEqual([]);
    await until('the shell to end', () => !pidAlive(session!.pid), 5000);
    await expect(fetch(`${url}/health`)).rejects.toThrow();
  });
});
