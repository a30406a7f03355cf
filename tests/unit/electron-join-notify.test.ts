import { describe, expect, it } from 'vitest';
import type { ServerEvent, Session, Share } from '../../common/protocol.js';
import { initialJoinState, onJoinEvent, type JoinState, type ViewerJoinedEvent } from '../../main/electron/join-notify.js';

const NOW = Date.parse('2026-01-01T12:00:00.000Z');

function session(over: Partial<Session> = {}): Session {
  return {
    id: 's1', name: 'build box', command: ['bash'], cwd: '/', pid: 1, status: 'running', exitCode: null,
    cols: 80, rows: 24, createdAt: '2026-01-01T00:00:00.000Z', lastOutputAt: null, viewers: 0, ...over,
  };
}
function share(over: Partial<Share> = {}): Share {
  return { id: 'sh1', sessionId: 's1', mode: 'control', label: null, expiresAt: '2026-01-02T00:00:00.000Z', createdAt: '2026-01-01T00:00:00.000Z', maxViewers: null, ...over };
}

function run(state: JoinState, events: Array<ServerEvent | ViewerJoinedEvent>, now = NOW) {
  const notes = [];
  for (const e of events) {
    const r = onJoinEvent(state, e, now);
    state = r.state;
    if (r.notify) notes.push(r.notify);
  }
  return { state, notes };
}

describe('join notifications (heuristic from contract events)', () => {
  it('notifies when viewers go up on a session with a live control share', () => {
    const { notes } = run(initialJoinState([session()]), [
      { type: 'share.created', share: share() },
      { type: 'session.updated', session: session({ viewers: 1 }) },
    ]);
    expect(notes).toEqual([{ title: 'Porthole: someone can type', body: 'Someone joined “build box” with a control link.', sessionId: 's1' }]);
  });

  it('stays quiet with only view shares, after revocation, after expiry, or when viewers go down', () => {
    expect(run(initialJoinState([session()]), [
      { type: 'share.created', share: share({ mode: 'view' }) },
      { type: 'session.updated', session: session({ viewers: 1 }) },
    ]).notes).toEqual([]);
    expect(run(initialJoinState([session()]), [
      { type: 'share.created', share: share() },
      { type: 'share.revoked', share: share() },
      { type: 'session.updated', session: session({ viewers: 1 }) },
    ]).notes).toEqual([]);
    expect(run(initialJoinState([session()]), [
      { type: 'share.created', share: share({ expiresAt: '2026-01-01T11:00:00.000Z' }) },
      { type: 'session.updated', session: session({ viewers: 1 }) },
    ]).notes).toEqual([]);
    expect(run(initialJoinState([session({ viewers: 2 })]), [
      { type: 'share.created', share: share() },
      { type: 'session.updated', session: session({ viewers: 1 }) },
    ]).notes).toEqual([]);
  });

  it('does not notify for another session, nor for an output-only update', () => {
    const { notes } = run(initialJoinState([session(), session({ id: 's2' })]), [
      { type: 'share.created', share: share() },
      { type: 'session.updated', session: session({ id: 's2', viewers: 1 }) },
      { type: 'session.updated', session: session({ lastOutputAt: '2026-01-01T12:00:00.000Z' }) },
    ]);
    expect(notes).toEqual([]);
  });

  it('forgets a removed session and its shares', () => {
    const { state } = run(initialJoinState([session()]), [
      { type: 'share.created', share: share() },
      { type: 'session.removed', sessionId: 's1' },
    ]);
    expect(state.controlShares.size).toBe(0);
    expect(state.viewers.has('s1')).toBe(false);
  });
});

describe('join notifications (exact viewer.joined event)', () => {
  it('notifies for control joins only, with the share label', () => {
    const { notes } = run(initialJoinState([session()]), [
      { type: 'viewer.joined', sessionId: 's1', mode: 'view' },
      { type: 'viewer.joined', sessionId: 's1', mode: 'owner' },
      { type: 'viewer.joined', sessionId: 's1', mode: 'control', shareId: 'sh1', label: 'Alice' },
    ]);
    expect(notes).toEqual([{ title: 'Porthole: someone can type', body: 'Someone (Alice) joined “build box” with a control link.', sessionId: 's1' }]);
  });

  it('once the exact event is seen, the heuristic is off (no double notification)', () => {
    const { notes } = run(initialJoinState([session()]), [
      { type: 'share.created', share: share() },
      { type: 'viewer.joined', sessionId: 's1', mode: 'control' },
      { type: 'session.updated', session: session({ viewers: 1 }) },
    ]);
    expect(notes).toHaveLength(1);
  });
});
