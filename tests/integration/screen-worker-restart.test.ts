// Losing the screen worker is not permanent: it is restarted and each session's screen rebuilt
// from the output the session holds, so snapshots, late joiners' redraws and the final screen
// keep working; the replayed queries are not answered a second time.
import { describe, expect, it } from 'vitest';
import { connectWs, startServer, type TestServer } from '../helpers/server.js';

type Host = { worker?: { terminate(): Promise<number> } };
const hostOf = (ts: TestServer): Host => (ts.server.sessions as unknown as { screens: Host }).screens;

async function killWorker(ts: TestServer): Promise<void> {
  const host = hostOf(ts);
  const w = host.worker;
  expect(w).toBeDefined();
  await w!.terminate(); // as if it had crashed
  await expect.poll(() => host.worker !== undefined && host.worker !== w, { timeout: 5000 }).toBe(true);
}

const snap = async (ts: TestServer, id: string): Promise<string> => (await ts.api(`/api/sessions/${id}/snapshot`)).text();

describe('screen worker restart', () => {
  it('rebuilds every screen: snapshot, a late joiner\'s redraw, input after, the final screen', async () => {
    const ts = await startServer();
    const a = await ts.createSession({ command: ['sh', '-c', 'echo line-one; echo line-two; exec cat'] });
    const b = await ts.createSession({ command: ['sh', '-c', 'echo other-session; read x; echo "bye $x"'] });
    await expect.poll(() => snap(ts, a.id), { timeout: 10_000 }).toContain('line-two');
    await expect.poll(() => snap(ts, b.id), { timeout: 10_000 }).toContain('other-session');
    await killWorker(ts);
    expect(await snap(ts, a.id)).toMatch(/^line-one\nline-two\n/);
    expect(await snap(ts, b.id)).toMatch(/^other-session\n/);
    const late = connectWs(ts, a.id);
    await late.waitForText('ready');
    await late.waitForOutput('line-two');
    await ts.api(`/api/sessions/${a.id}/input`, { body: { data: 'after-restart\n' } });
    await expect.poll(() => snap(ts, a.id), { timeout: 10_000 }).toContain('after-restart\nafter-restart');
    await ts.api(`/api/sessions/${b.id}/input`, { body: { data: 'now\n' } });
    await expect.poll(async () => (await ts.json<{ status: string }>(`/api/sessions/${b.id}`)).body.status, { timeout: 10_000 }).toBe('exited');
    expect(await snap(ts, b.id)).toMatch(/^other-session\nnow\nbye now/);
  });

  it('does not answer the replayed queries again', async () => {
    const ts = await startServer();
    const s = await ts.createSession({ command: ['node', new URL('../helpers/query-program.mjs', import.meta.url).pathname] });
    await expect.poll(() => snap(ts, s.id), { timeout: 10_000 }).toContain('QUERIES-SENT');
    await new Promise((r) => setTimeout(r, 300));
    await killWorker(ts);
    await expect.poll(() => snap(ts, s.id), { timeout: 10_000 }).toContain('QUERIES-SENT');
    await new Promise((r) => setTimeout(r, 300));
    await ts.api(`/api/sessions/${s.id}/input`, { body: { data: 'done' } });
    await expect.poll(() => snap(ts, s.id), { timeout: 10_000 }).toContain('REPLIES cpr=1 da=1 osc=1');
  });
});
