// Whose size the PTY has when several owner clients show one session (contract section 9):
// the one that was active last (typed, resized or focused: the panel, the desktop window or
// an attached CLI), like tmux's `window-size latest`; when it leaves, the next most recent
// one's size comes back. View and control pages never take part: only owner sockets get a
// seat. Pure bookkeeping with an `apply` callback, so it is tested without a PTY.

export interface Size {
  cols: number;
  rows: number;
}

/** One owner client's place in the order. */
export interface SizeSeat {
  /** The client reported its size (at start, on a window resize, on focus): it is now latest. */
  resized(cols: number, rows: number): void;
  /** The client typed: it is now latest, and its size applies if it has told one. */
  active(): void;
  /** The client left: if it was latest, the next most recent client's size applies. */
  leave(): void;
}

/** One owner client's place in an arbiter's order: an object of its own, not closures over
 *  one (per-viewer memory, issue 13). */
class ArbiterSeat implements SizeSeat {
  size: Size | undefined = undefined;
  /** Larger = more recently active; 0 = never active. */
  at = 0;
  left = false;

  constructor(private readonly arbiter: SizeArbiter) {}

  resized(cols: number, rows: number): void {
    if (this.left) return;
    this.size = { cols, rows };
    this.arbiter.touch(this);
  }

  active(): void {
    if (this.left || this.arbiter.isLatest(this)) return;
    this.arbiter.touch(this);
  }

  leave(): void {
    if (this.left) return;
    this.left = true;
    this.arbiter.leave(this);
  }
}

export class SizeArbiter {
  private readonly seats = new Set<ArbiterSeat>();
  private clock = 0;
  private latest: ArbiterSeat | undefined;

  /** `apply` resizes the PTY (a no-op when the size is unchanged or the session has ended);
   *  `empty` is told when the last seat has left. */
  constructor(
    private readonly apply: (size: Size) => void,
    private readonly empty?: () => void,
  ) {}

  get size(): number {
    return this.seats.size;
  }

  join(): SizeSeat {
    const seat = new ArbiterSeat(this);
    this.seats.add(seat);
    return seat;
  }

  /** @internal ArbiterSeat */
  isLatest(seat: ArbiterSeat): boolean {
    return this.latest === seat;
  }

  /** @internal ArbiterSeat: the seat is now the most recently active. */
  touch(seat: ArbiterSeat): void {
    seat.at = ++this.clock;
    // A client that never told its size cannot set one; the last size stays.
    if (!seat.size) return;
    this.latest = seat;
    this.apply(seat.size);
  }

  /** @internal ArbiterSeat: if it was latest, the next most recent client's size applies. */
  leave(seat: ArbiterSeat): void {
    this.seats.delete(seat);
    if (this.latest === seat) {
      this.latest = undefined;
      const next = this.mostRecent();
      if (next?.size) {
        this.latest = next;
        this.apply(next.size);
      }
    }
    if (this.seats.size === 0) this.empty?.();
  }

  /** The most recently active seat that has a size. */
  private mostRecent(): ArbiterSeat | undefined {
    let best: ArbiterSeat | undefined;
    for (const s of this.seats) if (s.size && s.at > 0 && (!best || s.at > best.at)) best = s;
    return best;
  }
}

/** One arbiter per session, dropped when its last owner client leaves. */
export class SizePolicies {
  private readonly arbiters = new Map<string, SizeArbiter>();

  constructor(private readonly apply: (sessionId: string, size: Size) => void) {}

  join(sessionId: string): SizeSeat {
    let a = this.arbiters.get(sessionId);
    if (!a) {
      const arbiter: SizeArbiter = new SizeArbiter(
        (size) => this.apply(sessionId, size),
        () => {
          if (this.arbiters.get(sessionId) === arbiter) this.arbiters.delete(sessionId);
        },
      );
      this.arbiters.set(sessionId, (a = arbiter));
    }
    return a.join();
  }

  /** Sessions with at least one owner client (for tests and leak checks). */
  get sessions(): number {
    return this.arbiters.size;
  }
}
