import { describe, expect, it } from 'vitest';
import type { Session } from '../../common/protocol.js';
import { applySessionEvent, sameTemplate, sessionStatusText, trayTemplate, trayTooltip, TRAY_LABEL_MAX } from '../../main/electron/tray-menu.js';

function session(over: Partial<Session> = {}): Session {
  return {
    id: 's1',
    name: 'bash',
    command: ['/bin/bash'],
    cwd: '/home/u',
    pid: 100,
    status: 'running',
    exitCode: null,
    cols: 80,
    rows: 24,
    createdAt: '2026-01-01T00:00:00.000Z',
    lastOutputAt: null,
    viewers: 0,
    ...over,
  };
}

describe('trayTemplate', () => {
  it('with no sessions: a disabled line, then New session, Open Porthole, Quit', () => {
    expect(trayTemplate([])).toEqual([
      { label: 'No sessions', enabled: false },
      { type: 'separator' },
      { label: 'New session', action: { type: 'new-session' } },
      { label: 'Open Porthole', action: { type: 'open-app' } },
      { type: 'separator' },
      { label: 'Quit Porthole', action: { type: 'quit' } },
    ]);
  });

  it('lists a running session with status and viewers and its four actions', () => {
    const [item] = trayTemplate([session({ viewers: 2 })]);
    expect(item).toEqual({
      label: '● bash — running · 2 viewers',
      submenu: [
        { label: 'Open', action: { type: 'open-session', sessionId: 's1' } },
        { label: 'Copy view link', enabled: true, action: { type: 'copy-link', sessionId: 's1', mode: 'view' } },
        { label: 'Copy control link', enabled: true, action: { type: 'copy-link', sessionId: 's1', mode: 'control' } },
        { type: 'separator' },
        { label: 'End session', action: { type: 'end-session', sessionId: 's1' } },
      ],
    });
  });

  it('an exited session shows its code, cannot be shared, and can be removed', () => {
    const [item] = trayTemplate([session({ status: 'exited', exitCode: 3 })]);
    expect(item!.label).toBe('○ bash — exited (code 3)');
    const sub = item!.submenu!;
    expect(sub.find((i) => i.label === 'Copy view link')!.enabled).toBe(false);
    expect(sub.find((i) => i.label === 'Copy control link')!.enabled).toBe(false);
    expect(sub.at(-1)).toEqual({ label: 'Remove session', action: { type: 'remove-session', sessionId: 's1' } });
  });

  it('keeps the order given (newest first) and caps long lists', () => {
    const many = Array.from({ length: 5 }, (_, i) => session({ id: `s${i}`, name: `n${i}` }));
    const t = trayTemplate(many, { maxSessions: 3 });
    expect(t.slice(0, 3).map((i) => i.label!.split(' ')[1])).toEqual(['n0', 'n1', 'n2']);
    expect(t[3]).toEqual({ label: '…and 2 more (open Porthole)', enabled: false });
  });

  it('clips long or multi-line names', () => {
    const [item] = trayTemplate([session({ name: 'x'.repeat(100) + '\nmore' })]);
    const name = item!.label!.slice(2, item!.label!.indexOf(' — '));
    expect(name.length).toBe(TRAY_LABEL_MAX);
    expect(name.endsWith('…')).toBe(true);
  });

  it('returns plain data (JSON round-trips unchanged)', () => {
    const t = trayTemplate([session(), session({ id: 's2', status: 'exited', exitCode: 0 })]);
    expect(JSON.parse(JSON.stringify(t))).toEqual(t);
  });
});

describe('status and tooltip', () => {
  it('words status and counts', () => {
    expect(sessionStatusText(session({ viewers: 1 }))).toBe('running · 1 viewer');
    expect(sessionStatusText(session({ status: 'exited', exitCode: null }))).toBe('exited');
    expect(trayTooltip([])).toBe('Porthole: no running sessions');
    expect(trayTooltip([session({ viewers: 1 }), session({ id: 's2', viewers: 2 }), session({ id: 's3', status: 'exited' })])).toBe(
      'Porthole: 2 sessions, 3 viewers',
    );
  });
});

