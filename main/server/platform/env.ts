// The few facts about an OS that every platform decision needs, as pure functions of the
// platform name: which path flavour it uses, how it separates PATH, and how it looks up an
// environment variable (Windows names are case-insensitive: `Path`, `PATH` and `path` are one
// variable, and a plain object copied from process.env keeps whichever spelling Windows used).
import path from 'node:path';

/** The platforms Porthole decides for; anything else is treated like Linux (POSIX). */
export type Platform = NodeJS.Platform;

/** An environment as a plain record, like process.env or a test's literal. */
export type Env = Readonly<Record<string, string | undefined>>;

export function isWindows(platform: Platform): boolean {
  return platform === 'win32';
}

/** path.win32 or path.posix: the platform's own path rules, usable from any host (tests). */
export function pathFor(platform: Platform): path.PlatformPath {
  return isWindows(platform) ? path.win32 : path.posix;
}

/** `name`'s value; on Windows matched without regard to case, as Windows itself does. */
export function envValue(platform: Platform, env: Env, name: string): string | undefined {
  const exact = env[name];
  if (exact !== undefined || !isWindows(platform)) return exact;
  const lower = name.toLowerCase();
  for (const [k, v] of Object.entries(env)) if (k.toLowerCase() === lower && v !== undefined) return v;
  return undefined;
}

/**
 * PATH's directories, in order. Empty entries are dropped on Windows (they mean nothing there)
 * and kept as "." on POSIX, where execvp reads an empty entry as the current directory.
 */
export function pathDirs(platform: Platform, env: Env, fallback: string): string[] {
  const value = envValue(platform, env, 'PATH') ?? fallback;
  const delimiter = isWindows(platform) ? ';' : ':';
  const dirs = value.split(delimiter).map((d) => (isWindows(platform) ? d.trim().replace(/^"(.*)"$/, '$1') : d));
  return isWindows(platform) ? dirs.filter((d) => d !== '') : dirs.map((d) => d || '.');
}
