// Ending a session means ending everything its shell started. On POSIX the child leads its own
// process group, so signalling -pid reaches background jobs and grandchildren too; on Windows
// the tree is ended with taskkill and the ConPTY close. Which steps, in which order, is decided
// per platform in platform/session-tree.ts; these are the real effects it runs with.
import { execFile } from 'node:child_process';
import { KILL_GRACE_MS } from '../../../common/flow.js';
import { endSessionTree, sessionEndPlan, type TreeEffects, type TreeEnding } from '../platform/session-tree.js';

/** Sends `signal` to the group `pgid`; false if no process is left in it. */
export function signalGroup(pgid: number, signal: NodeJS.Signals | 0): boolean {
  if (!Number.isInteger(pgid) || pgid <= 1) return false; // never -1 (everything) or -0 (ourselves)
  try {
    process.kill(-pgid, signal);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EPERM') return true; // exists, not ours to signal
    return false; // ESRCH: the group is empty
  }
}

/**
 * A child ended right after spawn() returned may not have called setsid() yet: its group does
 * not exist, but the child does. Signal the process itself then, or it outlives its session.
 */
export function signalGroupOrLeader(pgid: number, signal: NodeJS.Signals | 0): boolean {
  if (signalGroup(pgid, signal)) return true;
  if (!Number.isInteger(pgid) || pgid <= 1) return false;
  try {
    process.kill(pgid, signal);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export type GroupEnding = TreeEnding;

/** The real effects for platform/session-tree.ts: signals, liveness, a program run, the PTY's kill(). */
export function nodeTreeEffects(ptyKill: () => void): TreeEffects {
  return {
    signalGroup: signalGroupOrLeader,
    alive(pid) {
      try {
        process.kill(pid, 0);
        return true;
      } catch (err) {
        return (err as NodeJS.ErrnoException).code === 'EPERM';
      }
    },
    run(file, args, timeoutMs) {
      // No shell, no window (Windows), bounded; its output and exit status do not matter.
      return new Promise<void>((resolve) => {
        execFile(file, args, { timeout: timeoutMs, windowsHide: true }, () => resolve());
      });
    },
    ptyKill,
  };
}

/**
 * Ends a session's process tree the way its OS allows (platform/session-tree.ts): on POSIX
 * SIGHUP the group, SIGKILL after `graceMs`; on Windows taskkill /T /F, then the PTY's kill().
 * `ptyKill` is the PTY adapter's kill() with no signal.
 */
export function endSessionTreeOf(pid: number, ptyKill: () => void, graceMs: number = KILL_GRACE_MS): GroupEnding {
  return endSessionTree(sessionEndPlan(process.platform, pid, graceMs, process.env), nodeTreeEffects(ptyKill));
}

/** Whether nothing of the session's tree is left, as endSessionTreeOf judges it on this OS. */
export function sessionTreeGone(pid: number): boolean {
  const plan = sessionEndPlan(process.platform, pid, 0, process.env);
  const fx = nodeTreeEffects(() => {});
  return plan.goneWhen === 'group-empty' ? !fx.signalGroup(pid, 0) : !fx.alive(pid);
}

/**
 * SIGHUP the group (what a terminal hang-up sends), then SIGKILL after `graceMs` if anything is
 * still in it: the POSIX plan, whatever this OS is. Every timer is cleared when `done` settles.
 * A zombie still counts as a member until its parent reaps it; node-pty reaps the leader itself
 * and orphans are reaped by init, so a group of zombies only costs the grace period.
 */
export function endGroup(pgid: number, graceMs: number = KILL_GRACE_MS): GroupEnding {
  return endSessionTree(sessionEndPlan('linux', pgid, graceMs, {}), nodeTreeEffects(() => {}));
}
