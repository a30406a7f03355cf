#!/usr/bin/env node
// What a bigger heap costs node-pty's fork: the raw spawn-and-reap loop of `cat` (spawn, SIGHUP,
// wait for the exit) in one process after retaining 0, 50 and 150 MB of JS arrays, interleaved
// over rounds. spawn() is the fork itself (node-pty forks the whole process on Linux); the loop
// rate is what benchmarks/lib/raw-pty.mjs measures with a bare heap.
//   node benchmarks/spawn-heap.mjs [--rounds=3] [--count=60] [--json=FILE]
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { percentile } from './lib/stats.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const pty = createRequire(path.join(root, 'package.json'))('@lydell/node-pty');
const arg = (k, d) => process.argv.find((a) => a.startsWith(`--${k}=`))?.split('=')[1] ?? d;
const rounds = Number(arg('rounds', 3));
const count = Number(arg('count', 60));
const keep = [];
const grow = (mb) => {
  while (keep.length < mb) keep.push(new Array(1024 * 128).fill(keep.length)); // ~1 MB each
};
const one = () =>
  new Promise((resolve) => {
    const a = performance.now();
    const p = pty.spawn('cat', [], { cols: 80, rows: 24, cwd: '/tmp', env: process.env });
    const spawnMs = performance.now() - a;
    p.onExit(() => resolve(spawnMs));
    p.kill('SIGHUP');
  });
const out = {};
for (const mb of [0, 50, 150]) {
  grow(mb);
  const spawnMs = [];
  const ops = [];
  for (let r = 0; r < rounds; r++) {
    const t0 = performance.now();
    for (let i = 0; i < count; i++) spawnMs.push(await one());
    ops.push((count * 1000) / (performance.now() - t0));
  }
  const rss = Math.round(process.memoryUsage().rss / 1e6);
  out[`heap+${mb}MB`] = { rssMB: rss, spawnMsMedian: +percentile(spawnMs, 50).toFixed(3), opsPerSecMedian: Math.round(percentile(ops, 50)), opsPerSec: ops.map(Math.round) };
  process.stderr.write(`[spawn-heap] heap +${mb} MB (RSS ${rss} MB): spawn() ${out[`heap+${mb}MB`].spawnMsMedian} ms, loop ${out[`heap+${mb}MB`].opsPerSecMedian}/s\n`);
}
const json = arg('json', null);
if (json) writeFileSync(path.resolve(json), JSON.stringify(out, null, 2) + '\n');
process.exit(0);
