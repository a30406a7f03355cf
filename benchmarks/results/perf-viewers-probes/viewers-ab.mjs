// Issue 13's row, A/B: RSS per idle viewer at N viewers (default 1,000), read by the bench's own
// wsLoad() (benchmarks/lib/workloads.mjs, flood skipped): 1 s after the viewers joined
// (kbPerViewerJoined) and after the 10 s settle (kbPerViewer). Targets run interleaved, one round
// at a time, so machine load drifts over all of them alike; medians over ROUNDS.
//   node viewers-ab.mjs NAME=ENTRY ...   ENTRY: bin/porthole.js of a build, or bare-ws-server.mjs
//   env: ROUNDS (3), N (1000), RUNTIMES (node,bun), OUT (a JSON file for the raw figures)
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { portholeTarget } from '../../lib/targets.mjs';
import { wsLoad } from '../../lib/workloads.mjs';

const ROUNDS = Number(process.env.ROUNDS ?? 3);
const N = Number(process.env.N ?? 1000);
const RUNTIMES = (process.env.RUNTIMES ?? 'node,bun').split(',');
const targets = process.argv.slice(2).map((a) => {
  const [name, entry] = a.split('=');
  return { name, entry: path.resolve(entry) };
});
// The bench's full-run settings for this workload (benchmarks/run.mjs).
const cfg = { settleMs: 10_000, viewerProcesses: 4, connectConcurrency: 100, floodLines: 1_000_000, bigFloodTimeoutMs: 120_000 };
const log = (m) => process.stderr.write(`${m}\n`);
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

const runs = [];
for (let round = 1; round <= ROUNDS; round++) {
  for (const runtime of RUNTIMES) {
    for (const tg of targets) {
      process.env.BENCH_PORTHOLE_ENTRY = tg.entry;
      const t = portholeTarget({ runtime });
      await t.start();
      // The bare server has no sessions API: its "session" is any path.
      if (tg.entry.endsWith('bare-ws-server.mjs')) {
        t.createSession = async () => 'x';
        t.deleteSession = async () => {};
      }
      try {
        const f = await wsLoad(t, N, cfg, (m) => log(`[${round} ${runtime} ${tg.name}]${m}`), { skipFlood: true });
        const run = { round, runtime, name: tg.name, joined: f[`ws.n${N}.kbPerViewerJoined`].median, settled: f[`ws.n${N}.kbPerViewer`].median, failed: f[`ws.n${N}.connectP50ms`].failed };
        log(`  -> ${JSON.stringify(run)}`);
        runs.push(run);
      } finally {
        await t.stop();
      }
    }
  }
}
const summary = [];
for (const runtime of RUNTIMES) {
  for (const tg of targets) {
    const rs = runs.filter((r) => r.runtime === runtime && r.name === tg.name);
    const fmt = (k) => `${median(rs.map((r) => r[k])).toFixed(1)} (${rs.map((r) => r[k].toFixed(1)).join(', ')})`;
    summary.push({ runtime, name: tg.name, joinedKB: fmt('joined'), settledKB: fmt('settled') });
  }
}
console.table(summary);
if (process.env.OUT) writeFileSync(process.env.OUT, JSON.stringify({ n: N, rounds: ROUNDS, runs, summary }, null, 2));
