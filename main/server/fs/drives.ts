// Windows has no single root: the top of its file tree is the list of drives. GET /api/fs?path=/
// answers with it there (docs/api.md); each entry's name is the drive's root path (`C:\`), to be
// listed next as it is. The decision (which path means it, which letters) is platform/paths.ts.
import { stat } from 'node:fs/promises';
import type { DirListing } from '../../../common/protocol.js';
import { DRIVES_PATH, listDriveRoots } from '../platform/paths.js';

/** A drive exists if its root can be stat'ed (an empty card reader or a lost network drive cannot). */
async function rootExists(root: string): Promise<boolean> {
  try {
    return (await stat(root)).isDirectory();
  } catch {
    return false;
  }
}

export async function driveListing(exists: (root: string) => Promise<boolean> = rootExists): Promise<DirListing> {
  const roots = await listDriveRoots(exists);
  const mtime = new Date(0).toISOString();
  return { path: DRIVES_PATH, parent: null, entries: roots.map((name) => ({ name, type: 'dir', size: 0, mtime })) };
}
