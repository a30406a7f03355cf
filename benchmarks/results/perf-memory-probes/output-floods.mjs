// output floods to N viewers against a separate serve, then RSS 10 s later (TRACE=file: the child's stdout, e.g. with NODEOPTS=--trace-gc)
import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync, mkdtempSync } from 'node:fs';
import WebSocket from 'ws';
const dir = mkdtempSync('/tmp/porthole-memflood-');
const extra = (process.env.NODEOPTS ?? '').split(' ').filter(Boolean);
const child = spawn(process.env.RT ?? process.execPath, [...extra, 'bin/porthole.js', 'serve', '--port', '0', '--data-dir', dir, '--no-auth'], { stdio: ['ignore', 'pipe', process.env.TRACE ? 'pipe' : 'ignore'] });
for (const s of [child.stdout, child.stderr]) s?.on('data', (d) => process.env.TRACE && require('fs').appendFileSync(process.env.TRACE, d));
const url = await new Promise((res) => { let b = ''; child.stdout.on('data', (d) => { b += d; const m = /listening on (\S+)/.exec(b); if (m) res(m[1]); }); });
const rss = () => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'))[1]) / 1024;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const api = (p, body, method = 'POST') => fetch(url + p, { method, headers: { 'content-type': 'application/json' }, body: body && JSON.stringify(body) });
await sleep(1500);
const idle = rss();
const LINES = Number(process.env.LINES ?? 200000);
const ms = {};
for (const viewers of [1, 10, 100]) {
  const s = await (await api('/api/sessions', { command: ['sh', '-c', `read _; seq 1 ${LINES}; echo FLOOD-DONE; exec sleep 3600`] })).json();
  const socks = [];
  const done = [];
  for (let i = 0; i < viewers; i++) {
    const ws = new WebSocket(url.replace('http', 'ws') + `/api/sessions/${s.id}/ws`);
    let tail = '';
    done.push(new Promise((res) => ws.on('message', (d, bin) => { if (!bin) return; tail = (tail + d.toString('latin1')).slice(-64); if (tail.includes('FLOOD-DONE')) res(); })));
    await new Promise((r) => ws.once('open', r));
    socks.push(ws);
  }
  await sleep(300);
  const t0 = performance.now();
  await api(`/api/sessions/${s.id}/input`, { data: '\n' });
  await Promise.race([Promise.all(done), sleep(30000)]);
  ms[viewers] = Math.round(performance.now() - t0);
  for (const ws of socks) ws.close();
  if (!process.env.KEEP) await api(`/api/sessions/${s.id}`, undefined, 'DELETE'); // KEEP=1: sessions (and the screen worker) stay
}
const after = rss();
// SERIES=1: RSS once a second over the settle, to see when memory comes back.
const series = [];
for (let i = 0; i < 10; i++) { await sleep(1000); if (process.env.SERIES) series.push(+rss().toFixed(1)); }
const settled = rss();
if (process.env.MEMLOG) { child.kill("SIGUSR2"); await sleep(1000); console.log("after memlog", rss().toFixed(1)); }
if (process.env.SMAPS) writeFileSync(process.env.SMAPS, readFileSync(`/proc/${child.pid}/smaps`));
console.log(JSON.stringify({ lines: LINES, idle: +idle.toFixed(1), after: +after.toFixed(1), settled10s: +settled.toFixed(1), floodMs: ms, ...(series.length ? { series } : {}) }));
child.kill('SIGTERM');
