// Ending a session means ending everything its shell started: the child leads its own process
// group, so signalling -pid reaches background jobs and grandchildren too.
import { KILL_GRACE_MS } from '../../../common/flow.js';

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
function signalGroupOrLeader(pgid: number, signal: NodeJS.Signals | 0): boolean {
  if (signalGroup(pgid, signal)) return true;
  if (!Number.isInteger(pgid) || pgid <= 1) return false;
  try {
    process.kill(pgid, signal);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export interface GroupEnding {
  /** Resolves once the group is empty, or once SIGKILL has been sent after the grace period. */
  readonly done: Promise<void>;
  /** Stops the timers early (the caller knows the group is gone). Idempotent. */
  cancel(): void;
}

/** The group is polled quickly at first (a hung-up shell is gone in a ms or two), then every POLL_MAX_MS. */
const POLL_FIRST_MS = 1;
const POLL_MAX_MS = 25;

/**
 * SIGHUP the group (what a terminal hang-up sends), then SIGKILL after `graceMs` if anything is
 * still in it. Every timer is cleared when `done` settles, so nothing outlives the ending.
 * A zombie still counts as a member until its parent reaps it; node-pty reaps the leader itself
 * and orphans are reaped by init, so a group of zombies only costs the grace period.
 */
export function endGroup(pgid: number, graceMs: number = KILL_GRACE_MS): GroupEnding {
  let poll: NodeJS.Timeout | undefined;
  let grace: NodeJS.Timeout | undefined;
  let finish: () => void = () => {};
  const done = new Promise<void>((resolve) => {
    finish = () => {
      if (poll) clearTimeout(poll);
      if (grace) clearTimeout(grace);
      poll = grace = undefined;
      resolve();
    };
  });
  if (!signalGroupOrLeader(pgid, 'SIGHUP')) {
    finish();
    return { done, cancel: finish };
  }
  const check = (delay: number): void => {
    poll = setTimeout(() => {
      if (!signalGroupOrLeader(pgid, 0)) finish();
      else check(Math.min(delay * 2, POLL_MAX_MS));
    }, delay);
  };
  check(POLL_FIRST_MS);
  grace = setTimeout(() => {
    signalGroupOrLeader(pgid, 'SIGKILL');
    finish();
  }, graceMs);
  return { done, cancel: finish };
}
