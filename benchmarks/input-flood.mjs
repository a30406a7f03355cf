// Issue 8 point 5: the server's memory while a client floods a program that does not read its
// input. Starts `porthole serve --no-auth` (dist/, its own process), a `sleep 120` session, and
// sends 64 KiB binary frames at up to RATE per second for SECONDS (the attack was ~830/s: under
// the 2000/s message limit), never queueing more than 8 MiB in this client. Samples the
// server's RSS from /proc every 250 ms.
// PROGRAM: `sleep` (the attack as sent: canonical mode, the kernel drops what does not fit)
// or `raw` (`stty raw -echo; sleep 120`: the kernel keeps it, so the server must hold it back).
// Usage: node benchmarks/input-flood.mjs [label] [seconds=15] [rate=830] [sleep|raw]   (npm run build:main first)
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import { listeningPort } from './lib/proc.mjs';

const [label = 'current', seconds = '15', rate = '830', program = 'sleep'] = process.argv.slice(2);
const command = program === 'raw' ? ['sh', '-c', 'stty raw -echo; sleep 120'] : ['sleep', '120'];
const dir = mkdtempSync(join(tmpdir(), 'porthole-input-flood-'));
const child = spawn(process.execPath, ['bin/porthole.js', 'serve', '--port', '0', '--no-auth', '--data-dir', dir], { stdio: ['ignore', 'pipe', 'ignore'] });
const port = await listeningPort(child);
const rssMb = () => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'))[1]) / 1024;

const res = await fetch(`http://127.0.0.1:${port}/api/sessions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ command }) });
const s = await res.json();
const ws = new WebSocket(`ws://127.0.0.1:${port}/api/sessions/${s.id}/ws`);
await new Promise((r) => ws.once('open', r));
ws.send(JSON.stringify({ type: 'auth', token: '' }));
let closed = null;
ws.on('close', (code) => (closed = code));
ws.on('message', () => {});
await new Promise((r) => setTimeout(r, 300));

const frame = Buffer.alloc(64 * 1024, 'a');
const start = rssMb();
const samples = [];
let sent = 0;
const t0 = Date.now();
const perTick = Math.max(1, Math.round(Number(rate) / 100));
const sampler = setInterval(() => samples.push(rssMb()), 250);
// /health from this process, every 200 ms: a frozen server shows as timeouts.
const health = [];
let flooding = true;
const prober = (async () => {
  while (flooding) {
    const h0 = performance.now();
    const ok = await fetch(`http://127.0.0.1:${port}/health`, { signal: AbortSignal.timeout(2000) }).then((r) => r.ok, () => false);
    health.push(ok ? performance.now() - h0 : Infinity);
    await new Promise((r) => setTimeout(r, 200));
  }
})();
while (Date.now() - t0 < Number(seconds) * 1000 && closed === null) {
  for (let i = 0; i < perTick && ws.bufferedAmount < 8 * 1024 * 1024; i++) {
    ws.send(frame, { binary: true });
    sent++;
  }
  await new Promise((r) => setTimeout(r, 10));
}
clearInterval(sampler);
flooding = false;
await prober;
const answered = health.filter(Number.isFinite).sort((a, b) => a - b);
const wireMb = (sent * frame.length - ws.bufferedAmount) / 2 ** 20;
const peak = Math.max(...samples);
console.log(
  `${label}: ${seconds} s at up to ${rate} frames/s: ${sent} frames queued, ${wireMb.toFixed(0)} MiB left the client; ` +
    `server RSS ${start.toFixed(0)} MB -> peak ${peak.toFixed(0)} MB, end ${samples.at(-1).toFixed(0)} MB; socket ${closed === null ? 'open' : `closed ${closed}`}; ` +
    `/health ${answered.length}/${health.length} answered (2 s timeout), max ${answered.at(-1)?.toFixed(0) ?? '-'} ms`,
);
ws.terminate();
child.kill('SIGTERM');
await new Promise((r) => child.once('exit', r));
rmSync(dir, { recursive: true, force: true });
