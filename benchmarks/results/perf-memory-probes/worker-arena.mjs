// The bound for "RSS 10 s after the floods": a bare Node process (no Porthole) whose worker
// thread parses the bench's three floods with @xterm/headless (scrollback 10,000, as the screen
// worker does), disposes each terminal, and is then terminated. RSS idle / after / settled,
// after a full GC on the main thread 6 s into the quiet (what memory-settle.ts does), and the
// largest anonymous mapping (a glibc thread arena). MODE=worker (default) | main (parse on the
// main thread: the main arena instead) | none (no parse: the baseline).
import { Worker } from 'node:worker_threads';
import { readFileSync } from 'node:fs';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { createRequire } from 'node:module';
const require = createRequire(import.meta.url);
const xtermPath = require.resolve('@xterm/headless');
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc');
const MODE = process.env.MODE ?? 'worker';
const LINES = Number(process.env.LINES ?? 200000);
const rss = () => +(Number(/VmRSS:\s+(\d+)/.exec(readFileSync('/proc/self/status', 'utf8'))[1]) / 1024).toFixed(1);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
function biggestAnon() {
  const lines = readFileSync('/proc/self/smaps', 'utf8').split('\n');
  let best = 0, cur = null;
  for (const l of lines) {
    if (/^[0-9a-f]+-[0-9a-f]+ /.test(l)) cur = l.split(/\s+/).length <= 5 || l.trim().split(/\s+/).length === 5 ? 'anon' : 'file';
    else if (l.startsWith('Rss:') && cur === 'anon') best = Math.max(best, Number(l.split(/\s+/)[1]));
  }
  return +(best / 1024).toFixed(1);
}
const SRC = `
const { parentPort } = require('node:worker_threads');
const { Terminal } = require(${JSON.stringify(xtermPath)});
let seq = '';
for (let i = 1; i <= ${LINES}; i++) seq += i + '\\r\\n';
const bytes = Buffer.from(seq);
parentPort.on('message', async () => {
  const t = new Terminal({ cols: 80, rows: 24, scrollback: ${Number(process.env.SCROLLBACK ?? 10000)}, allowProposedApi: true });
  const copy = ${process.env.NOCOPY ? 'false' : 'true'};
  for (let o = 0; o < bytes.length; o += 65536) await new Promise((r) => t.write(copy ? new Uint8Array(bytes.subarray(o, o + 65536)) : bytes.subarray(o, o + 65536), r));
  t.dispose();
  parentPort.postMessage('done');
});`;
await sleep(500);
const idle = rss();
if (MODE === 'worker') {
  const w = new Worker(SRC, { eval: true, resourceLimits: { maxYoungGenerationSizeMb: 8 } });
  for (let i = 0; i < 3; i++) { w.postMessage('go'); await new Promise((r) => w.once('message', r)); }
  await w.terminate();
} else if (MODE === 'child') {
  // The alternative design: the screens in a child process, whose memory all goes back when it
  // exits. `duringMB` is what it costs while sessions live: its own runtime on top.
  const { fork } = await import('node:child_process');
  const src = SRC.replace("const { parentPort } = require('node:worker_threads');", "const parentPort = { on: (e, f) => process.on('message', f), postMessage: (m) => process.send(m) };");
  const { spawn } = await import('node:child_process');
  const c = spawn(process.execPath, ['-e', src], { stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  let peak = 0;
  for (let i = 0; i < 3; i++) {
    c.send('go');
    await new Promise((r) => c.once('message', r));
    peak = Math.max(peak, Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${c.pid}/status`, 'utf8'))[1]) / 1024);
  }
  console.error(JSON.stringify({ childRssMB: +peak.toFixed(1), parentRssMB: rss() }));
  c.kill();
  await new Promise((r) => c.once('exit', r));
} else if (MODE === 'main') {
  const { Terminal } = require(xtermPath);
  let seq = '';
  for (let i = 1; i <= LINES; i++) seq += i + '\r\n';
  const bytes = Buffer.from(seq);
  for (let k = 0; k < 3; k++) {
    const t = new Terminal({ cols: 80, rows: 24, scrollback: 10000, allowProposedApi: true });
    for (let o = 0; o < bytes.length; o += 65536) await new Promise((r) => t.write(new Uint8Array(bytes.subarray(o, o + 65536)), r));
    t.dispose();
  }
}
const after = rss();
await sleep(6500);
gc();
await sleep(3500);
console.log(JSON.stringify({ mode: MODE, lines: LINES, idle, after, settled: rss(), settledOverIdle: +(rss() - idle).toFixed(1), biggestAnonMB: biggestAnon() }));
