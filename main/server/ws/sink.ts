// The ViewerSink a session writes to for one socket: a thin, safe wrapper that never throws
// on a socket that is closing (the session may race a disconnect).
import WebSocket from 'ws';
import type { WsServerMessage } from '../../../common/protocol.js';
import type { ViewerSinkPort } from '../http/context.js';

export class WsViewerSink implements ViewerSinkPort {
  constructor(private readonly ws: WebSocket) {}

  get bufferedAmount(): number {
    return this.ws.bufferedAmount;
  }

  sendBinary(chunk: Uint8Array): void {
    if (this.ws.readyState === WebSocket.OPEN) this.ws.send(chunk, { binary: true });
  }

  sendText(msg: WsServerMessage): void {
    if (this.ws.readyState === WebSocket.OPEN) this.ws.send(JSON.stringify(msg));
  }

  close(code: number, reason: string): void {
    if (this.ws.readyState === WebSocket.OPEN || this.ws.readyState === WebSocket.CONNECTING) {
      this.ws.close(code, truncateReason(reason));
    }
  }
}

/** Close reasons are limited to 123 bytes on the wire. */
export function truncateReason(reason: string): string {
  let r = reason;
  while (Buffer.byteLength(r) > 123) r = r.slice(0, -1);
  return r;
}
