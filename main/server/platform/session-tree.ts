// How a session's whole process tree is ended on each OS, with the same promise everywhere:
// no process the session started outlives it (no orphans), and ending is bounded in time.
// The plan (which commands and signals, in which order, when it counts as done) is a pure
// function of the platform, unit-tested for linux, darwin and win32; one interpreter runs it
// with injected effects, so the plan a test checks is the plan the server runs.
//
// POSIX (Linux, macOS): the session's child leads its own session and process group (setsid),
// so `-pid` reaches background jobs and grandchildren. SIGHUP the group (what a terminal
// hang-up sends, so shells and editors clean up), poll until it is empty, SIGKILL whatever is
// left after the grace period.
//
// Windows: there are no process groups or signals. node-pty's kill() kills every process
// attached to the session's pseudoconsole (its console process list) and closes the ConPTY;
// a program that started its own console or detached (`start`, `Start-Process`, a GUI app)
// is not attached, so `taskkill /T /F /PID <pid>` ends the whole tree by parent pid first. It
// must go first: the tree is found through the shell's pid, and once the shell is gone its
// children can no longer be found from it. taskkill is run from %SystemRoot%\System32 by
// absolute path, never through PATH. Nothing on Windows is graceful: a program gets no
// hang-up to clean up on (node-pty terminates them), as when a console window is force-closed.

import { envValue, isWindows, pathFor, type Env, type Platform } from './env.js';

export type EndStep =
  /** Signal the process group (or, if it has no group yet, the leader itself). */
  | { kind: 'signal-group'; signal: 'SIGHUP' | 'SIGKILL'; atMs: number }
  /** Run a program and wait for it (bounded by the grace period). */
  | { kind: 'run'; file: string; args: string[]; atMs: number }
  /** The PTY adapter's own kill() with no signal (node-pty on Windows: ConPTY close). */
  | { kind: 'pty-kill'; atMs: number };

export interface SessionEndPlan {
  pid: number;
  /** Steps at atMs 0 run in order at once; later ones at their time if the tree is not gone yet. */
  steps: EndStep[];
  /** How "gone" is seen: the group has no member left, or the leader has exited. */
  goneWhen: 'group-empty' | 'leader-gone';
  /** Done at this point even if something lingers (after the last step): bounded. */
  deadlineMs: number;
}

/** taskkill's place on every Windows since XP; %SystemRoot% says where Windows is. */
export function taskkillPath(env: Env): string {
  return pathFor('win32').join(envValue('win32', env, 'SystemRoot') || 'C:\\Windows', 'System32', 'taskkill.exe');
}

export function sessionEndPlan(platform: Platform, pid: number, graceMs: number, env: Env): SessionEndPlan {
  if (isWindows(platform)) {
    return {
      pid,
      steps: [
        { kind: 'run', file: taskkillPath(env), args: ['/T', '/F', '/PID', String(pid)], atMs: 0 },
        { kind: 'pty-kill', atMs: 0 },
      ],
      goneWhen: 'leader-gone',
      deadlineMs: graceMs,
    };
  }
  return {
    pid,
    steps: [
      { kind: 'signal-group', signal: 'SIGHUP', atMs: 0 },
      { kind: 'signal-group', signal: 'SIGKILL', atMs: graceMs },
    ],
    goneWhen: 'group-empty',
    deadlineMs: graceMs,
  };
}

/** The effects the interpreter needs; nodeTreeEffects() in pty/process-group.ts are the real ones. */
export interface TreeEffects {
  /** Signal group `pgid` (or its leader if it has no group yet); false if nothing is left. 0 probes. */
  signalGroup(pgid: number, signal: 'SIGHUP' | 'SIGKILL' | 0): boolean;
  /** Whether the process `pid` still exists. */
  alive(pid: number): boolean;
  /** Run `file` with `args`; resolves when it ends or after timeoutMs (then it is killed). Never rejects. */
  run(file: string, args: string[], timeoutMs: number): Promise<void>;
  /** The PTY's own kill(), no signal. */
  ptyKill(): void;
}

export interface TreeEnding {
  /** Resolves once the tree is seen gone, or at the deadline after the last step. Never rejects. */
  readonly done: Promise<void>;
  /** Stops the timers early (the caller knows the tree is gone). Idempotent. */
  cancel(): void;
}

/** The tree is polled quickly at first (a hung-up shell is gone in a ms or two), then every POLL_MAX_MS. */
const POLL_FIRST_MS = 1;
const POLL_MAX_MS = 25;
/** A program step (taskkill: ~0.1 s) is given at most this long, then killed. */
export const RUN_TIMEOUT_MS = 1500;

/**
 * Runs a plan. Every timer is cleared when `done` settles, so nothing outlives the ending.
 * A step that throws is logged by nobody and skipped: the later steps and the deadline still
 * hold the no-orphans promise as far as the OS allows.
 */
export function endSessionTree(plan: SessionEndPlan, fx: TreeEffects): TreeEnding {
  const timers = new Set<NodeJS.Timeout>();
  let settled = false;
  let finish: () => void = () => {};
  const done = new Promise<void>((resolve) => {
    finish = () => {
      if (settled) return;
      settled = true;
      for (const t of timers) clearTimeout(t);
      timers.clear();
      resolve();
    };
  });
  const later = (ms: number, fn: () => void): void => {
    const t = setTimeout(() => {
      timers.delete(t);
      if (!settled) fn();
    }, ms);
    timers.add(t);
  };
  const gone = (): boolean => (plan.goneWhen === 'group-empty' ? !fx.signalGroup(plan.pid, 0) : !fx.alive(plan.pid));
  /** Runs one step; for a signal, whether anything was there to get it. */
  const apply = async (step: EndStep): Promise<boolean> => {
    try {
      if (step.kind === 'signal-group') return fx.signalGroup(plan.pid, step.signal);
      if (step.kind === 'run') await fx.run(step.file, step.args, Math.min(plan.deadlineMs, RUN_TIMEOUT_MS));
      else fx.ptyKill();
    } catch {
      // best effort: the next step and the deadline still apply
    }
    return true;
  };

  // Timed steps and the deadline count from the start, so a slow first step (taskkill) cannot
  // stretch the whole ending past its bound.
  for (const step of plan.steps.filter((s) => s.atMs > 0)) later(step.atMs, () => void apply(step));
  later(Math.max(plan.deadlineMs, ...plan.steps.map((s) => s.atMs)), finish);
  void (async () => {
    let anythingThere = false;
    for (const step of plan.steps.filter((s) => s.atMs === 0)) anythingThere = (await apply(step)) || anythingThere;
    if (settled) return;
    if (!anythingThere || gone()) return finish();
    const check = (delay: number): void =>
      later(delay, () => {
        if (gone()) finish();
        else check(Math.min(delay * 2, POLL_MAX_MS));
      });
    check(POLL_FIRST_MS);
  })();
  return { done, cancel: finish };
}
