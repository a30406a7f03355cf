// Contract section 8 against a real server, real PTYs and real ws clients: the viewer cap,
// presence, control on request, replay after the end. Input is checked where it lands: in the
// session's screen (the snapshot), never just in what the server said.
import { tmpdir } from 'node:os';
import { describe, expect, it } from 'vitest';
import { CLOSE } from '../../common/errors.js';
import type { CreateShareResponse, ServerEvent, ShareListItem, Viewer } from '../../common/protocol.js';
import { connectWs, sleep, startServer, type TestServer, type TestSocket } from '../helpers/server.js';

async function share(ts: TestServer, id: string, body: Record<string, unknown>): Promise<CreateShareResponse> {
  const r = await ts.json<CreateShareResponse>(`/api/sessions/${id}/shares`, { body });
  expect(r.status).toBe(201);
  return r.body;
}

function recordEvents(ts: TestServer): ServerEvent[] {
  const events: ServerEvent[] = [];
  const off = ts.server.onEvent((e) => events.push(e));
  cleanupsLocal.push(off);
  return events;
}
const cleanupsLocal: Array<() => void> = [];

async function snapshot(ts: TestServer, id: string): Promise<string> {
  return (await ts.api(`/api/sessions/${id}/snapshot`)).text();
}

async function viewers(ts: TestServer, id: string): Promise<Viewer[]> {
  const r = await ts.json<Viewer[]>(`/api/sessions/${id}/viewers`);
  expect(r.status).toBe(200);
  return r.body;
}

async function errorCode(sock: TestSocket, code: string): Promise<void> {
  await sock.waitFor(() => sock.texts.some((m) => m.type === 'error' && m.code === code), `error ${code}`);
}

describe('viewer cap (maxViewers, 4429)', () => {
  it('closes one socket too many with 4429 right after auth, and a freed slot can be used again', async () => {
    const ts = await startServer();
    const s = await ts.createSession();
    const link = await share(ts, s.id, { mode: 'view', maxViewers: 2, label: 'pair' });
    expect(link.maxViewers).toBe(2);
    const a = connectWs(ts, s.id, { token: link.token });
    const b = connectWs(ts, s.id, { token: link.token });
    await a.waitForText('ready');
    await b.waitForText('ready');
    const c = connectWs(ts, s.id, { token: link.token });
    const closed = await c.closed;
    expect(closed.code).toBe(CLOSE.linkFull);
    expect(c.texts.some((m) => m.type === 'ready')).toBe(false);
    // The owner and other links are not counted against this one.
    const owner = connectWs(ts, s.id);
    await owner.waitForText('ready');
    const list = (await ts.json<ShareListItem[]>(`/api/sessions/${s.id}/shares`)).body;
    expect(list[0]).toMatchObject({ id: link.id, maxViewers: 2, viewers: 2 });

    a.ws.close();
    await a.closed;
    await expect.poll(async () => (await ts.json<ShareListItem[]>(`/api/sessions/${s.id}/shares`)).body[0].viewers).toBe(1);
    const d = connectWs(ts, s.id, { token: link.token });
    await d.waitForText('ready');
    expect(d.closeInfo).toBeUndefined();
  });

  it('lists maxViewers null for a link without a cap, and refuses a cap outside 1..1000', async () => {
    const ts = await startServer();
    const s = await ts.createSession();
    await share(ts, s.id, { mode: 'control' });
    const list = (await ts.json<ShareListItem[]>(`/api/sessions/${s.id}/shares`)).body;
    expect(list[0]).toMatchObject({ maxViewers: null, viewers: 0 });
    for (const maxViewers of [0, 1001, 1.5]) {
      expect((await ts.json(`/api/sessions/${s.id}/shares`, { body: { mode: 'view', maxViewers } })).status).toBe(400);
    }
  });
});

describe('presence', () => {
  it('lists one entry per open socket and publishes viewer.joined / viewer.left', async () => {
    const ts = await startServer();
    const events = recordEvents(ts);
    const s = await ts.createSession();
    const link = await share(ts, s.id, { mode: 'view', label: 'Alice' });
    const owner = connectWs(ts, s.id);
    await owner.waitForText('ready');
    const alice = connectWs(ts, s.id, { token: link.token });
    await alice.waitForText('ready');

    const list = await viewers(ts, s.id);
    expect(list).toHaveLength(2);
    const [o, v] = list;
    expect(o).toMatchObject({ kind: 'owner', shareId: null, label: null, mode: 'owner', lastInputAt: null });
    expect(v).toMatchObject({ kind: 'share', shareId: link.id, label: 'Alice', mode: 'view', lastInputAt: null });
    expect(Date.parse(v.connectedAt)).toBeGreaterThan(Date.now() - 60_000);
    expect(o.id).not.toBe(v.id);

    const joined = events.filter((e) => e.type === 'viewer.joined');
    expect(joined.map((e) => e.type === 'viewer.joined' && e.viewer.id)).toEqual([o.id, v.id]);
    expect(joined.every((e) => e.type === 'viewer.joined' && e.sessionId === s.id)).toBe(true);

    // Input delivered from the owner's socket stamps lastInputAt.
    owner.ws.send(Buffer.from('typed\n'));
    await expect.poll(async () => (await viewers(ts, s.id)).find((x) => x.id === o.id)?.lastInputAt ?? null).not.toBeNull();

    alice.ws.close();
    await expect.poll(() => events.some((e) => e.type === 'viewer.left' && e.viewer.id === v.id)).toBe(true);
    expect((await viewers(ts, s.id)).map((x) => x.id)).toEqual([o.id]);
  });

  it('is owner-only', async () => {
    const ts = await startServer();
    const s = await ts.createSession();
    const link = await share(ts, s.id, { mode: 'control' });
    expect((await ts.json(`/api/sessions/${s.id}/viewers`, { token: link.token })).status).toBe(403);
    expect((await ts.json(`/api/sessions/${s.id}/viewers`, { token: null })).status).toBe(401);
    expect((await ts.json(`/api/sessions/nope-nope-nope-nope/viewers`)).status).toBe(404);
  });
});

