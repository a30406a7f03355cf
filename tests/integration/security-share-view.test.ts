// Issue 8 point 6 (contract section 3): a share token gets a Session without `command`, `cwd`
// and `pid` everywhere it can see one (arguments can hold secrets): GET /api/sessions/:id on
// the fast path and on express, and the WebSocket `ready`. The owner still gets all of it.
import { tmpdir } from 'node:os';
import { describe, expect, it } from 'vitest';
import { connectWs, startServer } from '../helpers/server.js';

const SECRET = 'hunter2-api-key';

describe('share links see no command, cwd or pid', () => {
  for (const mode of ['view', 'control'] as const) {
    it(`a ${mode} link: GET /api/sessions/:id (fast path and express) and ws ready`, async () => {
      const ts = await startServer();
      const s = await ts.createSession({ command: ['sh', '-c', 'sleep 30', SECRET], cwd: tmpdir() });
      const share = await ts.json<{ token: string }>(`/api/sessions/${s.id}/shares`, { body: { mode } });
      // Without a query string the bare-http fast path answers; with one, express does.
      for (const path of [`/api/sessions/${s.id}`, `/api/sessions/${s.id}?via=express`]) {
        const r = await ts.api(path, { token: share.body.token });
        expect(r.status, path).toBe(200);
        const text = await r.text();
        expect(text).not.toContain(SECRET);
        const body = JSON.parse(text) as Record<string, unknown>;
        for (const k of ['command', 'cwd', 'pid']) expect(body, `${path} ${k}`).not.toHaveProperty(k);
        // The name derived from the command keeps the program only.
        expect(body).toMatchObject({ id: s.id, name: 'sh', status: 'running' });
      }
      const ws = connectWs(ts, s.id, { token: share.body.token });
      const ready = await ws.waitForText('ready');
      expect(JSON.stringify(ready)).not.toContain(SECRET);
      for (const k of ['command', 'cwd', 'pid']) expect(ready.session).not.toHaveProperty(k);
      expect(ready.session).toMatchObject({ id: s.id, cols: s.cols, rows: s.rows });
    });
  }

  it('a name the owner chose is kept', async () => {
    const ts = await startServer();
    const s = await ts.createSession({ command: ['sh', '-c', 'sleep 30'], name: 'deploy box' });
    const share = await ts.json<{ token: string }>(`/api/sessions/${s.id}/shares`, { body: { mode: 'view' } });
    expect((await ts.json<{ name: string }>(`/api/sessions/${s.id}`, { token: share.body.token })).body.name).toBe('deploy box');
  });

  it('the owner still gets the whole Session, on every path', async () => {
    const ts = await startServer();
    const s = await ts.createSession({ command: ['sh', '-c', 'sleep 30', SECRET] });
    for (const path of [`/api/sessions/${s.id}`, `/api/sessions/${s.id}?via=express`]) {
      const r = await ts.json<Record<string, unknown>>(path);
      expect(r.body).toMatchObject({ command: ['sh', '-c', 'sleep 30', SECRET], pid: s.pid, cwd: s.cwd });
    }
    const ready = await connectWs(ts, s.id).waitForText('ready');
    expect(ready.session).toMatchObject({ command: ['sh', '-c', 'sleep 30', SECRET], pid: s.pid });
  });
});
