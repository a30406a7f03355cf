// The `ws` library as a WireSocket carrier: used on Node (and, through Bun's own `ws`
// replacement, under Bun). Wraps one ws.WebSocket and pushes its frames and close into the
// protocol's WireEvents.
import WebSocket from 'ws';
import type { WireEvents, WireSocket } from './socket.js';

export class NodeWireSocket implements WireSocket {
  constructor(private readonly ws: WebSocket) {}

  get bufferedAmount(): number {
    return this.ws.bufferedAmount;
  }

  get isOpen(): boolean {
    return this.ws.readyState === WebSocket.OPEN;
  }

  sendText(text: string): void {
    if (this.isOpen) this.ws.send(text);
  }

  sendBinary(data: Uint8Array): void {
    if (this.isOpen) this.ws.send(data, { binary: true });
  }

  close(code: number, reason: string): void {
    if (this.ws.readyState === WebSocket.OPEN || this.ws.readyState === WebSocket.CONNECTING) this.ws.close(code, reason);
  }

  terminate(): void {
    this.ws.terminate();
  }

  pauseReading(): void {
    this.ws.pause();
  }

  resumeReading(): void {
    this.ws.resume();
  }
}

/** Where a piped socket keeps its events: the listeners below are shared by every socket and
 *  find them through `this` (an emitter calls its listeners with itself as `this`). */
const EVENTS = Symbol('porthole.wireEvents');
type Piped = WebSocket & { [EVENTS]: WireEvents };

function onMessage(this: WebSocket, data: WebSocket.RawData, isBinary: boolean): void {
  (this as Piped)[EVENTS].receive(toBytes(data), isBinary);
}

function onClose(this: WebSocket): void {
  (this as Piped)[EVENTS].closed();
}

// ws closes with 1009 on an oversize frame and emits this first; never throw.
function onError(this: WebSocket, err: Error): void {
  (this as Piped)[EVENTS].failed(err);
}

/** Feeds one ws.WebSocket's events into `events`, with no closure per socket (issue 13:
 *  three closures and their context were held by every idle viewer). */
export function pipeWsEvents(ws: WebSocket, events: WireEvents): void {
  (ws as Piped)[EVENTS] = events;
  ws.on('message', onMessage);
  ws.on('close', onClose);
  ws.on('error', onError);
}

function toBytes(data: WebSocket.RawData): Uint8Array {
  if (Array.isArray(data)) return Buffer.concat(data);
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  return data;
}
