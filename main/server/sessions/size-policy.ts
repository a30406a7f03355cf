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

interface Entry {
  size: Size | undefined;
  /** Larger = more recently active; 0 = never active. */
  at: number;
}

export class SizeArbiter {
  private readonly seats = new Set<Entry>();
  private clock = 0;
  private latest: Entry | undefined;

  /** `apply` resizes the PTY (a no-op when the size is unchanged or the session has ended). */
  constructor(private readonly apply: (size: Size) => void) {}

  get size(): number {
    return this.seats.size;
  }

  join(): SizeSeat {
    const e: Entry = { size: undefined, at: 0 };
    this.seats.add(e);
    let left = false;
    return {
      resized: (cols, rows) => {
        if (left) return;
        e.size = { cols, rows };
        this.touch(e);
      },
      active: () => {
        if (left || this.latest === e) return;
        this.touch(e);
      },
      leave: () => {
        if (left) return;
        left = true;
        this.seats.delete(e);
        if (this.latest !== e) return;
        this.latest = undefined;
        const next = this.mostRecent();
        if (next?.size) {
          this.latest = next;
          this.apply(next.size);
        }
      },
    };
  }

  private touch(e: Entry): void {
    e.at = ++this.clock;
    // A client that never told its size cannot set one; the last size stays.
    if (!e.size) return;
    this.latest = e;
    this.apply(e.size);
  }

  /** The most recently active seat that has a size. */
  private mostRecent(): Entry | undefined {
    let best: Entry | undefined;
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
      a = new SizeArbiter((size) => this.apply(sessionId, size));
      this.arbiters.set(sessionId, a);
    }
    const arbiter = a;
    const seat = arbiter.join();
    return {
      resized: (c, r) => seat.resized(c, r),
      active: () => seat.active(),
      leave: () => {
        seat.leave();
        if (arbiter.size === 0 && this.arbiters.get(sessionId) === arbiter) this.arbiters.delete(sessionId);
      },
    };
  }

  /** Sessions with at least one owner client (for tests and leak checks). */
  get sessions(): number {
    return this.arbiters.size;
  }
}
