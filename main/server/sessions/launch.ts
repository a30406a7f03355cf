// Everything decided before a PTY is spawned: the working directory, the executable, the child's
// environment and the session's name. node-pty reports an exec failure only asynchronously (as
// an early exit), so a bad cwd or command is caught here and turned into a 400-class error.
import fs from 'node:fs/promises';
import { constants as FS } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { commandCandidates } from '../platform/command.js';
import { envValue, isWindows, type Env, type Platform } from '../platform/env.js';
import { cwdFrom } from '../platform/paths.js';
import { PortholeError } from '../../../common/errors.js';
import { SESSION_NAME_MAX } from '../../../common/protocol.js';

/** Our own variables (tokens, passwords, Electron flags) never reach a shell. */
const STRIPPED_ENV_PREFIXES = ['PORTHOLE_', 'ELECTRON_'];

/** The absolute directory resolveCwd checks, without checking it. */
export function cwdPath(cwd: string | undefined, home: string = os.homedir()): string {
  return cwdFrom(process.platform, cwd, home);
}

/** An absolute, existing directory; `~` and relative paths are taken from the home directory. */
export async function resolveCwd(cwd: string | undefined, home: string = os.homedir()): Promise<string> {
  const dir = cwdPath(cwd, home);
  let st;
  try {
    st = await fs.stat(dir);
  } catch {
    throw new PortholeError('cwd_not_found', `Working directory not found: ${dir}`);
  }
  if (!st.isDirectory()) throw new PortholeError('cwd_not_found', `Working directory is not a directory: ${dir}`);
  return dir;
}

/**
 * The stat and the access check run at once, each on libuv's pool: one after the other they
 * were two trips through it, ~0.28 ms of every create on a cached lookup (~0.14 ms at once;
 * benchmarks/results/perf-lifecycle.md). The answer is the sequential one: missing beats
 * not-a-file beats not executable.
 */
async function isExecutableFile(file: string): Promise<'ok' | 'missing' | 'not_executable'> {
  const [st, ok] = await Promise.allSettled([fs.stat(file), fs.access(file, FS.X_OK)]);
  if (st.status === 'rejected') {
    const code = (st.reason as NodeJS.ErrnoException).code;
    return code === 'ENOENT' || code === 'ENOTDIR' ? 'missing' : 'not_executable';
  }
  if (!st.value.isFile()) return 'not_executable';
  return ok.status === 'fulfilled' ? 'ok' : 'not_executable';
}

/**
 * A lookup's answer is reused for this long, once its file is checked again (it still exists
 * and may run): a shell's hash of PATH lookups keeps them until `hash -r`; here a program put
 * earlier on PATH is found at most this late.
 */
export const COMMAND_CACHE_MS = 2000;
const COMMAND_CACHE_MAX = 256;
const commandCache = new Map<string, { file: string; at: number }>();

/**
 * The absolute path the OS's own lookup would run for `file` with this environment's PATH
 * (and PATHEXT on Windows) and cwd (platform/command.ts). Spawning that exact path means what
 * was checked is what runs. Every candidate is checked at once (the checks run on libuv's
 * pool): one after another they were ~0.7 ms of a session's start with a usual PATH; the
 * first in PATH order that may run wins, as in a sequential lookup. A recent answer for the
 * same name, PATH and cwd costs one check of its file (COMMAND_CACHE_MS).
 */
export async function resolveCommand(file: string, env: Env, cwd: string, platform: Platform = process.platform): Promise<string> {
  const key = [platform, file, cwd, envValue(platform, env, 'PATH') ?? '', envValue(platform, env, 'PATHEXT') ?? ''].join('\0');
  const hit = commandCache.get(key);
  if (hit && Date.now() - hit.at < COMMAND_CACHE_MS && (await isExecutableFile(hit.file)) === 'ok') return hit.file;
  const { explicit, files } = commandCandidates(platform, file, env, cwd);
  const results = await Promise.all(files.map((candidate) => isExecutableFile(candidate)));
  const found = results.indexOf('ok');
  if (found >= 0) {
    if (commandCache.size >= COMMAND_CACHE_MAX) commandCache.clear();
    commandCache.set(key, { file: files[found], at: Date.now() });
    return files[found];
  }
  const sawNonExecutable = results.includes('not_executable');
  if (explicit) {
    throw new PortholeError('command_not_found', sawNonExecutable ? `Command is not executable: ${file}` : `Command not found: ${file}`);
  }
  throw new PortholeError(
    'command_not_found',
    sawNonExecutable ? `Command is not executable: ${file}` : `Command not found on PATH: ${file}`,
  );
}

/** process.env without our own variables, plus terminal capabilities, plus what the caller set. */
export function childEnv(
  base: NodeJS.ProcessEnv,
  extra: Record<string, string> | undefined,
  platform: Platform = process.platform,
): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(base)) {
    if (v === undefined) continue;
    // Windows names are case-insensitive: `Porthole_Password` is PORTHOLE_PASSWORD there.
    const name = isWindows(platform) ? k.toUpperCase() : k;
    if (STRIPPED_ENV_PREFIXES.some((p) => name.startsWith(p))) continue;
    env[k] = v;
  }
  env.TERM = 'xterm-256color';
  env.COLORTERM = 'truecolor';
  if (extra) Object.assign(env, extra);
  return env;
}

/** `vim notes.md` from ['/usr/bin/vim', 'notes.md'], cut to the API's name limit. */
export function deriveName(command: readonly string[]): string {
  const [file, ...args] = command;
  const name = [path.basename(file ?? 'shell'), ...args].join(' ').replace(/[\u0000-\u001f\u007f]/g, ' ').trim();
  return (name || 'shell').slice(0, SESSION_NAME_MAX);
}
