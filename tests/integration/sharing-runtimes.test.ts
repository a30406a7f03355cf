// Contract section 8 under both runtimes: the in-process server under Node, and `porthole serve`
// under Bun as a child. The same bodies as sharing.test.ts / sharing-resume.test.ts, reduced to
// what a client sees over HTTP and the socket (no in-process event listener).
import { describe, expect, it } from 'vitest';
import { CLOSE } from '../../common/errors.js';
import type { CreateShareResponse, ShareListItem, Viewer } from '../../common/protocol.js';
import type { TestRuntime } from '../helpers/runtimes.js';
import { startTarget, type ServerTarget } from '../helpers/serve-child.js';
import { connectWs } from '../helpers/server.js';

const RUNTIMES: TestRuntime[] = ['node', 'bun'];
const PRINTER = ['sh', '-c', 'while read n; do echo "tag-$n"; done'];

async function share(ts: ServerTarget, id: string, body: Record<string, unknown>): Promise<CreateShareResponse> {
  return (await ts.json<CreateShareResponse>(`/api/sessions/${id}/shares`, { body })).body;
}
const snapshot = async (ts: ServerTarget, id: string) => (await ts.api(`/api/sessions/${id}/snapshot`)).text();

// Generous: under Bun the server is a child process that starts (and builds dist/) first, and the
// machine is shared.
describe.each(RUNTIMES)('section 8 under %s', { timeout: 90_000 }, (runtime) => {
  it('caps a link (4429, freed slot reused) and lists who watches', async () => {
    const ts = await startTarget(runtime);
    const s = await ts.createSession({ command: PRINTER });
    const link = await share(ts, s.id, { mode: 'view', maxViewers: 1, label: 'solo' });
    const a = connectWs(ts, s.id, { token: link.token });
    await a.waitForText('ready');
    const b = connectWs(ts, s.id, { token: link.token });
    expect((await b.closed).code).toBe(CLOSE.linkFull);
    const list = (await ts.json<Viewer[]>(`/api/sessions/${s.id}/viewers`)).body;
    expect(list).toEqual([expect.objectContaining({ kind: 'share', label: 'solo', mode: 'view', shareId: link.id })]);
    a.ws.close();
    await a.closed;
    await expect.poll(async () => (await ts.json<ShareListItem[]>(`/api/sessions/${s.id}/shares`)).body[0].viewers).toBe(0);
    const c = connectWs(ts, s.id, { token: link.token });
    await c.waitForText('ready');
  });

  it('request, grant (input delivered), take back (refused); replay only after exit; resume', async () => {
    const ts = await startTarget(runtime);
    const s = await ts.createSession({ command: PRINTER });
    const link = await share(ts, s.id, { mode: 'view' });
    const owner = connectWs(ts, s.id);
    const ownerReady = await owner.waitForText('ready');
    expect(ownerReady.features).toEqual(expect.arrayContaining(['viewer_cap', 'presence', 'request_control', 'replay', 'resume']));
    const bob = connectWs(ts, s.id, { token: link.token });
    await bob.waitForText('ready');
    bob.sendJson({ type: 'request_control' });
    const req = await owner.waitForText('control_requested');
    expect((await ts.api(`/api/sessions/${s.id}/control-requests/${req.requestId}`, { body: { grant: true } })).status).toBe(204);
    await bob.waitForText('mode');
    bob.ws.send(Buffer.from('granted\n'));
    await expect.poll(() => snapshot(ts, s.id)).toContain('tag-granted');
    expect((await ts.api(`/api/sessions/${s.id}/control-requests/${req.requestId}`, { method: 'DELETE' })).status).toBe(204);
    await bob.waitFor(() => bob.texts.some((m) => m.type === 'mode' && m.mode === 'view'), 'mode view');
    bob.ws.send(Buffer.from('refused\n'));
    await bob.waitFor(() => bob.texts.some((m) => m.type === 'error' && m.code === 'read_only'), 'read_only');

    // Resume: the owner's socket drops, output continues, the reconnect gets only the gap.
    const offset = (ownerReady.outputOffset ?? 0) + owner.outputBytes.length - (ownerReady.redrawBytes ?? 0);
    owner.ws.close();
    await owner.closed;
    await ts.api(`/api/sessions/${s.id}/input`, { body: { data: 'gap\n' } });
    await expect.poll(() => snapshot(ts, s.id)).toContain('tag-gap');
    const again = connectWs(ts, s.id, { resumeFrom: offset });
    expect(await again.waitForText('ready')).toMatchObject({ resumed: true, outputOffset: offset });
    await again.waitForOutput('tag-gap');
    expect(again.outputText).not.toContain('granted');

    expect((await ts.api(`/api/sessions/${s.id}/recording`, { token: link.token })).status).toBe(403);
    again.ws.send(Buffer.from('\x04')); // EOF: the loop ends, the session exits
    await expect.poll(async () => (await ts.json<{ status: string }>(`/api/sessions/${s.id}`)).body.status, { timeout: 10_000 }).toBe('exited');
    const rec = await ts.api(`/api/sessions/${s.id}/recording`, { token: link.token });
    expect(rec.status).toBe(200);
    expect(await rec.text()).toContain('tag-gap');
  });
});
