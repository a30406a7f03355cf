#!/usr/bin/env node
// Interleaved A/B of the figures that swing most between runs on a shared machine: each round
// measures Node then Bun back to back (raw PTY flood, server flood to 1 viewer, GET /health for
// 3 s with 50 connections), so a load spike hits both runtimes alike. Writes
// benchmarks/results/runtimes-ab.json and prints the medians. `node benchmarks/runtimes-ab.mjs [rounds]`
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { ROOT, portholeTarget, runtimeExe } from './lib/targets.mjs';
import { floodOnce } from './lib/workloads.mjs';
import { percentile } from './lib/stats.mjs';

const require = createRequire(path.join(ROOT, 'package.json'));
const autocannon = require('autocannon');
const rounds = Number(process.argv[2]) || 3;
const LINES = 1_000_000;
const out = { node: { raw: [], flood: [], health: [] }, bun: { raw: [], flood: [], health: [] } };

for (let r = 0; r < rounds; r++) {
  for (const rt of ['node', 'bun']) {
    const raw = JSON.parse(execFileSync(runtimeExe(rt), [path.join(ROOT, 'benchmarks/lib/raw-pty.mjs'), 'flood', '1', String(LINES)], { encoding: 'utf8' }));
    const t = portholeTarget({ runtime: rt });
    await t.start();
    try {
      const f = await floodOnce(t, { viewers: 1, lines: LINES, timeoutMs: 90_000 });
      const h = await new Promise((res, rej) => autocannon({ url: `${t.url}/health`, connections: 50, duration: 3 }, (e, x) => (e ? rej(e) : res(x))));
      const bytes = raw.samples[0].bytes;
      out[rt].raw.push(bytes / 1e3 / raw.samples[0].ms);
      out[rt].flood.push(f.ms ? bytes / 1e3 / f.ms : NaN);
      out[rt].health.push(h.requests.average);
      process.stderr.write(`[ab] round ${r + 1} ${rt}: raw ${out[rt].raw.at(-1).toFixed(1)} MB/s, flood ${out[rt].flood.at(-1).toFixed(1)} MB/s, /health ${Math.round(h.requests.average)} req/s\n`);
    } finally {
      await t.stop();
    }
  }
}
const med = (xs) => percentile(xs.filter((x) => !Number.isNaN(x)), 50);
const summary = {};
for (const rt of ['node', 'bun']) summary[rt] = { rawMBps: med(out[rt].raw), floodMBps: med(out[rt].flood), floodRatioToRaw: med(out[rt].flood.map((f, i) => f / out[rt].raw[i])), healthRps: med(out[rt].health) };
const result = { date: new Date().toISOString(), rounds, lines: LINES, samples: out, summary };
writeFileSync(path.join(ROOT, 'benchmarks/results/runtimes-ab.json'), JSON.stringify(result, null, 2) + '\n');
console.log(JSON.stringify(summary, null, 2));
process.exit(0);
