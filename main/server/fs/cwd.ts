// A session's CURRENT working directory: where its shell (or the program in the foreground)
// is now, not where it started. The Files view opens there and follows `cd`. How to find it
// is a platform decision, kept pure (cwdProbeFor) so every platform's plan is unit-tested on
// any machine; probeCwd runs a plan with injectable OS access and never throws.
import { execFile } from 'node:child_process';
import { readFile, readlink } from 'node:fs/promises';
import type { CurrentCwd } from '../../../common/protocol.js';

export type { CurrentCwd };

/** One way to learn the cwd; a plan tries its steps in order and the first answer wins. */
export type CwdStep =
  /** Linux: /proc/<pid>/stat's tpgid (the PTY's foreground process group), then /proc/<tpgid>/cwd. */
  | { kind: 'proc-foreground' }
  /** Linux: /proc/<pid>/cwd of the session's own process (the shell). */
  | { kind: 'proc-pid' }
  /** macOS: `lsof -a -d cwd -p PID -Fn` on the session's process; the `n` line is the path. */
  | { kind: 'lsof'; file: 'lsof'; args: (pid: number) => string[] }
  /** Everywhere: the cwd the session was started in. */
  | { kind: 'start' };


/**
 * The plan for a platform. Linux reads /proc (no child process, ~20 µs); macOS has no /proc,
 * so lsof is spawned (tens of ms, only when the owner's Files view asks); Windows exposes no
 * other process's cwd without injecting into it, so it reports the start cwd, as does any
 * other platform we have not tried.
 */
export function cwdProbeFor(platform: NodeJS.Platform): CwdStep[] {
  switch (platform) {
    case 'linux':
    case 'android':
      return [{ kind: 'proc-foreground' }, { kind: 'proc-pid' }, { kind: 'start' }];
    case 'darwin':
      return [{ kind: 'lsof', file: 'lsof', args: (pid) => ['-a', '-d', 'cwd', '-p', String(pid), '-Fn'] }, { kind: 'start' }];
    default:
      return [{ kind: 'start' }];
  }
}

/**
 * The tpgid field of /proc/<pid>/stat: the foreground process group of the process's
 * controlling terminal (-1 without one). The comm field may hold spaces and parentheses,
 * so fields are counted from the LAST `)`: state ppid pgrp session tty_nr tpgid.
 */
export function parseTpgid(stat: string): number | null {
  const end = stat.lastIndexOf(')');
  if (end < 0) return null;
  const fields = stat.slice(end + 1).trim().split(/\s+/);
  const tpgid = Number(fields[5]);
  return Number.isInteger(tpgid) && tpgid > 0 ? tpgid : null;
}

/** The path from `lsof -Fn` output (`p<pid>`, `fcwd`, `n<path>` lines), or null. */
export function parseLsofCwd(out: string): string | null {
  for (const line of out.split('\n')) {
    if (line.startsWith('n/')) return line.slice(1);
  }
  return null;
}

/** The OS access a plan needs; tests hand in fakes, the server the real thing. */
export interface CwdProbeDeps {
  readFile(path: string): Promise<string>;
  readlink(path: string): Promise<string>;
  run(file: string, args: string[]): Promise<string>;
}

/** How long lsof may take before the start cwd is reported instead. */
const COMMAND_TIMEOUT_MS = 2000;

export const osCwdDeps: CwdProbeDeps = {
  readFile: (p) => readFile(p, 'utf8'),
  readlink: (p) => readlink(p),
  run: (file, args) =>
    new Promise((resolve, reject) => {
      execFile(file, args, { timeout: COMMAND_TIMEOUT_MS, maxBuffer: 64 * 1024, windowsHide: true }, (err, stdout) =>
        err ? reject(err) : resolve(stdout),
      );
    }),
};

/** A link read from /proc/<pid>/cwd ends in " (deleted)" once that folder is gone. */
function usable(p: string): boolean {
  return p.startsWith('/') && !p.endsWith(' (deleted)');
}

/**
 * Runs the plan for a running session's process. Every failure (process gone, another
 * user's process, lsof missing or slow) just moves on to the next step; the start cwd is last.
 */
export async function probeCwd(
  plan: readonly CwdStep[],
  pid: number,
  startCwd: string,
  deps: CwdProbeDeps = osCwdDeps,
): Promise<CurrentCwd> {
  for (const step of plan) {
    try {
      switch (step.kind) {
        case 'proc-foreground': {
          const tpgid = parseTpgid(await deps.readFile(`/proc/${pid}/stat`));
          // The group's leader has pid == pgid; if it has exited (the head of a pipeline),
          // readlink fails and the next step asks the session's own process instead.
          if (tpgid === null) break;
          const cwd = await deps.readlink(`/proc/${tpgid}/cwd`);
          if (usable(cwd)) return { cwd, source: 'foreground' };
          break;
        }
        case 'proc-pid': {
          const cwd = await deps.readlink(`/proc/${pid}/cwd`);
          if (usable(cwd)) return { cwd, source: 'process' };
          break;
        }
        case 'lsof': {
          const cwd = parseLsofCwd(await deps.run(step.file, step.args(pid)));
          if (cwd) return { cwd, source: 'process' };
          break;
        }
        case 'start':
          return { cwd: startCwd, source: 'start' };
      }
    } catch {
      /* try the next step */
    }
  }
  return { cwd: startCwd, source: 'start' };
}
