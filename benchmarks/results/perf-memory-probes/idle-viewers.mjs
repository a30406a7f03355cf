// RSS per idle viewer: N sockets on one session of a separate serve
import { spawn } from 'node:child_process';
import { readFileSync, mkdtempSync } from 'node:fs';
import WebSocket from 'ws';
const N = Number(process.env.N ?? 1000);
const dir = mkdtempSync('/tmp/porthole-memview-');
const extra = (process.env.NODEOPTS ?? '').split(' ').filter(Boolean);
const child = spawn(process.env.RT ?? process.execPath, [...extra, 'bin/porthole.js', 'serve', '--port', '0', '--data-dir', dir, '--no-auth'], { stdio: ['ignore', 'pipe', 'ignore'] });
const url = await new Promise((res) => { let b = ''; child.stdout.on('data', (d) => { b += d; const m = /listening on (\S+)/.exec(b); if (m) res(m[1]); }); });
const st = () => readFileSync(`/proc/${child.pid}/status`, 'utf8');
const rss = () => Number(/VmRSS:\s+(\d+)/.exec(st())[1]);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const s = await (await fetch(url + '/api/sessions', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ command: ['sh', '-c', 'echo hi; exec sleep 3600'] }) })).json();
await sleep(1500);
// warm: 50 viewers open and close, so one-time costs are not counted per viewer
for (let round = 0; round < 2; round++) {
  const w = await Promise.all(Array.from({ length: 50 }, () => new Promise((res) => { const ws = new WebSocket(url.replace('http', 'ws') + `/api/sessions/${s.id}/ws`); ws.on('message', (d, bin) => { if (!bin && JSON.parse(d).type === 'ready') res(ws); }); })));
  for (const ws of w) ws.close();
  await sleep(500);
}
await sleep(1000);
if (process.env.MEMLOG) { child.kill('SIGUSR2'); await sleep(500); }
const before = rss();
const socks = [];
for (let i = 0; i < N; i += 50) {
  socks.push(...(await Promise.all(Array.from({ length: Math.min(50, N - i) }, () => new Promise((res) => { const ws = new WebSocket(url.replace('http', 'ws') + `/api/sessions/${s.id}/ws`); ws.on('message', (d, bin) => { if (!bin && JSON.parse(d).type === 'ready') res(ws); }); })))));
}
await sleep(2000);
if (process.env.MEMLOG) { child.kill('SIGUSR2'); await sleep(500); }
const after = rss();
console.log(JSON.stringify({ viewers: socks.length, beforeKB: before, afterKB: after, kbPerViewer: +((after - before) / socks.length).toFixed(1) }));
if (process.env.SNAP) { child.kill('SIGUSR2'); await sleep(4000); }
for (const ws of socks) ws.terminate();
child.kill('SIGTERM');
process.exit(0);
