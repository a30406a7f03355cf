// Issue 8 points 3, 4 and 9a: an event stream ends with its token (logout, revocation,
// expiry: within 1 s, like sockets); a share token cannot log out (that revoked the link for
// every viewer); a token whose exp no Date can print is a 401, not a 500.
import { request, type IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import jwt from 'jsonwebtoken';
import { ownerClaims } from '../helpers/tokens.js';
import { connectWs, sleep, startServer, type TestServer } from '../helpers/server.js';

interface Stream {
  /** Every byte received so far. */
  text(): string;
  /** Resolves with the time the server ended the stream. */
  ended: Promise<number>;
  status: number;
  destroy(): void;
}

function openEvents(ts: TestServer, token: string | null): Promise<Stream> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = token ? { authorization: `Bearer ${token}` } : {};
    const req = request({ host: '127.0.0.1', port: ts.port, path: '/api/events', headers, agent: false }, (res: IncomingMessage) => {
      let text = '';
      res.on('data', (c: Buffer) => (text += c.toString()));
      const ended = new Promise<number>((r) => {
        res.on('end', () => r(Date.now()));
        res.on('close', () => r(Date.now()));
      });
      resolve({ text: () => text, ended, status: res.statusCode ?? 0, destroy: () => req.destroy() });
    });
    req.on('error', reject);
    req.end();
  });
}

/** Resolves true if the stream ended within `ms`, false if it was still open then. */
async function endsWithin(s: Stream, ms: number): Promise<boolean> {
  return Promise.race([s.ended.then(() => true), sleep(ms).then(() => false)]);
}

describe('/api/events ends with its token', () => {
  it('logout: the stream opened with that token closes within 1 s; another token’s stream stays', async () => {
    const ts = await startServer();
    const mine = ts.server.mintOwnerToken().token;
    const stream = await openEvents(ts, mine);
    const other = await openEvents(ts, ts.ownerToken);
    expect(stream.status).toBe(200);
    await ts.createSession(); // the stream delivers events meanwhile
    await sleep(100);
    expect(stream.text()).toContain('session.created');
    const t0 = Date.now();
    expect((await ts.api('/api/auth/logout', { method: 'POST', token: mine })).status).toBe(204);
    expect(await endsWithin(stream, 1000)).toBe(true);
    expect((await stream.ended) - t0).toBeLessThan(1000);
    // Nothing more reaches it after the logout; the other owner's stream is still live.
    const before = stream.text();
    await ts.createSession();
    await sleep(100);
    expect(stream.text()).toBe(before);
    expect(other.text()).toMatch(/session\.created[\s\S]*session\.created/);
    expect(await endsWithin(other, 50)).toBe(false);
    other.destroy();
  });

  it('expiry: a stream whose token expires closes within 1 s of exp', async () => {
    const ts = await startServer();
    const { token, expiresAt } = ts.server.mintOwnerToken(2);
    const stream = await openEvents(ts, token);
    expect(stream.status).toBe(200);
    const exp = Date.parse(expiresAt);
    expect(await endsWithin(stream, exp - Date.now() + 1000)).toBe(true);
    expect((await stream.ended) - exp).toBeLessThan(1000);
    expect(stream.text()).toContain('token expired');
  });

  it('revocation by another path (the token store): closes within 1 s', async () => {
    const ts = await startServer();
    const minted = ts.server.tokens.mintOwner();
    const stream = await openEvents(ts, minted.token);
    await sleep(50);
    const t0 = Date.now();
    void ts.server.tokens.revoke(minted.claims.jti, minted.claims.exp);
    expect(await endsWithin(stream, 1000)).toBe(true);
    expect((await stream.ended) - t0).toBeLessThan(1000);
  });

  it('--no-auth: a stream has no token to end and stays open through a logout', async () => {
    const ts = await startServer({ auth: false });
    const stream = await openEvents(ts, null);
    expect(stream.status).toBe(200);
    expect((await ts.api('/api/auth/logout', { method: 'POST', token: null })).status).toBe(204);
    expect(await endsWithin(stream, 600)).toBe(false);
    stream.destroy();
  });
});

describe('a share token cannot log out', () => {
  it('POST /api/auth/logout with a share token: 403, the link keeps working for everyone, the owner still lists it', async () => {
    const ts = await startServer();
    const s = await ts.createSession();
    const share = await ts.json<{ id: string; token: string }>(`/api/sessions/${s.id}/shares`, { body: { mode: 'view' } });
    expect(share.status).toBe(201);
    const viewer = connectWs(ts, s.id, { token: share.body.token });
    await viewer.waitForText('ready');
    const events: string[] = [];
    const off = ts.server.onEvent((e) => events.push(e.type));

    const r = await ts.json<{ error: { code: string } }>('/api/auth/logout', { method: 'POST', token: share.body.token });
    expect(r.status).toBe(403);
    expect(r.body.error.code).toBe('forbidden');

    await sleep(300);
    off();
    expect(events).not.toContain('share.revoked');
    expect(viewer.closeInfo).toBeUndefined();
    expect((await ts.api(`/api/sessions/${s.id}`, { token: share.body.token })).status).toBe(200);
    const list = await ts.json<Array<{ id: string }>>(`/api/sessions/${s.id}/shares`);
    expect(list.body.map((x) => x.id)).toContain(share.body.id);
  });
});

describe('impossible token times', () => {
  it('exp 9e15 (no Date can print it) is 401 invalid_token, never 500', async () => {
    const ts = await startServer();
    const { readFileSync } = await import('node:fs');
    const secret = readFileSync(`${ts.dataDir}/secret`);
    for (const exp of [9e15, 1e300]) {
      // Signed with the real secret (as a same-user process could), iat kept in the payload.
      const token = jwt.sign(ownerClaims({ exp }), secret, { algorithm: 'HS256' });
      for (const path of ['/api/auth/me', '/api/sessions', '/api/events', '/api/auth/logout']) {
        const init = path === '/api/auth/logout' ? { method: 'POST', token } : { token };
        const r = await ts.json<{ error: { code: string } }>(path, init);
        expect(r.status, `${path} exp=${exp}`).toBe(401);
        expect(r.body.error.code).toBe('invalid_token');
      }
    }
  });
});
