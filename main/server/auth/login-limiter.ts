// Password guessing brake: at most LOGIN_MAX_FAILURES failed logins per IP in a sliding
// LOGIN_WINDOW_MS, then 429 with Retry-After. An attempt counts from the moment it starts
// (begin()): a check still in flight holds one of the IP's tries, so 60 parallel guesses get
// 5 password checks and 55 × 429, not 59 × 401 (contract section 9). Memory stays bounded:
// entries expire with their window and the table never holds more than LOGIN_MAX_TRACKED_IPS
// addresses. No timers: pruning happens on use, so there is nothing to leak or unref.
import { PortholeError } from '../../../common/errors.js';

export const LOGIN_MAX_FAILURES = 5;
export const LOGIN_WINDOW_MS = 15 * 60 * 1000;
export const LOGIN_MAX_TRACKED_IPS = 10_000;
/** Full sweeps of expired entries run at most this often. */
const SWEEP_INTERVAL_MS = 60 * 1000;

export interface LoginLimiterOptions {
  maxFailures?: number;
  windowMs?: number;
  maxTrackedIps?: number;
  /** Milliseconds; injectable for tests. */
  now?: () => number;
}

/** One started login: settle it exactly once with the password check's outcome. */
export interface LoginAttempt {
  succeeded(): void;
  failed(): void;
  /** The check never ran (the server was too busy): give the try back, record nothing. */
  abandoned(): void;
}

export class LoginLimiter {
  private readonly maxFailures: number;
  private readonly windowMs: number;
  private readonly maxTracked: number;
  private readonly now: () => number;
  /** ip -> times of its recent failures, oldest first, at most maxFailures of them. */
  private readonly failures = new Map<string, number[]>();
  private lastSweep = 0;
  /** ip -> password checks started and not yet settled. */
  private readonly inFlight = new Map<string, number>();

  constructor(opts: LoginLimiterOptions = {}) {
    this.maxFailures = opts.maxFailures ?? LOGIN_MAX_FAILURES;
    this.windowMs = opts.windowMs ?? LOGIN_WINDOW_MS;
    this.maxTracked = opts.maxTrackedIps ?? LOGIN_MAX_TRACKED_IPS;
    this.now = opts.now ?? Date.now;
  }

  /** Seconds until this IP may try again; 0 if it may try now. Checks in flight count as
   *  failures until they settle (then a second is a fair guess of when one frees up). */
  retryAfterSeconds(ip: string): number {
    const times = this.recent(ip);
    if (times.length >= this.maxFailures) return Math.max(1, Math.ceil((times[0] + this.windowMs - this.now()) / 1000));
    if (times.length + (this.inFlight.get(ip) ?? 0) >= this.maxFailures) return 1;
    return 0;
  }

  /** Start an attempt: 429 if the IP has no try left, else the try is taken until settled. */
  begin(ip: string): LoginAttempt {
    this.check(ip);
    this.inFlight.set(ip, (this.inFlight.get(ip) ?? 0) + 1);
    let settled = false;
    const settle = (outcome: 'ok' | 'failed' | 'abandoned') => {
      if (settled) return;
      settled = true;
      const n = (this.inFlight.get(ip) ?? 1) - 1;
      if (n > 0) this.inFlight.set(ip, n);
      else this.inFlight.delete(ip);
      if (outcome === 'ok') this.recordSuccess(ip);
      else if (outcome === 'failed') this.recordFailure(ip);
    };
    return { succeeded: () => settle('ok'), failed: () => settle('failed'), abandoned: () => settle('abandoned') };
  }

  /** Call before checking a password: throws PortholeError rate_limited (429) with
   *  details.retryAfterSeconds when this IP has used up its attempts. */
  check(ip: string): void {
    const wait = this.retryAfterSeconds(ip);
    if (wait > 0) throw new PortholeError('rate_limited', undefined, { retryAfterSeconds: wait });
  }

  recordFailure(ip: string): void {
    this.sweep();
    const times = this.recent(ip);
    times.push(this.now());
    while (times.length > this.maxFailures) times.shift();
    // Re-insert so the Map's order is least-recently-failed first, for eviction below.
    this.failures.delete(ip);
    this.failures.set(ip, times);
    while (this.failures.size > this.maxTracked) {
      const oldest = this.failures.keys().next().value as string;
      this.failures.delete(oldest);
    }
  }

  /** A correct password clears the IP's record. */
  recordSuccess(ip: string): void {
    this.failures.delete(ip);
  }

  /** Number of IPs currently tracked (for tests of the memory bound). */
  get trackedIps(): number {
    return this.failures.size;
  }

  dispose(): void {
    this.failures.clear();
    this.inFlight.clear();
  }

  private recent(ip: string): number[] {
    const times = this.failures.get(ip);
    if (!times) return [];
    const cutoff = this.now() - this.windowMs;
    while (times.length > 0 && times[0] <= cutoff) times.shift();
    if (times.length === 0) this.failures.delete(ip);
    return times;
  }

  private sweep(): void {
    const now = this.now();
    if (now - this.lastSweep < SWEEP_INTERVAL_MS) return;
    this.lastSweep = now;
    for (const ip of [...this.failures.keys()]) this.recent(ip);
  }
}
