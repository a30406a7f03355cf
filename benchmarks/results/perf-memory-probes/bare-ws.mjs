// What random binary frames up to 1 MiB leave in a bare ws server (bare-ws-server.mjs): RSS idle, after, settled, after GC.
import WebSocket from 'ws'; import { spawn } from 'node:child_process'; import { readFileSync } from 'node:fs';
const child = spawn(process.execPath, [...(process.env.NODEOPTS ?? '').split(' ').filter(Boolean), new URL('./bare-ws-server.mjs', import.meta.url).pathname], { stdio: ['ignore', 'pipe', 'inherit'] });
const port = await new Promise((res) => child.stdout.on('data', (d) => { const m = /port (\d+)/.exec(d); if (m) res(m[1]); else process.stdout.write('server: ' + d); }));
const rss = () => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'))[1]) >> 10;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
console.log('idle', rss());
const end = Date.now() + 10000;
await Promise.all([0, 1, 2].map(async () => { while (Date.now() < end) { const ws = new WebSocket(`ws://127.0.0.1:${port}`); await new Promise((r) => ws.once('open', r)); for (let i = 0; i < 5; i++) ws.send(Buffer.alloc(Math.floor(Math.random() * (1 << 20)), 0x61), { binary: !process.env.TEXT }); await sleep(20); ws.close(); await new Promise((r) => ws.once('close', r)); } }));
console.log('after', rss()); await sleep(5000); console.log('settled', rss()); child.kill('SIGUSR2'); await sleep(300); console.log('after gc', rss()); if (process.env.SMAPS) (await import('node:fs')).writeFileSync(process.env.SMAPS, readFileSync('/proc/' + child.pid + '/smaps')); child.kill();
