#!/usr/bin/env node
// Flood throughput, A/B interleaved: several servers side by side in one run, each round a
// fresh raw node-pty flood first (the baseline of that round) and then the same flood through
// each server (in rotating order), so every ratio compares figures taken seconds apart on the
// same loaded 2-core box. A server is `porthole serve` from any build (a checkout of the commit
// before, this one) or benchmarks/lib/relay-server.mjs (the least a server can do: the bound).
//   node benchmarks/flood-ab.mjs --target=NAME=ENTRY[ ARG...][ @ENV=V...][ %RUNTIME-ARG...] ... [--rounds=5]
//        [--viewers=1,10] [--lines=1000000] [--runtime=node|bun] [--json=FILE]
// e.g. --target='before=/tmp/base/bin/porthole.js' --target='after=bin/porthole.js'
//      --target='relay=benchmarks/lib/relay-server.mjs --batch'
// Ratio = raw ms of the round / ms here (1.0 = as fast as reading the bare PTY); the time runs
// until the last viewer has seen the end. CPU = the server's utime+stime per thread class
// (main thread, niced threads = the screen worker, the rest), over the flood plus 1.5 s after.
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { request, requestOk } from './lib/http.mjs';
import { readdirSync, readFileSync } from 'node:fs';
import { percentile } from './lib/stats.mjs';
import { parseTargetFlag, rawPty, startServe } from './lib/ab-serve.mjs';
import { floodOnce } from './lib/workloads.mjs';

const opts = { rounds: 5, viewers: [1, 10], lines: 1_000_000, runtime: 'node', targets: [], json: null };
for (const a of process.argv.slice(2)) {
  const [k, ...rest] = a.replace(/^--/, '').split('=');
  const v = rest.join('=');
  if (k === 'rounds') opts.rounds = Number(v);
  else if (k === 'viewers') opts.viewers = v.split(',').map(Number);
  else if (k === 'lines') opts.lines = Number(v);
  else if (k === 'runtime') opts.runtime = v;
  else if (k === 'json') opts.json = path.resolve(v);
  else if (k === 'target') opts.targets.push(parseTargetFlag(v));
  else {
    process.stderr.write(`flood-ab: unknown flag ${a}\n`);
    process.exit(2);
  }
}
if (opts.targets.length === 0) {
  process.stderr.write('usage: node benchmarks/flood-ab.mjs --target=NAME=ENTRY[ ARG...] ... [--rounds=N] [--viewers=1,10]\n');
  process.exit(2);
}
const log = (m) => process.stderr.write(`[flood-ab] ${m}\n`);

async function rawFlood(lines) {
  // Three floods in one process, the median: the first of a fresh process runs cold.
  const r = await rawPty(opts.runtime, 'flood', 3, lines);
  return { ms: percentile(r.samples.map((x) => x.ms), 50) };
}

async function startTarget(spec) {
  const t = await startServe(spec, opts.runtime);
  const { url } = t;
  return {
    ...t,
    async createSession({ command, cols = 80, rows = 24 }) {
      const res = await requestOk('POST', `${url}/api/sessions`, { command, cwd: os.tmpdir(), cols, rows });
      return res.json.id;
    },
    deleteSession: (id) => request('DELETE', `${url}/api/sessions/${id}`),
    input: (id, text) => requestOk('POST', `${url}/api/sessions/${id}/input`, { data: text }),
    viewerTarget: (id) => ({ kind: 'ws', url: `${url.replace(/^http/, 'ws')}/api/sessions/${id}/ws` }),
  };
}

/** CPU seconds of the server's threads: its main thread, its niced threads (the screen
 *  worker), and the rest (libuv's pool: file writes; V8's helpers: GC). */
