// The few things the ws layer needs of one WebSocket, whatever carries it: the `ws` library on
// Node (node-ws.ts), or Bun.serve's sockets. Connection and the viewer sink are written against
// this alone, and the carrier pushes received frames and the close into Connection, so the
// protocol code never sees a runtime's socket type.

export interface WireSocket {
  /** Bytes queued, not yet on the wire: what viewer backpressure reads. */
  readonly bufferedAmount: number;
  /** Frames can still be sent (not closing or closed). */
  readonly isOpen: boolean;
  sendText(text: string): void;
  sendBinary(data: Uint8Array): void;
  /** Starts the closing handshake; a no-op once closing. `reason` is at most 123 bytes. */
  close(code: number, reason: string): void;
  /** Drops the connection without a closing handshake (a peer that will not answer). */
  terminate(): void;
  /** Stop / restart reading frames (input backpressure). Absent: the carrier cannot, and a
   *  socket over the input bound is closed with 1008 instead. */
  pauseReading?(): void;
  resumeReading?(): void;
}

/** What a carrier pushes into the protocol for one socket (Connection implements it). */
export interface WireEvents {
  /** One complete frame: binary = keyboard input, text = a JSON message. */
  receive(data: Uint8Array, isBinary: boolean): void;
  /** The socket is closed (either side); called once. */
  closed(): void;
  /** A transport error (an oversize frame, a reset); the carrier closes the socket itself. */
  failed(err: Error): void;
}

/** Close reasons are limited to 123 bytes on the wire. */
export function truncateReason(reason: string): string {
  let r = reason;
  while (Buffer.byteLength(r) > 123) r = r.slice(0, -1);
  return r;
}
