// The OS ending the user's session (macOS logout, Linux/macOS shutdown: Electron's powerMonitor
// 'shutdown') runs the contract's shutdown without asking, even with a session running, and
// asks the OS to wait for it: the real main/electron/main.ts with the stand-in Electron and a
// real Server. (Windows' query-session-end goes through the same wireSystemEnd; its wiring per
// OS is tests/unit/electron-system-end.test.ts.)
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { bootDesktop, FakeEvent, pidAlive, powerMonitor, recorded, sessionFromTray, until } from './electron-fake.js';

vi.mock('electron', async () => (await import('./electron-fake.js')).electron);

let desktop: { stop(): Promise<void> } | undefined;
beforeAll(async () => {
  desktop = await bootDesktop('porthole-desktop-end-');
}, 30_000);
afterAll(() => desktop?.stop());

describe('desktop main process: the OS ends the session', () => {
  it('listens for powerMonitor shutdown on Linux and macOS', () => {
    expect(powerMonitor.listenerCount('shutdown')).toBe(process.platform === 'win32' ? 0 : 1);
  });

  it('shutdown with a running session: held, no question, the shell ends, the server stops', async () => {
    const { origin, session } = await sessionFromTray();
    expect(session.status).toBe('running');
    const boxesBefore = recorded.boxes.length;

    const e = new FakeEvent();
    powerMonitor.emit('shutdown', e);
    expect(e.defaultPrevented).toBe(true); // the OS is asked to wait for the shutdown
    await until('the app to quit', () => recorded.quitted, 10_000);
    expect(recorded.boxes.slice(boxesBefore).map((b) => b.message)).toEqual([]);
    await until('the shell to end', () => !pidAlive(session.pid), 5000);
    await expect(fetch(`${origin}/health`)).rejects.toThrow();
  });
});