function threadCpu(pid) {
  const out = { main: 0, niced: 0, other: 0 };
  let tids = [];
  try {
    tids = readdirSync(`/proc/${pid}/task`);
  } catch {
    return out;
  }
  for (const tid of tids) {
    try {
      const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const sec = (Number(f[11]) + Number(f[12])) / 100; // utime, stime in clock ticks (100/s on Linux)
      if (Number(tid) === pid) out.main += sec;
      else if (Number(f[16]) > 0) out.niced += sec; // field 19: nice
      else out.other += sec;
    } catch {
      /* thread gone */
    }
  }
  return out;
}

const stats = (xs) => {
  if (xs.length === 0) return null;
  const r = (x) => Math.round(x * 1000) / 1000;
  return { median: r(percentile(xs, 50)), min: r(Math.min(...xs)), max: r(Math.max(...xs)), n: xs.length };
};

const targets = [];
for (const spec of opts.targets) targets.push(await startTarget(spec));
log(`servers: ${targets.map((t) => `${t.name} pid ${t.pid}`).join(', ')}`);
const samples = {}; // `${target}.v${n}` -> [{ms, ratio, cpu}]
const raws = [];
try {
  for (let r = 0; r < opts.rounds; r++) {
    const raw = await rawFlood(opts.lines);
    raws.push(raw.ms);
    const order = targets.map((_, i) => targets[(i + r) % targets.length]);
    const line = [`round ${r + 1}: raw ${Math.round(raw.ms)} ms`];
    for (const t of order) {
      for (const v of opts.viewers) {
        const c0 = threadCpu(t.pid);
        const res = await floodOnce(t, { viewers: v, lines: opts.lines, timeoutMs: 60_000 });
        // After the last viewer saw the end, a lagging parser may still be at work: wait for it.
        await new Promise((r) => setTimeout(r, 1500));
        const c1 = threadCpu(t.pid);
        const cpu = { main: c1.main - c0.main, niced: c1.niced - c0.niced, other: c1.other - c0.other };
        const key = `${t.name}.v${v}`;
        // Output frames per viewer: how finely the server cut the flood (each is a send per socket).
        const fpv = res.seen ? res.frames / res.seen : null;
        (samples[key] ??= []).push({ ms: res.ms, ratio: res.ms ? raw.ms / res.ms : null, cpu, resyncs: res.resyncs, fpv });
        line.push(`${key} ${Math.round(res.ms)} ms (${(raw.ms / res.ms).toFixed(2)}x, cpu ${cpu.main.toFixed(2)}+${cpu.niced.toFixed(2)}+${cpu.other.toFixed(2)} s, ${Math.round(fpv)} frames/viewer)`);
      }
    }
    log(line.join(', '));
  }
} finally {
  for (const t of targets) await t.stop();
}
const summary = { lines: opts.lines, runtime: opts.runtime, rounds: opts.rounds, cpus: os.cpus().length, raw: stats(raws), targets: {} };
for (const [key, xs] of Object.entries(samples)) {
  summary.targets[key] = {
    ratio: stats(xs.map((x) => x.ratio).filter((x) => x !== null)),
    ms: stats(xs.map((x) => x.ms).filter((x) => x !== null)),
    cpuMain: stats(xs.map((x) => x.cpu.main)),
    cpuNiced: stats(xs.map((x) => x.cpu.niced)),
    cpuOther: stats(xs.map((x) => x.cpu.other)),
    resyncs: xs.reduce((a, x) => a + x.resyncs, 0),
    framesPerViewer: stats(xs.map((x) => x.fpv).filter((x) => x !== null)),
  };
}
summary.specs = opts.targets;
for (const [key, s] of Object.entries(summary.targets)) {
  log(`${key.padEnd(16)} ratio ${s.ratio?.median} (${s.ratio?.min}-${s.ratio?.max})  ms ${s.ms?.median}  cpu s main ${s.cpuMain.median} niced ${s.cpuNiced.median} other ${s.cpuOther.median}  resyncs ${s.resyncs}  frames/viewer ${s.framesPerViewer?.median}`);
}
log(`raw ${summary.raw.median} ms (${summary.raw.min}-${summary.raw.max})`);
if (opts.json) writeFileSync(opts.json, JSON.stringify(summary, null, 2) + '\n');
