// Contract section 4 with a real PTY and a real `ws` client: auth, ready + redraw, input,
// view-only, origin, oversize frames, floods, bad messages, revocation and logout.
import { describe, expect, it } from 'vitest';
import { CLOSE, closeReasonCode } from '../../common/errors.js';
import { WS_MAX_PAYLOAD_BYTES, WS_RATE_MAX_MESSAGES } from '../../common/flow.js';
import { PROTOCOL_VERSION, type CreateShareResponse, type Session } from '../../common/protocol.js';
import { connectWs, startServer, type TestServer } from '../helpers/server.js';
import { expiredOwnerToken } from '../helpers/tokens.js';

async function share(ts: TestServer, id: string, mode: 'view' | 'control'): Promise<CreateShareResponse> {
  return (await ts.json<CreateShareResponse>(`/api/sessions/${id}/shares`, { body: { mode } })).body;
}

async function stillServing(ts: TestServer, other: Session): Promise<void> {
  expect((await ts.json('/health')).status).toBe(200);
  expect((await ts.json<Session>(`/api/sessions/${other.id}`)).body.status).toBe('running');
}

describe('WebSocket protocol', () => {
  it('authenticates with the first message, sends ready, redraw, then echoes input', async () => {
    const ts = await startServer();
    const s = await ts.createSession();
    await ts.api(`/api/sessions/${s.id}/input`, { body: { data: 'before-attach\n' } });
    const sock = connectWs(ts, s.id);
    const ready = await sock.waitForText('ready');
    expect(ready.mode).toBe('owner');
    expect(ready.session.id).toBe(s.id);
    expect(ready.protocol).toBe(PROTOCOL_VERSION);
    expect(Array.isArray(ready.features)).toBe(true);
    expect(sock.texts[0].type).toBe('ready');
    await sock.waitForOutput('before-attach'); // the redraw carries earlier output
    sock.ws.send(Buffer.from('live-typing\n'));
    await sock.waitForOutput('live-typing');
    sock.sendJson({ type: 'ping' });
    await sock.waitForText('pong');
    sock.sendJson({ type: 'resize', cols: 100, rows: 30 });
    await expect.poll(async () => (await ts.json<Session>(`/api/sessions/${s.id}`)).body.cols).toBe(100);
  });

  it('accepts an Authorization header on the upgrade', async () => {
    const ts = await startServer();
    const s = await ts.createSession();
    const sock = connectWs(ts, s.id, { headerToken: ts.ownerToken });
    expect((await sock.waitForText('ready')).mode).toBe('owner');
  });

  it('closes 4401 for bad tokens, 4403 for another session, 4404 for no session', async () => {
    const ts = await startServer();
    const a = await ts.createSession();
    const b = await ts.createSession();
    expect((await connectWs(ts, a.id, { token: 'garbage' }).closed).code).toBe(CLOSE.unauthenticated);
    expect((await connectWs(ts, a.id, { token: expiredOwnerToken(ts.server.dataDir.secret) }).closed).code).toBe(CLOSE.unauthenticated);
    expect((await connectWs(ts, a.id, { headerToken: 'garbage.x.y' }).closed).code).toBe(CLOSE.unauthenticated);
    const viewB = await share(ts, b.id, 'view');
    expect((await connectWs(ts, a.id, { token: viewB.token }).closed).code).toBe(CLOSE.forbidden);
    expect((await connectWs(ts, 'AAAAAAAAAAAAAAAAAAAAAA').closed).code).toBe(CLOSE.noSession);
    await stillServing(ts, a);
  });

  it('closes 4401 when no auth arrives within 5 s', async () => {
    const ts = await startServer();
    const s = await ts.createSession();
    const sock = connectWs(ts, s.id, { token: null });
    await sock.opened;
    const t0 = Date.now();
    const closed = await sock.closed;
    expect(closed.code).toBe(CLOSE.unauthenticated);
    expect(closed.at - t0).toBeGreaterThan(4000);
    await stillServing(ts, s);
  }, 15_000);

  it('refuses a foreign Origin during the handshake with 403', async () => {
    const ts = await startServer({ allowOrigins: ['https://allowed.example'] });
    const s = await ts.createSession();
    const evil = connectWs(ts, s.id, { origin: 'https://evil.example' });
    await expect(evil.opened).rejects.toMatchObject({ status: 403 });
    const same = connectWs(ts, s.id, { origin: ts.url });
    await same.waitForText('ready');
    const allowed = connectWs(ts, s.id, { origin: 'https://allowed.example' });
    await allowed.waitForText('ready');
    const localhost = connectWs(ts, s.id, { origin: `http://localhost:${ts.port}` });
    await localhost.waitForText('ready');
    await stillServing(ts, s);
  });

  it('does not deliver input from a view link and says read_only', async () => {
    const ts = await startServer();
    const s = await ts.createSession();
    const view = await share(ts, s.id, 'view');
    const viewer = connectWs(ts, s.id, { token: view.token });
    expect((await viewer.waitForText('ready')).mode).toBe('view');
    viewer.ws.send(Buffer.from('sneaky-input\n'));
    const err = await viewer.waitForText('error');
    expect(err.code).toBe('read_only');
    viewer.sendJson({ type: 'resize', cols: 50, rows: 10 });
    await viewer.waitFor(() => viewer.texts.find((m) => m.type === 'error' && m.code === 'forbidden'), 'forbidden');
    // the owner's input still arrives, and the view input never did
    const owner = connectWs(ts, s.id);
    await owner.waitForText('ready');
    owner.ws.send(Buffer.from('owner-input\n'));
    await viewer.waitForOutput('owner-input');
    expect(viewer.outputText).not.toContain('sneaky-input');
    expect(viewer.closeInfo).toBeUndefined();
    // control links may type
    const control = connectWs(ts, s.id, { token: (await share(ts, s.id, 'control')).token });
    expect((await control.waitForText('ready')).mode).toBe('control');
    control.ws.send(Buffer.from('control-input\n'));
    await viewer.waitForOutput('control-input');
  });

  it('answers invalid_message to non-JSON text and unknown types, and keeps the socket', async () => {
    const ts = await startServer();
    const s = await ts.createSession();
    const sock = connectWs(ts, s.id);
    await sock.waitForText('ready');
    sock.ws.send('this is not json');
    await sock.waitFor(() => sock.texts.filter((m) => m.type === 'error' && m.code === 'invalid_message').length === 1, 'first error');
    sock.sendJson({ type: 'launch-missiles' });
    await sock.waitFor(() => sock.texts.filter((m) => m.type === 'error' && m.code === 'invalid_message').length === 2, 'second error');
    sock.sendJson({ type: 'resize', cols: 'wide', rows: 5 });
    await sock.waitFor(() => sock.texts.filter((m) => m.type === 'error' && m.code === 'invalid_message').length === 3, 'third error');
    sock.sendJson({ type: 'ping' });
    await sock.waitForText('pong');
    expect(sock.closeInfo).toBeUndefined();
  });

  it('closes 1009 on an oversize frame and 1008 on a message flood', async () => {
    const ts = await startServer();
    const s = await ts.createSession();
    const big = connectWs(ts, s.id);
    await big.waitForText('ready');
    big.ws.send(Buffer.alloc(WS_MAX_PAYLOAD_BYTES + 1, 0x61));
    expect((await big.closed).code).toBe(CLOSE.tooBig);

    const flood = connectWs(ts, s.id);
    await flood.waitForText('ready');
    for (let i = 0; i < WS_RATE_MAX_MESSAGES + 50; i++) flood.ws.send('{"type":"ping"}');
    expect((await flood.closed).code).toBe(CLOSE.policy);
    await stillServing(ts, s);
    const after = connectWs(ts, s.id);
    await after.waitForText('ready');
  });

  it('closes a revoked share socket within 1 s, and a logged-out token socket too', async () => {
    const ts = await startServer();
    const s = await ts.createSession();
    const view = await share(ts, s.id, 'view');
    const viewer = connectWs(ts, s.id, { token: view.token });
    await viewer.waitForText('ready');
    const t0 = Date.now();
    expect((await ts.api(`/api/shares/${view.id}`, { method: 'DELETE' })).status).toBe(204);
    const closed = await viewer.closed;
    expect(closed.code).toBe(CLOSE.forbidden);
    expect(closed.at - t0).toBeLessThan(1000);

    const token = ts.server.mintOwnerToken().token;
    const owner = connectWs(ts, s.id, { token });
    await owner.waitForText('ready');
    expect((await ts.api('/api/auth/logout', { token, method: 'POST' })).status).toBe(204);
    const loggedOut = await owner.closed;
    expect(loggedOut.code).toBe(CLOSE.forbidden);
    expect(closeReasonCode(loggedOut.reason)).toBe('token_revoked');
    expect(closeReasonCode(closed.reason)).toBe('token_revoked');
    expect((await connectWs(ts, s.id, { token }).closed).code).toBe(CLOSE.unauthenticated);
  });

  it('closes an open share socket at the share expiry with 4403 and the typed reason token_expired', async () => {
    const ts = await startServer();
    const s = await ts.createSession();
    const { token } = (await ts.json<CreateShareResponse>(`/api/sessions/${s.id}/shares`, { body: { mode: 'view', expiresIn: 2 } })).body;
    const sock = connectWs(ts, s.id, { token });
    await sock.waitForText('ready');
    const closed = await sock.closed;
    expect(closed.code).toBe(CLOSE.forbidden);
    expect(closeReasonCode(closed.reason)).toBe('token_expired');
    // Opened again with the expired link: refused at auth, still saying why in a typed way.
    const again = await connectWs(ts, s.id, { token }).closed;
    expect(closeReasonCode(again.reason)).toBe('token_expired');
  });

  it('closes at token expiry with 4403', async () => {
    const ts = await startServer();
    const s = await ts.createSession();
    const short = ts.server.mintOwnerToken(2).token;
    const sock = connectWs(ts, s.id, { token: short });
    await sock.waitForText('ready');
    expect((await sock.closed).code).toBe(CLOSE.forbidden);
  });

  it('sends exit and closes 1000 when the session ends', async () => {
    const ts = await startServer();
    const s = await ts.createSession({ command: ['sh', '-c', 'read x; exit 7'] });
    const sock = connectWs(ts, s.id);
    await sock.waitForText('ready');
    sock.ws.send(Buffer.from('go\n'));
    const closed = await sock.closed;
    expect(closed.code).toBe(CLOSE.normal);
    // The exit message comes before the close, always: its loss is a failure, not a skip.
    expect(sock.texts.filter((m) => m.type === 'exit')).toEqual([{ type: 'exit', exitCode: 7 }]);
  });

  it('refuses unknown upgrade paths', async () => {
    const ts = await startServer();
    const sock = connectWs(ts, 'x', { path: '/api/nope/ws' });
    await expect(sock.opened).rejects.toMatchObject({ status: 404 });
  });
});
