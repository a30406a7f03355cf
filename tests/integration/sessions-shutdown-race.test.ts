// A create in flight when shutdown begins (SIGTERM during POST /api/sessions): closeAll() ends
// the sessions it sees and stops the screen worker, so the create must spawn nothing after it,
// and must not start the worker again.
import { tmpdir } from 'node:os';
import { describe, expect, it } from 'vitest';
import { PortholeError } from '../../common/errors.js';
import type { PtyPort } from '../../main/server/pty/port.js';
import { loadRuntime } from '../../main/server/runtime.js';
import { SessionManager } from '../../main/server/sessions/manager.js';
import { silentLogger } from '../../main/server/log.js';
import { makeTempDir, processAlive } from '../helpers/server.js';

describe('shutdown while a create is in flight', () => {
  it('the create fails with server_stopping, spawns no PTY and leaves no screen worker', async () => {
    const { pty } = await loadRuntime();
    const spawned: number[] = [];
    const counting: PtyPort = {
      spawn(file, args, options) {
        const p = pty.spawn(file, args, options);
        spawned.push(p.pid);
        return p;
      },
    };
    const manager = new SessionManager({ recordingsDir: await makeTempDir(), logger: silentLogger, pty: counting });
    const running = await manager.create({ command: ['sleep', '60'], cwd: tmpdir() });
    expect(spawned).toHaveLength(1);

    // The create passes the `closed` check, then waits on its cwd/command checks...
    const late = manager.create({ command: ['sleep', '60'], cwd: tmpdir() });
    // ...while closeAll() starts (it takes its list of sessions at once).
    const closing = manager.closeAll();
    const outcome = await late.then(
      (s) => ({ ok: true as const, s }),
      (err: unknown) => ({ ok: false as const, err }),
    );
    await closing;
    expect(outcome.ok).toBe(false);
    if (!outcome.ok) {
      expect(outcome.err).toBeInstanceOf(PortholeError);
      expect((outcome.err as PortholeError).code).toBe('server_stopping');
      expect((outcome.err as PortholeError).status).toBe(503);
    }
    expect(spawned).toHaveLength(1); // only the first: no PTY that nobody ends
    expect(await processAlive(running.pid)).toBe(false);
    // The screen worker was not started again after closeAll stopped it.
    expect((manager as unknown as { screens: { worker: unknown } }).screens.worker).toBeUndefined();
    // And a create after shutdown is refused the same way.
    await expect(manager.create({ command: ['true'], cwd: tmpdir() })).rejects.toMatchObject({ code: 'server_stopping' });
  });
});
