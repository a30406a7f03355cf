// The server gives its burst memory back once quiet (memory-settle.ts): after a flood watched by
// a viewer, one "memory settled" collection runs on the server, on Node with V8's young
// generation shrunk back under the settle's own "kept" line. Runs in-process (Node) and as a
// `serve` child (Bun).
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../main/server/log.js';
import { newSpaceBytes, SETTLE_NEW_SPACE_KEPT_BYTES, SETTLE_QUIET_TICKS, SETTLE_TICK_MS } from '../../main/server/memory-settle.js';
import { connectWs, startServer } from '../helpers/server.js';

const inProcessNode = !process.versions.bun && !process.env.PORTHOLE_TEST_RUNTIME;

/** Grows this thread's young generation the way a busy server does: short-lived objects, a
 *  share of them surviving a scavenge or two. The server's own flood may not grow it (its
 *  output path allocates little), and the shrink must be checked on a grown one. */
async function growNewSpace(): Promise<number> {
  let live: object[] = [];
  for (let round = 0; round < 200 && newSpaceBytes() <= 4 * SETTLE_NEW_SPACE_KEPT_BYTES; round++) {
    for (let i = 0; i < 50_000; i++) live.push({ i, s: `x${i}` });
    if (live.length > 200_000) live = live.slice(100_000);
    await new Promise((r) => setImmediate(r));
  }
  live = [];
  return newSpaceBytes();
}

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
    const grown = inProcessNode ? await growNewSpace() : 0;
    await sock.waitForOutput('FLOOD-DONE', 20_000);
    const floodEnded = Date.now();
    const before = settled().length;
    sock.ws.close();
    expect((await ts.api(`/api/sessions/${s.id}`, { method: 'DELETE' })).status).toBe(204);

    // Any run of SETTLE_QUIET_TICKS quiet ticks will do; a loaded machine may break a few.
    await expect.poll(() => settled().length, { timeout: (SETTLE_QUIET_TICKS + 20) * SETTLE_TICK_MS }).toBeGreaterThan(before);
    // Not before the quiet spell V8 needs (a GC any sooner keeps the grown heap).
    expect(Date.now() - floodEnded).toBeGreaterThanOrEqual((SETTLE_QUIET_TICKS - 1) * SETTLE_TICK_MS);
    const last = settled().at(-1) as { newSpaceMB: [number, number]; gcMs: number };
    expect(last.gcMs).toBeGreaterThanOrEqual(0);
    if (inProcessNode) {
      // In-process on Node: this thread's young generation, grown above, is given back (by the
      // settle's collections, or by V8 once the quiet one sees little allocation). V8 shrinks
      // it to 1 MB, or a little over when something survives (1.3 MB seen on CI).
      expect(grown, 'the test grew new space').toBeGreaterThan(SETTLE_NEW_SPACE_KEPT_BYTES);
      expect(last.newSpaceMB[1]).toBeLessThanOrEqual(SETTLE_NEW_SPACE_KEPT_BYTES / 2 ** 20);
      expect(newSpaceBytes()).toBeLessThanOrEqual(SETTLE_NEW_SPACE_KEPT_BYTES);
    }
  }, 60_000);
});
