// One WebSocket's protocol (contract section 4): authenticate (first message or upgrade
// header), authorise for the session, send `ready`, attach to the session, then relay
// input / resize / ping under a rate limit. Every failure maps to a stable close code.
// Written against WireSocket alone: the carrier (node-ws.ts, or Bun.serve's handlers) pushes
// frames and the close in through the WireEvents methods.
//
// Memory (issue 13: RSS per idle viewer): a socket's whole protocol state is this one object.
// It is the carrier's WireEvents, the seat's socket and the registry's entry itself; the deps
// are one object shared by every socket; no handler is a closure made per socket, and token
// expiry is the registry's one timer. What an idle viewer holds beyond the `ws` library's own
// objects: this, its WsViewerSink, its Viewer in the session, its presence seat, and an owner's
// size seat.
import { CLOSE, PortholeError, closeCodeOf } from '../../../common/errors.js';
import { INPUT_BACKLOG_LOW_BYTES, INPUT_BACKLOG_MAX_BYTES, INPUT_BACKLOG_POLL_MS, INPUT_MAX_BYTES, WS_AUTH_TIMEOUT_MS, WS_TEXT_MAX_BYTES } from '../../../common/flow.js';
import { WsClientMessage, type WsServerMessage } from '../../../common/protocol.js';
import type { Logger } from '../log.js';
import type { SessionsPort, ViewerHandle } from '../ports.js';
import { sessionFor, viewModeOf, type Authenticator, type Principal } from '../http/principal.js';
import { ID_PATTERN } from '../ids.js';
import type { StreamStart } from '../sessions/viewer.js';
import type { SizePolicies, SizeSeat } from '../sessions/size-policy.js';
import type { ControlRequests } from '../sharing/control.js';
import { SERVER_FEATURES, SERVER_PROTOCOL } from '../sharing/features.js';
import type { Presence, Seat } from '../sharing/presence.js';
import { takeMessage, type RateWindow } from './rate.js';
import type { SocketRegistry } from './registry.js';
import { WsViewerSink } from './sink.js';
import { truncateReason, type WireEvents, type WireSocket } from './socket.js';

export interface ConnectionDeps {
  auth: Authenticator;
  sessions: SessionsPort;
  registry: SocketRegistry;
  logger: Logger;
  authTimeoutMs?: number;
  /** Presence and control requests (contract section 8). */
  sharing?: { presence: Presence; control: ControlRequests };
  /** Whose size the PTY has (contract section 9): owner sockets get a seat. */
  sizes?: SizePolicies;
  /** Told once, after the socket has closed and this protocol is cleaned up. */
  closed?: (conn: Connection) => void;
}

type State = 'auth' | 'live' | 'closed';

/** The auth timeout's handler: one function for every socket, the socket passed as its argument. */
function authTimedOut(conn: Connection): void {
  conn.close(CLOSE.unauthenticated, 'unauthorized');
}

export class Connection implements WireEvents, RateWindow {
  private state: State = 'auth';
  private principal: Principal | undefined;
  /** This socket's entry in the watching list; its mode decides whether input is delivered. */
  private seat: Seat | undefined;
  private sizeSeat: SizeSeat | undefined;
  private authTimer: NodeJS.Timeout | undefined;
  /** Set while reading is paused for a full input backlog (holdInput). */
  private inputHold: NodeJS.Timeout | undefined;
  /** This socket's place among the session's viewers, once attached. */
  private viewer: ViewerHandle | undefined;
  /** In the registry (under principal.jti) from auth until cleanup. */
  private registered = false;
  /** RateWindow (rate.ts): the message counter of this socket. */
  rateWindowStart = 0;
  rateCount = 0;
  /** Made on the first line logged: a child logger is five closures and a bindings object,
   *  and most sockets never log (per-viewer memory, issue 13). */
  private childLog: Logger | undefined;
  /** Bad frames are logged once per socket: a misbehaving client must not flood the log. */
  private loggedInvalid = false;
  private socketClosed = false;

  constructor(
    private readonly ws: WireSocket,
    private readonly sessionId: string,
    private readonly deps: ConnectionDeps,
    /** An `Authorization` header sent on the upgrade by a non-browser client. */
    authorizationHeader: string | undefined,
    private readonly remote: string | undefined,
    /** `?resumeFrom=` of the upgrade; an auth message's own `resumeFrom` wins. */
    private readonly queryResumeFrom?: number,
  ) {
    if (!deps.auth.authRequired) {
      this.authenticated(deps.auth.fromToken(''));
    } else if (authorizationHeader !== undefined) {
      try {
        this.authenticated(deps.auth.fromHeader(authorizationHeader));
      } catch (err) {
        this.fail(err);
      }
    } else {
      this.authTimer = setTimeout(authTimedOut, deps.authTimeoutMs ?? WS_AUTH_TIMEOUT_MS, this);
    }
  }

