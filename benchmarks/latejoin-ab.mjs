// Late join on a session that printed `seq 1 10000`, two builds side by side in one run
// (issue 13, late join). The machine is shared and loaded, so each round runs every build once,
// in alternating order, with the bench's own workload (lib/workloads.mjs lateJoin); the figures
// are medians and min-max over every join of every round. Also the floor: a WebSocket that only
// opens and gets one small message back on loopback (ws's own echo server, no Porthole), so
// the part of the visible figure that no server work can remove is measured in the same run.
//
//   node benchmarks/latejoin-ab.mjs [rounds] [repeats=N] label=path/to/bin/porthole.js ...
// No builds named: this checkout only. Writes benchmarks/results/perf-latejoin.json.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { portholeTarget, ROOT } from './lib/targets.mjs';
import { lateJoin } from './lib/workloads.mjs';
import { summarize, sleep } from './lib/stats.mjs';

const require = createRequire(path.join(ROOT, 'package.json'));
const WebSocket = require('ws');

const args = process.argv.slice(2);
const rounds = Number(args.find((a) => /^\d+$/.test(a)) ?? 3);
const repeats = Number(args.find((a) => a.startsWith('repeats='))?.slice(8) ?? 5);
const builds = args.filter((a) => a.includes('=') && !a.startsWith('repeats=')).map((a) => a.split('='));
if (builds.length === 0) builds.push(['this', path.join(ROOT, 'bin', 'porthole.js')]);

/** open -> first message on a bare ws server in this process: the loopback socket alone. */
async function wsFloor(n) {
  const server = new WebSocket.Server({ port: 0, perMessageDeflate: false });
  await new Promise((r) => server.once('listening', r));
  server.on('connection', (ws) => ws.send(Buffer.alloc(2000, 0x41)));
  const url = `ws://127.0.0.1:${server.address().port}`;
  const out = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    const ws = new WebSocket(url, { perMessageDeflate: false });
    await new Promise((r) => ws.once('message', r));
    out.push(performance.now() - t0);
    ws.terminate();
    await sleep(20);
  }
  await new Promise((r) => server.close(r));
  return out;
}

/** What the screen worker spends per join: serializing 10,000 lines against only the visible rows. */
async function serializeCost(n) {
  const { Terminal } = require('@xterm/headless');
  const { SerializeAddon } = require('@xterm/addon-serialize');
  const term = new Terminal({ cols: 80, rows: 24, scrollback: 10_000, allowProposedApi: true });
  const ser = new SerializeAddon();
  term.loadAddon(ser);
  await new Promise((r) => term.write(Array.from({ length: 10_000 }, (_, i) => `${i + 1}\r\n`).join(''), r));
  const full = [];
  const visible = [];
  for (let i = 0; i < n; i++) {
    let t0 = performance.now();
    ser.serialize({ scrollback: 10_000 });
    full.push(performance.now() - t0);
    t0 = performance.now();
    ser.serialize({ scrollback: 0 });
    visible.push(performance.now() - t0);
  }
  term.dispose();
  return { full: summarize(full, 'ms'), visible: summarize(visible, 'ms') };
}

const keys = ['latejoin.visibleMs', 'latejoin.fullMs', 'latejoin.idleMs', 'latejoin.unchangedMs'];
const samples = Object.fromEntries(builds.map(([label]) => [label, Object.fromEntries(keys.map((k) => [k, []]))]));
const floor = [];
for (let round = 0; round < rounds; round++) {
  const order = round % 2 === 0 ? builds : [...builds].reverse();
  for (const [label, entry] of order) {
    process.env.BENCH_PORTHOLE_ENTRY = entry;
    const t = await portholeTarget().start();
    try {
      const res = await lateJoin(t, { lateJoinRepeats: repeats });
      for (const k of keys) samples[label][k].push(...res[k].samples);
      process.stderr.write(`[latejoin-ab] round ${round + 1} ${label}: ${keys.map((k) => `${k.split('.')[1]} ${res[k].median}`).join(', ')}\n`);
    } finally {
      await t.stop();
    }
  }
  floor.push(...(await wsFloor(10)));
}

const serialize = await serializeCost(30);
const result = {
  date: new Date().toISOString(),
  serializeMs: serialize,
  rounds,
  repeats,
  builds: Object.fromEntries(builds),
  wsFloorMs: summarize(floor, 'ms'),
  figures: Object.fromEntries(builds.map(([label]) => [label, Object.fromEntries(keys.map((k) => [k, summarize(samples[label][k], 'ms')]))])),
};
writeFileSync(path.join(ROOT, 'benchmarks', 'results', 'perf-latejoin.json'), JSON.stringify(result, null, 2) + '\n');
const fmt = (s) => (s.median === null ? 'n/a' : `${s.median} (${s.min}-${s.max}, n=${s.n})`);
console.log(`| build | ${keys.map((k) => k.split('.')[1]).join(' | ')} |`);
console.log(`| --- | ${keys.map(() => '---').join(' | ')} |`);
for (const [label] of builds) console.log(`| ${label} | ${keys.map((k) => fmt(result.figures[label][k])).join(' | ')} |`);
console.log(`\nws open -> first message on loopback (no server work): ${fmt(result.wsFloorMs)}`);
console.log(`serialize 10,000 lines + 24 rows: ${fmt(serialize.full)}; the 24 visible rows only: ${fmt(serialize.visible)}`);