describe('applySessionEvent', () => {
  it('adds new sessions first, updates in place, removes', () => {
    let list: Session[] = [];
    list = applySessionEvent(list, { type: 'session.created', session: session({ id: 'a' }) });
    list = applySessionEvent(list, { type: 'session.created', session: session({ id: 'b' }) });
    expect(list.map((s) => s.id)).toEqual(['b', 'a']);
    list = applySessionEvent(list, { type: 'session.updated', session: session({ id: 'a', viewers: 4 }) });
    expect(list.find((s) => s.id === 'a')!.viewers).toBe(4);
    list = applySessionEvent(list, { type: 'session.exited', session: session({ id: 'b', status: 'exited', exitCode: 0 }) });
    expect(list[0]!.status).toBe('exited');
    list = applySessionEvent(list, { type: 'session.removed', sessionId: 'a' });
    expect(list.map((s) => s.id)).toEqual(['b']);
  });

  it('ignores share events and does not mutate its input', () => {
    const list = [session()];
    const share = { id: 'sh', sessionId: 's1', mode: 'view' as const, label: null, expiresAt: 'x', createdAt: 'y', maxViewers: null };
    const out = applySessionEvent(list, { type: 'share.created', share });
    expect(out).toEqual(list);
    expect(out).not.toBe(list);
  });

  it('an update for an unknown session adds it', () => {
    expect(applySessionEvent([], { type: 'session.updated', session: session({ id: 'z' }) }).map((s) => s.id)).toEqual(['z']);
  });
});

describe('sameTemplate', () => {
  it('is true for an output-only update (lastOutputAt is not shown) and false for a viewer change', () => {
    const a = trayTemplate([session()]);
    expect(sameTemplate(a, trayTemplate([session({ lastOutputAt: '2026-01-01T00:00:01.000Z' })]))).toBe(true);
    expect(sameTemplate(a, trayTemplate([session({ viewers: 1 })]))).toBe(false);
  });
});

describe('tray: watching now under each session', () => {
  const now = Date.parse('2026-01-01T12:00:00.000Z');
  const v = (over: Record<string, unknown> = {}) => ({
    id: 'v1', kind: 'share' as const, shareId: 'sh', label: 'Alice', mode: 'view' as const,
    connectedAt: '2026-01-01T11:55:00.000Z', lastInputAt: null, requestId: null, ...over,
  });

  it('lists each socket with its label, mode, since when and whether it typed', async () => {
    const { watchingItems } = await import('../../main/electron/tray-menu.js');
    const items = watchingItems('s1', [v(), v({ id: 'v2', kind: 'owner', shareId: null, label: null, mode: 'owner', lastInputAt: '2026-01-01T11:59:30.000Z' })], now);
    expect(items.map((i) => i.label)).toEqual(['Watching now', '  Alice · view · since 5 min', '  You (owner) · owner · since 5 min · typing', undefined]);
    expect(watchingItems('s1', [], now)).toEqual([]);
  });

  it('offers Allow / Deny for a pending request and Take back for a grant', async () => {
    const { watchingItems } = await import('../../main/electron/tray-menu.js');
    const asking = watchingItems('s1', [v({ requestId: 'r1' })], now).filter((i) => i.action);
    expect(asking.map((i) => i.action)).toEqual([
      { type: 'answer-control', sessionId: 's1', requestId: 'r1', grant: true },
      { type: 'answer-control', sessionId: 's1', requestId: 'r1', grant: false },
    ]);
    const granted = watchingItems('s1', [v({ requestId: 'r1', mode: 'control' })], now).filter((i) => i.action);
    expect(granted.map((i) => i.action)).toEqual([{ type: 'take-back', sessionId: 's1', requestId: 'r1' }]);
  });

  it('follows viewer events', async () => {
    const { applyViewerEvent } = await import('../../main/electron/tray-menu.js');
    let m = applyViewerEvent(new Map(), { type: 'viewer.joined', sessionId: 's1', viewer: v() });
    m = applyViewerEvent(m, { type: 'viewer.updated', sessionId: 's1', viewer: v({ mode: 'control' }) });
    expect(m.get('s1')?.[0].mode).toBe('control');
    m = applyViewerEvent(m, { type: 'viewer.left', sessionId: 's1', viewer: v() });
    expect(m.has('s1')).toBe(false);
  });
});
