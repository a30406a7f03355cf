// Parse throughput of a headless xterm in a worker with the default young generation vs
// resourceLimits.maxYoungGenerationSizeMb = YG (argv[2], default 4): does a smaller young
// generation for the screen worker cost parsing time? Alternates, 3 rounds, ~13 MB of seq output.
import { Worker } from 'node:worker_threads';
const src = `
const { parentPort } = require('node:worker_threads');
const { Terminal } = require('@xterm/headless');
const t = new Terminal({ cols: 100, rows: 30, scrollback: 10000, allowProposedApi: true });
let s = ''; for (let i = 1; i <= 2000000; i++) s += i + '\\r\\n';
const buf = Buffer.from(s); const CH = 65536;
const t0 = performance.now(); let off = 0;
const next = () => { if (off >= buf.length) { t.write('', () => parentPort.postMessage({ ms: performance.now() - t0, mb: buf.length / 1048576 })); return; } t.write(buf.subarray(off, off + CH), next); off += CH; };
next();`;
const yg = Number(process.argv[2] ?? 4);
const run = (limits) => new Promise((res) => { const w = new Worker(src, { eval: true, resourceLimits: limits }); w.once('message', (m) => { void w.terminate(); res(m); }); });
for (let i = 0; i < 3; i++) {
  const a = await run(undefined), b = await run({ maxYoungGenerationSizeMb: yg });
  console.log(JSON.stringify({ mb: +a.mb.toFixed(1), defaultMs: Math.round(a.ms), [`yg${yg}Ms`]: Math.round(b.ms) }));
}
