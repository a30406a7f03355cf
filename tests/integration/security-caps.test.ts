// Issue 8 point 8 (contract section 9): sessions, shares per session, event streams and sockets
// are capped (config.json maxSessions, maxSharesPerSession, maxEventStreams, maxSockets), each
// with a clear error and code; freeing one lets the next in. Small caps here; defaults in
// common/flow.ts DEFAULT_LIMITS (100, 1,000, 100, 10,000).
import { request } from 'node:http';
import { describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { DEFAULT_LIMITS } from '../../common/flow.js';
import { resolveServeOptions } from '../../main/server/config.js';
import { connectWs, startServer, type TestServer } from '../helpers/server.js';

function openStream(ts: TestServer): Promise<{ status: number; body: string; close(): void }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: ts.port, path: '/api/events', headers: { authorization: `Bearer ${ts.ownerToken}` }, agent: false }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => {
        body += c.toString();
        if (res.statusCode !== 200) return;
        resolve({ status: 200, body, close: () => req.destroy() });
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, close: () => req.destroy() }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('caps with clear errors', () => {
  it('sessions: 409 too_many_sessions past maxSessions; deleting one lets the next in', async () => {
    const ts = await startServer({ limits: { sessions: 2 } });
    const a = await ts.createSession();
    await ts.createSession();
    const r = await ts.json<{ error: { code: string; message: string } }>('/api/sessions', { body: { command: ['cat'] } });
    expect(r.status).toBe(409);
    expect(r.body.error.code).toBe('too_many_sessions');
    expect(r.body.error.message).toContain('maxSessions');
    expect((await ts.api(`/api/sessions/${a.id}`, { method: 'DELETE' })).status).toBe(204);
    expect((await ts.json('/api/sessions', { body: { command: ['cat'] } })).status).toBe(201);
  });

  it('shares: 409 too_many_shares past maxSharesPerSession; revoking one lets the next in', async () => {
    const ts = await startServer({ limits: { sharesPerSession: 2 } });
    const s = await ts.createSession();
    const first = await ts.json<{ id: string }>(`/api/sessions/${s.id}/shares`, { body: { mode: 'view' } });
    await ts.json(`/api/sessions/${s.id}/shares`, { body: { mode: 'view' } });
    const r = await ts.json<{ error: { code: string } }>(`/api/sessions/${s.id}/shares`, { body: { mode: 'view' } });
    expect(r.status).toBe(409);
    expect(r.body.error.code).toBe('too_many_shares');
    // Another session has its own allowance.
    const other = await ts.createSession();
    expect((await ts.json(`/api/sessions/${other.id}/shares`, { body: { mode: 'view' } })).status).toBe(201);
    expect((await ts.api(`/api/shares/${first.body.id}`, { method: 'DELETE' })).status).toBe(204);
    expect((await ts.json(`/api/sessions/${s.id}/shares`, { body: { mode: 'view' } })).status).toBe(201);
  });

  it('event streams: 429 too_many_streams past maxEventStreams, with Retry-After', async () => {
    const ts = await startServer({ limits: { eventStreams: 2 } });
    const a = await openStream(ts);
    const b = await openStream(ts);
    expect([a.status, b.status]).toEqual([200, 200]);
    const c = await ts.api('/api/events');
    expect(c.status).toBe(429);
    expect(((await c.json()) as { error: { code: string } }).error.code).toBe('too_many_streams');
    expect(c.headers.get('retry-after')).toBeTruthy();
    a.close();
    await new Promise((r) => setTimeout(r, 200));
    const d = await openStream(ts);
    expect(d.status).toBe(200);
    b.close();
    d.close();
  });

  it('sockets: HTTP 429 too_many_sockets before the upgrade past maxSockets', async () => {
    const ts = await startServer({ limits: { sockets: 2 } });
    const s = await ts.createSession();
    const one = connectWs(ts, s.id);
    const two = connectWs(ts, s.id, { token: null }); // unauthenticated sockets count too
    await one.waitForText('ready');
    await two.opened;
    const three = connectWs(ts, s.id);
    await expect(three.opened).rejects.toMatchObject({ status: 429 });
    one.ws.close();
    await one.closed;
    await new Promise((r) => setTimeout(r, 100));
    const four = connectWs(ts, s.id);
    await four.waitForText('ready');
    expect(four.ws.readyState).toBe(WebSocket.OPEN);
  });

  it('config.json keys set them; the defaults are the contract’s', async () => {
    expect(DEFAULT_LIMITS).toEqual({ sessions: 100, sharesPerSession: 1000, eventStreams: 100, sockets: 10_000 });
    const o = await resolveServeOptions({ flags: {}, env: {}, config: { maxSessions: 5, maxSharesPerSession: 6, maxEventStreams: 7, maxSockets: 8 }, dataDir: '/data' });
    expect(o.limits).toEqual({ sessions: 5, sharesPerSession: 6, eventStreams: 7, sockets: 8 });
    expect((await resolveServeOptions({ flags: {}, env: {}, config: {}, dataDir: '/data' })).limits).toBeUndefined();
  });
});