  private get log(): Logger {
    return (this.childLog ??= this.deps.logger.child({ ws: true, sessionId: this.sessionId, remote: this.remote }));
  }

  /** WireEvents: one frame from the peer. */
  receive(data: Uint8Array, isBinary: boolean): void {
    this.onMessage(Buffer.isBuffer(data) ? data : Buffer.from(data.buffer, data.byteOffset, data.byteLength), isBinary);
  }

  /** WireEvents: the socket has closed (either side). */
  closed(): void {
    if (this.socketClosed) return;
    this.socketClosed = true;
    this.cleanup();
    this.deps.closed?.(this);
  }

  /** WireEvents: a transport error (the carrier closes the socket); logged, never thrown. */
  failed(err: Error): void {
    this.log.info('socket error', { error: err });
  }

  /** Registry hook: revocation, logout, expiry and shutdown all come through here. */
  close(code: number, reason: string): void {
    if (this.state === 'closed') return;
    this.state = 'closed';
    this.ws.close(code, truncateReason(reason));
    this.cleanup();
  }

  /** Drop the socket without a closing handshake (shutdown of a peer that will not answer). */
  terminate(): void {
    this.ws.terminate();
    this.cleanup();
  }

  /** Also the presence seat's socket (SeatSocket): mode changes and control requests. */
  sendText(msg: WsServerMessage): void {
    if (this.ws.isOpen) this.ws.sendText(JSON.stringify(msg));
  }

  private error(code: string, message: string): void {
    this.sendText({ type: 'error', code, message });
  }

  private fail(err: unknown): void {
    if (err instanceof PortholeError) {
      this.log.info('socket rejected', { code: err.code });
      this.close(closeCodeOf(err.code), err.code); // the reason is the code: see closeReasonCode()
    } else {
      this.log.error('socket failed', { error: err instanceof Error ? err : String(err) });
      this.close(CLOSE.policy, 'internal');
    }
  }

  private authenticated(p: Principal, resumeFrom: number | undefined = this.queryResumeFrom): void {
    if (this.state !== 'auth') return;
    clearTimeout(this.authTimer);
    this.authTimer = undefined;
    if (p.role === 'share' && p.sid !== this.sessionId) {
      this.fail(new PortholeError('forbidden', 'This link is for another session'));
      return;
    }
    const handle = ID_PATTERN.test(this.sessionId) ? this.deps.sessions.get(this.sessionId) : undefined;
    if (!handle) {
      this.fail(new PortholeError('session_not_found'));
      return;
    }
    this.principal = p;
    if (this.deps.sharing) {
      try {
        // A full link is refused here, right after auth and before `ready` (4429).
        this.seat = this.deps.sharing.presence.join(
          { sessionId: this.sessionId, shareId: p.role === 'share' ? p.jti : null, mode: viewModeOf(p) },
          this,
        );
      } catch (err) {
        this.fail(err);
        return;
      }
    }
    this.state = 'live';
    if (p.exp !== null && p.exp * 1000 <= Date.now()) {
      this.close(CLOSE.forbidden, 'token_expired');
      return;
    }
    // The registry closes the socket when the token expires (4403 token_expired).
    this.deps.registry.add(this, p.jti, p.exp === null ? null : p.exp * 1000);
    this.registered = true;
    if (p.role === 'share') this.log.info('share joined', { shareId: p.jti, mode: p.mode });
    else this.sizeSeat = this.deps.sizes?.join(this.sessionId);
    // `ready` goes out from attach(), right before the first frame, when the output offset
    // at the end of the redraw (or of the resumed bytes) is known exactly.
    const ready = (st: StreamStart) =>
      this.sendText({
        type: 'ready',
        session: sessionFor(p, handle.info()),
        mode: this.seat?.mode ?? viewModeOf(p),
        protocol: SERVER_PROTOCOL,
        features: [...SERVER_FEATURES],
        outputOffset: st.outputOffset,
        resumed: st.resumed,
        redrawBytes: st.redrawBytes,
        ...(st.scrollbackFollows ? { scrollbackFollows: true } : {}),
      });
    // attach() sends the redraw, then live output; it may close the sink (session ended).
    const viewer = handle.attach(new WsViewerSink(this.ws), { resumeFrom, start: ready });
    if ((this.state as State) === 'closed') viewer.detach();
    else this.viewer = viewer;
  }

  private onMessage(data: Buffer, isBinary: boolean): void {
    if (this.state === 'closed') return;
    if (!takeMessage(this)) {
      this.log.warn('socket flooded', {});
      this.close(CLOSE.policy, 'too many messages');
      return;
    }
    if (isBinary) this.onInput(data);
    else this.onText(data);
  }

