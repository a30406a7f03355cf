// Each OS's own idea of an absolute path, of a path's parent and of the top of the file tree,
// as pure functions of the platform (path.win32 / path.posix), so that /api/fs, the data dir
// and the command lookup decide the same way on every OS and are tested for all three on one.
//
// Windows: `C:\Users` and `C:/Users` are absolute; `\\server\share\dir` (UNC) is absolute;
// `\Users` (root of the current drive) and `C:Users` (relative to drive C's current directory)
// are not: what they mean depends on the server's own state. Device paths (`\\.\PhysicalDrive0`,
// `\\?\C:\...`, `\\.\pipe\...`) are refused: they reach devices and pipes, not files.
import { isWindows, pathFor, type Platform } from './env.js';

const DRIVE_ABSOLUTE = /^[a-zA-Z]:[\\/]/;
/** `\\server\share` or `//server/share`, then nothing or a separator. */
const UNC = /^[\\/]{2}([^\\/]+)[\\/]([^\\/]+)(?:[\\/]|$)/;
const DEVICE_NAMESPACE = /^[\\/]{2}[.?][\\/]/;

export function isAbsolutePath(platform: Platform, p: string): boolean {
  if (!isWindows(platform)) return p.startsWith('/');
  if (DRIVE_ABSOLUTE.test(p)) return true;
  if (DEVICE_NAMESPACE.test(p)) return false;
  return UNC.test(p);
}

/**
 * On Windows there is no single root: GET /api/fs?path=/ (or `\`) lists the drives, and a
 * drive root's parent is `/`. On POSIX `/` is the root as always. See docs/api.md.
 */
export const DRIVES_PATH = '/';

export function isDrivesPath(platform: Platform, p: string | undefined): boolean {
  return isWindows(platform) && (p === '/' || p === '\\');
}

/** The parent a listing reports: null at the top; on Windows a drive root's parent is `/`. */
export function parentOf(platform: Platform, dir: string): string | null {
  const p = pathFor(platform);
  const parent = p.dirname(dir);
  if (parent !== dir) return parent;
  if (isWindows(platform) && DRIVE_ABSOLUTE.test(dir)) return DRIVES_PATH;
  return null; // POSIX `/`, or a UNC share's root (a server's shares are not listed)
}

/** True if `target` is `dir` itself or inside it, by the platform's rules (case-insensitive on Windows). */
export function isInside(platform: Platform, dir: string, target: string): boolean {
  const p = pathFor(platform);
  const rel = p.relative(dir, target);
  if (rel === '') return true;
  return rel !== '..' && !rel.startsWith('..' + p.sep) && !p.isAbsolute(rel);
}

/** The letters probed for drives: A and B are floppy letters, whose probe can stall or prompt. */
export const DRIVE_LETTERS = 'CDEFGHIJKLMNOPQRSTUVWXYZ'.split('');

/** `C:\`, `D:\`, ... for the letters whose root `exists` answers true, in order. */
export async function listDriveRoots(exists: (root: string) => Promise<boolean>): Promise<string[]> {
  const roots = DRIVE_LETTERS.map((l) => `${l}:\\`);
  const found = await Promise.all(roots.map((r) => exists(r).catch(() => false)));
  return roots.filter((_, i) => found[i]);
}

/** Names Windows reserves for devices in every directory (`CON`, `nul.txt`, `COM1`, ...). */
const WINDOWS_RESERVED = /^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³])(\..*)?$/i;
/**
 * On Windows, a path any of whose segments is a device name (`C:\tmp\CON`, `/assets/nul.js`)
 * opens that device, not a file: reading CON waits for console input forever and holds one of
 * libuv's four file-system threads while it does. True for such a path; always false on POSIX.
 */
export function namesWindowsDevice(platform: Platform, p: string): boolean {
  if (!isWindows(platform)) return false;
  return p.split(/[\\/]/).some((seg) => WINDOWS_RESERVED.test(seg.replace(/[. ]+$/, '')));
}

/** Characters Windows file names may not contain (beyond the separators). */
const WINDOWS_BAD_CHARS = /[<>:"|?*\u0000-\u001f]/;

/**
 * Why `name` cannot be a file name on this platform, or undefined. POSIX refuses only what
 * the caller already checks (separators, NUL, `.`/`..`); Windows also refuses device names,
 * `<>:"|?*` and control characters, and a trailing dot or space (Windows strips them, so the
 * file would land under another name).
 */
export function fileNameProblem(platform: Platform, name: string): string | undefined {
  if (!isWindows(platform)) return undefined;
  if (WINDOWS_RESERVED.test(name)) return 'is a device name on Windows';
  if (WINDOWS_BAD_CHARS.test(name)) return 'contains a character Windows does not allow (<>:"|?* or a control character)';
  if (/[. ]$/.test(name)) return 'ends with a dot or a space, which Windows drops';
  return undefined;
}

/** A session's cwd as given (`~`, `~/x`, `~\x` on Windows, relative, absolute) made absolute from `home`. */
export function cwdFrom(platform: Platform, cwd: string | undefined, home: string): string {
  const p = pathFor(platform);
  let dir = cwd ?? home;
  if (dir === '~') dir = home;
  else if (dir.startsWith('~/') || (isWindows(platform) && dir.startsWith('~\\'))) dir = p.join(home, dir.slice(2));
  return p.resolve(home, dir);
}
