// The read-only routes served beside express (http/fast-path.ts) must be indistinguishable from
// the express routes: same statuses, error bodies, security headers and auth rules; and what
// they do not handle (a query string, a trailing slash, another method) still reaches express.
import { describe, expect, it } from 'vitest';
import type { CreateShareResponse, Session } from '../../common/protocol.js';
import { startServer } from '../helpers/server.js';

type Err = { error: { code: string } };

describe('fast path', () => {
  it('answers list and get with the same rules and headers as express', async () => {
    const ts = await startServer();
    const a = await ts.createSession();
    const b = await ts.createSession();
    const share = (await ts.json<CreateShareResponse>(`/api/sessions/${a.id}/shares`, { body: { mode: 'view' } })).body;

    const list = await ts.json<Session[]>('/api/sessions');
    expect(list.status).toBe(200);
    expect(list.body.map((s) => s.id)).toEqual([b.id, a.id]);
    for (const h of ['content-security-policy', 'x-content-type-options', 'referrer-policy']) expect(list.headers.get(h), h).toBeTruthy();
    expect(list.headers.get('cache-control')).toBe('no-store');

    const anon = await ts.api('/api/sessions', { token: null });
    expect(anon.status).toBe(401);
    expect(anon.headers.get('www-authenticate')).toBe('Bearer');
    expect(anon.headers.get('x-content-type-options')).toBe('nosniff');
    expect(((await anon.json()) as Err).error.code).toBe('unauthorized');

    expect((await ts.json<Session>(`/api/sessions/${a.id}`, { token: share.token })).body.id).toBe(a.id);
    expect((await ts.json<Err>(`/api/sessions/${b.id}`, { token: share.token })).status).toBe(403);
    expect((await ts.json<Err>('/api/sessions', { token: share.token })).status).toBe(403);
    const bad = await ts.json<Err>('/api/sessions/not%20an%20id');
    expect([bad.status, bad.body.error.code]).toEqual([404, 'session_not_found']);
    const missing = await ts.json<Err>('/api/sessions/AAAAAAAAAAAAAAAAAAAAAA');
    expect([missing.status, missing.body.error.code]).toEqual([404, 'session_not_found']);

    const head = await ts.api('/api/sessions', { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');
  });

  it('leaves other shapes to express', async () => {
    const ts = await startServer();
    const s = await ts.createSession();
    expect((await ts.json<Session[]>('/api/sessions?x=1')).status).toBe(200);
    expect((await ts.json<Session>(`/api/sessions/${s.id}/`)).status).toBe(200);
    const renamed = await ts.json<Session>(`/api/sessions/${s.id}`, { method: 'PATCH', body: { name: 'renamed' } });
    expect(renamed.body.name).toBe('renamed');
    // The list and its JSON are reused between changes: a rename must still show at once.
    expect((await ts.json<Session[]>('/api/sessions')).body[0].name).toBe('renamed');
    await ts.json(`/api/sessions/${s.id}`, { method: 'PATCH', body: { name: 'again' } });
    expect((await ts.json<Session[]>('/api/sessions')).body[0].name).toBe('again');
  });
});
