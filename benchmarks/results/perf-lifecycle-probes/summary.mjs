#!/usr/bin/env node
// The tables of perf-lifecycle.md from the probes' JSON here: per runtime and target, the median
// over runs of each run's median round (ratio to that round's raw loop, POST and DELETE ms),
// and the in-process rung (in-process-<runtime>-<build>.jsonl, one run a line).
//   node benchmarks/results/perf-lifecycle-probes/summary.mjs
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const f = (x, d = 3) => x.toFixed(d);
const span = (xs, d = 3) => `${f(median(xs), d)} (${f(Math.min(...xs), d)}-${f(Math.max(...xs), d)})`;

for (const runtime of ['node', 'bun']) {
  const files = readdirSync(here).filter((n) => new RegExp(`^ladder-${runtime}-\\d+\\.json$`).test(n));
  if (files.length === 0) continue;
  const runs = files.map((n) => JSON.parse(readFileSync(path.join(here, n), 'utf8')));
  console.log(`\n${runtime}: ${runs.length} runs x ${runs[0].rounds} rounds x ${runs[0].count} create+delete; raw loop ${span(runs.map((r) => r.raw.median), 0)}/s\n`);
  console.log('| target | ratio to the raw loop | ops/s | POST ms | DELETE ms |');
  console.log('| --- | --- | --- | --- | --- |');
  for (const name of Object.keys(runs[0].targets)) {
    const t = runs.map((r) => r.targets[name]);
    console.log(`| ${name} | ${span(t.map((x) => x.ratio.median))} | ${f(median(t.map((x) => x.opsPerSec.median)), 0)} | ${f(median(t.map((x) => x.postMs.median)), 2)} | ${f(median(t.map((x) => x.deleteMs.median)), 2)} |`);
  }
}

console.log('\nin-process (SessionManager, no HTTP):\n');
console.log('| runtime | build | ratio to the raw loop | create ms | remove ms |');
console.log('| --- | --- | --- | --- | --- |');
for (const runtime of ['node', 'bun']) {
  for (const build of ['before', 'after']) {
    const file = path.join(here, `in-process-${runtime}-${build}.jsonl`);
    if (!existsSync(file)) continue;
    const runs = readFileSync(file, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    console.log(`| ${runtime} | ${build} | ${span(runs.map((r) => r.ratio))} | ${f(median(runs.map((r) => r.createMs)), 2)} | ${f(median(runs.map((r) => r.removeMs)), 2)} |`);
  }
}
