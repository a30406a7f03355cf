// The WebSocket entry: screens each upgrade before accepting it (path, Origin: refused with
// HTTP 403 during the handshake), then hands the socket to a Connection. Also owns every live
// Connection, for revocation and shutdown. admit() and accept() are the runtime-neutral part
// (a Bun.serve carrier calls them from its own upgrade and open handlers); handleUpgrade() is
// the Node http server's carrier, on the `noServer` WebSocketServer of the `ws` library.
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { CLOSE, ERROR_CODES, type ErrorCode } from '../../../common/errors.js';
import { DEFAULT_LIMITS, WS_MAX_PAYLOAD_BYTES } from '../../../common/flow.js';
import type { Logger } from '../log.js';
import type { SessionsPort } from '../ports.js';
import type { Authenticator } from '../http/principal.js';
import { Connection, type ConnectionDeps } from './connection.js';
import { NodeWireSocket, pipeWsEvents } from './node-ws.js';
import type { GateHeaders, OriginPolicy } from './origin.js';
import { SocketRegistry } from './registry.js';
import { SizePolicies } from '../sessions/size-policy.js';
import type { WireEvents, WireSocket } from './socket.js';

export interface GatewayOptions {
  auth: Authenticator;
  sessions: SessionsPort;
  logger: Logger;
  /** Read at each upgrade: the policy is only known once the server is listening. */
  originPolicy: () => OriginPolicy;
  authTimeoutMs?: number;
  /** The client's address for logs (X-Forwarded-For from trusted hops only). */
  clientAddress?: (req: IncomingMessage) => string;
  sharing?: ConnectionDeps['sharing'];
  /** Open sockets at once (HTTP 429 too_many_sockets before the upgrade past it). */
  maxSockets?: number;
}

const WS_PATH = /^\/api\/sessions\/([^/]+)\/ws$/;

/** What admit() decides for one upgrade request. */
export type Admission = { ok: true; sessionId: string; resumeFrom?: number } | { ok: false; code: ErrorCode; status: number };

/** The parts of an upgrade request admit() reads (any runtime's request has them). */
export interface UpgradeRequest {
  /** The request target, path and query. */
  url: string | undefined;
  /** Host, Origin and Sec-Fetch-* for the gate (origin.ts). */
  headers: GateHeaders;
  /** The client's address, for the log. */
  remote: string | undefined;
}

/** How long closing peers get to answer the close frame at shutdown before being cut. */
const CLOSE_GRACE_MS = 500;

export class WsGateway {
  private readonly wss: WebSocketServer;
  private readonly conns = new Set<Connection>();
  readonly registry = new SocketRegistry();
  /** The size policy: the PTY follows the owner client active last (size-policy.ts). */
  readonly sizes: SizePolicies;
  /** One deps object for every Connection: never a copy per socket. */
  private readonly deps: ConnectionDeps;
  private stopping = false;

  constructor(private readonly opts: GatewayOptions) {
    this.sizes = new SizePolicies((id, { cols, rows }) => {
      const h = opts.sessions.get(id);
      if (h && h.info().status === 'running') h.resize(cols, rows);
    });
    this.deps = {
      auth: opts.auth,
      sessions: opts.sessions,
      registry: this.registry,
      logger: opts.logger,
      authTimeoutMs: opts.authTimeoutMs,
      sharing: opts.sharing,
      sizes: this.sizes,
      closed: (conn) => this.conns.delete(conn),
    };
    // No clientTracking: `conns` already holds every open socket, and the library's tracking
    // adds a Set entry and a 'close' closure to each one (issue 13).
    this.wss = new WebSocketServer({ noServer: true, maxPayload: WS_MAX_PAYLOAD_BYTES, perMessageDeflate: false, clientTracking: false });
  }

  /** Open sockets (authenticated or not): a Connection leaves `conns` when its socket closes
   *  (deps.closed), so no walk over every socket at each upgrade (it was O(sockets) per admit,
   *  and an iterator per join). */
  get size(): number {
    return this.conns.size;
  }

  /** Path and Origin, before the handshake: a refusal is an HTTP answer, not a close code. */
  admit(req: UpgradeRequest): Admission {
    const refuse = (code: ErrorCode, status: number = ERROR_CODES[code].status): Admission => {
      this.opts.logger.info('upgrade rejected', { code, path: pathOnly(req.url), remote: req.remote });
      return { ok: false, code, status };
    };
    if (this.stopping) return refuse('internal', 503);
    // The same gate as every HTTP request (origin.ts), before anything else is looked at.
    const refused = this.opts.originPolicy().screen(req.headers);
    if (refused) return refuse(refused);
    const m = WS_PATH.exec(pathOnly(req.url));
    if (!m) return refuse('not_found');
    if (this.size >= (this.opts.maxSockets ?? DEFAULT_LIMITS.sockets)) return refuse('too_many_sockets');
    try {
      return { ok: true, sessionId: decodeURIComponent(m[1]), resumeFrom: resumeFromQuery(req.url) };
    } catch {
      return refuse('validation_failed');
    }
  }

