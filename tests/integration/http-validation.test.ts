// Every kind of bad HTTP input gets its 4xx with a stable code, and after each one the
// server still answers and other sessions keep running.
import { tmpdir } from 'node:os';
import { describe, expect, it } from 'vitest';
import { INPUT_MAX_BYTES, JSON_BODY_MAX_BYTES } from '../../common/flow.js';
import type { Session } from '../../common/protocol.js';
import { startServer, type TestServer } from '../helpers/server.js';

async function stillHealthy(ts: TestServer, other: Session): Promise<void> {
  const health = await ts.json<{ status: string }>('/health');
  expect(health.status).toBe(200);
  expect(health.body.status).toBe('ok');
  const s = await ts.json<Session>(`/api/sessions/${other.id}`);
  expect(s.body.status).toBe('running');
}

function expectError(r: { status: number; body: unknown }, status: number, code: string): void {
  expect(r.status).toBe(status);
  expect((r.body as { error: { code: string; message: string } }).error.code).toBe(code);
  expect(typeof (r.body as { error: { message: string } }).error.message).toBe('string');
}

describe('HTTP input validation', () => {
  it('rejects each kind of bad input and keeps serving', async () => {
    const ts = await startServer();
    const other = await ts.createSession();

    // malformed JSON
    expectError(await ts.json('/api/sessions', { body: '{"command": [' }), 400, 'invalid_json');
    await stillHealthy(ts, other);
    // unknown field
    expectError(await ts.json('/api/sessions', { body: { command: ['cat'], shell: 'bash' } }), 400, 'validation_failed');
    // wrong types
    expectError(await ts.json('/api/sessions', { body: { cols: 'eighty' } }), 400, 'validation_failed');
    expectError(await ts.json(`/api/sessions/${other.id}`, { method: 'PATCH', body: { name: 42 } }), 400, 'validation_failed');
    // cols/rows out of range
    expectError(await ts.json('/api/sessions', { body: { command: ['cat'], cols: 0 } }), 400, 'validation_failed');
    expectError(await ts.json('/api/sessions', { body: { command: ['cat'], rows: 501 } }), 400, 'validation_failed');
    expectError(await ts.json(`/api/sessions/${other.id}/resize`, { body: { cols: 1001, rows: 24 } }), 400, 'validation_failed');
    // command as a string
    expectError(await ts.json('/api/sessions', { body: { command: 'ls -la' } }), 400, 'validation_failed');
    // a cwd that does not exist: the message names it
    const missing = await ts.json<{ error: { message: string } }>('/api/sessions', { body: { command: ['cat'], cwd: '/no/such/dir' } });
    expectError(missing, 400, 'cwd_not_found');
    expect(missing.body.error.message).toContain('/no/such/dir');
    // a command that does not exist
    const nocmd = await ts.json<{ error: { message: string } }>('/api/sessions', { body: { command: ['porthole-no-such-command'], cwd: tmpdir() } });
    expectError(nocmd, 400, 'command_not_found');
    expect(nocmd.body.error.message).toContain('porthole-no-such-command');
    await stillHealthy(ts, other);
    // oversize body
    const big = JSON.stringify({ name: 'x'.repeat(JSON_BODY_MAX_BYTES + 10) });
    expectError(await ts.json('/api/sessions', { body: big }), 413, 'payload_too_large');
    // oversize input
    expectError(await ts.json(`/api/sessions/${other.id}/input`, { body: { data: 'a'.repeat(INPUT_MAX_BYTES + 1) } }), 413, 'payload_too_large');
    // input of the wrong type
    expectError(await ts.json(`/api/sessions/${other.id}/input`, { body: { data: 5 } }), 400, 'validation_failed');
    // unknown share mode, expiresIn out of range
    expectError(await ts.json(`/api/sessions/${other.id}/shares`, { body: { mode: 'admin' } }), 400, 'validation_failed');
    expectError(await ts.json(`/api/sessions/${other.id}/shares`, { body: { mode: 'view', expiresIn: -5 } }), 400, 'validation_failed');
    await stillHealthy(ts, other);
  });

  it('answers 404 in JSON for unknown ids and routes', async () => {
    const ts = await startServer();
    expectError(await ts.json('/api/sessions/AAAAAAAAAAAAAAAAAAAAAA'), 404, 'session_not_found');
    expectError(await ts.json('/api/sessions/not%20an%20id'), 404, 'session_not_found');
    expectError(await ts.json('/api/shares/AAAAAAAAAAAAAAAAAAAAAA', { method: 'DELETE' }), 404, 'share_not_found');
    expectError(await ts.json('/api/nope'), 404, 'not_found');
    expectError(await ts.json('/api/sessions', { method: 'PUT', body: {} }), 404, 'not_found');
  });

  it('accepts a body without a JSON content type, and an omitted body where all fields are optional', async () => {
    const ts = await startServer({ shell: '/bin/cat' });
    const res = await ts.api('/api/sessions', { method: 'POST' });
    expect(res.status).toBe(201);
    const s = (await res.json()) as Session;
    expect(s.cols).toBe(80);
    expect(s.rows).toBe(24);
  });
});
