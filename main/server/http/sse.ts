// GET /api/events: ServerEvents as text/event-stream. One shared heartbeat timer serves every
// stream (started with the first, stopped with the last), and close() ends them all so the
// server can shut down without waiting on long-lived responses. A stream ends with its token
// (contract section 9): closeByJti() at logout, and a sweep every SSE_TOKEN_SWEEP_MS (running
// only while a stream with a token is open) ends streams whose token expired or was revoked
// by any other path, so none outlives its token by more than that.
import type { Request, Response } from 'express';
import type { ServerEvent } from '../../../common/protocol.js';
import { PortholeError } from '../../../common/errors.js';
import { DEFAULT_LIMITS } from '../../../common/flow.js';
import type { EventBus } from './event-bus.js';

/** A comment line every so often keeps proxies from closing an idle stream. */
export const SSE_HEARTBEAT_MS = 15_000;
/**
 * Bytes a stream may have queued and not yet sent (res.writableLength) before an event: past it
 * the client is not reading (a stalled or suspended tab) and the stream is cut, so its memory
 * stays bounded; the client reconnects and reloads the list (docs/api.md). At ~500 bytes an
 * event that is a couple of thousand events behind.
 */
export const SSE_CLIENT_MAX_QUEUED_BYTES = 1024 * 1024;
/** How often open streams' tokens are re-checked (expiry, revocation): well within 1 s. */
export const SSE_TOKEN_SWEEP_MS = 250;

/** The token a stream was opened with (null fields under --no-auth: nothing to expire). */
export interface StreamToken {
  jti: string | null;
  exp: number | null;
}

export interface SseHubOptions {
  heartbeatMs?: number;
  /** Whether a token id has been revoked (logout), for the sweep. */
  isRevoked?: (jti: string) => boolean;
  /** Streams open at once (429 too_many_streams past it). */
  maxStreams?: number;
}

export class SseHub {
  private readonly clients = new Map<Response, StreamToken>();
  private heartbeat: NodeJS.Timeout | undefined;
  private sweeper: NodeJS.Timeout | undefined;
  private readonly off: () => void;
  private readonly heartbeatMs: number;
  private readonly isRevoked: (jti: string) => boolean;
  private readonly maxStreams: number;
  private closed = false;

  constructor(bus: EventBus, opts: SseHubOptions = {}) {
    this.heartbeatMs = opts.heartbeatMs ?? SSE_HEARTBEAT_MS;
    this.isRevoked = opts.isRevoked ?? (() => false);
    this.maxStreams = opts.maxStreams ?? DEFAULT_LIMITS.eventStreams;
    this.off = bus.on((e, seq) => this.broadcast(e, seq));
  }

  get size(): number {
    return this.clients.size;
  }

  /** Express handler body; the caller has already checked the principal is the owner. */
  open(req: Request, res: Response, token: StreamToken = { jti: null, exp: null }): void {
    if (this.closed) {
      res.status(503).end();
      return;
    }
    if (this.clients.size >= this.maxStreams) {
      throw new PortholeError('too_many_streams', `At most ${this.maxStreams} event streams (maxEventStreams in config.json)`, { retryAfterSeconds: 5 });
    }
    res.status(200);
    res.setHeader('Content-Type', 'text/event-stream; charset=utf-8');
    res.setHeader('Cache-Control', 'no-store');
    res.setHeader('Connection', 'keep-alive');
    res.setHeader('X-Accel-Buffering', 'no');
    res.flushHeaders();
    res.write(': connected\nretry: 2000\n\n');
    req.socket.setNoDelay(true);
    this.clients.set(res, token);
    this.ensureHeartbeat();
    if (token.jti !== null) this.ensureSweeper();
    const drop = () => {
      this.clients.delete(res);
      if (this.clients.size === 0) this.stopHeartbeat();
    };
    res.on('close', drop);
  }

  /** End the streams opened with this token (logout); returns how many. */
  closeByJti(jti: string, why = 'token revoked'): number {
    let n = 0;
    for (const [res, t] of [...this.clients]) {
      if (t.jti === jti) {
        this.end(res, why);
        n++;
      }
    }
    return n;
  }

  /** A stream whose token ended: a last comment saying why, then the end (the client's next
   *  try gets its 401). */
  private end(res: Response, why: string): void {
    this.clients.delete(res);
    if (this.clients.size === 0) this.stopHeartbeat();
    res.end(`: ${why}\n\n`);
  }

  private sweep(): void {
    const now = Date.now();
    let withToken = 0;
    for (const [res, t] of [...this.clients]) {
      if (t.jti === null) continue;
      if (t.exp !== null && t.exp * 1000 <= now) this.end(res, 'token expired');
      else if (this.isRevoked(t.jti)) this.end(res, 'token revoked');
      else withToken++;
    }
    if (withToken === 0) this.stopSweeper();
  }

  private ensureSweeper(): void {
    if (this.sweeper) return;
    this.sweeper = setInterval(() => this.sweep(), SSE_TOKEN_SWEEP_MS);
    this.sweeper.unref();
  }

  private stopSweeper(): void {
    if (this.sweeper) clearInterval(this.sweeper);
    this.sweeper = undefined;
  }

  private broadcast(e: ServerEvent, seq: number): void {
    if (this.clients.size === 0) return;
    const frame = `id: ${seq}\nevent: ${e.type}\ndata: ${JSON.stringify(e)}\n\n`;
    for (const res of [...this.clients.keys()]) this.write(res, frame);
  }

  /** Writes unless the stream already holds SSE_CLIENT_MAX_QUEUED_BYTES: then it is cut. */
  private write(res: Response, text: string): void {
    if (res.writableLength > SSE_CLIENT_MAX_QUEUED_BYTES) {
      this.clients.delete(res);
      if (this.clients.size === 0) this.stopHeartbeat();
      res.destroy(); // end() would queue behind what it cannot send
      return;
    }
    res.write(text);
  }

  private ensureHeartbeat(): void {
    if (this.heartbeat) return;
    this.heartbeat = setInterval(() => {
      for (const res of [...this.clients.keys()]) this.write(res, ': ping\n\n');
    }, this.heartbeatMs);
    this.heartbeat.unref();
  }

  private stopHeartbeat(): void {
    if (this.heartbeat) clearInterval(this.heartbeat);
    this.heartbeat = undefined;
  }

  /** End every stream and stop listening; the hub refuses new streams afterwards. */
  close(): void {
    this.closed = true;
    this.off();
    this.stopHeartbeat();
    this.stopSweeper();
    for (const res of [...this.clients.keys()]) res.end();
    this.clients.clear();
  }
}
