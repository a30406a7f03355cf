// A session's server-side screen opens on its first output, not at create (session.ts): what a
// viewer, the snapshot and a late joiner see must be what they saw when every screen opened at
// once: an empty screen before any output (at the current size), the exact screen after it, and
// an empty final screen for a session that ended without printing.
import { tmpdir } from 'node:os';
import xterm from '@xterm/headless';
import { describe, expect, it } from 'vitest';
import type { Session } from '../../common/protocol.js';
import { connectWs, startServer, type TestServer, type TestSocket } from '../helpers/server.js';

/** The visible rows a viewer's xterm shows after applying every binary frame it got. */
async function viewerScreen(sock: TestSocket, cols: number, rows: number): Promise<string> {
  const term = new xterm.Terminal({ cols, rows, allowProposedApi: true });
  await new Promise<void>((r) => term.write(sock.outputBytes, r));
  const lines: string[] = [];
  const b = term.buffer.active;
  for (let i = 0; i < rows; i++) lines.push(b.getLine(b.viewportY + i)?.translateToString(true) ?? '');
  term.dispose();
  return lines.join('\n').replace(/[ \t]+$/gm, '');
}

const snapshot = async (ts: TestServer, id: string): Promise<string> => (await ts.api(`/api/sessions/${id}/snapshot`)).text();

describe('the screen opens on the first output', () => {
  it('a viewer joining before any output gets an empty screen, then live output; a later joiner the exact screen', async () => {
    const ts = await startServer();
    const s = await ts.createSession({ command: ['cat'] });
    const early = connectWs(ts, s.id);
    const ready = await early.waitForText('ready');
    expect(ready.session.lastOutputAt).toBeNull();
    expect(await viewerScreen(early, 80, 24)).toBe('\n'.repeat(23));
    expect((await ts.api(`/api/sessions/${s.id}/input`, { body: { data: 'first line\r' } })).status).toBe(204);
    await early.waitFor(() => (early.outputText.match(/first line/g) ?? []).length >= 2 || undefined, 'the echo and cat output');
    const snap = await snapshot(ts, s.id);
    expect(snap.split('\n').slice(0, 2)).toEqual(['first line', 'first line']);
    expect(await viewerScreen(early, 80, 24)).toBe(snap);
    const late = connectWs(ts, s.id);
    await late.waitForText('ready');
    await late.waitFor(() => late.outputText.includes('first line') || undefined, 'the redraw');
    expect(await viewerScreen(late, 80, 24)).toBe(snap);
  });

  it('a resize before the first output: the screen opens at the new size', async () => {
    const ts = await startServer();
    const s = await ts.createSession({ command: ['sh', '-c', 'read _; printf "%s" "$(stty size)"; exec cat'] });
    expect((await ts.api(`/api/sessions/${s.id}/resize`, { body: { cols: 100, rows: 30 } })).status).toBe(204);
    const before = await snapshot(ts, s.id);
    expect(before).toBe('\n'.repeat(29));
    await ts.api(`/api/sessions/${s.id}/input`, { body: { data: '\r' } });
    let snap = '';
    for (let i = 0; i < 100 && !(snap = await snapshot(ts, s.id)).includes('30 100'); i++) await new Promise((r) => setTimeout(r, 50));
    expect(snap).toContain('30 100');
    expect(snap.split('\n')).toHaveLength(30);
    const late = connectWs(ts, s.id);
    const ready = await late.waitForText('ready');
    expect([ready.session.cols, ready.session.rows]).toEqual([100, 30]);
    await late.waitFor(() => late.outputText.includes('30 100') || undefined, 'the redraw');
    expect(await viewerScreen(late, 100, 30)).toBe(snap);
  });

  it('a session that ends without printing keeps an empty final screen', async () => {
    const ts = await startServer();
    const s = await ts.createSession({ command: ['sleep', '0.2'], cwd: tmpdir() });
    for (let i = 0; i < 100; i++) {
      if ((await ts.json<Session>(`/api/sessions/${s.id}`)).body.status === 'exited') break;
      await new Promise((r) => setTimeout(r, 50));
    }
    expect((await ts.json<Session>(`/api/sessions/${s.id}`)).body).toMatchObject({ status: 'exited', exitCode: 0, lastOutputAt: null });
    expect(await snapshot(ts, s.id)).toBe('\n'.repeat(23));
    const late = connectWs(ts, s.id);
    expect((await late.waitForText('exit')).exitCode).toBe(0);
    expect(await viewerScreen(late, 80, 24)).toBe('\n'.repeat(23));
  });
});
