// Presence and ControlRequests without a server: the lapse after 60 s (with a fake timer),
// grants that end with their seat, and the cap's bookkeeping.
import { describe, expect, it } from 'vitest';
import { PortholeError } from '../../common/errors.js';
import type { ServerEvent, Share, WsServerMessage } from '../../common/protocol.js';
import { CONTROL_REQUEST_TTL_MS, ControlRequests } from '../../main/server/sharing/control.js';
import { Presence, VIEWER_INPUT_EVENT_MS } from '../../main/server/sharing/presence.js';

function world(shares: Share[] = []) {
  const events: ServerEvent[] = [];
  let n = 0;
  let now = 1_000_000;
  const timers: Array<{ fn: () => void; ms: number; cleared: boolean }> = [];
  const presence = new Presence({ share: (id) => shares.find((s) => s.id === id), emit: (e) => events.push(e), newId: () => `id${n++}`, now: () => now });
  const control = new ControlRequests({
    presence,
    emit: (e) => events.push(e),
    newId: () => `req${n++}`,
    setTimer: (fn, ms) => {
      const t = { fn, ms, cleared: false };
      timers.push(t);
      return t;
    },
    clearTimer: (t) => ((t as { cleared: boolean }).cleared = true),
  });
  const socket = () => {
    const got: WsServerMessage[] = [];
    return { got, sendText: (m: WsServerMessage) => got.push(m) };
  };
  return { events, presence, control, timers, socket, advance: (ms: number) => (now += ms) };
}

const share = (over: Partial<Share> = {}): Share => ({
  id: 'sh', sessionId: 's', mode: 'view', label: 'L', expiresAt: 'x', createdAt: 'y', maxViewers: null, ...over,
});

describe('ControlRequests', () => {
  it('lapses an unanswered request after 60 s with control_denied, and then it is gone', () => {
    const w = world([share()]);
    const owner = w.socket();
    const viewer = w.socket();
    w.presence.join({ sessionId: 's', shareId: null, mode: 'owner' }, owner);
    const seat = w.presence.join({ sessionId: 's', shareId: 'sh', mode: 'view' }, viewer);
    const id = w.control.request(seat);
    expect(w.timers[0].ms).toBe(CONTROL_REQUEST_TTL_MS);
    expect(CONTROL_REQUEST_TTL_MS).toBe(60_000);
    w.timers[0].fn();
    expect(viewer.got).toEqual([{ type: 'control_denied' }]);
    expect(owner.got.at(-1)).toEqual({ type: 'control_resolved', requestId: id, outcome: 'lapsed' });
    expect(() => w.control.answer('s', id, true)).toThrow(PortholeError);
    expect(seat.canType).toBe(false);
    expect(seat.viewer.requestId).toBeNull();
  });

  it('clears the lapse timer when answered, and a grant ends when the seat leaves', () => {
    const w = world([share()]);
    const seat = w.presence.join({ sessionId: 's', shareId: 'sh', mode: 'view' }, w.socket());
    const id = w.control.request(seat);
    w.control.answer('s', id, true);
    expect(w.timers[0].cleared).toBe(true);
    expect(seat.canType).toBe(true);
    expect(w.control.grantOf(seat.id)).toBe(id);
    seat.leave();
    expect(w.control.grantOf(seat.id)).toBeUndefined();
    expect(() => w.control.takeBack('s', id)).toThrow(/pending control request/);
  });

  it('refuses an answer for another session', () => {
    const w = world([share()]);
    const seat = w.presence.join({ sessionId: 's', shareId: 'sh', mode: 'view' }, w.socket());
    const id = w.control.request(seat);
    expect(() => w.control.answer('other', id, true)).toThrow(PortholeError);
    expect(seat.canType).toBe(false);
  });
});

describe('Presence', () => {
  it('counts per share for the cap and frees a slot on leave', () => {
    const w = world([share({ maxViewers: 1 })]);
    const a = w.presence.join({ sessionId: 's', shareId: 'sh', mode: 'view' }, w.socket());
    expect(() => w.presence.join({ sessionId: 's', shareId: 'sh', mode: 'view' }, w.socket())).toThrow(expect.objectContaining({ code: 'link_full' }));
    expect(w.presence.countByShare('sh')).toBe(1);
    a.leave();
    a.leave(); // idempotent
    expect(w.presence.countByShare('sh')).toBe(0);
    w.presence.join({ sessionId: 's', shareId: 'sh', mode: 'view' }, w.socket());
    expect(w.events.filter((e) => e.type === 'viewer.left')).toHaveLength(1);
  });

  it('publishes typing at most once per quiet spell', () => {
    const w = world();
    const seat = w.presence.join({ sessionId: 's', shareId: null, mode: 'owner' }, w.socket());
    for (let i = 0; i < 50; i++) {
      seat.noteInput();
      w.advance(100);
    }
    expect(w.events.filter((e) => e.type === 'viewer.updated')).toHaveLength(1);
    w.advance(VIEWER_INPUT_EVENT_MS);
    seat.noteInput();
    expect(w.events.filter((e) => e.type === 'viewer.updated')).toHaveLength(2);
    expect(seat.viewer.lastInputAt).toBe(new Date(1_000_000 + 5000 + VIEWER_INPUT_EVENT_MS).toISOString());
  });
});
