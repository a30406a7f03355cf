// Rung 0 of the relay ladder (perf-lifecycle.md): session create + delete with no HTTP at all,
// SessionManager.create() + remove() of a `cat` in this process, against the raw spawn-and-reap
// loop (benchmarks/lib/raw-pty.mjs's, the same PTY) in the same process, interleaved by round.
// Says how much of a create + delete is Porthole's own work rather than the two round trips.
// With --worker, a screen worker is kept busy-idle in the process (one session that printed,
// so its screen is open) to show what the worker's isolate costs every fork.
//   node|bun benchmarks/results/perf-lifecycle-probes/in-process.mjs [--rounds=5] [--count=200] [--dist=DIR] [--worker]
// Needs `npm run build:main` (imports DIR/main/server/..., default this checkout's dist/).
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { pty } from '../../lib/raw-pty.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const arg = (k, d) => process.argv.find((a) => a.startsWith(`--${k}=`))?.split('=')[1] ?? d;
const rounds = Number(arg('rounds', 5));
const count = Number(arg('count', 200));
const dist = path.resolve(arg('dist', path.join(root, 'dist')));
const { SessionManager } = await import(path.join(dist, 'main/server/sessions/manager.js'));
const { loadRuntime } = await import(path.join(dist, 'main/server/runtime.js'));
const { silentLogger } = await import(path.join(dist, 'main/server/log.js'));
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const dir = mkdtempSync(path.join(os.tmpdir(), 'porthole-inproc-'));
const runtime = await loadRuntime();
const mgr = new SessionManager({ recordingsDir: path.join(dir, 'recordings'), logger: silentLogger, pty: runtime.pty });

function rawOnce() {
  return new Promise((resolve) => {
    const p = pty.spawn('cat', [], { cols: 80, rows: 24, cwd: os.tmpdir(), env: process.env });
    p.onExit(() => setImmediate(resolve));
    p.kill('SIGHUP');
  });
}

async function loop(fn) {
  const t0 = performance.now();
  for (let i = 0; i < count; i++) await fn();
  return (count * 1000) / (performance.now() - t0);
}

if (process.argv.includes('--worker')) {
  const s = await mgr.create({ command: ['sh', '-c', 'echo worker; exec cat'], cwd: os.tmpdir() });
  const snap = () => mgr.get(s.id).snapshot();
  while (!(await snap()).includes('worker')) await new Promise((r) => setTimeout(r, 20));
}

const create = [];
const remove = [];
const porthole = async () => {
  const a = performance.now();
  const s = await mgr.create({ command: ['cat'], cwd: os.tmpdir() });
  const b = performance.now();
  await mgr.remove(s.id);
  create.push(b - a);
  remove.push(performance.now() - b);
};
await loop(rawOnce);
await loop(porthole);
const ratios = [];
for (let r = 0; r < rounds; r++) {
  const raw = await loop(rawOnce);
  const ours = await loop(porthole);
  ratios.push(ours / raw);
  process.stderr.write(`[in-process] round ${r + 1}: raw ${raw.toFixed(0)}/s, SessionManager ${ours.toFixed(0)}/s (${(ours / raw).toFixed(3)}x)\n`);
}
const out = { runtime: runtime.info, dist, worker: process.argv.includes('--worker'), rounds, count, ratio: median(ratios), ratios, createMs: median(create), removeMs: median(remove) };
process.stdout.write(JSON.stringify(out) + '\n');
await mgr.closeAll();
rmSync(dir, { recursive: true, force: true });
process.exit(0);
