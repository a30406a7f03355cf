// A signal to the desktop app (Ctrl+C in the terminal that ran `npm start`, SIGTERM at logout)
// runs the contract's shutdown without asking, even with a session running: the real
// main/electron/main.ts with the stand-in Electron (electron-fake.ts) and a real Server.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { SHUTDOWN_SIGNALS } from '../../main/electron/quit-policy.js';
import { app, fireReady, holdPort, pidAlive, recorded, trayItem } from './electron-fake.js';

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
  userData = mkdtempSync(path.join(tmpdir(), 'porthole-desktop-sig-'));
  app.appPath = ROOT;
  app.userData = userData;
  // Keep the app off 4022 (a developer's own Porthole may be there): take it if it is free,
  // so the app moves to the port its dialog offers (the stand-in presses the default button).
  holder = await holdPort(4022);
  await import('../../main/electron/main.js');
  fireReady();
  await until('the window', () => recorded.windows[0], 15_000);
}, 30_000);

afterAll(async () => {
  // The handlers main.ts installed would outlive the test in this worker process.
  for (const sig of SHUTDOWN_SIGNALS) process.removeAllListeners(sig);
  if (!recorded.quitted) app.quit();
  await holder?.release();
  rmSync(userData, { recursive: true, force: true });
});

describe('desktop main process: signals', () => {
  it('listens for SIGINT, SIGTERM and SIGHUP once ready', () => {
    for (const sig of SHUTDOWN_SIGNALS) expect(process.listenerCount(sig), sig).toBe(1);
  });

  it('SIGTERM with a running session: no question, the shell ends, the server stops', async () => {
    trayItem(['New session'])!.click!();
    await until('the session in the tray', () => trayItem([/^● /]));
    const url = new URL(recorded.windows[0]!.urls[0]!).origin;
    const mint = recorded.handlers.get('porthole:get-owner-token')!;
    const { token } = (await mint({ senderFrame: { url: `${url}/` } })) as { token: string };
    const res = await fetch(`${url}/api/sessions`, { headers: { authorization: `Bearer ${token}` } });
    const [session] = (await res.json()) as Array<{ pid: number; status: string }>;
    expect(session!.status).toBe('running');
    const boxesBefore = recorded.boxes.length;

    process.emit('SIGTERM', 'SIGTERM');
    await until('the app to quit', () => recorded.quitted, 10_000);
    expect(recorded.boxes.slice(boxesBefore).map((b) => b.message)).toEqual([]);
    await until('the shell to end', () => !pidAlive(session!.pid), 5000);
    await expect(fetch(`${url}/health`)).rejects.toThrow();
  });
});
