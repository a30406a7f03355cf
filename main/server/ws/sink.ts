// The ViewerSink a session writes to for one socket: a thin, safe wrapper that never throws
// on a socket that is closing (the session may race a disconnect).
import type { WsServerMessage } from '../../../common/protocol.js';
import type { ViewerSink } from '../ports.js';
import { truncateReason, type WireSocket } from './socket.js';

export { truncateReason } from './socket.js';

export class WsViewerSink implements ViewerSink {
  constructor(private readonly socket: WireSocket) {}

  get bufferedAmount(): number {
    return this.socket.bufferedAmount;
  }

  sendBinary(chunk: Uint8Array): void {
    if (this.socket.isOpen) this.socket.sendBinary(chunk);
  }

  sendText(msg: WsServerMessage): void {
    if (this.socket.isOpen) this.socket.sendText(JSON.stringify(msg));
  }

  close(code: number, reason: string): void {
    this.socket.close(code, truncateReason(reason));
  }
}
