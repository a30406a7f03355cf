// A signal to the desktop app (Ctrl+C in the terminal that ran `npm start`, SIGTERM at logout)
// runs the contract's shutdown without asking, even with a session running: the real
// main/electron/main.ts with the stand-in Electron (electron-fake.ts) and a real Server.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { SHUTDOWN_SIGNALS } from '../../main/electron/quit-policy.js';
import { bootDesktop, pidAlive, recorded, sessionFromTray, until } from './electron-fake.js';

vi.mock('electron', async () => (await import('./electron-fake.js')).electron);

let desktop: { stop(): Promise<void> } | undefined;
beforeAll(async () => {
  desktop = await bootDesktop('porthole-desktop-sig-');
}, 30_000);
afterAll(() => desktop?.stop());

describe('desktop main process: signals', () => {
  it('listens for SIGINT, SIGTERM and SIGHUP once ready', () => {
    for (const sig of SHUTDOWN_SIGNALS) expect(process.listenerCount(sig), sig).toBe(1);
  });

  it('SIGTERM with a running session: no question, the shell ends, the server stops', async () => {
    const { origin, session } = await sessionFromTray();
    expect(session.status).toBe('running');
    const boxesBefore = recorded.boxes.length;

    process.emit('SIGTERM', 'SIGTERM');
    await until('the app to quit', () => recorded.quitted, 10_000);
    expect(recorded.boxes.slice(boxesBefore).map((b) => b.message)).toEqual([]);
    await until('the shell to end', () => !pidAlive(session.pid), 5000);
    await expect(fetch(`${origin}/health`)).rejects.toThrow();
  });
});
