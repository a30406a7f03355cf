// Why: the owner view and the viewer both hold one WebSocket to a session. This module owns
// it: auth as the first message, validation of every text frame with WsServerMessageSchema,
// keep-alive pings, and reconnect with backoff after a network loss; close codes that mean
// "stop" (revoked, not found, ended) end it for good.
import { WsServerMessageSchema, type WsServerMessage } from '../../common/protocol.js';
import { CLOSE } from '../../common/errors.js';
import { INPUT_MAX_BYTES } from '../../common/flow.js';
import { backoffDelay } from './backoff.js';
import { authMessage, sessionSocketUrl, type EarlySocket } from './early.js';
import { ResumeCursor } from '../../common/resume.js';

export type ReadyMessage = Extract<WsServerMessage, { type: 'ready' }>;
export type LiveMessage = Exclude<WsServerMessage, ReadyMessage>;

/** Why a socket stopped for good. */
export type EndReason =
  | { kind: 'ended'; exitCode: number | null }
  | { kind: 'forbidden'; reason: string }
  | { kind: 'unauthenticated'; reason: string }
  | { kind: 'not_found' }
  | { kind: 'full'; reason: string }
  | { kind: 'policy'; code: number; reason: string }
  | { kind: 'closed' };

export interface SocketHandlers {
  /** `reconnect` is true for every ready after the first: the caller resets its terminal
   *  unless `msg.resumed` (then only the missed bytes follow: keep the screen as it is). */
  onReady(msg: ReadyMessage, reconnect: boolean): void;
  onOutput(data: Uint8Array): void;
  onMessage(msg: LiveMessage): void;
  onConnecting(attempt: number, delayMs: number): void;
  onEnd(reason: EndReason): void;
}

/** Input split into frames the server takes (INPUT_MAX_BYTES each); bytes, so a UTF-8
 *  character may span two frames: the PTY gets the bytes contiguous either way. */
export function inputFrames(bytes: Uint8Array<ArrayBuffer>): Uint8Array<ArrayBuffer>[] {
  if (bytes.byteLength <= INPUT_MAX_BYTES) return [bytes];
  const out: Uint8Array<ArrayBuffer>[] = [];
  for (let i = 0; i < bytes.byteLength; i += INPUT_MAX_BYTES) out.push(bytes.subarray(i, i + INPUT_MAX_BYTES));
  return out;
}

const PING_EVERY_MS = 15_000;
const PONG_TIMEOUT_MS = 10_000;
const encoder = new TextEncoder();

export class SessionSocket {
  private ws: WebSocket | null = null;
  private attempt = 0;
  private readyCount = 0;
  private stopped = false;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private pingTimer: ReturnType<typeof setInterval> | undefined;
  private pongTimer: ReturnType<typeof setTimeout> | undefined;
  private exitCode: number | null = null;
  private sawExit = false;
  private readonly cursor = new ResumeCursor();
  /** What the server said it can do (ready.features); empty until the first ready. */
  features: ReadonlySet<string> = new Set();

  constructor(
    private readonly sessionId: string,
    private readonly token: () => string | null,
    private readonly h: SocketHandlers,
  ) {}

  get open(): boolean {
    return this.ws?.readyState === WebSocket.OPEN;
  }

  connect(): void {
    if (this.stopped) return;
    clearTimeout(this.retryTimer);
    // Also on the URL: under --no-auth the server takes no auth message to read it from.
    const from = this.cursor.resumeFrom;
    const ws = new WebSocket(sessionSocketUrl(this.sessionId) + (from === null ? '' : `?resumeFrom=${from}`));
    ws.binaryType = 'arraybuffer';
    this.bind(ws, true);
  }

  /** Take over a socket opened early (early.ts): replay what it buffered, then go on live. */
  adopt(early: EarlySocket): void {
    const { ws } = early;
    const open = ws.readyState === WebSocket.OPEN;
    this.bind(ws, !open && ws.readyState === WebSocket.CONNECTING);
    if (open) this.startPing(ws);
    const onmessage = ws.onmessage;
    const onclose = ws.onclose;
    for (const ev of early.buffered.splice(0)) onmessage?.call(ws, ev);
    if (early.closed) onclose?.call(ws, early.closed);
    else if (ws.readyState === WebSocket.CLOSED) this.connect();
  }

