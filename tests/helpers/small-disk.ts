// A tiny disk to fill up, for the "disk full" cases: a 256 KiB tmpfs mounted on a folder.
// Only root on Linux can mount one; elsewhere smallDisk() returns null and the case is skipped.
import { spawnSync } from 'node:child_process';

/** Mounts a 256 KiB tmpfs on `dir`; returns how to unmount it, or null when it cannot. */
export function smallDisk(dir: string): (() => void) | null {
  if (process.platform !== 'linux' || process.getuid?.() !== 0) return null;
  const r = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=256k', 'tmpfs', dir]);
  return r.status === 0 ? () => void spawnSync('umount', ['-l', dir]) : null;
}
