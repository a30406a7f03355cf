// POST /api/sessions and DELETE /api/sessions/:id are answered by the fast path (http/fast-path.ts)
// and, with a query string, by express: every case below goes both ways and must get the same
// status, headers and body (ids, pids and times aside), so the fast path cannot drift from the
// routes: bodies of every shape (415, 413, invalid_json, charsets, encodings, chunked), auth
// (none, bad, share), validation, and the errors of the session itself.
import http from 'node:http';
import { tmpdir } from 'node:os';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import type { CreateShareResponse, Session } from '../../common/protocol.js';
import { startServer, type TestServer } from '../helpers/server.js';

interface Raw {
  status: number;
  headers: Array<[string, string]>;
  body: string;
}

interface Case {
  name: string;
  headers?: Record<string, string>;
  body?: Buffer | string;
  /** Sent with Transfer-Encoding: chunked instead of a Content-Length. */
  chunked?: boolean;
}

function send(url: string, method: string, c: Case): Promise<Raw> {
  return new Promise((resolve, reject) => {
    const body = c.body === undefined ? undefined : Buffer.from(c.body);
    const headers: Record<string, string | number> = { ...c.headers };
    if (body && !c.chunked) headers['content-length'] = body.length;
    const req = http.request(url, { method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (d: Buffer) => chunks.push(d));
      res.on('end', () => {
        const pairs: Array<[string, string]> = [];
        for (let i = 0; i < res.rawHeaders.length; i += 2) pairs.push([res.rawHeaders[i].toLowerCase(), res.rawHeaders[i + 1]]);
        resolve({ status: res.statusCode ?? 0, headers: pairs, body: Buffer.concat(chunks).toString('utf8') });
      });
    });
    req.on('error', reject);
    if (body && c.chunked) {
      req.write(body.subarray(0, 3));
      req.write(body.subarray(3));
    }
    req.end(body && !c.chunked ? body : undefined);
  });
}

/** What may differ between two answers to the same request: the date, and a new session's own values. */
function normalize(r: Raw): Raw {
  let body = r.body;
  if (r.status === 201) {
    const s = JSON.parse(body) as Session;
    body = JSON.stringify({ ...s, id: 'ID', pid: 0, createdAt: 'T' });
  }
  const headers = r.headers
    .filter(([k]) => k !== 'date' && !(r.status === 201 && k === 'content-length'))
    .sort(([a], [b]) => a.localeCompare(b));
  return { status: r.status, headers, body };
}

async function both(ts: TestServer, method: string, path: string, c: Case): Promise<Raw> {
  const fast = await send(ts.url + path, method, c);
  const viaExpress = await send(`${ts.url}${path}?via=express`, method, c);
  for (const r of [fast, viaExpress]) {
    if (r.status === 201) await ts.api(`/api/sessions/${(JSON.parse(r.body) as Session).id}`, { method: 'DELETE' });
  }
  expect(normalize(fast), `${method} ${c.name}`).toEqual(normalize(viaExpress));
  return fast;
}

