// The sessions core's public surface (docs/architecture.md, "Sessions").
export { SessionManager, loginShell, type SessionManagerOptions } from './manager.js';
export type { SessionHandle, ViewerHandle, ViewerSink } from './types.js';
export { RECORDING_CAP_MARKER } from './recording.js';
export { SCREEN_BACKLOG_MAX_BYTES, SCREEN_BACKLOG_RESUME_BYTES } from './screen.js';
export { RESYNC_POLL_MS } from './viewer.js';
