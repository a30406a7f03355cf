// The idle-RSS floor, step by step (issue 13: idle serve <= 50 MB): a fresh process per rung
// that loads what `serve` loads up to that rung, listens on HTTP, then settles the way
// main/server/memory-settle.ts does (minor GC, 6 s quiet, full GC) and reads RSS 2 s later.
// The last rung is `porthole serve` itself, read 16 s after start (its own settle has run).
// Run from the repo root after `npm run build:main`: [N=2] [RT=node|bun] [SINGLE=1] node benchmarks/results/perf-memory-probes/idle-ladder.mjs
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';

// SINGLE=1: each module alone on top of the first rung, instead of the cumulative ladder.
const SINGLE = ['ws', 'node:https', 'node:crypto', 'node:worker_threads', 'zod', 'jsonwebtoken', 'bcryptjs', 'express'];
const LADDER = [
  ['node:http listening', []],
  ['+ ws, crypto, worker_threads', ['ws', 'node:crypto', 'node:worker_threads']],
  ['+ zod, jsonwebtoken, bcryptjs', ['ws', 'node:crypto', 'node:worker_threads', 'zod', 'jsonwebtoken', 'bcryptjs']],
  ['+ express', ['ws', 'node:crypto', 'node:worker_threads', 'zod', 'jsonwebtoken', 'bcryptjs', 'express']],
];
const CHILD = `
const mods = JSON.parse(process.argv[1]);
for (const m of mods) await import(m);
const http = await import('node:http');
http.createServer((q, s) => s.end('ok')).listen(0, '127.0.0.1');
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
let gc = () => Bun.gc(true);
if (!globalThis.Bun) {
  (await import('node:v8')).setFlagsFromString('--expose-gc');
  gc = (await import('node:vm')).runInNewContext('gc');
}
await sleep(1000);
if (!globalThis.Bun) gc({ type: 'minor', execution: 'sync' });
await sleep(6000);
const keep = []; for (let i = 0; i < 2000; i++) keep.push({ i });
gc();
await sleep(2000);
console.log(readRss());
function readRss() { return Number(/VmRSS:\\s+(\\d+)/.exec(require_fs().readFileSync('/proc/self/status', 'utf8'))[1]) / 1024; }
function require_fs() { return process.getBuiltinModule('node:fs'); }
process.exit(0);
`;
const RUNGS = process.env.SINGLE ? [['node:http listening', []], ...SINGLE.map((m) => [`+ ${m} alone`, [m]])] : LADDER;
const N = Number(process.env.N ?? 2);
const RT = process.env.RT ?? 'node';
const exe = RT === 'bun' ? 'node_modules/.bin/bun' : process.execPath;

function rung(mods) {
  return new Promise((resolve) => {
    const c = spawn(exe, ['--input-type=module', '-e', CHILD, JSON.stringify(mods)].filter((a) => RT !== 'bun' || a !== '--input-type=module'), { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    c.stdout.on('data', (d) => (out += d));
    c.on('exit', () => resolve(Number(out.trim())));
  });
}

function serve() {
  return new Promise((resolve) => {
    const dir = mkdtempSync('/tmp/porthole-ladder-');
    const c = spawn(exe, ['bin/porthole.js', 'serve', '--port', '0', '--data-dir', dir, '--no-auth'], { stdio: ['ignore', 'ignore', 'ignore'] });
    setTimeout(() => {
      const mb = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${c.pid}/status`, 'utf8'))[1]) / 1024;
      c.kill('SIGTERM');
      resolve(mb);
    }, 16_000);
  });
}

const median = (a) => [...a].sort((x, y) => x - y)[a.length >> 1];
const rows = [];
for (const [name, mods] of RUNGS) {
  const runs = await Promise.all(Array.from({ length: N }, () => rung(mods)));
  rows.push([name, runs]);
}
if (!process.env.SINGLE) rows.push(['porthole serve (16 s)', await Promise.all(Array.from({ length: N }, serve))]);
console.log(`runtime ${RT}, n=${N}`);
for (const [name, runs] of rows) console.log(`${name.padEnd(34)} ${median(runs).toFixed(1)} MB  (${runs.map((r) => r.toFixed(1)).join(', ')})`);
