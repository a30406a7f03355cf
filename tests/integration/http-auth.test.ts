// Contract section 2 over HTTP: which tokens are 401, which are 403, login and its limit,
// logout that survives a restart, and --no-auth.
import { describe, expect, it } from 'vitest';
import type { CreateShareResponse, MeResponse, Session } from '../../common/protocol.js';
import { hashPassword } from '../../main/server/auth/passwords.js';
import { DataDir } from '../../main/server/datadir.js';
import { makeTempDir, startServer } from '../helpers/server.js';
import { algNoneToken, expiredOwnerToken, otherSecretToken } from '../helpers/tokens.js';

type Err = { error: { code: string; message: string } };

describe('HTTP auth', () => {
  it('rejects missing, garbage, expired, alg none and foreign-secret tokens with 401', async () => {
    const ts = await startServer();
    const secret = ts.server.dataDir.secret;
    const cases: Array<[string | null, string]> = [
      [null, 'unauthorized'],
      ['garbage', 'invalid_token'],
      ['a.b.c', 'invalid_token'],
      [expiredOwnerToken(secret), 'token_expired'],
      [algNoneToken(), 'invalid_token'],
      [otherSecretToken(), 'invalid_token'],
    ];
    for (const [token, code] of cases) {
      const r = await ts.json<Err>('/api/sessions', { token });
      expect(r.status, String(code)).toBe(401);
      expect(r.body.error.code).toBe(code);
    }
    const malformedHeader = await ts.api('/api/sessions', { token: null, headers: { authorization: 'Basic Zm9vOmJhcg==' } });
    expect(malformedHeader.status).toBe(401);
    expect((await ts.json('/health')).status).toBe(200);
  });

  it('lets a share token reach only its own session, read-only unless control', async () => {
    const ts = await startServer();
    const a = await ts.createSession();
    const b = await ts.createSession();
    const view = (await ts.json<CreateShareResponse>(`/api/sessions/${a.id}/shares`, { body: { mode: 'view' } })).body;
    const control = (await ts.json<CreateShareResponse>(`/api/sessions/${a.id}/shares`, { body: { mode: 'control' } })).body;

    expect((await ts.json<Session>(`/api/sessions/${a.id}`, { token: view.token })).status).toBe(200);
    expect((await ts.api(`/api/sessions/${a.id}/snapshot`, { token: view.token })).status).toBe(200);
    // another session
    const other = await ts.json<Err>(`/api/sessions/${b.id}`, { token: view.token });
    expect(other.status).toBe(403);
    expect(other.body.error.code).toBe('forbidden');
    // owner-only routes
    for (const [path, method] of [
      ['/api/sessions', 'GET'],
      [`/api/sessions/${a.id}/recording`, 'GET'],
      [`/api/sessions/${a.id}/shares`, 'GET'],
      ['/api/events', 'GET'],
    ] as const) {
      expect((await ts.api(path, { token: control.token, method })).status, path).toBe(403);
    }
    expect((await ts.api(`/api/sessions/${a.id}/resize`, { token: control.token, body: { cols: 90, rows: 30 } })).status).toBe(403);
    // typing through a view link
    const typed = await ts.json<Err>(`/api/sessions/${a.id}/input`, { token: view.token, body: { data: 'x' } });
    expect(typed.status).toBe(403);
    expect(typed.body.error.code).toBe('read_only');
    expect((await ts.api(`/api/sessions/${a.id}/input`, { token: control.token, body: { data: 'x' } })).status).toBe(204);

    const me = await ts.json<MeResponse>('/api/auth/me', { token: view.token });
    expect(me.body).toMatchObject({ role: 'share', sessionId: a.id, mode: 'view' });
    expect(me.body.expiresAt).toBe(view.expiresAt);

    // a revoked share is 401
    expect((await ts.api(`/api/shares/${view.id}`, { method: 'DELETE' })).status).toBe(204);
    const revoked = await ts.json<Err>(`/api/sessions/${a.id}`, { token: view.token });
    expect(revoked.status).toBe(401);
    expect(revoked.body.error.code).toBe('token_revoked');
    // b still runs
    expect((await ts.json<Session>(`/api/sessions/${b.id}`)).body.status).toBe('running');
  });

  it('logs in with the password, limits failures per IP with 429 + Retry-After', async () => {
    const ts = await startServer({ password: 'correct horse' });
    expect((await ts.json('/api/auth/config', { token: null })).body).toEqual({ authRequired: true, passwordLogin: true });
    const ok = await ts.json<{ token: string; expiresAt: string }>('/api/auth/login', { token: null, body: { password: 'correct horse' } });
    expect(ok.status).toBe(200);
    expect((await ts.api('/api/sessions', { token: ok.body.token })).status).toBe(200);
    for (let i = 0; i < 5; i++) {
      const bad = await ts.json<Err>('/api/auth/login', { token: null, body: { password: 'wrong' } });
      expect(bad.status).toBe(401);
      expect(bad.body.error.code).toBe('invalid_credentials');
    }
    const limited = await ts.json<Err>('/api/auth/login', { token: null, body: { password: 'correct horse' } });
    expect(limited.status).toBe(429);
    expect(limited.body.error.code).toBe('rate_limited');
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    // unknown field in the login body
    expect((await ts.api('/api/auth/login', { token: null, body: { password: 'x', user: 'root' } })).status).toBe(400);
  });

  it('reads the stored password hash from config.json', async () => {
    const dataDir = await makeTempDir();
    const dd = await DataDir.open(dataDir);
    await dd.writeConfig({ passwordHash: await hashPassword('stored pw', 4) });
    const ts = await startServer({ dataDir });
    expect((await ts.json('/api/auth/login', { token: null, body: { password: 'stored pw' } })).status).toBe(200);
  });

  it('keeps a logged-out token revoked after a restart on the same data dir', async () => {
    const dataDir = await makeTempDir();
    const first = await startServer({ dataDir });
    const token = first.server.mintOwnerToken().token;
    expect((await first.api('/api/auth/me', { token })).status).toBe(200);
    expect((await first.api('/api/auth/logout', { token, method: 'POST' })).status).toBe(204);
    expect((await first.api('/api/auth/me', { token })).status).toBe(401);
    await first.close();

    const second = await startServer({ dataDir });
    const r = await second.json<Err>('/api/auth/me', { token });
    expect(r.status).toBe(401);
    expect(r.body.error.code).toBe('token_revoked');
    // tokens minted by the first run are otherwise still good (same secret)
    expect((await second.api('/api/auth/me', { token: first.ownerToken })).status).toBe(200);
  });

  it('--no-auth makes every request the owner', async () => {
    const ts = await startServer({ auth: false });
    expect((await ts.json('/api/auth/config', { token: null })).body).toMatchObject({ authRequired: false });
    expect((await ts.api('/api/sessions', { token: null })).status).toBe(200);
    expect((await ts.json<MeResponse>('/api/auth/me', { token: null })).body.role).toBe('owner');
  });
});
