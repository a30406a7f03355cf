// An app started from the macOS Dock or Finder gets launchd's minimal PATH
// (/usr/bin:/bin:/usr/sbin:/sbin), not the one the user's login shell builds (Homebrew's
// /opt/homebrew/bin, ~/.cargo/bin, ...). Sessions themselves start login shells (`zsh -l`), but a
// command typed into New session (`htop`, `node`) is looked up with the server's PATH, and would
// not be found. So the desktop app asks the login shell for its PATH once at start, as VS Code
// and the fix-path package do. Pure decisions here; main/electron/main.ts runs the probe.
import type { Platform } from './env.js';
import type { ShellCommand } from './shell.js';

/** Marks the line the probe prints, so whatever a profile script prints around it is ignored. */
export const LOGIN_PATH_MARKER = '__PORTHOLE_LOGIN_PATH__=';
/** A login shell that takes longer than this (a slow profile) leaves PATH as it was. */
export const LOGIN_PATH_TIMEOUT_MS = 3000;

export interface LoginPathProbe {
  file: string;
  args: string[];
  timeoutMs: number;
}

/**
 * macOS only (Linux desktops start apps from a session that already read the profile; Windows
 * apps get the registry's PATH). `$PATH` is printed by the shell itself, so zsh, bash and fish
 * (which joins a quoted PATH with colons) all answer; a shell that cannot (nu) fails the parse.
 */
export function loginPathProbe(platform: Platform, shell: ShellCommand): LoginPathProbe | null {
  if (platform !== 'darwin') return null;
  return { file: shell.file, args: ['-l', '-c', `printf '\\n${LOGIN_PATH_MARKER}%s\\n' "$PATH"`], timeoutMs: LOGIN_PATH_TIMEOUT_MS };
}

/** The PATH from the probe's output, or undefined if it did not answer sensibly. */
export function parseLoginPath(output: string): string | undefined {
  const line = output.split('\n').find((l) => l.startsWith(LOGIN_PATH_MARKER));
  const value = line?.slice(LOGIN_PATH_MARKER.length).trim();
  if (!value || value.includes('\0') || !value.split(':').some((d) => d.startsWith('/'))) return undefined;
  return value;
}

/** The login shell's entries first (its order wins), then any of ours it lacks. */
export function mergePath(loginPath: string, current: string | undefined): string {
  const out: string[] = [];
  for (const d of [...loginPath.split(':'), ...(current ?? '').split(':')]) if (d && !out.includes(d)) out.push(d);
  return out.join(':');
}
