// Echo latency against flood framing, two builds side by side in one run (issue 13, point 1).
// The machine is shared and loaded, so absolute times drift: each round runs every build once,
// in alternating order, and the figures are medians over rounds of each round's p50/p99.
//
//   node benchmarks/echo-batch.mjs [rounds] label=path/to/bin/porthole.js ...
// No builds named: this checkout only. Writes benchmarks/results/echo-batch.json.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { portholeTarget, ROOT } from './lib/targets.mjs';
import { percentile, sleep } from './lib/stats.mjs';

const require = createRequire(path.join(ROOT, 'package.json'));
const WebSocket = require('ws');

const args = process.argv.slice(2);
const rounds = Number(args.find((a) => /^\d+$/.test(a)) ?? 5);
const builds = args.filter((a) => a.includes('=')).map((a) => a.split('='));
if (builds.length === 0) builds.push(['this', path.join(ROOT, 'bin', 'porthole.js')]);
const KEYS = 200;
const FLOOD_LINES = 200_000;

function open(url) {
  const ws = new WebSocket(url, { perMessageDeflate: false });
  const c = { ws, frames: [], onBinary: null };
  c.ready = new Promise((resolve, reject) => {
    ws.on('message', (data, isBinary) => {
      if (isBinary) c.onBinary?.(data);
      else if (data.toString().includes('"ready"')) resolve();
    });
    ws.on('error', reject);
  });
  return c;
}

/** 200 keys back to back: the next key goes when the last one's echo arrives. */
async function echo(t) {
  const id = await t.createSession({ command: ['cat'] });
  const c = open(t.viewerTarget(id).url);
  await c.ready;
  await sleep(300);
  const lat = [];
  for (let i = 0; i < KEYS; i++) {
    const ch = String.fromCharCode(97 + (i % 26));
    lat.push(
      await new Promise((resolve) => {
        const t0 = performance.now();
        c.onBinary = (d) => {
          if (d.includes(ch)) resolve(performance.now() - t0);
        };
        c.ws.send(Buffer.from(ch), { binary: true });
      }),
    );
    if (i % 60 === 59) {
      c.onBinary = null;
      c.ws.send(Buffer.from('\r'), { binary: true });
      await sleep(30);
    }
  }
  c.ws.terminate();
  await t.deleteSession(id);
  return { p50: percentile(lat, 50), p99: percentile(lat, 99) };
}

/** `seq 1 200000` to one ws viewer: frames and bytes per frame. */
async function flood(t) {
  const id = await t.createSession({ command: ['sh', '-c', `read _; seq 1 ${FLOOD_LINES}; echo FLOOD-DONE; exec sleep 3600`] });
  const c = open(t.viewerTarget(id).url);
  await c.ready;
  await sleep(200);
  let frames = 0;
  let bytes = 0;
  let tail = '';
  const t0 = performance.now();
  await new Promise((resolve) => {
    c.onBinary = (d) => {
      frames++;
      bytes += d.length;
      tail = (tail + d.toString('latin1')).slice(-40);
      if (tail.includes('FLOOD-DONE')) resolve();
    };
    c.ws.send(Buffer.from('\r'), { binary: true });
  });
  const ms = performance.now() - t0;
  c.ws.terminate();
  await t.deleteSession(id);
  return { frames, bytesPerFrame: bytes / frames, ms };
}

const med = (xs) => percentile(xs, 50);
const results = Object.fromEntries(builds.map(([label]) => [label, { p50: [], p99: [], frames: [], bytesPerFrame: [], floodMs: [] }]));
for (let r = 0; r < rounds; r++) {
  const order = r % 2 === 0 ? builds : [...builds].reverse();
  for (const [label, entry] of order) {
    process.env.BENCH_PORTHOLE_ENTRY = entry;
    const t = await portholeTarget().start();
    try {
      const e = await echo(t);
      const f = await flood(t);
      const o = results[label];
      o.p50.push(e.p50);
      o.p99.push(e.p99);
      o.frames.push(f.frames);
      o.bytesPerFrame.push(f.bytesPerFrame);
      o.floodMs.push(f.ms);
      process.stderr.write(`[round ${r + 1}] ${label}: echo p50 ${e.p50.toFixed(2)} p99 ${e.p99.toFixed(2)} ms; flood ${f.frames} frames, ${Math.round(f.bytesPerFrame)} B/frame, ${Math.round(f.ms)} ms\n`);
    } finally {
      await t.stop();
    }
  }
}
const summary = {};
for (const [label, o] of Object.entries(results)) {
  summary[label] = {
    rounds,
    keys: KEYS,
    floodLines: FLOOD_LINES,
    'echo.p50ms': { median: med(o.p50), min: Math.min(...o.p50), max: Math.max(...o.p50) },
    'echo.p99ms': { median: med(o.p99), min: Math.min(...o.p99), max: Math.max(...o.p99) },
    'flood.frames': { median: med(o.frames), min: Math.min(...o.frames), max: Math.max(...o.frames) },
    'flood.bytesPerFrame': { median: Math.round(med(o.bytesPerFrame)) },
    'flood.ms': { median: Math.round(med(o.floodMs)), min: Math.round(Math.min(...o.floodMs)), max: Math.round(Math.max(...o.floodMs)) },
  };
}
const out = path.join(ROOT, 'benchmarks', 'results', 'echo-batch.json');
writeFileSync(out, JSON.stringify({ at: new Date().toISOString(), summary }, null, 2) + '\n');
console.log(JSON.stringify(summary, null, 2));
