// Every open, authenticated socket indexed by its token's jti, so that revoking a share or
// logging out a token closes exactly that token's sockets (4403, well inside 1 s), and so
// that shutdown can close them all with 1001. It also ends sockets whose token expires
// (4403 token_expired) with one timer for all of them, armed for the earliest expiry: a timer
// per socket was a Timeout and a closure held by every idle viewer (issue 13).
import { CLOSE } from '../../../common/errors.js';

export interface Closable {
  close(code: number, reason: string): void;
}

/** setTimeout's ceiling; a later expiry is re-armed when this fires. */
const MAX_TIMER_MS = 2 ** 31 - 1;

export class SocketRegistry {
  private readonly byJti = new Map<string, Set<Closable>>();
  private readonly all = new Set<Closable>();
  /** Sockets whose token expires, with the time it does (ms since the epoch). */
  private readonly expiring = new Map<Closable, number>();
  private timer: NodeJS.Timeout | undefined;
  /** When `timer` fires; Infinity when none is armed. */
  private timerAt = Infinity;

  /** `expiresAtMs`: the token's exp in ms, or null for a token that never expires. The caller
   *  has already refused a token expired at this moment. */
  add(conn: Closable, jti: string | null, expiresAtMs: number | null = null): void {
    this.all.add(conn);
    if (jti !== null) {
      let set = this.byJti.get(jti);
      if (!set) this.byJti.set(jti, (set = new Set()));
      set.add(conn);
    }
    if (expiresAtMs !== null) {
      this.expiring.set(conn, expiresAtMs);
      if (expiresAtMs < this.timerAt) this.arm(expiresAtMs);
    }
  }

  /** Forgets a socket added with `jti`; a no-op for one not (or no longer) here. */
  remove(conn: Closable, jti: string | null): void {
    this.all.delete(conn);
    if (this.expiring.delete(conn) && this.expiring.size === 0) this.disarm();
    if (jti === null) return;
    const set = this.byJti.get(jti);
    set?.delete(conn);
    if (set && set.size === 0) this.byJti.delete(jti);
  }

  get size(): number {
    return this.all.size;
  }

  closeByJti(jti: string, code: number, reason: string): number {
    const set = this.byJti.get(jti);
    if (!set) return 0;
    const conns = [...set];
    for (const c of conns) c.close(code, reason);
    return conns.length;
  }

  closeAll(code: number, reason: string): void {
    for (const c of [...this.all]) c.close(code, reason);
  }

  private arm(at: number): void {
    this.disarm();
    this.timerAt = at;
    this.timer = setTimeout(() => this.sweep(), Math.max(0, Math.min(at - Date.now(), MAX_TIMER_MS)));
    // The sockets keep the process alive, never this timer (shutdown must not wait for it).
    this.timer.unref();
  }

  private disarm(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.timerAt = Infinity;
  }

  /** Closes every socket whose token has expired, then arms for the next one. A timer may
   *  fire a little early (or early on purpose, past MAX_TIMER_MS): what is not due yet waits. */
  private sweep(): void {
    this.timer = undefined;
    this.timerAt = Infinity;
    const now = Date.now();
    const due: Closable[] = [];
    let next = Infinity;
    for (const [c, at] of this.expiring) {
      if (at <= now) due.push(c);
      else if (at < next) next = at;
    }
    for (const c of due) {
      this.expiring.delete(c); // closed or not, it is not swept again
      c.close(CLOSE.forbidden, 'token_expired');
    }
    if (next !== Infinity && next < this.timerAt) this.arm(next);
  }
}
