// The pty layer's public surface: the PtyPort seam and process-group ending. The adapters
// (node-pty.ts, bun.ts) are loaded by runtime.ts only: importing one here would pull node-pty
// into a Bun process.
export type { PtyDisposable, PtyExit, PtyPort, PtyProcess, PtySpawnOptions } from './port.js';
export { endGroup, signalGroup, type GroupEnding } from './process-group.js';
