import { describe, expect, it } from 'vitest';
import type { ServerEvent, Session, Viewer } from '../../common/protocol.js';
import { grantOfAction, initialJoinState, onJoinEvent, resolvedRequest, type JoinState } from '../../main/electron/join-notify.js';

function session(over: Partial<Session> = {}): Session {
  return {
    id: 's1', name: 'build box', command: ['bash'], cwd: '/', pid: 1, status: 'running', exitCode: null,
    cols: 80, rows: 24, createdAt: '2026-01-01T00:00:00.000Z', lastOutputAt: null, viewers: 0, ...over,
  };
}
function viewer(over: Partial<Viewer> = {}): Viewer {
  return { id: 'v1', kind: 'share', shareId: 'sh1', label: null, mode: 'control', connectedAt: '2026-01-01T00:00:00.000Z', lastInputAt: null, requestId: null, ...over };
}

function run(state: JoinState, events: ServerEvent[]) {
  const notes = [];
  for (const e of events) {
    const r = onJoinEvent(state, e);
    state = r.state;
    if (r.notify) notes.push(r.notify);
  }
  return { state, notes };
}

describe('join notifications (exact viewer.joined)', () => {
  it('notifies for control-link joins only, with the link label', () => {
    const { notes } = run(initialJoinState([session()]), [
      { type: 'viewer.joined', sessionId: 's1', viewer: viewer({ mode: 'view' }) },
      { type: 'viewer.joined', sessionId: 's1', viewer: viewer({ kind: 'owner', shareId: null, mode: 'owner' }) },
      { type: 'viewer.joined', sessionId: 's1', viewer: viewer({ label: 'Alice' }) },
    ]);
    expect(notes).toEqual([{ title: 'Porthole: someone can type', body: 'Someone (Alice) joined “build box” with a control link.', sessionId: 's1' }]);
  });

  it('never guesses from viewer counts (a count going up is no notice)', () => {
    const { notes } = run(initialJoinState([session()]), [
      { type: 'share.created', share: { id: 'sh1', sessionId: 's1', mode: 'control', label: null, expiresAt: '2099-01-01T00:00:00.000Z', createdAt: 'x', maxViewers: null } },
      { type: 'session.updated', session: session({ viewers: 3 }) },
      { type: 'viewer.updated', sessionId: 's1', viewer: viewer() },
    ]);
    expect(notes).toEqual([]);
  });

  it('follows renames and forgets removed sessions', () => {
    const { state, notes } = run(initialJoinState([session()]), [
      { type: 'session.updated', session: session({ name: 'renamed' }) },
      { type: 'viewer.joined', sessionId: 's1', viewer: viewer() },
      { type: 'session.removed', sessionId: 's1' },
    ]);
    expect(notes[0].body).toContain('“renamed”');
    expect(state.names.has('s1')).toBe(false);
  });
});

describe('control request notifications', () => {
  it('offers Allow / Deny for a request and closes when it is resolved', () => {
    const { notes } = run(initialJoinState([session()]), [
      { type: 'control.requested', sessionId: 's1', requestId: 'r1', viewer: viewer({ mode: 'view', label: 'Bo' }) },
    ]);
    expect(notes).toEqual([{
      title: 'Porthole: control requested',
      body: 'Someone (Bo) watching “build box” asks to type.',
      sessionId: 's1',
      request: { requestId: 'r1', actions: ['Allow', 'Deny'] },
      closeOn: 'r1',
    }]);
    expect(grantOfAction(0)).toBe(true);
    expect(grantOfAction(1)).toBe(false);
    expect(grantOfAction(2)).toBeNull();
    expect(resolvedRequest({ type: 'control.resolved', sessionId: 's1', requestId: 'r1', outcome: 'lapsed' })).toBe('r1');
    expect(resolvedRequest({ type: 'session.removed', sessionId: 's1' })).toBeNull();
  });
});
