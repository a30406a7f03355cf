// Why: the Files view's decisions without a DOM, so they are tested in Node
// (tests/e2e/renderer-logic.test.ts): which entries show, breadcrumbs for POSIX and Windows
// paths, what gets a preview, sizes for people, and errors worded so a person can act on them.
import type { DirEntry } from '../../common/protocol.js';

/** Text files up to this size open in a preview first; bigger ones download at once. */
export const TEXT_PREVIEW_MAX_BYTES = 256 * 1024;
/** Images up to this size open in a preview first. */
export const IMAGE_PREVIEW_MAX_BYTES = 10 * 1024 * 1024;

const TEXT_EXT = /\.(txt|md|markdown|log|json|jsonl|ndjson|ya?ml|toml|ini|cfg|conf|env|csv|tsv|xml|html?|css|scss|js|mjs|cjs|ts|tsx|jsx|py|rb|go|rs|c|h|cc|cpp|hpp|java|kt|swift|sh|bash|zsh|fish|ps1|sql|lock|gitignore|dockerfile|makefile|cast)$/i;
const TEXT_NAMES = /^(readme|license|licence|makefile|dockerfile|changelog|authors|copying|\.[a-z0-9_.-]+rc)$/i;
const IMAGE_EXT = /\.(png|jpe?g|gif|webp|bmp|ico)$/i; // no SVG: it can carry script

export function isHidden(name: string): boolean {
  return name.startsWith('.');
}

/** What the list shows: hidden files only on request; the server already sorted folders first. */
export function visibleEntries(entries: readonly DirEntry[], showHidden: boolean): DirEntry[] {
  return showHidden ? entries.slice() : entries.filter((e) => !isHidden(e.name));
}

export type PreviewKind = 'text' | 'image' | null;

export function previewKind(name: string, size: number): PreviewKind {
  if (IMAGE_EXT.test(name)) return size <= IMAGE_PREVIEW_MAX_BYTES ? 'image' : null;
  if (TEXT_EXT.test(name) || TEXT_NAMES.test(name)) return size <= TEXT_PREVIEW_MAX_BYTES ? 'text' : null;
  return null;
}

/** Bytes for people: 0 B, 999 B, 1.5 KB, 12 MB (powers of 1024, as file managers show). */
export function formatSize(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes < 0) return '—';
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KB', 'MB', 'GB', 'TB'];
  let v = bytes / 1024;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v < 10 ? v.toFixed(1) : Math.round(v)} ${units[i]}`;
}

export function isWindowsPath(p: string): boolean {
  return /^[A-Za-z]:[\\/]/.test(p) || p.startsWith('\\\\');
}

/** A child path with the folder's own separator. An entry of a Windows server's drive list
 *  (`/`, docs/api.md) is named by its own root path (`C:\`): that is the child. */
export function joinPath(dir: string, name: string): string {
  if (isWindowsPath(name)) return name;
  const sep = isWindowsPath(dir) ? '\\' : '/';
  return dir.endsWith(sep) || dir.endsWith('/') ? dir + name : dir + sep + name;
}

export interface Crumb {
  label: string;
  path: string;
}

/** `/home/me/src` → `/`, `home`, `me`, `src`; `C:\Users\me` → This PC, `C:\`, `Users`, `me`. */
export function crumbs(p: string): Crumb[] {
  if (isWindowsPath(p)) {
    const unc = /^[\\/]{2}/.test(p);
    const parts = p.split(/[\\/]+/).filter(Boolean);
    // A UNC path's root is its share (\\server\share\); a drive path's is the drive, under the
    // server's drive list (`/`: This PC), which a UNC share has none of.
    const root = unc ? `\\\\${parts.shift()}\\${parts.shift() ?? ''}\\` : `${parts.shift()}\\`;
    const out: Crumb[] = unc ? [] : [{ label: 'This PC', path: '/' }];
    out.push({ label: root, path: root });
    let acc = root;
    for (const part of parts) {
      acc = joinPath(acc, part);
      out.push({ label: part, path: acc });
    }
    return out;
  }
  const out: Crumb[] = [{ label: '/', path: '/' }];
  let acc = '';
  for (const part of p.split('/').filter(Boolean)) {
    acc += `/${part}`;
    out.push({ label: part, path: acc });
  }
  return out;
}

/** A too-big file is refused before a byte is sent, with the numbers. */
export function tooBigMessage(name: string, size: number, max: number | undefined): string | null {
  if (max === undefined || size <= max) return null;
  return `“${name}” is ${formatSize(size)}; the server accepts uploads up to ${formatSize(max)}. Nothing was sent.`;
}

export interface FsErrorLike {
  status: number;
  code: string;
  message: string;
}

/** What went wrong and what to do about it, from the API's error code. */
export function explainFsError(err: FsErrorLike, doing: string): string {
  const said = err.message.replace(/\.$/, '');
  switch (err.code) {
    case 'forbidden':
      return `${said}. Change its permissions on the server, or pick another folder.`;
    case 'not_found':
      return `${said}. It may have been moved or deleted: go up a level or refresh.`;
    case 'disk_full':
      return `The disk is full (${said}). Free some space on the server, then try again.`;
    case 'payload_too_large':
      return `Too big: ${said}.`;
    case 'upload_incomplete':
      return 'The upload was cut off before it finished; nothing was saved. Try again.';
    case 'network':
      return `Cannot reach the Porthole server while ${doing}. Check that it is running, then try again.`;
    case 'path_not_absolute':
    case 'validation_failed':
    case 'conflict':
      return `${said}.`;
    default:
      return `Something went wrong while ${doing}: ${said}.`;
  }
}
