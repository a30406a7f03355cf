// The seams the ws and http layers code against (docs/architecture.md, "Sessions").
import type { Session, WsServerMessage } from '../../../common/protocol.js';

/** What the ws layer hands a session for one socket. */
export interface ViewerSink {
  /** Bytes queued, not yet on the wire (ws: socket.bufferedAmount). */
  readonly bufferedAmount: number;
  /** `chunk` may be shared with other viewers: send it, never mutate it. */
  sendBinary(chunk: Uint8Array): void;
  sendText(msg: WsServerMessage): void;
  close(code: number, reason: string): void;
}

export interface ViewerHandle {
  /** Stops output to this sink (idempotent); call it when the socket closes. */
  detach(): void;
}

export interface SessionHandle {
  readonly id: string;
  info(): Session;
  /** Sends the redraw frame(s), then live output. The ws layer sends `ready` first. */
  attach(sink: ViewerSink): ViewerHandle;
  /** Keyboard input. Never recorded. A no-op once the session has exited (check info().status for a 409). */
  write(data: string | Uint8Array): void;
  /** Resizes PTY and screen, tells every viewer {type:"resize"}. A no-op once exited. */
  resize(cols: number, rows: number): void;
  /** The visible screen, one right-trimmed line per row, after all output so far is parsed. */
  snapshot(): Promise<string>;
  /** `<recordingsDir>/<id>.cast`. */
  recordingPath(): string;
  /** Resolves once all output so far is in the recording file (call before serving it). */
  flushRecording(): Promise<void>;
}
