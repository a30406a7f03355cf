#!/usr/bin/env node
// The relay ladder (perf-lifecycle.md): lifecycle-ab.mjs over ladder-server.mjs's rungs and
// Porthole's builds, under each runtime, every round against that round's raw spawn loop, so the
// bound for an HTTP API (two round trips per create + delete) is measured beside Porthole.
//   node benchmarks/results/perf-lifecycle-probes/ladder.mjs [--runtimes=node,bun] [--rounds=5]
//        [--count=200] [--base=/tmp/lifecycle-base/bin/porthole.js] [--run=N]
// Writes ladder-<runtime>[-<N>].json here. Needs `npm run build:main` (the checks rung imports dist/).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../../..');
const arg = (k, d) => process.argv.find((a) => a.startsWith(`--${k}=`))?.split('=')[1] ?? d;
const base = arg('base', '/tmp/lifecycle-base/bin/porthole.js');
const server = path.join(here, 'ladder-server.mjs');
const targets = ['noop', 'relay', 'checks', 'express'].map((r) => `--target=${r}=${server} --rung=${r}`);
if (existsSync(base)) targets.push(`--target=before=${base}`);
targets.push(`--target=after=${path.join(root, 'bin/porthole.js')}`);
for (const runtime of arg('runtimes', 'node,bun').split(',')) {
  const run = arg('run', '');
  const json = path.join(here, `ladder-${runtime}${run ? `-${run}` : ''}.json`);
  const args = [path.join(root, 'benchmarks/lifecycle-ab.mjs'), `--runtime=${runtime}`, `--rounds=${arg('rounds', 5)}`, `--count=${arg('count', 200)}`, `--json=${json}`, ...targets];
  process.stderr.write(`[ladder] ${runtime}\n`);
  const r = spawnSync(process.execPath, args, { stdio: 'inherit', cwd: root });
  if (r.status !== 0) process.exit(r.status ?? 1);
}
