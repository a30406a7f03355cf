// Control on request (contract section 8): a view-link socket asks, the owner answers.
// A request is pending until granted, denied, lapsed (CONTROL_REQUEST_TTL_MS) or withdrawn
// (its socket left); one pending request per socket. A grant switches that one seat to
// 'control' and lasts until the owner takes it back or the socket closes (revoking the share
// closes the socket, so the grant ends with it). Timers are injectable for tests.
import { PortholeError } from '../../../common/errors.js';
import type { ServerEvent } from '../../../common/protocol.js';
import type { Presence, Seat } from './presence.js';

/** An unanswered request lapses (control_denied) after this long. */
export const CONTROL_REQUEST_TTL_MS = 60_000;

export type ControlOutcome = 'granted' | 'denied' | 'lapsed' | 'withdrawn';

interface Pending {
  id: string;
  seat: Seat;
  timer: unknown;
}

export interface ControlOptions {
  presence: Presence;
  emit(e: ServerEvent): void;
  newId(): string;
  ttlMs?: number;
  setTimer?: (fn: () => void, ms: number) => unknown;
  clearTimer?: (t: unknown) => void;
}

export class ControlRequests {
  private readonly pending = new Map<string, Pending>();
  private readonly pendingBySeat = new Map<Seat, Pending>();
  /** Granted request id -> seat, so the owner can take it back by the same id. */
  private readonly grants = new Map<string, Seat>();
  private readonly ttlMs: number;
  private readonly setTimer: (fn: () => void, ms: number) => unknown;
  private readonly clearTimer: (t: unknown) => void;
  private readonly stopListening: () => void;

  constructor(private readonly opts: ControlOptions) {
    this.ttlMs = opts.ttlMs ?? CONTROL_REQUEST_TTL_MS;
    this.setTimer =
      opts.setTimer ??
      ((fn, ms) => {
        const t = setTimeout(fn, ms);
        t.unref();
        return t;
      });
    this.clearTimer = opts.clearTimer ?? ((t) => clearTimeout(t as NodeJS.Timeout));
    this.stopListening = opts.presence.onLeave((seat) => this.seatLeft(seat));
  }

  /** A socket sent request_control. Throws not_needed (it may type already) or
   *  request_pending (one is open); returns the request id. */
  request(seat: Seat): string {
    if (seat.canType) throw new PortholeError('not_needed', seat.baseMode === 'owner' ? 'The owner may always type' : 'This socket may already type');
    if (this.pendingBySeat.has(seat)) throw new PortholeError('request_pending');
    const id = this.opts.newId();
    const p: Pending = { id, seat, timer: undefined };
    p.timer = this.setTimer(() => this.settle(p, 'lapsed'), this.ttlMs);
    this.pending.set(id, p);
    this.pendingBySeat.set(seat, p);
    seat.setRequest(id, false); // control.requested below carries it
    const viewer = seat.viewer;
    for (const owner of this.opts.presence.owners(seat.sessionId)) {
      owner.socket.sendText({ type: 'control_requested', requestId: id, viewer });
    }
    this.opts.emit({ type: 'control.requested', sessionId: seat.sessionId, requestId: id, viewer });
    return id;
  }

  /** POST .../control-requests/:requestId; request_not_found unless pending on that session. */
  answer(sessionId: string, requestId: string, grant: boolean): void {
    const p = this.pending.get(requestId);
    if (!p || p.seat.sessionId !== sessionId) throw new PortholeError('request_not_found');
    this.settle(p, grant ? 'granted' : 'denied');
  }

  /** DELETE .../control-requests/:requestId: take a grant back (the seat is view-only again).
   *  A still-pending request is denied instead, so the owner's one button always works. */
  takeBack(sessionId: string, requestId: string): void {
    const seat = this.grants.get(requestId);
    if (seat && seat.sessionId === sessionId) {
      this.grants.delete(requestId);
      seat.setRequest(null, false);
      seat.setMode('view'); // publishes viewer.updated
      return;
    }
    this.answer(sessionId, requestId, false);
  }

  /** The request id of the grant a seat holds, if any (the watching list's "take back"). */
  grantOf(seatId: string): string | undefined {
    for (const [id, seat] of this.grants) if (seat.id === seatId) return id;
    return undefined;
  }

  /** Pending request ids of a session, with their viewer (the panel's list on load). */
  pendingOf(sessionId: string): Array<{ requestId: string; seatId: string }> {
    return [...this.pending.values()].filter((p) => p.seat.sessionId === sessionId).map((p) => ({ requestId: p.id, seatId: p.seat.id }));
  }

  dispose(): void {
    this.stopListening();
    for (const p of this.pending.values()) this.clearTimer(p.timer);
    this.pending.clear();
    this.pendingBySeat.clear();
    this.grants.clear();
  }

  private settle(p: Pending, outcome: ControlOutcome): void {
    if (this.pending.get(p.id) !== p) return;
    this.pending.delete(p.id);
    this.pendingBySeat.delete(p.seat);
    this.clearTimer(p.timer);
    if (outcome === 'granted') {
      this.grants.set(p.id, p.seat);
      p.seat.setMode('control'); // publishes viewer.updated
    } else if (outcome !== 'withdrawn') {
      p.seat.setRequest(null, true);
      p.seat.socket.sendText({ type: 'control_denied' });
    }
    for (const owner of this.opts.presence.owners(p.seat.sessionId)) {
      owner.socket.sendText({ type: 'control_resolved', requestId: p.id, outcome });
    }
    this.opts.emit({ type: 'control.resolved', sessionId: p.seat.sessionId, requestId: p.id, outcome });
  }

  private seatLeft(seat: Seat): void {
    const p = this.pendingBySeat.get(seat);
    if (p) this.settle(p, 'withdrawn');
    for (const [id, s] of this.grants) if (s === seat) this.grants.delete(id);
  }
}