  private bind(ws: WebSocket, authOnOpen: boolean): void {
    this.ws = ws;
    ws.onopen = () => {
      if (authOnOpen) ws.send(authMessage(this.token(), this.cursor.resumeFrom));
      this.startPing(ws);
    };
    ws.onmessage = (ev: MessageEvent) => {
      if (ws !== this.ws) return;
      if (ev.data instanceof ArrayBuffer) {
        this.cursor.received(ev.data.byteLength);
        this.h.onOutput(new Uint8Array(ev.data));
        return;
      }
      if (typeof ev.data !== 'string') return;
      let json: unknown;
      try {
        json = JSON.parse(ev.data);
      } catch {
        return;
      }
      const parsed = WsServerMessageSchema.safeParse(json);
      if (!parsed.success) return; // unknown or malformed: ignored, never cast
      const msg = parsed.data;
      if (msg.type === 'pong') {
        clearTimeout(this.pongTimer);
        return;
      }
      if (msg.type === 'ready') {
        this.attempt = 0;
        this.features = new Set(msg.features);
        this.cursor.start(msg);
        this.h.onReady(msg, this.readyCount++ > 0);
        return;
      }
      if (msg.type === 'resync') this.cursor.start(msg);
      if (msg.type === 'exit') {
        this.sawExit = true;
        this.exitCode = msg.exitCode;
      }
      this.h.onMessage(msg);
    };
    ws.onclose = (ev: CloseEvent) => {
      if (ws !== this.ws) return;
      this.stopPing();
      this.ws = null;
      if (this.stopped) return;
      const end = endReasonFor(ev.code, ev.reason, this.sawExit, this.exitCode);
      if (end) {
        this.stopped = true;
        this.h.onEnd(end);
        return;
      }
      this.scheduleReconnect();
    };
  }

  /** Drop the socket and reconnect at once (used after the client dropped output: the
   *  server's fresh redraw puts the screen right). */
  reconnectNow(): void {
    if (this.stopped) return;
    this.cursor.forget();
    const ws = this.ws;
    this.ws = null;
    this.stopPing();
    ws?.close(1000, 'redraw');
    this.connect();
  }

  /** Close the current socket and wait (nothing reconnects until resume()). */
  pause(): void {
    this.cursor.forget(); // the page dropped output: only a redraw puts it right
    const ws = this.ws;
    this.ws = null;
    this.stopPing();
    clearTimeout(this.retryTimer);
    ws?.close(1000, 'catching up');
  }

  resume(): void {
    if (!this.ws && !this.stopped) this.connect();
  }

  /** Typed or pasted input, in frames of at most INPUT_MAX_BYTES (the server refuses bigger
   *  ones): a 1 MiB paste goes as 16 frames, in order, like the CLI sends it. */
  sendInput(data: string | Uint8Array<ArrayBuffer>): void {
    const ws = this.ws;
    if (ws?.readyState !== WebSocket.OPEN) return;
    for (const frame of inputFrames(typeof data === 'string' ? encoder.encode(data) : data)) ws.send(frame);
  }

  /** Ask the owner for control (a view link on a server that lists 'request_control'). */
  requestControl(): void {
    if (this.ws?.readyState !== WebSocket.OPEN) return;
    this.ws.send('{"type":"request_control"}');
  }

  sendResize(cols: number, rows: number): void {
    if (this.ws?.readyState !== WebSocket.OPEN) return;
    this.ws.send(JSON.stringify({ type: 'resize', cols, rows }));
  }

  close(): void {
    this.stopped = true;
    clearTimeout(this.retryTimer);
    this.stopPing();
    const ws = this.ws;
    this.ws = null;
    ws?.close(1000, 'bye');
  }

  /** Test hook: simulate a network loss (the socket dies; the normal reconnect path runs). */
  dropForTest(): void {
    this.ws?.close(4000, 'test drop');
  }

  private scheduleReconnect(): void {
    const delay = backoffDelay(this.attempt);
    this.h.onConnecting(this.attempt + 1, delay);
    this.attempt++;
    this.retryTimer = setTimeout(() => this.connect(), delay);
  }

  private startPing(ws: WebSocket): void {
    this.stopPing();
    this.pingTimer = setInterval(() => {
      if (ws.readyState !== WebSocket.OPEN) return;
      ws.send('{"type":"ping"}');
      clearTimeout(this.pongTimer);
      // No pong: the path is dead (sleeping laptop, lost Wi-Fi): close and reconnect.
      this.pongTimer = setTimeout(() => ws.close(4000, 'no pong'), PONG_TIMEOUT_MS);
    }, PING_EVERY_MS);
  }

  private stopPing(): void {
    clearInterval(this.pingTimer);
    clearTimeout(this.pongTimer);
  }
}

/** Close codes that end the socket for good; null = reconnect. */
export function endReasonFor(code: number, reason: string, sawExit: boolean, exitCode: number | null): EndReason | null {
  switch (code) {
    case CLOSE.normal:
      return { kind: 'ended', exitCode: sawExit ? exitCode : null };
    case CLOSE.forbidden:
      return { kind: 'forbidden', reason };
    case CLOSE.unauthenticated:
      return { kind: 'unauthenticated', reason };
    case CLOSE.noSession:
      return { kind: 'not_found' };
    case CLOSE.linkFull:
      return { kind: 'full', reason };
    case CLOSE.policy:
    case CLOSE.tooBig:
      return { kind: 'policy', code, reason };
    default:
      return sawExit ? { kind: 'ended', exitCode } : null;
  }
}
