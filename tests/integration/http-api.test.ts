// Contract section 3 (without /api/fs) and section 5 headers: sessions CRUD, snapshot,
// recording, shares, SSE events, pages with their security headers.
import { describe, expect, it } from 'vitest';
import type { CreateShareResponse, HealthResponse, ServerEvent, Session, ShareListItem } from '../../common/protocol.js';
import { inChildProcess, startServer, type TestServer } from '../helpers/server.js';

/** Reads an SSE stream and collects the parsed events. */
async function openEvents(ts: TestServer): Promise<{ events: ServerEvent[]; comments: string[]; waitFor(type: string): Promise<ServerEvent>; stop(): void }> {
  const ac = new AbortController();
  const res = await ts.api('/api/events', { headers: { accept: 'text/event-stream' } });
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
  const events: ServerEvent[] = [];
  const comments: string[] = [];
  let wake: () => void = () => {};
  const reader = res.body!.getReader();
  let buf = '';
  void (async () => {
    const dec = new TextDecoder();
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buf += dec.decode(value, { stream: true });
        let i: number;
        while ((i = buf.indexOf('\n\n')) !== -1) {
          const block = buf.slice(0, i);
          buf = buf.slice(i + 2);
          for (const line of block.split('\n')) {
            if (line.startsWith('data: ')) events.push(JSON.parse(line.slice(6)) as ServerEvent);
            else if (line.startsWith(':')) comments.push(line);
          }
          wake();
        }
      }
    } catch {
      // aborted
    }
  })();
  const waitFor = (type: string) =>
    new Promise<ServerEvent>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no ${type} event`)), 5000);
      const check = () => {
        const e = events.find((x) => x.type === type);
        if (e) {
          clearTimeout(timer);
          resolve(e);
        } else wake = check;
      };
      check();
    });
  return { events, comments, waitFor, stop: () => { ac.abort(); void reader.cancel().catch(() => {}); } };
}

describe('HTTP API', () => {
  it('GET /health', async () => {
    const ts = await startServer();
    const r = await ts.json<HealthResponse>('/health', { token: null });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ status: 'ok', sessions: { running: 0, exited: 0 } });
    expect(typeof r.body.version).toBe('string');
    expect(typeof r.body.uptimeSeconds).toBe('number');
    expect(r.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it('creates, lists, gets, renames and deletes sessions', async () => {
    const ts = await startServer();
    const a = await ts.createSession({ name: 'first', cols: 100, rows: 30 });
    expect(a).toMatchObject({ name: 'first', status: 'running', exitCode: null, cols: 100, rows: 30, viewers: 0, command: ['cat'] });
    expect(a.id).toMatch(/^[A-Za-z0-9_-]{16,}$/);
    expect(new Date(a.createdAt).toISOString()).toBe(a.createdAt);
    const b = await ts.createSession();
    const list = await ts.json<Session[]>('/api/sessions');
    expect(list.body.map((s) => s.id)).toEqual([b.id, a.id]);
    const renamed = await ts.json<Session>(`/api/sessions/${a.id}`, { method: 'PATCH', body: { name: 'renamed' } });
    expect(renamed.body.name).toBe('renamed');
    expect((await ts.json<Session>(`/api/sessions/${a.id}`)).body.name).toBe('renamed');
    expect((await ts.api(`/api/sessions/${a.id}`, { method: 'DELETE' })).status).toBe(204);
    expect((await ts.api(`/api/sessions/${a.id}`)).status).toBe(404);
    expect((await ts.json<Session[]>('/api/sessions')).body.map((s) => s.id)).toEqual([b.id]);
  });

  it('serves snapshot rows right-trimmed, written blanks included', async () => {
    const ts = await startServer();
    const s = await ts.createSession({ command: ['sh', '-c', "printf 'a  b   \\n# '; exec cat"] });
    await expect.poll(async () => (await ts.api(`/api/sessions/${s.id}/snapshot`)).text(), { timeout: 5000 }).toContain('#');
    const rows = (await (await ts.api(`/api/sessions/${s.id}/snapshot`)).text()).split('\n');
    expect(rows.slice(0, 3)).toEqual(['a  b', '#', '']);
    expect(rows).toHaveLength(24);
  });

  it('takes input, resizes, and serves snapshot and recording', async () => {
    const ts = await startServer();
    const s = await ts.createSession();
    expect((await ts.api(`/api/sessions/${s.id}/input`, { body: { data: 'hello-snapshot\n' } })).status).toBe(204);
    await expect
      .poll(async () => (await ts.api(`/api/sessions/${s.id}/snapshot`)).text(), { timeout: 5000 })
      .toContain('hello-snapshot');
    const snap = await ts.api(`/api/sessions/${s.id}/snapshot`);
    expect(snap.headers.get('content-type')).toMatch(/^text\/plain/);
    expect((await ts.api(`/api/sessions/${s.id}/resize`, { body: { cols: 120, rows: 40 } })).status).toBe(204);
    expect((await ts.json<Session>(`/api/sessions/${s.id}`)).body).toMatchObject({ cols: 120, rows: 40 });
    await expect
      .poll(async () => (await ts.api(`/api/sessions/${s.id}/recording`)).text(), { timeout: 5000 })
      .toContain('hello-snapshot');
    const rec = await ts.api(`/api/sessions/${s.id}/recording`);
    expect(rec.headers.get('content-type')).toBe('application/x-asciicast');
    const header = JSON.parse((await rec.text()).split('\n')[0]) as { version: number };
    expect(header.version).toBe(2);
  });

  it('creates, lists and revokes shares; links carry the token in the fragment', async () => {
    const ts = await startServer();
    const s = await ts.createSession();
    const created = await ts.json<CreateShareResponse>(`/api/sessions/${s.id}/shares`, { body: { mode: 'control', label: 'pair', expiresIn: 600 } });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ mode: 'control', label: 'pair' });
    expect(created.body.url).toBe(`${ts.url}/s/${s.id}#${created.body.token}`);
    const exp = Date.parse(created.body.expiresAt) - Date.now();
    expect(exp).toBeGreaterThan(590_000);
    expect(exp).toBeLessThan(610_000);
    const list = await ts.json<ShareListItem[]>(`/api/sessions/${s.id}/shares`);
    expect(list.body).toHaveLength(1);
    expect(list.body[0]).toMatchObject({ id: created.body.id, mode: 'control', label: 'pair' });
    expect(JSON.stringify(list.body)).not.toContain(created.body.token);
    expect((await ts.api(`/api/shares/${created.body.id}`, { method: 'DELETE' })).status).toBe(204);
    expect((await ts.json<ShareListItem[]>(`/api/sessions/${s.id}/shares`)).body).toHaveLength(0);
    expect((await ts.api(`/api/shares/${created.body.id}`, { method: 'DELETE' })).status).toBe(404);
  });

  it('uses publicUrl in share links', async () => {
    const ts = await startServer({ publicUrl: 'https://term.example.com' });
    const s = await ts.createSession();
    const created = await ts.json<CreateShareResponse>(`/api/sessions/${s.id}/shares`, { body: { mode: 'view' } });
    expect(created.body.url).toBe(`https://term.example.com/s/${s.id}#${created.body.token}`);
  });

  it('streams all six event types over SSE', async () => {
    const ts = await startServer();
    const stream = await openEvents(ts);
    const s = await ts.createSession({ command: ['sh', '-c', 'read x'] });
    expect(((await stream.waitFor('session.created')) as { session: Session }).session.id).toBe(s.id);
    await ts.api(`/api/sessions/${s.id}`, { method: 'PATCH', body: { name: 'evt' } });
    await stream.waitFor('session.updated');
    const sh = (await ts.json<CreateShareResponse>(`/api/sessions/${s.id}/shares`, { body: { mode: 'view' } })).body;
    await stream.waitFor('share.created');
    await ts.api(`/api/shares/${sh.id}`, { method: 'DELETE' });
    expect(((await stream.waitFor('share.revoked')) as { share: { id: string } }).share.id).toBe(sh.id);
    await ts.api(`/api/sessions/${s.id}/input`, { body: { data: '\n' } });
    await stream.waitFor('session.exited');
    await ts.api(`/api/sessions/${s.id}`, { method: 'DELETE' });
    expect(((await stream.waitFor('session.removed')) as { sessionId: string }).sessionId).toBe(s.id);
    expect(stream.comments.length).toBeGreaterThan(0);
    stream.stop();
    // the hub forgets a closed stream (only visible in this process)
    if (!inChildProcess) await expect.poll(() => (ts.server as unknown as { sse: { size: number } }).sse.size).toBe(0);
  });

  it('serves pages with a strict CSP and the other security headers', async () => {
    const ts = await startServer();
    for (const path of ['/', '/s/AAAAAAAAAAAAAAAAAAAAAA']) {
      const res = await ts.api(path, { token: null });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^text\/html/);
      const csp = res.headers.get('content-security-policy') ?? '';
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).toMatch(/script-src 'self'(;|$)/);
      expect(csp).not.toContain("'unsafe-inline' 'unsafe-eval'");
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('referrer-policy')).toBe('no-referrer');
      const html = await res.text();
      expect(html).not.toMatch(/<script>(?!\s*<\/script>)/);
    }
    const missing = await ts.api('/no-such-page', { token: null });
    expect(missing.status).toBe(404);
    expect(missing.headers.get('content-security-policy')).toContain("default-src 'self'");
  });

  // A child server always has the checkout's dist/renderer: no option takes it away.
  it.skipIf(inChildProcess)('falls back to a built-in page when the renderer is not built', async () => {
    const ts = await startServer({ rendererDir: '/nonexistent-renderer' });
    const res = await ts.api('/', { token: null });
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('Porthole');
    expect(res.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
  });
});
