// Named flow-control constants for output, viewers and sockets, shared by server and client.
//
// Invariants (tests/unit/flow.test.ts holds them):
// - OUTPUT_BATCH_MAX_BYTES < VIEWER_HIGH_WATER_BYTES: one batch never alone marks a viewer slow.
// - VIEWER_LOW_WATER_BYTES < VIEWER_HIGH_WATER_BYTES: a lagging viewer resumes only once drained.
// - WS_MAX_PAYLOAD_BYTES >= INPUT_MAX_BYTES: any legal input fits in one frame.
// Memory per viewer is bounded by VIEWER_HIGH_WATER_BYTES + one batch + one redraw.

/** Output is flushed to viewers at most this long after the PTY produced it; light output
 * (an echoed key, keys typed back to back) goes at once (sessions/output-pacer.ts). */
export const OUTPUT_BATCH_MS = 4;
/** ...or as soon as this many bytes are pending, whichever comes first. */
export const OUTPUT_BATCH_MAX_BYTES = 64 * 1024;
/** Output is light, sent at once, while one OUTPUT_BATCH_MS window holds at most this many sends... */
export const OUTPUT_QUIET_MAX_FLUSHES = 32;
/** ...and at most this many bytes; past either it is batched until a batch comes out light. */
export const OUTPUT_QUIET_MAX_BYTES = 8 * 1024;
/** A viewer socket holding more than this unsent is behind: output is batched while it is. */
export const VIEWER_BEHIND_BYTES = 16 * 1024;

/** A viewer whose socket holds more than this unsent is lagging: its output is dropped. */
export const VIEWER_HIGH_WATER_BYTES = 1024 * 1024;
/** A lagging viewer gets `resync` and a fresh redraw once its socket holds less than this. */
export const VIEWER_LOW_WATER_BYTES = 64 * 1024;

/** Largest WebSocket frame accepted from a client (close 1009 past it). */
export const WS_MAX_PAYLOAD_BYTES = 1024 * 1024;
/** Largest text frame that is decoded at all: every client message is far smaller (the auth
 *  message's token is at most 8192 chars). A longer one is answered `payload_too_large` without
 *  being turned into a string, so junk text costs no 1-2 MiB string per frame. */
export const WS_TEXT_MAX_BYTES = 16 * 1024;
/** A socket that has not authenticated by then is closed with 4401. */
export const WS_AUTH_TIMEOUT_MS = 5000;
/** Client messages allowed per window before the socket is closed with 1008. */
export const WS_RATE_MAX_MESSAGES = 2000;
export const WS_RATE_WINDOW_MS = 1000;

/** Largest keyboard input accepted in one HTTP request or WebSocket frame. */
export const INPUT_MAX_BYTES = 64 * 1024;
/**
 * Input a session holds for a program that does not read it (contract section 9: at least
 * 1 MiB). Past INPUT_BACKLOG_MAX_BYTES the server stops reading the sending socket (HTTP input:
 * 429 input_backlog) until the backlog is under INPUT_BACKLOG_LOW_BYTES, checked every
 * INPUT_BACKLOG_POLL_MS while held. Invariant: LOW < MAX, so a held socket resumes only with
 * room for more than one frame (INPUT_MAX_BYTES).
 */
export const INPUT_BACKLOG_MAX_BYTES = 1024 * 1024;
export const INPUT_BACKLOG_LOW_BYTES = 256 * 1024;
export const INPUT_BACKLOG_POLL_MS = 20;
/** Caps (contract section 9), each a config.json key: past one, a clear 409/429 with a code. */
export const DEFAULT_LIMITS = Object.freeze({
  /** Sessions at once, running or exited (409 too_many_sessions). */
  sessions: 100,
  /** Live share links per session (409 too_many_shares). */
  sharesPerSession: 1000,
  /** Open /api/events streams (429 too_many_streams). */
  eventStreams: 100,
  /** Open WebSockets, authenticated or not (HTTP 429 too_many_sockets before the upgrade). */
  sockets: 10_000,
});
export type Limits = { -readonly [K in keyof typeof DEFAULT_LIMITS]: number };
/** Largest JSON body accepted by the HTTP API (413 past it). */
export const JSON_BODY_MAX_BYTES = 128 * 1024;

/** Default scrollback kept by the server-side screen. */
export const DEFAULT_SCROLLBACK_LINES = 10_000;
/** Default cap on one session's recording. */
export const DEFAULT_RECORDING_CAP_BYTES = 64 * 1024 * 1024;

/** Revoking a share closes its open sockets within this long (the contract says 1 s). */
export const REVOKE_CLOSE_DEADLINE_MS = 1000;
/** Ending a session: SIGHUP to its process group, then SIGKILL after this long. */
export const KILL_GRACE_MS = 2000;

/** Client side: xterm.js write-callback watermarks that keep a page responsive under a flood. */
export const CLIENT_HIGH_WATER_BYTES = 512 * 1024;
export const CLIENT_LOW_WATER_BYTES = 64 * 1024;
