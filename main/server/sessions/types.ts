// The seams the ws and http layers code against: defined once in ../ports.ts.
export type { SessionHandle, ViewerHandle, ViewerSink } from '../ports.js';
