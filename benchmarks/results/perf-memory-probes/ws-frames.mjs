// Run from the repo root. Env: KIND=over|bin|text (frame kind, default the fuzz mix), CMD (the session command, default cat), NODEOPTS (serve node flags), MEMLOG (+ --require memlog.cjs), SMAPS=file.
// quick: random frames up to 2 MiB at a separate serve for N seconds, print RSS timeline
import { spawn } from 'node:child_process';
import { readFileSync, mkdtempSync, appendFileSync } from 'node:fs';
import WebSocket from 'ws';
const SECS = Number(process.argv[2] ?? 30);
const rt = process.env.RT ?? process.execPath;
const dir = mkdtempSync('/tmp/porthole-memfuzz-');
const extra = (process.env.NODEOPTS ?? '').split(' ').filter(Boolean);
const child = spawn(rt, [...extra, 'bin/porthole.js', 'serve', '--port', '0', '--data-dir', dir, '--no-auth'], { stdio: ['ignore', 'pipe', 'ignore'], env: { ...process.env } });
const url = await new Promise((res) => { let b = ''; child.stdout.on('data', (d) => { if (process.env.CHILD_OUT) appendFileSync(process.env.CHILD_OUT, d); b += d; const m = /listening on (\S+)/.exec(b); if (m) res(m[1]); }); });
const rss = () => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'))[1]) / 1024;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const sess = await (await fetch(url + '/api/sessions', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ command: (process.env.CMD ?? 'cat').split(' ') }) })).json();
await sleep(1500);
const idle = rss();
console.log('idle', idle.toFixed(1));
let seed = 1; const r = () => { seed = (seed * 1103515245 + 12345) & 0x7fffffff; return seed / 0x7fffffff; };
const deadline = Date.now() + SECS * 1000; let frames = 0, bytes = 0; let peak = 0;
const loop = async () => {
  while (Date.now() < deadline) {
    const ws = new WebSocket(url.replace('http', 'ws') + `/api/sessions/${sess.id}/ws`, { maxPayload: 64 << 20 });
    ws.on('error', () => {});
    const closed = new Promise((res) => ws.on('close', res));
    const ok = await Promise.race([new Promise((res) => ws.once('open', () => res(true))), closed.then(() => false)]);
    if (ok) for (let i = 0; i < 1 + Math.floor(r() * 8) && ws.readyState === 1; i++) {
      const K = process.env.KIND; const n = K === 'over' ? Math.floor((1 << 20) + 1 + r() * (1 << 20)) : K ? Math.floor(1024 + r() * ((1 << 20) - 1024)) : r() < 0.8 ? Math.floor(1024 + r() * (1 << 20)) : Math.floor((1 << 20) + r() * (1 << 20));
      const bin = K === 'text' ? false : K === 'bin' ? true : r() < 0.7;
      ws.send(Buffer.alloc(n, 0x61), { binary: bin }); frames++; bytes += n;
      if (r() < 0.3) await sleep(Math.floor(r() * 30));
    }
    await sleep(Math.floor(r() * 100));
    if (ws.readyState === 1) ws.close(1000);
    await Promise.race([closed, sleep(5000)]); ws.terminate();
  }
};
if (process.env.MEMLOG) { child.kill('SIGUSR2'); await sleep(200); }
const tick = setInterval(() => { peak = Math.max(peak, rss()); }, 500);
await Promise.all([loop(), loop(), loop()]);
clearInterval(tick);
const after = rss();
await sleep(10000);
const settled = rss();
if (process.env.MEMLOG) { child.kill("SIGUSR2"); await sleep(300); }
console.log(JSON.stringify({ frames, MiB: Math.round(bytes / 1048576), idle: +idle.toFixed(1), peak: +peak.toFixed(1), after: +after.toFixed(1), settled10s: +settled.toFixed(1) }));
if (process.env.SMAPS) { const { writeFileSync } = await import('node:fs'); writeFileSync(process.env.SMAPS, readFileSync(`/proc/${child.pid}/smaps`)); }
child.kill('SIGTERM');
