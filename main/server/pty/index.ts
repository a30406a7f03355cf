// The pty layer's public surface: the PtyPort seam, its node-pty adapter, process-group ending.
export type { PtyDisposable, PtyExit, PtyPort, PtyProcess, PtySpawnOptions } from './port.js';
export { nodePtyPort } from './node-pty.js';
export { endGroup, signalGroup, type GroupEnding } from './process-group.js';
