// Ending a session the instant it was created: the child may not have called setsid() yet, so
// its process group does not exist. It must still be ended (no orphan). And sessions share one
// screen worker rather than a thread each.
import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { endGroup } from '../../main/server/pty/process-group.js';
import { SCREEN_WORKER_IDLE_MS } from '../../main/server/sessions/screen-host.js';
import { processAlive, sleep, startServer } from '../helpers/server.js';

const threads = (): number => readdirSync('/proc/self/task').length;

describe('ending a session right after creating it', () => {
  it('endGroup ends a child that does not lead its group yet (signals the pid itself)', async () => {
    // A plain child shares our group: -pid names no group, exactly as before the child's setsid().
    const child = spawn('sleep', ['300'], { stdio: 'ignore' });
    const exited = new Promise((r) => child.once('exit', r));
    await sleep(50);
    await endGroup(child.pid!, 2000).done;
    await exited;
    expect(await processAlive(child.pid!)).toBe(false);
  });

  it('leaves no process behind, 40 times over', async () => {
    const ts = await startServer();
    const pids: number[] = [];
    for (let i = 0; i < 40; i++) {
      const s = await ts.server.sessions.create({ command: ['cat'] });
      pids.push(s.pid);
      await ts.server.sessions.remove(s.id); // no pause between spawn and the hang-up
    }
    const alive = [];
    for (const pid of pids) if (await processAlive(pid)) alive.push(pid);
    expect(alive).toEqual([]);
    expect(ts.server.sessions.list()).toEqual([]);
  });

  it('hosts every session screen in one worker thread', async () => {
    const ts = await startServer();
    // A screen opens on the first output (session.ts): each of these prints.
    const talker = ['sh', '-c', 'echo hi; exec cat'];
    await ts.createSession({ command: talker }); // starts the worker and libuv's pool
    await sleep(200);
    const before = threads();
    for (let i = 0; i < 6; i++) await ts.createSession({ command: talker });
    await sleep(200);
    // node-pty adds one waitpid thread per child; a worker per session would add one more each.
    expect(threads() - before).toBeLessThanOrEqual(6 + 2);
  });

  it('stops the screen worker once no session has a screen, and starts one again when needed', async () => {
    const ts = await startServer();
    const a = await ts.createSession({ command: ['sh', '-c', 'echo hi; exec cat'] }); // its output opens a screen
    await sleep(300);
    const withWorker = threads();
    await ts.server.sessions.remove(a.id);
    await sleep(SCREEN_WORKER_IDLE_MS + 800);
    // The worker's own thread and its V8 helpers are gone (node-pty's waitpid thread too).
    expect(threads()).toBeLessThan(withWorker - 1);
    const b = await ts.createSession({ command: ['sh', '-c', 'echo back; exec cat'] });
    const snap = async () => (await ts.api(`/api/sessions/${b.id}/snapshot`)).text();
    for (let i = 0; i < 50 && !(await snap()).includes('back'); i++) await sleep(50);
    expect(await snap()).toContain('back');
  });

  it('starts no screen worker for a session that prints nothing, and still answers for its empty screen', async () => {
    const ts = await startServer();
    const warm = await ts.createSession({ command: ['cat'] }); // libuv's pool and node-pty's threads
    await ts.server.sessions.remove(warm.id);
    await sleep(300);
    const idle = threads();
    const s = await ts.createSession({ command: ['cat'] });
    await sleep(300);
    // node-pty's waitpid thread only: no worker thread with its V8 helpers.
    expect(threads()).toBeLessThanOrEqual(idle + 1);
    // The snapshot opens the screen it reads: the empty screen, one line per row.
    expect(await (await ts.api(`/api/sessions/${s.id}/snapshot`)).text()).toBe('\n'.repeat(23));
  });
});
