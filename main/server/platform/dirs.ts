// Where Porthole keeps its state on each OS, and what protects the secret there. Pure
// functions of the platform and the environment; datadir.ts calls them with process.platform.
import { envValue, isWindows, pathFor, type Env, type Platform } from './env.js';
import { isAbsolutePath } from './paths.js';

/**
 * The headless default data dir (`porthole serve` and the client commands):
 * - Linux and macOS: `$XDG_CONFIG_HOME/porthole`, else `~/.config/porthole` (contract section 6;
 *   on macOS too, like other command-line tools, so scripts and dotfiles work the same on both;
 *   the desktop app uses Electron's userData, `~/Library/Application Support/porthole`).
 *   A relative XDG_CONFIG_HOME is invalid by the XDG spec and ignored.
 * - Windows: `%APPDATA%\porthole` (the roaming profile), else `<home>\AppData\Roaming\porthole`.
 *   That is also the desktop app's userData, so the CLI reaches the desktop's server there.
 */
export function dataDirFor(platform: Platform, env: Env, home: string): string {
  const p = pathFor(platform);
  if (isWindows(platform)) {
    const appData = envValue(platform, env, 'APPDATA');
    if (appData && isAbsolutePath(platform, appData)) return p.join(appData, 'porthole');
    return p.join(home, 'AppData', 'Roaming', 'porthole');
  }
  const xdg = env.XDG_CONFIG_HOME;
  if (xdg && isAbsolutePath(platform, xdg)) return p.join(xdg, 'porthole');
  return p.join(home, '.config', 'porthole');
}

/**
 * The desktop app's data dir (Electron's userData, named after package.json `name`): on Linux
 * and Windows the headless default itself; on macOS `~/Library/Application Support/porthole`.
 */
export function desktopDataDirFor(platform: Platform, env: Env, home: string): string {
  if (platform === 'darwin') return pathFor(platform).join(home, 'Library', 'Application Support', 'porthole');
  return dataDirFor(platform, env, home);
}

/**
 * Where a client command (run, attach, ls, share, ...) looks for a secret when no --data-dir or
 * PORTHOLE_DATA_DIR names one: the headless default, then the desktop app's when it differs
 * (macOS), so `porthole ls` reaches the desktop's server there with no flags too.
 */
export function clientDataDirCandidates(platform: Platform, env: Env, home: string): string[] {
  const dirs = [dataDirFor(platform, env, home), desktopDataDirFor(platform, env, home)];
  return dirs.filter((d, i) => dirs.indexOf(d) === i);
}

/**
 * What keeps the secret (and config.json's password hash) private:
 * - 'mode': POSIX permission bits; the data dir is 0700 and secret files 0600, and a secret
 *   found readable by others is tightened to 0600 at start.
 * - 'acl': Windows ignores those bits (chmod only sets or clears the read-only attribute, and
 *   stat reports 0666/0444). The default data dir lives in the user's profile, whose ACL
 *   grants only that user, SYSTEM and Administrators; new files inherit it. A --data-dir
 *   outside the profile inherits its parent's ACL instead (docs/desktop.md says how to lock
 *   it down with icacls). So on Windows the mode check is skipped: it would be noise.
 */
export type SecretProtection = 'mode' | 'acl';

export function secretProtection(platform: Platform): SecretProtection {
  return isWindows(platform) ? 'acl' : 'mode';
}
