import { describe, expect, it } from 'vitest';
import { PortholeError } from '../../common/errors.js';
import { LoginLimiter } from '../../main/server/auth/login-limiter.js';

function rateError(fn: () => void): PortholeError | null {
  try {
    fn();
    return null;
  } catch (err) {
    if (err instanceof PortholeError) return err;
    throw err;
  }
}

describe('LoginLimiter', () => {
  it('allows 5 failures per IP, then 429 with retry-after seconds', () => {
    let now = 0;
    const l = new LoginLimiter({ now: () => now });
    for (let i = 0; i < 5; i++) {
      expect(rateError(() => l.check('1.2.3.4'))).toBeNull();
      l.recordFailure('1.2.3.4');
      now += 1000;
    }
    const err = rateError(() => l.check('1.2.3.4'));
    expect(err?.code).toBe('rate_limited');
    expect(err?.status).toBe(429);
    // first failure at t=0, window 15 min, now t=5 s
    expect(err?.details).toEqual({ retryAfterSeconds: 15 * 60 - 5 });
    // another IP is unaffected
    expect(rateError(() => l.check('5.6.7.8'))).toBeNull();
  });

  it('lets the IP in again once the window has passed (sliding)', () => {
    let now = 0;
    const l = new LoginLimiter({ now: () => now });
    for (let i = 0; i < 5; i++) {
      l.recordFailure('ip');
      now += 60_000;
    }
    expect(l.retryAfterSeconds('ip')).toBe(15 * 60 - 5 * 60);
    now = 15 * 60 * 1000 + 1; // the first failure has left the window
    expect(l.retryAfterSeconds('ip')).toBe(0);
    l.recordFailure('ip');
    expect(l.retryAfterSeconds('ip')).toBeGreaterThan(0);
  });

  it('a success clears the record', () => {
    const l = new LoginLimiter();
    for (let i = 0; i < 4; i++) l.recordFailure('ip');
    l.recordSuccess('ip');
    for (let i = 0; i < 4; i++) l.recordFailure('ip');
    expect(l.retryAfterSeconds('ip')).toBe(0);
  });

  it('keeps memory bounded: expired entries pruned, table capped', () => {
    let now = 0;
    const l = new LoginLimiter({ now: () => now, maxTrackedIps: 100 });
    for (let i = 0; i < 1000; i++) l.recordFailure(`10.0.${i >> 8}.${i & 255}`);
    expect(l.trackedIps).toBe(100);
    now += 16 * 60 * 1000;
    l.recordFailure('fresh');
    expect(l.trackedIps).toBe(1);
    l.dispose();
    expect(l.trackedIps).toBe(0);
  });
});

describe('LoginLimiter.begin: an attempt counts from its start', () => {
  it('checks in flight hold tries: the 6th parallel attempt is 429 before any settles', () => {
    const l = new LoginLimiter();
    const attempts = Array.from({ length: 5 }, () => l.begin('ip'));
    expect(rateError(() => l.begin('ip'))?.code).toBe('rate_limited');
    // Settled as failures: the window's limit is reached for good.
    for (const a of attempts) a.failed();
    expect(l.retryAfterSeconds('ip')).toBeGreaterThan(1);
  });

  it('a success frees its try and clears the record; an abandoned check records nothing', () => {
    const l = new LoginLimiter();
    const a = Array.from({ length: 4 }, () => l.begin('ip'));
    a[0].failed();
    a[1].abandoned();
    a[2].abandoned();
    a[3].failed();
    expect(l.retryAfterSeconds('ip')).toBe(0);
    const more = Array.from({ length: 3 }, () => l.begin('ip'));
    expect(rateError(() => l.begin('ip'))?.code).toBe('rate_limited');
    more[0].succeeded();
    more[0].failed(); // settling twice is ignored
    expect(rateError(() => l.begin('ip'))).toBeNull();
  });
});