describe('request control', () => {
  async function setup() {
    const ts = await startServer();
    const events = recordEvents(ts);
    const s = await ts.createSession({ command: ['cat'], cwd: tmpdir() });
    const link = await share(ts, s.id, { mode: 'view', label: 'Bob' });
    const owner = connectWs(ts, s.id);
    await owner.waitForText('ready');
    const bob = connectWs(ts, s.id, { token: link.token });
    await bob.waitForText('ready');
    return { ts, events, s, link, owner, bob };
  }

  async function ask(owner: TestSocket, bob: TestSocket): Promise<string> {
    const before = owner.texts.filter((m) => m.type === 'control_requested').length;
    bob.sendJson({ type: 'request_control' });
    const msg = await owner.waitFor(() => owner.texts.filter((m) => m.type === 'control_requested')[before], 'control_requested');
    if (msg.type !== 'control_requested') throw new Error('unreachable');
    return msg.requestId;
  }

  it('grant delivers the viewer\'s input; taking it back refuses it again', async () => {
    const { ts, events, s, owner, bob } = await setup();
    bob.ws.send(Buffer.from('refused-before\n'));
    await errorCode(bob, 'read_only');

    const requestId = await ask(owner, bob);
    const req = owner.texts.find((m) => m.type === 'control_requested');
    expect(req).toMatchObject({ requestId, viewer: { label: 'Bob', mode: 'view', kind: 'share' } });
    expect(events).toContainEqual(expect.objectContaining({ type: 'control.requested', sessionId: s.id, requestId }));
    expect((await viewers(ts, s.id)).find((v) => v.kind === 'share')?.requestId).toBe(requestId);

    const r = await ts.api(`/api/sessions/${s.id}/control-requests/${requestId}`, { body: { grant: true } });
    expect(r.status).toBe(204);
    await bob.waitFor(() => bob.texts.some((m) => m.type === 'mode' && m.mode === 'control'), 'mode control');
    expect((await viewers(ts, s.id)).find((v) => v.kind === 'share')?.mode).toBe('control');
    bob.ws.send(Buffer.from('granted-typing\n'));
    await expect.poll(() => snapshot(ts, s.id)).toContain('granted-typing');
    // A socket that may type does not need to ask.
    bob.sendJson({ type: 'request_control' });
    await errorCode(bob, 'not_needed');
    // Answering again: the request is no longer pending.
    expect((await ts.api(`/api/sessions/${s.id}/control-requests/${requestId}`, { body: { grant: true } })).status).toBe(404);

    expect((await ts.api(`/api/sessions/${s.id}/control-requests/${requestId}`, { method: 'DELETE' })).status).toBe(204);
    await bob.waitFor(() => bob.texts.some((m) => m.type === 'mode' && m.mode === 'view'), 'mode view');
    const errorsBefore = bob.texts.filter((m) => m.type === 'error' && m.code === 'read_only').length;
    bob.ws.send(Buffer.from('refused-after\n'));
    await bob.waitFor(() => bob.texts.filter((m) => m.type === 'error' && m.code === 'read_only').length > errorsBefore, 'read_only again');
    owner.ws.send(Buffer.from('owner-marker\n'));
    await expect.poll(() => snapshot(ts, s.id)).toContain('owner-marker');
    const screen = await snapshot(ts, s.id);
    expect(screen).not.toContain('refused-before');
    expect(screen).not.toContain('refused-after');
    expect((await ts.api(`/api/sessions/${s.id}/control-requests/${requestId}`, { method: 'DELETE' })).status).toBe(404);
  });

  it('deny sends control_denied; one pending request per socket; owner and control sockets get not_needed', async () => {
    const { ts, s, owner, bob, events } = await setup();
    const requestId = await ask(owner, bob);
    bob.sendJson({ type: 'request_control' });
    await errorCode(bob, 'request_pending');
    expect(owner.texts.filter((m) => m.type === 'control_requested')).toHaveLength(1);
    expect((await ts.api(`/api/sessions/${s.id}/control-requests/${requestId}`, { body: { grant: false } })).status).toBe(204);
    await bob.waitForText('control_denied');
    expect(events).toContainEqual(expect.objectContaining({ type: 'control.resolved', requestId, outcome: 'denied' }));
    bob.ws.send(Buffer.from('still-refused\n'));
    await errorCode(bob, 'read_only');
    // After an answer the socket may ask again.
    const again = await ask(owner, bob);
    expect(again).not.toBe(requestId);

    owner.sendJson({ type: 'request_control' });
    await errorCode(owner, 'not_needed');
    const ctl = await share(ts, s.id, { mode: 'control' });
    const carol = connectWs(ts, s.id, { token: ctl.token });
    await carol.waitForText('ready');
    carol.sendJson({ type: 'request_control' });
    await errorCode(carol, 'not_needed');
    // A malformed answer is a 400, an unknown request a 404, a share token a 403.
    expect((await ts.api(`/api/sessions/${s.id}/control-requests/${again}`, { body: { grant: 'yes' } })).status).toBe(400);
    expect((await ts.api(`/api/sessions/${s.id}/control-requests/AAAAAAAAAAAAAAAAAAAAAA`, { body: { grant: true } })).status).toBe(404);
    expect((await ts.api(`/api/sessions/${s.id}/control-requests/${again}`, { body: { grant: true }, token: ctl.token })).status).toBe(403);
  });

  it('revoking the share while granted ends the grant with the socket', async () => {
    const { ts, s, owner, bob, link, events } = await setup();
    const requestId = await ask(owner, bob);
    await ts.api(`/api/sessions/${s.id}/control-requests/${requestId}`, { body: { grant: true } });
    await bob.waitFor(() => bob.texts.some((m) => m.type === 'mode'), 'mode');
    bob.ws.send(Buffer.from('while-granted\n'));
    await expect.poll(() => snapshot(ts, s.id)).toContain('while-granted');
    expect((await ts.api(`/api/shares/${link.id}`, { method: 'DELETE' })).status).toBe(204);
    expect((await bob.closed).code).toBe(CLOSE.forbidden);
    await expect.poll(async () => (await viewers(ts, s.id)).length).toBe(1);
    expect((await ts.api(`/api/sessions/${s.id}/control-requests/${requestId}`, { method: 'DELETE' })).status).toBe(404);
    expect(events.some((e) => e.type === 'viewer.left' && e.viewer.shareId === link.id)).toBe(true);
  });

  it('a pending request is withdrawn when its socket leaves', async () => {
    const { ts, s, owner, bob, events } = await setup();
    const requestId = await ask(owner, bob);
    bob.ws.close();
    await owner.waitFor(() => owner.texts.some((m) => m.type === 'control_resolved' && m.outcome === 'withdrawn'), 'withdrawn');
    expect(events).toContainEqual(expect.objectContaining({ type: 'control.resolved', requestId, outcome: 'withdrawn' }));
    expect((await ts.api(`/api/sessions/${s.id}/control-requests/${requestId}`, { body: { grant: true } })).status).toBe(404);
  });

  it('a flood of requests is rate-limited like any other message', async () => {
    const { bob } = await setup();
    for (let i = 0; i < 2100; i++) bob.sendJson({ type: 'request_control' });
    expect((await bob.closed).code).toBe(CLOSE.policy);
  });
});

