// SocketRegistry (ws/registry.ts): the jti index, and the one timer that closes every socket
// whose token expires (4403 token_expired), armed for the earliest expiry and re-armed for the
// next; driven with fake timers, so the order and the moments are exact.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { CLOSE } from '../../common/errors.js';
import { SocketRegistry, type Closable } from '../../main/server/ws/registry.js';

class FakeConn implements Closable {
  closed: Array<[number, string]> = [];
  constructor(private readonly registry: SocketRegistry, private readonly jti: string | null) {}
  close(code: number, reason: string): void {
    this.closed.push([code, reason]);
    this.registry.remove(this, this.jti); // what Connection.cleanup() does
  }
}

beforeEach(() => {
  vi.useFakeTimers();
  vi.setSystemTime(1_000_000);
});
afterEach(() => {
  vi.useRealTimers();
});

describe('SocketRegistry', () => {
  it('closes each socket when its token expires, earliest first, with one timer', () => {
    const r = new SocketRegistry();
    const a = new FakeConn(r, 'a');
    const b = new FakeConn(r, 'b');
    const forever = new FakeConn(r, 'c');
    r.add(b, 'b', Date.now() + 5000);
    r.add(a, 'a', Date.now() + 2000); // earlier than the armed one: re-armed for it
    r.add(forever, 'c', null);
    expect(vi.getTimerCount()).toBe(1);
    vi.advanceTimersByTime(1999);
    expect(a.closed).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(a.closed).toEqual([[CLOSE.forbidden, 'token_expired']]);
    expect(b.closed).toEqual([]);
    vi.advanceTimersByTime(3000);
    expect(b.closed).toEqual([[CLOSE.forbidden, 'token_expired']]);
    expect(forever.closed).toEqual([]);
    expect(r.size).toBe(1);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('drops its timer when the last expiring socket leaves', () => {
    const r = new SocketRegistry();
    const a = new FakeConn(r, 'a');
    r.add(a, 'a', Date.now() + 60_000);
    expect(vi.getTimerCount()).toBe(1);
    r.remove(a, 'a');
    expect(vi.getTimerCount()).toBe(0);
    vi.advanceTimersByTime(120_000);
    expect(a.closed).toEqual([]);
    expect(r.size).toBe(0);
  });

  it('waits for an expiry past setTimeout\'s ceiling by re-arming', () => {
    const r = new SocketRegistry();
    const a = new FakeConn(r, 'a');
    const far = 2 ** 31 + 10_000;
    r.add(a, 'a', Date.now() + far);
    vi.advanceTimersByTime(2 ** 31 - 1);
    expect(a.closed).toEqual([]);
    expect(vi.getTimerCount()).toBe(1);
    vi.advanceTimersByTime(10_001);
    expect(a.closed).toEqual([[CLOSE.forbidden, 'token_expired']]);
  });

  it('closes exactly the sockets of one jti', () => {
    const r = new SocketRegistry();
    const a1 = new FakeConn(r, 'a');
    const a2 = new FakeConn(r, 'a');
    const b = new FakeConn(r, 'b');
    r.add(a1, 'a');
    r.add(a2, 'a');
    r.add(b, 'b');
    expect(r.closeByJti('a', CLOSE.forbidden, 'token_revoked')).toBe(2);
    expect([a1.closed, a2.closed, b.closed]).toEqual([[[CLOSE.forbidden, 'token_revoked']], [[CLOSE.forbidden, 'token_revoked']], []]);
    expect(r.closeByJti('a', CLOSE.forbidden, 'token_revoked')).toBe(0);
    expect(r.size).toBe(1);
  });
});
