// The one set of ports between the server's parts, free of any framework (no express, no ws,
// no runtime): what the HTTP and WebSocket layers need from sessions and shares, and what a
// session needs from a socket. server.ts hands in the real SessionManager / ShareRegistry;
// routes, sockets and tests see only these shapes (docs/architecture.md, "Internal interfaces").
import type { CreateSessionBody, Session, Share, ShareMode, WsServerMessage } from '../../common/protocol.js';

/** What the ws layer hands a session for one socket. */
export interface ViewerSink {
  /** Bytes queued, not yet on the wire (ws: socket.bufferedAmount). */
  readonly bufferedAmount: number;
  /** `chunk` may be shared with other viewers: send it, never mutate it. */
  sendBinary(chunk: Uint8Array): void;
  sendText(msg: WsServerMessage): void;
  close(code: number, reason: string): void;
}

/** Where a viewer's byte stream begins. */
export interface StreamStart {
  /** Output bytes the session had produced up to the end of what follows (redraw), or up to
   *  `resumeFrom` (resumed): the client adds every binary byte it gets from here on. */
  outputOffset: number;
  resumed: boolean;
  /** Binary bytes of the redraw that follows (0 when resumed): the client counts its offset
   *  from the bytes after them. */
  redrawBytes: number;
  /** true: that redraw has the visible rows only, and the whole state (scrollback included)
   *  follows as a `resync` redraw (a late join on a long scrollback, viewer.ts). */
  scrollbackFollows?: boolean;
}

export interface AttachOptions {
  /** The client's output offset before it lost its socket (validated by the caller). */
  resumeFrom?: number;
  start?: (s: StreamStart) => void;
}

export interface ViewerHandle {
  /** Stops output to this sink (idempotent); call it when the socket closes. */
  detach(): void;
}

export interface SessionHandle {
  readonly id: string;
  info(): Session;
  /** Sends the redraw frame(s) (or, resuming, the missed bytes), then live output; calls
   *  `opts.start` right before the first frame (the ws layer sends `ready` from it). */
  attach(sink: ViewerSink, opts?: AttachOptions): ViewerHandle;
  /** Keyboard input. Never recorded. A no-op once the session has exited (check info().status for a 409). */
  write(data: string | Uint8Array): void;
  /** Input bytes written and not yet read by the program (0 when the PTY cannot tell). */
  inputBacklog?(): number;
  /** Resizes PTY and screen, tells every viewer {type:"resize"}. A no-op once exited. */
  resize(cols: number, rows: number): void;
  /** The visible screen, one right-trimmed line per row, after all output so far is parsed. */
  snapshot(): Promise<string>;
  /** The visible rows with their styles, the JSON of a common/preview.ts ScreenPreview;
   *  undefined once ended. */
  previewJson?(): Promise<string | undefined>;
  /** `<recordingsDir>/<id>.cast`. */
  recordingPath(): string;
  /** Resolves once all output so far is in the recording file (call before serving it). */
  flushRecording(): Promise<void>;
}

export interface SessionsPort {
  create(body: CreateSessionBody): Promise<Session>;
  get(id: string): SessionHandle | undefined;
  list(): Session[];
  rename(id: string, name: string): Session;
  remove(id: string): Promise<void>;
  counts(): { running: number; exited: number };
}

export interface SharesPort {
  create(sessionId: string, mode: ShareMode, expiresIn: number, label?: string, maxViewers?: number): { share: Share; token: string; url?: string };
  list(sessionId: string): Share[];
  revoke(id: string): Share | Promise<Share>;
}