describe('replay after the end', () => {
  it('a share token may fetch the recording once the session exited, not while it runs', async () => {
    const ts = await startServer();
    const s = await ts.createSession({ command: ['sh', '-c', 'echo replay-me; read x'] });
    const link = await share(ts, s.id, { mode: 'view' });
    await expect.poll(() => snapshot(ts, s.id)).toContain('replay-me');
    const running = await ts.json<{ error: { code: string } }>(`/api/sessions/${s.id}/recording`, { token: link.token });
    expect(running.status).toBe(403);
    expect(running.body.error.code).toBe('session_running');
    expect((await ts.api(`/api/sessions/${s.id}/recording`)).status).toBe(200); // the owner may

    await ts.api(`/api/sessions/${s.id}/input`, { body: { data: '\n' } });
    await expect.poll(async () => (await ts.json<{ status: string }>(`/api/sessions/${s.id}`)).body.status).toBe('exited');
    const res = await ts.api(`/api/sessions/${s.id}/recording`, { token: link.token });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('application/x-asciicast');
    const cast = await res.text();
    expect(JSON.parse(cast.split('\n')[0])).toMatchObject({ version: 2 });
    expect(cast).toContain('replay-me');

    // Another session's link may not, and a revoked link may not.
    const other = await ts.createSession({ command: ['true'] });
    await expect.poll(async () => (await ts.json<{ status: string }>(`/api/sessions/${other.id}`)).body.status).toBe('exited');
    expect((await ts.api(`/api/sessions/${other.id}/recording`, { token: link.token })).status).toBe(403);
    await ts.api(`/api/shares/${link.id}`, { method: 'DELETE' });
    expect((await ts.api(`/api/sessions/${s.id}/recording`, { token: link.token })).status).toBe(401);
  });
});

// Not a test: keeps the local listeners from outliving the file.
import { afterEach } from 'vitest';
afterEach(() => {
  for (const off of cleanupsLocal.splice(0)) off();
});
void sleep;
