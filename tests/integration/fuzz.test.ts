// The seeded fuzz run (tests/helpers/fuzz.ts) against a real server: no 5xx, the error shape on
// every 4xx, the server alive, and the sessions it must not touch still running with their
// viewer attached. ~25 s in `npm test`; `npm run fuzz -- --seconds N --seed S` runs longer or
// replays a seed (FUZZ_SECONDS, FUZZ_SEED). The counts and RSS go to stdout.
import { describe, expect, it } from 'vitest';
import type { CreateShareResponse, Session } from '../../common/protocol.js';
import { fuzz } from '../helpers/fuzz.js';
import { connectWs, makeTempDir, startServer } from '../helpers/server.js';

const SECONDS = Number(process.env.FUZZ_SECONDS ?? 25);
const SEED = Number(process.env.FUZZ_SEED ?? 20261201);

describe('fuzz', () => {
  it(`random and almost-valid HTTP and WebSocket input (seed ${SEED}, ${SECONDS} s): no 5xx, error shapes, others untouched`, async () => {
    const ts = await startServer();
    const scratchDir = await makeTempDir('porthole-fuzz-');
    const witness = await ts.createSession({ command: ['cat'] });
    const quiet = await ts.createSession({ command: ['sh', '-c', 'echo witness-ready; exec sleep 3600'] });
    const own = await ts.createSession({ command: ['cat'] });
    const view = (await ts.json<CreateShareResponse>(`/api/sessions/${witness.id}/shares`, { body: { mode: 'view' } })).body;
    const watcher = connectWs(ts, witness.id);
    await watcher.waitForText('ready');
    watcher.ws.send(Buffer.from('before-fuzz\n'));
    await watcher.waitForOutput('before-fuzz\r\nbefore-fuzz');

    const rssBefore = process.memoryUsage().rss;
    const counts = await fuzz(
      { url: ts.url, ownerToken: ts.ownerToken, viewToken: view.token, ownSessions: [own.id], witnessSessions: [witness.id, quiet.id], scratchDir },
      { seed: SEED, seconds: SECONDS },
    );
    globalThis.gc?.();
    const rssAfter = process.memoryUsage().rss;
    const summary = {
      seed: SEED,
      seconds: SECONDS,
      requests: counts.requests,
      rawRequests: counts.rawRequests,
      wsEpisodes: counts.wsEpisodes,
      frames: counts.frames,
      frameMiB: Math.round(counts.frameBytes / 1048576),
      fiveXX: counts.fiveXX,
      byStatus: counts.byStatus,
      closeCodes: counts.closeCodes,
      rssMiB: { before: Math.round(rssBefore / 1048576), after: Math.round(rssAfter / 1048576) },
    };
    console.log(`fuzz: ${JSON.stringify(summary)}`);

    expect(counts.problems.length, JSON.stringify(counts.problems.slice(0, 12), null, 1)).toBe(0);
    expect(counts.fiveXX).toBe(0);
    expect(counts.requests).toBeGreaterThan(100);
    expect(counts.frames).toBeGreaterThan(50);
    // Alive, and the witnesses untouched: running, still watched, still echoing.
    expect((await ts.json<{ status: string }>('/health')).body.status).toBe('ok');
    for (const s of [witness, quiet]) expect((await ts.json<Session>(`/api/sessions/${s.id}`)).body.status).toBe('running');
    expect(watcher.closeInfo).toBeUndefined();
    watcher.ws.send(Buffer.from('after-fuzz\n'));
    await watcher.waitForOutput('after-fuzz\r\nafter-fuzz');
    expect(watcher.outputText).not.toContain('fuzz-'); // nothing the fuzzer typed reached it
    expect(await (await ts.api(`/api/sessions/${quiet.id}/snapshot`)).text()).toMatch(/^witness-ready\n/);
  }, (SECONDS + 90) * 1000);
});
