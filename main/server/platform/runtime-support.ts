// Whether this runtime has a pseudo-terminal on this OS. Bun's (Bun.spawn's `terminal`) exists on
// POSIX only, and node-pty's ConPTY backend does not work under Bun on Windows either (it wraps
// its pipes in net.Socket({ fd }), which Bun's net does not support there), so Bun on Windows
// has none: the server refuses to start there with a clear line rather than half-work
// (contract section 7). Node and Electron have node-pty's ConPTY on Windows.
import { isWindows, type Platform } from './env.js';

export type PtySupport = { ok: true } | { ok: false; reason: string };

export function ptySupport(runtime: 'node' | 'bun', platform: Platform): PtySupport {
  if (runtime === 'bun' && isWindows(platform)) {
    return {
      ok: false,
      reason: 'Bun has no pseudo-terminal on Windows (Bun.spawn\'s terminal is POSIX-only): run Porthole under Node there (npx porthole serve) or use the desktop app',
    };
  }
  return { ok: true };
}
