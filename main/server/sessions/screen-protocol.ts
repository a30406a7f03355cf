// The messages between the server thread (screen-host.ts, screen.ts) and the screen worker
// (screen-worker.ts). Types only: the worker entry file is never loaded on the server thread.

/** main -> worker, in stream order per screen. */
export type ToScreenWorker =
  | { t: 'open'; s: number; cols: number; rows: number; scrollback: number }
  | { t: 'close'; s: number }
  /** The server has gone quiet after a burst: run a full GC (memory-settle.ts). */
  | { t: 'gc' }
  /** `mute`: replayed output (a rebuilt screen): its query answers are not sent again. */
  | { t: 'data'; s: number; d: Uint8Array; mute?: boolean }
  | { t: 'resize'; s: number; cols: number; rows: number }
  /** `wait`: answer once everything sent so far is parsed; else answer now, at the parsed offset.
   *  `first`: a late join; a long scrollback whose serialization is not cached is answered
   *  twice, the visible rows first (`partial`), then the whole state at the same `done`.
   *  `preview`: also the visible rows as a common/preview.ts ScreenPreview (JSON). */
  | { t: 'req'; s: number; id: number; wait: boolean; serialize: boolean; text: boolean; first?: boolean; preview?: boolean };

/** worker -> main. Offsets count output bytes since the screen opened. */
export type FromScreenWorker =
  | { t: 'ack'; s: number; offset: number; done: number }
  /** Sent unasked once parsing has been quiet for VISIBLE_CACHE_MS: an ack that also carries
   *  the visible rows at `done`, as the JSON of a common/preview.ts ScreenPreview (~4 KB for
   *  100x30: a share link's first paint) and, for a long scrollback, serialized (`data`: a late
   *  join's first piece). Main keeps both, so neither waits for this lower-priority thread. */
  | { t: 'visible'; s: number; offset: number; done: number; cols: number; rows: number; preview: string; data?: string }
  | { t: 'title'; s: number; title: string }
  /** The screen's answer to a terminal query in the output: written to the PTY as input. */
  | { t: 'reply'; s: number; d: string }
  | { t: 'res'; s: number; id: number; offset: number; done: number; cols: number; rows: number; data?: string; text?: string; partial?: boolean; preview?: string };

// `done` counts data and resize items fully applied, in the order main posted them: it is how
// main knows exactly which of its retained items a serialized state already contains (a byte
// offset alone is ambiguous when a resize sits between two batches).
