// Hands the C heap's free pages back to the OS once the server has settled after a burst.
// glibc gives back only the top of each arena by itself; the pages a flood freed inside an arena
// (the screen worker's xterm.js buffers above all) stay resident until malloc_trim(0) madvises
// them away, and no Node API calls it. Measured (perf-memory.md, round 4): a worker that parsed
// the floods leaves +43 MB that no GC returns; malloc_trim(0) takes 86.5 MB back to 51.9.
// Linux with glibc under plain Node only: Bun's allocator is mimalloc (Bun.shrink() does this
// there), Electron's is Chromium's, macOS and Windows return free pages by themselves, and musl
// has no malloc_trim. Loaded on first use, so an idle server never pays for the FFI.
import { createRequire } from 'node:module';
import type { RuntimeInfo } from '../../../common/protocol.js';

/** Returns true if memory was given back to the OS. */
export type MallocTrim = () => boolean;

interface Koffi {
  load(path: string): { func(signature: string): (pad: number) => number };
}

/** Whether this process's C allocator is one malloc_trim applies to. */
export function trimApplies(runtime: RuntimeInfo['name'], platform: NodeJS.Platform, versions: { readonly electron?: string }): boolean {
  return runtime === 'node' && platform === 'linux' && versions.electron === undefined;
}

let bound: MallocTrim | null | undefined;

/**
 * glibc's malloc_trim(0), bound once through koffi (an optional dependency with prebuilt
 * binaries: no compiler at install). undefined where it does not apply or cannot load (no
 * koffi for this platform, not glibc); `onUnavailable` hears why, once.
 */
export function mallocTrim(runtime: RuntimeInfo['name'], onUnavailable?: (reason: string) => void): MallocTrim | undefined {
  if (bound !== undefined) return bound ?? undefined;
  bound = null;
  if (!trimApplies(runtime, process.platform, process.versions)) return undefined;
  try {
    const koffi = createRequire(import.meta.url)('koffi') as Koffi;
    const trim = koffi.load('libc.so.6').func('int malloc_trim(size_t pad)');
    bound = () => trim(0) === 1;
  } catch (err) {
    onUnavailable?.(err instanceof Error ? err.message : String(err));
  }
  return bound ?? undefined;
}
