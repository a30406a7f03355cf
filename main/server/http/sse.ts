// GET /api/events: ServerEvents as text/event-stream. One shared heartbeat timer serves every
// stream (started with the first, stopped with the last), and close() ends them all so the
// server can shut down without waiting on long-lived responses.
import type { Request, Response } from 'express';
import type { ServerEvent } from '../../../common/protocol.js';
import type { EventBus } from './event-bus.js';

/** A comment line every so often keeps proxies from closing an idle stream. */
export const SSE_HEARTBEAT_MS = 15_000;

export class SseHub {
  private readonly clients = new Set<Response>();
  private heartbeat: NodeJS.Timeout | undefined;
  private readonly off: () => void;
  private closed = false;

  constructor(bus: EventBus, private readonly heartbeatMs = SSE_HEARTBEAT_MS) {
    this.off = bus.on((e) => this.broadcast(e));
  }

  get size(): number {
    return this.clients.size;
  }

  /** Express handler body; the caller has already checked the principal is the owner. */
  open(req: Request, res: Response): void {
    if (this.closed) {
      res.status(503).end();
      return;
    }
    res.status(200);
    res.setHeader('Content-Type', 'text/event-stream; charset=utf-8');
    res.setHeader('Cache-Control', 'no-store');
    res.setHeader('Connection', 'keep-alive');
    res.setHeader('X-Accel-Buffering', 'no');
    res.flushHeaders();
    res.write(': connected\nretry: 2000\n\n');
    req.socket.setNoDelay(true);
    this.clients.add(res);
    this.ensureHeartbeat();
    const drop = () => {
      this.clients.delete(res);
      if (this.clients.size === 0) this.stopHeartbeat();
    };
    res.on('close', drop);
  }

  private broadcast(e: ServerEvent): void {
    if (this.clients.size === 0) return;
    const frame = `event: ${e.type}\ndata: ${JSON.stringify(e)}\n\n`;
    for (const res of this.clients) res.write(frame);
  }

  private ensureHeartbeat(): void {
    if (this.heartbeat) return;
    this.heartbeat = setInterval(() => {
      for (const res of this.clients) res.write(': ping\n\n');
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
    for (const res of [...this.clients]) res.end();
    this.clients.clear();
  }
}
