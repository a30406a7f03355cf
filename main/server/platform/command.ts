// Which files a command name may mean, by each OS's lookup rules, so launch.ts can check the
// exact file it will spawn. POSIX: execvp's (a name with a `/` is a path; else each PATH entry,
// an empty one meaning "."). Windows: a name with `\` or `/` is a path; else each absolute PATH
// entry (`;`-separated); a name without one of PATHEXT's extensions gets each of them in turn
// (`pwsh` -> `pwsh.COM`, `pwsh.EXE`, ...), as cmd.exe and PowerShell do. Unlike cmd.exe the
// current directory is not searched first (PowerShell does not either): a file planted in a
// folder you `cd` into must not shadow a program of the same name.
import { envValue, isWindows, pathDirs, pathFor, type Env, type Platform } from './env.js';
import { isAbsolutePath } from './paths.js';

/** The lookup used when the child's environment has no PATH at all. */
export const POSIX_DEFAULT_PATH = '/usr/local/bin:/usr/bin:/bin';
export const WINDOWS_DEFAULT_PATHEXT = '.COM;.EXE;.BAT;.CMD';

export interface CommandCandidates {
  /** True if `file` named a path (it had a separator): the error then says "not found", not "not on PATH". */
  explicit: boolean;
  /** Absolute files to try, in order; the first that exists and may run is spawned. */
  files: string[];
}

export function commandCandidates(platform: Platform, file: string, env: Env, cwd: string): CommandCandidates {
  const p = pathFor(platform);
  const win = isWindows(platform);
  const explicit = win ? /[\\/]/.test(file) : file.includes('/');
  const exts = win ? extensionsFor(file, env) : [''];
  if (explicit) return { explicit, files: exts.map((ext) => p.resolve(cwd, file + ext)) };
  const dirs = pathDirs(platform, env, win ? '' : POSIX_DEFAULT_PATH);
  const searched = win ? dirs.filter((d) => isAbsolutePath(platform, d)) : dirs;
  return { explicit, files: searched.flatMap((dir) => exts.map((ext) => p.resolve(cwd, dir, file + ext))) };
}

/** [''] if the name already ends in one of PATHEXT's extensions, else those extensions. */
function extensionsFor(file: string, env: Env): string[] {
  const listed = (envValue('win32', env, 'PATHEXT') || WINDOWS_DEFAULT_PATHEXT)
    .split(';')
    .map((e) => e.trim().toLowerCase())
    .filter((e) => /^\.[a-z0-9]+$/.test(e));
  const pathext = listed.length > 0 ? listed : WINDOWS_DEFAULT_PATHEXT.toLowerCase().split(';');
  const ext = pathFor('win32').extname(file).toLowerCase();
  return ext && pathext.includes(ext) ? [''] : pathext;
}
