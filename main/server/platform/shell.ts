// What a new session runs when nobody said: what each OS's own terminal opens. A pure function
// of the platform, the environment and two probes, so every branch is tested on any host; the
// server calls it with process.platform, process.env and the real probes (nodeShellProbe).
import fs from 'node:fs';
import os from 'node:os';
import { envValue, isWindows, pathDirs, pathFor, type Env, type Platform } from './env.js';
import { isAbsolutePath } from './paths.js';

/** A program and its arguments: argv, never a shell string. */
export interface ShellCommand {
  readonly file: string;
  readonly args: readonly string[];
}

/** What defaultShell may ask the machine. */
export interface ShellProbe {
  /** The shell in the user's passwd (or Directory Services) entry, if there is one. */
  passwdShell(): string | undefined;
  /** True if `file` (absolute) is an existing regular file. */
  isFile(file: string): boolean;
}

/** macOS's default login shell since 10.15, used when neither $SHELL nor the user record says. */
const DARWIN_FALLBACK = '/bin/zsh';
const POSIX_FALLBACK = '/bin/sh';
/** Tried in this order on Windows: PowerShell 7 if installed, then Windows PowerShell. */
const WINDOWS_SHELLS = ['pwsh.exe', 'powershell.exe'] as const;

/**
 * - Linux: $SHELL, else the passwd entry's shell, else /bin/sh; no arguments (as before).
 * - macOS: the same login shell, started as a login shell (`-l`), as Terminal.app does, so
 *   ~/.zprofile (Homebrew's PATH, for one) is read; /bin/zsh when nothing names one.
 * - Windows: pwsh.exe found on PATH, else powershell.exe on PATH or in its fixed place under
 *   %SystemRoot%, else %ComSpec% (cmd.exe). Only absolute PATH entries are searched: a
 *   relative one would pick the program from whatever directory the server runs in.
 * A shell the user chose (config.json `shell`, SessionManagerOptions.shell) replaces all this.
 */
export function defaultShell(platform: Platform, env: Env, probe: ShellProbe): ShellCommand {
  if (isWindows(platform)) return windowsShell(env, probe);
  const passwd = probe.passwdShell();
  // Only an absolute path is a shell: Bun's os.userInfo() says "unknown" when it cannot tell.
  const recorded = passwd !== undefined && passwd.startsWith('/') ? passwd : undefined;
  const login = env.SHELL || recorded || (platform === 'darwin' ? DARWIN_FALLBACK : POSIX_FALLBACK);
  return { file: login, args: platform === 'darwin' ? ['-l'] : [] };
}

function windowsShell(env: Env, probe: ShellProbe): ShellCommand {
  const p = pathFor('win32');
  const dirs = pathDirs('win32', env, '').filter((d) => isAbsolutePath('win32', d));
  const systemRoot = envValue('win32', env, 'SystemRoot') || 'C:\\Windows';
  for (const name of WINDOWS_SHELLS) {
    for (const dir of dirs) {
      const candidate = p.join(dir, name);
      if (probe.isFile(candidate)) return { file: candidate, args: [] };
    }
  }
  const builtIn = p.join(systemRoot, 'System32', 'WindowsPowerShell', 'v1.0', 'powershell.exe');
  if (probe.isFile(builtIn)) return { file: builtIn, args: [] };
  const comspec = envValue('win32', env, 'ComSpec');
  if (comspec && isAbsolutePath('win32', comspec)) return { file: comspec, args: [] };
  return { file: p.join(systemRoot, 'System32', 'cmd.exe'), args: [] };
}

/** The shell field of the /etc/passwd line for `uid`, if there is one. */
export function passwdFileShell(passwd: string, uid: number): string | undefined {
  for (const line of passwd.split('\n')) {
    const fields = line.split(':');
    if (fields.length >= 7 && fields[2] === String(uid)) return fields[6].trim() || undefined;
  }
  return undefined;
}

/** The real machine's answers, for the server's own call with process.platform. */
export const nodeShellProbe: ShellProbe = {
  passwdShell() {
    let shell: string | undefined;
    try {
      shell = os.userInfo().shell ?? undefined; // null on Windows
    } catch {
      // no passwd entry (some containers)
    }
    if (shell?.startsWith('/') || typeof process.getuid !== 'function') return shell;
    // Bun answers "unknown" without $SHELL and $USER; the file itself still says.
    try {
      return passwdFileShell(fs.readFileSync('/etc/passwd', 'utf8'), process.getuid()) ?? shell;
    } catch {
      return shell;
    }
  },
  isFile(file) {
    try {
      return fs.statSync(file).isFile();
    } catch {
      return false;
    }
  },
};

/** The default for this process: the same function, with process.platform. */
export function processDefaultShell(): ShellCommand {
  return defaultShell(process.platform, process.env, nodeShellProbe);
}