describe('fast path: session create and delete', () => {
  it('answers POST /api/sessions exactly as the express route does', async () => {
    const ts = await startServer();
    const s = await ts.createSession();
    const share = (await ts.json<CreateShareResponse>(`/api/sessions/${s.id}/shares`, { body: { mode: 'control' } })).body;
    const owner = { authorization: `Bearer ${ts.ownerToken}` };
    const json = { ...owner, 'content-type': 'application/json' };
    const ok = JSON.stringify({ command: ['cat'], cwd: tmpdir(), cols: 100, rows: 30, name: 'n' });
    const cases: Array<Case & { status: number }> = [
      { name: 'valid', headers: json, body: ok, status: 201 },
      { name: 'no body, no type', headers: owner, status: 201 },
      { name: 'empty JSON body', headers: json, body: '', status: 201 },
      { name: 'charset utf-8', headers: { ...owner, 'content-type': 'application/json; charset=UTF-8' }, body: ok, status: 201 },
      { name: 'chunked', headers: json, body: ok, chunked: true, status: 201 },
      { name: 'gzip', headers: { ...json, 'content-encoding': 'gzip' }, body: gzipSync(ok), status: 201 },
      { name: 'BOM', headers: json, body: `\ufeff${ok}`, status: 201 },
      { name: 'unknown field', headers: json, body: '{"x":1}', status: 400 },
      { name: 'bad cols', headers: json, body: '{"cols":0}', status: 400 },
      { name: 'command as a string', headers: json, body: '{"command":"ls -l"}', status: 400 },
      { name: 'not JSON', headers: json, body: '{nope', status: 400 },
      { name: 'strict JSON', headers: json, body: '"cat"', status: 400 },
      { name: 'text/plain', headers: { ...owner, 'content-type': 'text/plain' }, body: ok, status: 415 },
      { name: 'body without a type', headers: owner, body: ok, status: 415 },
      { name: 'latin1', headers: { ...owner, 'content-type': 'application/json; charset=latin1' }, body: ok, status: 400 },
      { name: 'unknown encoding', headers: { ...json, 'content-encoding': 'zzz' }, body: ok, status: 400 },
      { name: 'too large', headers: json, body: JSON.stringify({ name: 'x'.repeat(200 * 1024) }), status: 413 },
      { name: 'no token', headers: { 'content-type': 'application/json' }, body: ok, status: 401 },
      { name: 'bad token', headers: { 'content-type': 'application/json', authorization: 'Bearer abc.def.ghi' }, body: ok, status: 401 },
      { name: 'no token, bad JSON (the body is read first)', headers: { 'content-type': 'application/json' }, body: '{nope', status: 400 },
      { name: 'share token', headers: { 'content-type': 'application/json', authorization: `Bearer ${share.token}` }, body: ok, status: 403 },
      { name: 'missing cwd', headers: json, body: JSON.stringify({ command: ['cat'], cwd: '/no/such/dir' }), status: 400 },
      { name: 'missing command', headers: json, body: JSON.stringify({ command: ['no-such-command-xyz'], cwd: tmpdir() }), status: 400 },
    ];
    for (const c of cases) expect((await both(ts, 'POST', '/api/sessions', c)).status, c.name).toBe(c.status);
  });

  it('answers DELETE /api/sessions/:id exactly as the express route does', async () => {
    const ts = await startServer();
    const keep = await ts.createSession();
    const share = (await ts.json<CreateShareResponse>(`/api/sessions/${keep.id}/shares`, { body: { mode: 'control' } })).body;
    const owner = { authorization: `Bearer ${ts.ownerToken}` };
    const idCases: Array<[string, Case, number]> = [
      ['AAAAAAAAAAAAAAAAAAAAAA', { name: 'unknown id', headers: owner }, 404],
      ['not%20an%20id', { name: 'not an id', headers: owner }, 404],
      ['%zz', { name: 'malformed percent-encoding', headers: owner }, 400],
      [keep.id, { name: 'no token', headers: {} }, 401],
      [keep.id, { name: 'share token of this session', headers: { authorization: `Bearer ${share.token}` } }, 403],
      [keep.id, { name: 'a text/plain body', headers: { ...owner, 'content-type': 'text/plain' }, body: 'x' }, 415],
      [keep.id, { name: 'bad JSON body', headers: { ...owner, 'content-type': 'application/json' }, body: '{' }, 400],
    ];
    for (const [id, c, status] of idCases) expect((await both(ts, 'DELETE', `/api/sessions/${id}`, c)).status, c.name).toBe(status);
    // A real delete each way: 204 with the same headers, and the session is gone.
    const a = await ts.createSession();
    const b = await ts.createSession();
    const fast = await send(`${ts.url}/api/sessions/${a.id}`, 'DELETE', { name: 'fast', headers: owner });
    const viaExpress = await send(`${ts.url}/api/sessions/${b.id}?via=express`, 'DELETE', { name: 'express', headers: owner });
    expect(normalize(fast)).toEqual(normalize(viaExpress));
    expect(fast.status).toBe(204);
    expect((await ts.api(`/api/sessions/${a.id}`)).status).toBe(404);
    expect((await ts.json<Session[]>('/api/sessions')).body.map((x) => x.id)).toEqual([keep.id]);
  });
});
