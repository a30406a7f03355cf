#!/usr/bin/env node
// Session create + delete, A/B interleaved: several `porthole serve` builds side by side, each
// round a fresh raw spawn-and-reap loop first (benchmarks/lib/raw-pty.mjs, the baseline of that
// round) and then the same number of sequential POST /api/sessions {command:["cat"]} + DELETE
// through each server in rotating order, so every ratio compares figures taken seconds apart.
// POST and DELETE are timed apart (median per round), which says where the time goes.
//   node benchmarks/lifecycle-ab.mjs --target=NAME=ENTRY[ ARG...][ %RUNTIME-ARG...] ... [--rounds=5] [--count=100]
//        [--runtime=node|bun] [--json=FILE]
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { request, requestOk } from './lib/http.mjs';
import { percentile } from './lib/stats.mjs';
import { parseTargetFlag, rawPty, startServe } from './lib/ab-serve.mjs';

const opts = { rounds: 5, count: 100, runtime: 'node', targets: [], json: null };
for (const a of process.argv.slice(2)) {
  const [k, ...rest] = a.replace(/^--/, '').split('=');
  const v = rest.join('=');
  if (k === 'rounds') opts.rounds = Number(v);
  else if (k === 'count') opts.count = Number(v);
  else if (k === 'runtime') opts.runtime = v;
  else if (k === 'json') opts.json = path.resolve(v);
  else if (k === 'target') opts.targets.push(parseTargetFlag(v));
  else {
    process.stderr.write(`lifecycle-ab: unknown flag ${a}\n`);
    process.exit(2);
  }
}
if (opts.targets.length === 0) {
  process.stderr.write('usage: node benchmarks/lifecycle-ab.mjs --target=NAME=ENTRY[ ARG...] ... [--rounds=N] [--count=N]\n');
  process.exit(2);
}
const log = (m) => process.stderr.write(`[lifecycle-ab] ${m}\n`);

async function rawSpawnReap(count) {
  return (await rawPty(opts.runtime, 'spawn', 1, count)).samples[0];
}


async function loop(t, count) {
  const post = [];
  const del = [];
  const t0 = performance.now();
  for (let i = 0; i < count; i++) {
    const a = performance.now();
    const res = await requestOk('POST', `${t.url}/api/sessions`, { command: ['cat'], cwd: os.tmpdir(), cols: 80, rows: 24 });
    const b = performance.now();
    const d = await request('DELETE', `${t.url}/api/sessions/${res.json.id}`);
    if (d.status !== 204) throw new Error(`DELETE -> ${d.status}`);
    del.push(performance.now() - b);
    post.push(b - a);
  }
  const ms = performance.now() - t0;
  return { opsPerSec: (count * 1000) / ms, postMs: percentile(post, 50), deleteMs: percentile(del, 50) };
}

const stats = (xs) => {
  const r = (x) => Math.round(x * 1000) / 1000;
  return { median: r(percentile(xs, 50)), min: r(Math.min(...xs)), max: r(Math.max(...xs)), n: xs.length };
};

const targets = [];
for (const spec of opts.targets) targets.push(await startServe(spec, opts.runtime));
const samples = {};
const raws = [];
try {
  for (const t of targets) await loop(t, 5); // warm up: first session starts the screen worker
  for (let r = 0; r < opts.rounds; r++) {
    const raw = await rawSpawnReap(opts.count);
    raws.push(raw.opsPerSec);
    const line = [`round ${r + 1}: raw ${Math.round(raw.opsPerSec)}/s`];
    for (const t of targets.map((_, i) => targets[(i + r) % targets.length])) {
      const res = await loop(t, opts.count);
      (samples[t.name] ??= []).push({ ...res, ratio: res.opsPerSec / raw.opsPerSec });
      line.push(`${t.name} ${Math.round(res.opsPerSec)}/s (${(res.opsPerSec / raw.opsPerSec).toFixed(3)}x; POST ${res.postMs.toFixed(2)} ms, DELETE ${res.deleteMs.toFixed(2)} ms)`);
    }
    log(line.join(', '));
  }
} finally {
  for (const t of targets) await t.stop();
}
const summary = { count: opts.count, runtime: opts.runtime, rounds: opts.rounds, raw: stats(raws), targets: {}, specs: opts.targets };
for (const [name, xs] of Object.entries(samples)) {
  summary.targets[name] = {
    ratio: stats(xs.map((x) => x.ratio)),
    opsPerSec: stats(xs.map((x) => x.opsPerSec)),
    postMs: stats(xs.map((x) => x.postMs)),
    deleteMs: stats(xs.map((x) => x.deleteMs)),
  };
  const s = summary.targets[name];
  log(`${name.padEnd(10)} ratio ${s.ratio.median} (${s.ratio.min}-${s.ratio.max})  ${s.opsPerSec.median}/s  POST ${s.postMs.median} ms  DELETE ${s.deleteMs.median} ms`);
}
log(`raw ${summary.raw.median}/s (${summary.raw.min}-${summary.raw.max})`);
if (opts.json) writeFileSync(opts.json, JSON.stringify(summary, null, 2) + '\n');
