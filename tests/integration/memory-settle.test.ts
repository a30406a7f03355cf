// The server gives its burst memory back once quiet (memory-settle.ts): after a flood watched by
// a viewer, one "memory settled" collection runs on the server, on Node with V8's young
// generation shrunk back to its initial size. Runs in-process (Node) and as a `serve` child (Bun).
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../main/server/log.js';
import { SETTLE_QUIET_TICKS, SETTLE_TICK_MS } from '../../main/server/memory-settle.js';
import { connectWs, startServer } from '../helpers/server.js';


describe('memory settle', () => {
  it('collects once the server has gone quiet after a flood, and not before the flood ends', async () => {
    const lines: Array<Record<string, unknown>> = [];
    const ts = await startServer({ logger: createLogger({ level: 'debug', write: (l) => lines.push(JSON.parse(l) as Record<string, unknown>) }) });
    const settled = () => lines.filter((l) => l.msg === 'memory settled');
    const s = await ts.createSession({ command: ['sh', '-c', 'read _; seq 1 400000; echo FLOOD-DONE; exec sleep 3600'] });
    const sock = connectWs(ts, s.id);
    await sock.opened;
    await new Promise((r) => setTimeout(r, 200));
    expect((await ts.api(`/api/sessions/${s.id}/input`, { body: { data: '\n' } })).status).toBe(204);
    await sock.waitForOutput('FLOOD-DONE', 20_000);
    const floodEnded = Date.now();
    const before = settled().length;
    sock.ws.close();
    expect((await ts.api(`/api/sessions/${s.id}`, { method: 'DELETE' })).status).toBe(204);

    await expect.poll(() => settled().length, { timeout: (SETTLE_QUIET_TICKS + 8) * SETTLE_TICK_MS }).toBeGreaterThan(before);
    // Not before the quiet spell V8 needs (a GC any sooner keeps the grown heap).
    expect(Date.now() - floodEnded).toBeGreaterThanOrEqual((SETTLE_QUIET_TICKS - 1) * SETTLE_TICK_MS);
    const last = settled().at(-1) as { newSpaceMB: [number, number]; gcMs: number };
    expect(last.gcMs).toBeGreaterThanOrEqual(0);
    if (!process.versions.bun && !process.env.PORTHOLE_TEST_RUNTIME) {
      // In-process on Node: this thread's young generation is back at its initial 1 MB.
      expect(last.newSpaceMB[1]).toBeLessThanOrEqual(1);
      expect(last.newSpaceMB[1]).toBeLessThanOrEqual(last.newSpaceMB[0]);
    }
  }, 40_000);
});
