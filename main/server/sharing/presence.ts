// Who is watching (contract section 8): one seat per open, authenticated socket, with the
// link it came through, its mode and when it last typed. The ws layer takes a seat right
// after auth (a full link is refused here, before `ready`), asks the seat whether input may
// be delivered, and gives the seat up when the socket closes. Presence publishes
// viewer.joined / viewer.left / viewer.updated and answers GET /api/sessions/:id/viewers.
// Pure bookkeeping: no sockets, no timers, so it is tested without a server.
import { PortholeError } from '../../../common/errors.js';
import type { ServerEvent, Share, ShareMode, ViewMode, Viewer, WsServerMessage } from '../../../common/protocol.js';

/** A socket typing again after this long quiet publishes viewer.updated (its lastInputAt):
 *  enough for "typed in the last minute" in the panel, never one event per keystroke. */
export const VIEWER_INPUT_EVENT_MS = 30_000;

/** What a seat needs from its socket. */
export interface SeatSocket {
  sendText(msg: WsServerMessage): void;
}

export interface JoinRequest {
  sessionId: string;
  /** The share the socket authenticated with; null for the owner. */
  shareId: string | null;
  mode: ViewMode;
}

export interface PresenceOptions {
  /** A live share by id (its label and cap); undefined once revoked or expired. */
  share(id: string): Share | undefined;
  emit(e: ServerEvent): void;
  newId(): string;
  now?: () => number;
}

export class Seat {
  /** The mode the socket's token gave it; `mode` may differ while control is granted. */
  readonly baseMode: ViewMode;
  private current: Viewer;
  private lastInputMs: number | null = null;
  private lastInputEventMs: number | null = null;

  constructor(
    readonly sessionId: string,
    viewer: Viewer,
    readonly socket: SeatSocket,
    private readonly presence: Presence,
  ) {
    this.current = viewer;
    this.baseMode = viewer.mode;
  }

  get id(): string {
    return this.current.id;
  }
  get shareId(): string | null {
    return this.current.shareId;
  }
  get mode(): ViewMode {
    return this.current.mode;
  }
  /** Input from this socket reaches the PTY. */
  get canType(): boolean {
    return this.current.mode !== 'view';
  }
  /** A copy: callers never mutate the seat through it. */
  get viewer(): Viewer {
    return { ...this.current };
  }

  /** Input from this socket was delivered. */
  noteInput(): void {
    const now = this.presence.now();
    this.lastInputMs = now;
    this.current = { ...this.current, lastInputAt: new Date(now).toISOString() };
    if (this.lastInputEventMs === null || now - this.lastInputEventMs >= VIEWER_INPUT_EVENT_MS) {
      this.lastInputEventMs = now;
      this.presence.updated(this);
    }
  }

  /** Control granted ('control') or taken back ('view'); the socket hears of it. */
  setMode(mode: ShareMode): void {
    if (this.current.mode === mode || this.baseMode === 'owner') return;
    this.current = { ...this.current, mode };
    this.socket.sendText({ type: 'mode', mode });
    this.presence.updated(this);
  }

  /** @internal ControlRequests: the pending request or grant this seat holds. */
  setRequest(requestId: string | null, publish: boolean): void {
    this.current = { ...this.current, requestId };
    if (publish) this.presence.updated(this);
  }

  leave(): void {
    this.presence.leave(this);
  }
}

export class Presence {
  private readonly bySession = new Map<string, Map<string, Seat>>();
  private readonly shareCounts = new Map<string, number>();
  private readonly leaveListeners = new Set<(seat: Seat) => void>();
  readonly now: () => number;

  constructor(private readonly opts: PresenceOptions) {
    this.now = opts.now ?? Date.now;
  }

  /** Takes a seat for a socket that just authenticated; PortholeError link_full (4429) when
   *  its link already has maxViewers sockets open. */
  join(req: JoinRequest, socket: SeatSocket): Seat {
    const share = req.shareId === null ? undefined : this.opts.share(req.shareId);
    if (share && share.maxViewers !== null && this.countByShare(share.id) >= share.maxViewers) {
      throw new PortholeError('link_full', `This link allows ${share.maxViewers} viewer${share.maxViewers === 1 ? '' : 's'} at once`);
    }
    const viewer: Viewer = {
      id: this.opts.newId(),
      kind: req.shareId === null ? 'owner' : 'share',
      shareId: req.shareId,
      label: share?.label ?? null,
      mode: req.mode,
      connectedAt: new Date(this.now()).toISOString(),
      lastInputAt: null,
      requestId: null,
    };
    const seat = new Seat(req.sessionId, viewer, socket, this);
    let seats = this.bySession.get(req.sessionId);
    if (!seats) this.bySession.set(req.sessionId, (seats = new Map()));
    seats.set(seat.id, seat);
    if (req.shareId !== null) this.shareCounts.set(req.shareId, (this.shareCounts.get(req.shareId) ?? 0) + 1);
    this.opts.emit({ type: 'viewer.joined', sessionId: req.sessionId, viewer: seat.viewer });
    return seat;
  }

  /** Idempotent: a seat leaves once. */
  leave(seat: Seat): void {
    const seats = this.bySession.get(seat.sessionId);
    if (!seats?.delete(seat.id)) return;
    if (seats.size === 0) this.bySession.delete(seat.sessionId);
    const shareId = seat.shareId;
    if (shareId !== null) {
      const n = (this.shareCounts.get(shareId) ?? 1) - 1;
      if (n <= 0) this.shareCounts.delete(shareId);
      else this.shareCounts.set(shareId, n);
    }
    for (const l of [...this.leaveListeners]) l(seat);
    this.opts.emit({ type: 'viewer.left', sessionId: seat.sessionId, viewer: seat.viewer });
  }

  /** Told before viewer.left goes out (control requests end with their socket). */
  onLeave(listener: (seat: Seat) => void): () => void {
    this.leaveListeners.add(listener);
    return () => this.leaveListeners.delete(listener);
  }

  countByShare(shareId: string): number {
    return this.shareCounts.get(shareId) ?? 0;
  }

  /** GET /api/sessions/:id/viewers: one entry per open socket, oldest first. */
  list(sessionId: string): Viewer[] {
    return [...(this.bySession.get(sessionId)?.values() ?? [])].map((s) => s.viewer);
  }

  /** The owner's sockets on a session (they hear of control requests). */
  owners(sessionId: string): Seat[] {
    return [...(this.bySession.get(sessionId)?.values() ?? [])].filter((s) => s.baseMode === 'owner');
  }

  /** @internal Seat -> viewer.updated. */
  updated(seat: Seat): void {
    if (!this.bySession.get(seat.sessionId)?.has(seat.id)) return;
    this.opts.emit({ type: 'viewer.updated', sessionId: seat.sessionId, viewer: seat.viewer });
  }
}
