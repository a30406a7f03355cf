// GET /api/sessions/:id/preview (docs/first-screen.md): a share link's first paint. It shows
// the screen, so it takes the same read access as the socket's view scope: 401 without a good
// token (none, garbage, revoked), 403 for a share of another session; the rows match the
// screen with their colours, terminal text is carried as JSON strings (never markup), and an
// ended session answers 204.
import { describe, expect, it } from 'vitest';
import { PREVIEW_BOLD, PREVIEW_RGB } from '../../common/preview.js';
import { ScreenPreviewSchema } from '../../common/preview-schema.js';
import { startServer } from '../helpers/server.js';

const SHELL = { command: ['bash', '--norc', '--noprofile', '-i'], env: { PS1: '$ ' }, cols: 60, rows: 12 };

async function waitFor(check: () => Promise<boolean>, what: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 30));
  }
  throw new Error(`never: ${what}`);
}

describe('screen preview endpoint', () => {
  it('gives a view link the visible rows with styles; nobody else gets them', async () => {
    const ts = await startServer();
    const s = await ts.createSession(SHELL);
    const other = await ts.createSession(SHELL);
    const evil = '<script>alert(1)</script> & &amp;';
    await ts.api(`/api/sessions/${s.id}/input`, {
      body: { data: `clear; printf '\\e[1;31mbold red\\e[0m \\e[38;2;1;2;3mrgb\\e[0m %s\\n' '${evil}'\n` },
    });
    await waitFor(async () => (await (await ts.api(`/api/sessions/${s.id}/snapshot`)).text()).includes('&amp;'), 'the output on screen');
    const view = await ts.json<{ id: string; token: string }>(`/api/sessions/${s.id}/shares`, { body: { mode: 'view' } });
    const foreign = await ts.json<{ token: string }>(`/api/sessions/${other.id}/shares`, { body: { mode: 'view' } });

    const r = await ts.api(`/api/sessions/${s.id}/preview`, { token: view.body.token });
    expect(r.status).toBe(200);
    expect(r.headers.get('cache-control')).toBe('no-store');
    expect(r.headers.get('content-type')).toMatch(/^application\/json/);
    const p = ScreenPreviewSchema.parse(await r.json());
    expect(p).toMatchObject({ cols: 60, rows: 12 });
    expect(p.lines).toHaveLength(12);
    const text = p.lines.map((l) => l.map((run) => run[0]).join('').trimEnd());
    const snap = (await (await ts.api(`/api/sessions/${s.id}/snapshot`)).text()).split('\n');
    expect(text).toEqual(snap);
    const row = p.lines[text.findIndex((t) => t.startsWith('bold red'))];
    expect(row[0]).toEqual(['bold red', 1, -1, PREVIEW_BOLD]);
    expect(row.find((run) => run[0] === 'rgb')).toEqual(['rgb', PREVIEW_RGB + 0x010203, -1, 0]);
    expect(text.some((t) => t.endsWith(evil))).toBe(true);

    // The owner may; nobody without a good token of this session may.
    expect((await ts.api(`/api/sessions/${s.id}/preview`)).status).toBe(200);
    expect((await ts.api(`/api/sessions/${s.id}/preview`, { token: null })).status).toBe(401);
    expect((await ts.api(`/api/sessions/${s.id}/preview`, { token: 'not-a-jwt' })).status).toBe(401);
    const denied = await ts.api(`/api/sessions/${s.id}/preview`, { token: foreign.body.token });
    expect(denied.status).toBe(403);
    expect(await denied.text()).not.toContain('bold red');
    expect((await ts.api(`/api/shares/${view.body.id}`, { method: 'DELETE' })).status).toBe(204);
    const revoked = await ts.api(`/api/sessions/${s.id}/preview`, { token: view.body.token });
    expect(revoked.status).toBe(401);
    expect(await revoked.text()).not.toContain('bold red');
  });

  it('is the screen now: new output shows at once, and the copy kept from a quiet spell matches the screen', async () => {
    const ts = await startServer();
    const s = await ts.createSession(SHELL);
    const rows = async (): Promise<string[]> => {
      const p = ScreenPreviewSchema.parse(await (await ts.api(`/api/sessions/${s.id}/preview`)).json());
      return p.lines.map((l) => l.map((run) => run[0]).join('').trimEnd());
    };
    const snap = async (): Promise<string[]> => (await (await ts.api(`/api/sessions/${s.id}/snapshot`)).text()).split('\n');
    for (const word of ['first', 'second', 'third']) {
      await ts.api(`/api/sessions/${s.id}/input`, { body: { data: `echo ${word}-$((1+1))\n` } });
      // Straight after the output (the worker's quiet-spell copy is older): the request goes to the worker.
      await waitFor(async () => (await rows()).includes(`${word}-2`), `${word} in the preview`);
      // After a quiet spell (250 ms): answered from the worker's copy, the same as the screen.
      await new Promise((r) => setTimeout(r, 400));
      expect(await rows()).toEqual(await snap());
    }
    // A resize is not followed by a quiet-spell copy: the preview has the new size at once.
    expect((await ts.api(`/api/sessions/${s.id}/resize`, { body: { cols: 50, rows: 10 } })).status).toBe(204);
    const p = ScreenPreviewSchema.parse(await (await ts.api(`/api/sessions/${s.id}/preview`)).json());
    expect(p).toMatchObject({ cols: 50, rows: 10 });
  });

  it('an ended session answers 204: the page says it ended instead', async () => {
    const ts = await startServer();
    const s = await ts.createSession({ command: ['sh', '-c', 'echo bye'] });
    await waitFor(async () => (await ts.json<{ status: string }>(`/api/sessions/${s.id}`)).body.status === 'exited', 'the exit');
    expect((await ts.api(`/api/sessions/${s.id}/preview`)).status).toBe(204);
  });
});