  private onInput(data: Buffer): void {
    const p = this.principal;
    if (this.state !== 'live' || !p) {
      this.error('unauthorized', 'Authenticate first');
      return;
    }
    // The seat's mode, not the token's: control may have been granted or taken back.
    if (this.seat ? !this.seat.canType : p.role === 'share' && p.mode !== 'control') {
      this.error('read_only', 'This link is view-only');
      return;
    }
    if (data.length > INPUT_MAX_BYTES) {
      this.error('payload_too_large', `Input is limited to ${INPUT_MAX_BYTES} bytes per frame`);
      return;
    }
    const handle = this.deps.sessions.get(this.sessionId);
    if (!handle || handle.info().status !== 'running') {
      this.error('session_exited', 'The session has exited');
      return;
    }
    handle.write(data);
    this.seat?.noteInput();
    this.sizeSeat?.active();
    if ((handle.inputBacklog?.() ?? 0) > INPUT_BACKLOG_MAX_BYTES) this.holdInput(handle);
  }

  /** The program is not reading: stop reading this socket until the backlog drains (TCP
   *  pushes back on the sender), so memory stays flat whatever the client sends. */
  private holdInput(handle: { inputBacklog?(): number }): void {
    if (this.inputHold) return;
    if (!this.ws.pauseReading || !this.ws.resumeReading) {
      this.log.warn('input backlog full; closing', {});
      this.close(CLOSE.policy, 'input_backlog');
      return;
    }
    this.log.info('input held: the program is not reading', {});
    this.ws.pauseReading();
    this.inputHold = setInterval(() => {
      const live = this.state === 'live' && this.deps.sessions.get(this.sessionId)?.info().status === 'running';
      if (live && (handle.inputBacklog?.() ?? 0) > INPUT_BACKLOG_LOW_BYTES) return;
      this.releaseInput();
    }, INPUT_BACKLOG_POLL_MS);
    this.inputHold.unref();
  }

  private releaseInput(): void {
    if (!this.inputHold) return;
    clearInterval(this.inputHold);
    this.inputHold = undefined;
    if (this.state !== 'closed') this.ws.resumeReading?.();
  }

  private onText(data: Buffer): void {
    if (data.length > WS_TEXT_MAX_BYTES) {
      this.logInvalid('text frame too large');
      this.error('payload_too_large', `Text messages are limited to ${WS_TEXT_MAX_BYTES} bytes`);
      return;
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(data.toString('utf8'));
    } catch {
      this.logInvalid('not JSON');
      this.error('invalid_message', 'Text frames must be JSON messages');
      return;
    }
    const r = WsClientMessage.safeParse(parsed);
    if (!r.success) {
      this.logInvalid('unknown or malformed message');
      this.error('invalid_message', 'Unknown or malformed message');
      return;
    }
    const msg = r.data;
    switch (msg.type) {
      case 'ping':
        this.sendText({ type: 'pong' });
        return;
      case 'auth':
        if (this.state !== 'auth') return; // already authenticated: nothing to do
        try {
          this.authenticated(this.deps.auth.fromToken(msg.token), msg.resumeFrom ?? this.queryResumeFrom);
        } catch (err) {
          this.fail(err);
        }
        return;
      case 'request_control':
        this.requestControl();
        return;
      case 'resize': {
        const p = this.principal;
        if (this.state !== 'live' || !p) {
          this.error('unauthorized', 'Authenticate first');
          return;
        }
        if (p.role !== 'owner') {
          this.error('forbidden', 'Only the owner may resize');
          return;
        }
        const handle = this.deps.sessions.get(this.sessionId);
        if (!handle || handle.info().status !== 'running') return;
        // The size policy decides (latest active owner client); without one, the last resize wins.
        if (this.sizeSeat) this.sizeSeat.resized(msg.cols, msg.rows);
        else handle.resize(msg.cols, msg.rows);
        return;
      }
    }
  }

  private requestControl(): void {
    const seat = this.seat;
    const control = this.deps.sharing?.control;
    if (this.state !== 'live' || !seat || !control) {
      this.error(this.state === 'live' ? 'invalid_message' : 'unauthorized', this.state === 'live' ? 'This server does not take control requests' : 'Authenticate first');
      return;
    }
    try {
      control.request(seat);
    } catch (err) {
      if (!(err instanceof PortholeError)) throw err;
      this.error(err.code, err.message);
    }
  }

  private logInvalid(reason: string): void {
    if (this.loggedInvalid) return;
    this.loggedInvalid = true;
    this.log.info('invalid message', { reason });
  }

  private cleanup(): void {
    this.state = 'closed';
    clearTimeout(this.authTimer);
    this.authTimer = undefined;
    clearInterval(this.inputHold);
    this.inputHold = undefined;
    this.viewer?.detach();
    this.viewer = undefined;
    if (this.registered) this.deps.registry.remove(this, this.principal?.jti ?? null);
    this.registered = false;
    this.seat?.leave(); // ends a pending request or a grant with the socket
    this.seat = undefined;
    this.sizeSeat?.leave(); // the next most recent owner client's size comes back
    this.sizeSeat = undefined;
  }
}