  /** An admitted socket is open: its protocol starts. The carrier feeds the returned events
   *  (the Connection itself: no wrapper per socket). */
  accept(socket: WireSocket, sessionId: string, authorization: string | undefined, remote: string | undefined, resumeFrom?: number): WireEvents {
    const conn = new Connection(socket, sessionId, this.deps, authorization, remote, resumeFrom);
    // A socket refused in the constructor (a bad header token) is closing, not closed: it
    // stays until the carrier reports the close, as every other socket does.
    this.conns.add(conn);
    return conn;
  }

  /** The Node http server's 'upgrade' listener. */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    socket.on('error', destroyOnError);
    const remote = this.opts.clientAddress ? this.opts.clientAddress(req) : req.socket.remoteAddress;
    const admission = this.admit({ url: req.url, headers: req.headers, remote });
    if (!admission.ok) return rejectHandshake(socket, admission.status, admission.code);
    this.wss.handleUpgrade(req, socket, head, this.onUpgraded(socket, admission.sessionId, req.headers.authorization, remote, admission.resumeFrom));
  }

  /** The upgrade's callback, built where the request is not in scope: a closure that names
   *  `req` would keep the whole IncomingMessage (headers, rawHeaders) alive for the socket's
   *  life, ~2 KB per viewer (measured with a heap snapshot at 1,000 viewers). */
  private onUpgraded(socket: Duplex, sessionId: string, authorization: string | undefined, remote: string | undefined, resumeFrom: number | undefined): (ws: WebSocket) => void {
    return (ws) => {
      // From here the library's own error listener destroys the socket; ours would stay as a
      // second listener (an array on every open socket) for nothing.
      socket.removeListener('error', destroyOnError);
      pipeWsEvents(ws, this.accept(new NodeWireSocket(ws), sessionId, authorization, remote, resumeFrom));
    };
  }

  /** Close every socket that authenticated with this jti (revoked share, logout). */
  closeByJti(jti: string, reason: string): number {
    return this.registry.closeByJti(jti, CLOSE.forbidden, reason);
  }

  /** Shutdown: 1001 to everyone, then cut whoever has not finished the handshake. */
  async close(): Promise<void> {
    this.stopping = true;
    for (const c of [...this.conns]) c.close(CLOSE.goingAway, 'server stopping');
    const deadline = Date.now() + CLOSE_GRACE_MS;
    while (this.size > 0 && Date.now() < deadline) await delay(20);
    for (const c of [...this.conns]) c.terminate();
    this.conns.clear();
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
  }
}

/** One shared listener for every upgrading socket: it closes over nothing. */
function destroyOnError(this: Duplex): void {
  this.destroy();
}

function delay(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** `?resumeFrom=N` on the upgrade (extension): for clients that authenticate with the header or
 *  under --no-auth, which send no auth message to carry it. Garbage counts as absent. */
export function resumeFromQuery(url: string | undefined): number | undefined {
  const q = url?.indexOf('?') ?? -1;
  if (!url || q === -1) return undefined;
  const raw = new URLSearchParams(url.slice(q + 1)).get('resumeFrom');
  if (raw === null || !/^\d{1,16}$/.test(raw)) return undefined;
  const n = Number(raw);
  return Number.isSafeInteger(n) ? n : undefined;
}

function pathOnly(url: string | undefined): string {
  const u = url ?? '/';
  const q = u.indexOf('?');
  return q === -1 ? u : u.slice(0, q);
}

const REASONS: Record<number, string> = { 400: 'Bad Request', 403: 'Forbidden', 404: 'Not Found', 421: 'Misdirected Request', 429: 'Too Many Requests', 503: 'Service Unavailable' };

/** Answer a refused upgrade with a plain HTTP response and drop the socket. */
function rejectHandshake(socket: Duplex, status: number, code: ErrorCode): void {
  if (!socket.writable) {
    socket.destroy();
    return;
  }
  const body = JSON.stringify({ error: { code, message: ERROR_CODES[code].message } });
  socket.end(
    `HTTP/1.1 ${status} ${REASONS[status] ?? 'Error'}\r\n` +
      'Connection: close\r\n' +
      'Content-Type: application/json; charset=utf-8\r\n' +
      `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n` +
      body,
  );
  socket.destroy();
}
