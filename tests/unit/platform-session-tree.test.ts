// How a session's process tree is ended on each OS: the plan (which commands and signals, in
// which order, when it counts as done) and the interpreter that runs it, with recorded effects.
// The POSIX plan also runs for real in sessions-lifecycle / sessions-end-race (real PTYs).
import { describe, expect, it } from 'vitest';
import { endSessionTree, RUN_TIMEOUT_MS, sessionEndPlan, taskkillPath, type TreeEffects } from '../../main/server/platform/session-tree.js';

describe('sessionEndPlan', () => {
  it('linux and darwin: SIGHUP the group now, SIGKILL at the grace period, done when the group is empty', () => {
    for (const platform of ['linux', 'darwin'] as const) {
      expect(sessionEndPlan(platform, 4242, 2000, {})).toEqual({
        pid: 4242,
        steps: [
          { kind: 'signal-group', signal: 'SIGHUP', atMs: 0 },
          { kind: 'signal-group', signal: 'SIGKILL', atMs: 2000 },
        ],
        goneWhen: 'group-empty',
        deadlineMs: 2000,
      });
    }
  });

  it('win32: taskkill /T /F of the tree first (the shell is still there to find it by), then the ConPTY close', () => {
    expect(sessionEndPlan('win32', 4242, 2000, { SystemRoot: 'D:\\WINDOWS' })).toEqual({
      pid: 4242,
      steps: [
        { kind: 'run', file: 'D:\\WINDOWS\\System32\\taskkill.exe', args: ['/T', '/F', '/PID', '4242'], atMs: 0 },
        { kind: 'pty-kill', atMs: 0 },
      ],
      goneWhen: 'leader-gone',
      deadlineMs: 2000,
    });
  });

  it('taskkill is named by absolute path, never looked up on PATH', () => {
    expect(taskkillPath({})).toBe('C:\\Windows\\System32\\taskkill.exe');
    expect(taskkillPath({ systemroot: 'E:\\Win' })).toBe('E:\\Win\\System32\\taskkill.exe');
  });
});

/** A fake process tree: a leader and members that leave when the effects say so. */
function fakeTree(opts: { leaveOn: 'SIGHUP' | 'SIGKILL' | 'taskkill' | 'pty-kill' | 'never'; groupExists?: boolean }) {
  const log: string[] = [];
  let alive = opts.groupExists ?? true;
  const fx: TreeEffects = {
    signalGroup(_pgid, signal) {
      if (signal !== 0) log.push(signal);
      const was = alive;
      if (signal === opts.leaveOn) alive = false;
      return was;
    },
    alive: () => alive,
    async run(file, args, timeoutMs) {
      log.push(`run ${file.split('\\').pop()} ${args.join(' ')} (timeout ${timeoutMs})`);
      await new Promise((r) => setTimeout(r, 5));
      if (opts.leaveOn === 'taskkill') alive = false;
    },
    ptyKill() {
      log.push('pty-kill');
      if (opts.leaveOn === 'pty-kill') alive = false;
    },
  };
  return { fx, log, isAlive: () => alive };
}

describe('endSessionTree', () => {
  it('POSIX, a group that hangs up: SIGHUP only, done well before the grace period', async () => {
    const t = fakeTree({ leaveOn: 'SIGHUP' });
    await endSessionTree(sessionEndPlan('linux', 10, 60_000, {}), t.fx).done;
    expect(t.log).toEqual(['SIGHUP']);
  });

  it('POSIX, a group that ignores SIGHUP: SIGKILL at the grace period, then done', async () => {
    const t = fakeTree({ leaveOn: 'SIGKILL' });
    await endSessionTree(sessionEndPlan('darwin', 10, 50, {}), t.fx).done;
    expect(t.log).toEqual(['SIGHUP', 'SIGKILL']);
    expect(t.isAlive()).toBe(false);
  });

  it('POSIX, nothing there any more: done at once, no SIGKILL later', async () => {
    const t = fakeTree({ leaveOn: 'never', groupExists: false });
    await endSessionTree(sessionEndPlan('linux', 10, 30, {}), t.fx).done;
    await new Promise((r) => setTimeout(r, 60));
    expect(t.log).toEqual(['SIGHUP']);
  });

  it('win32: taskkill of the tree, then the PTY kill, in that order; done once the shell is gone', async () => {
    const t = fakeTree({ leaveOn: 'taskkill' });
    await endSessionTree(sessionEndPlan('win32', 77, 60_000, {}), t.fx).done;
    expect(t.log).toEqual([`run taskkill.exe /T /F /PID 77 (timeout ${RUN_TIMEOUT_MS})`, 'pty-kill']);
  });

  it('win32: when only the ConPTY close ends it (taskkill could not), it is still seen gone', async () => {
    const t = fakeTree({ leaveOn: 'pty-kill' });
    await endSessionTree(sessionEndPlan('win32', 77, 60_000, {}), t.fx).done;
    expect(t.log.at(-1)).toBe('pty-kill');
    expect(t.isAlive()).toBe(false);
  });

  it('win32: a tree that will not die is given up on at the deadline (bounded); no signals are ever sent', async () => {
    const t = fakeTree({ leaveOn: 'never' });
    await endSessionTree(sessionEndPlan('win32', 77, 40, {}), t.fx).done;
    expect(t.log.some((l) => l.startsWith('SIG'))).toBe(false);
  });

  it('a step that throws does not stop the next one', async () => {
    const t = fakeTree({ leaveOn: 'pty-kill' });
    const fx = { ...t.fx, run: () => Promise.reject(new Error('ENOENT taskkill')) };
    await endSessionTree(sessionEndPlan('win32', 77, 60_000, {}), fx).done;
    expect(t.log).toEqual(['pty-kill']);
  });

  it('cancel() settles it and no step runs afterwards', async () => {
    const t = fakeTree({ leaveOn: 'never' });
    const ending = endSessionTree(sessionEndPlan('linux', 10, 30, {}), t.fx);
    ending.cancel();
    await ending.done;
    await new Promise((r) => setTimeout(r, 60));
    expect(t.log).toEqual(['SIGHUP']);
  });
});
