// JS heap per idle viewer after a full GC (Node only): deterministic where RSS is noise, so
// it shows what each change to the per-socket objects bought. N viewers join one session of a
// separate `porthole serve` (started with --expose-gc and heaplog.cjs), 50 at a time, after a
// warm-up of 2 x 50 that open and close (one-time costs are not per viewer).
//   node heap-ab.mjs NAME=ENTRY ...   env: ROUNDS (3), N (1000), AUTH=1 (a password; every
//   viewer authenticates with the owner token: the principal, registry and expiry paths)
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(path.join(HERE, '../../../package.json'));
const WebSocket = require('ws');
const ROUNDS = Number(process.env.ROUNDS ?? 3);
const N = Number(process.env.N ?? 1000);
const AUTH = process.env.AUTH === '1';
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const targets = process.argv.slice(2).map((a) => {
  const [name, entry] = a.split('=');
  return { name, entry: path.resolve(entry) };
});

async function once(entry) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'porthole-heap-'));
  const log = path.join(dir, 'heap.jsonl');
  const child = spawn(process.execPath, ['--expose-gc', '--require', path.join(HERE, 'heaplog.cjs'), entry, 'serve', '--port', '0', '--data-dir', dir, ...(AUTH ? [] : ['--no-auth'])], {
    stdio: ['ignore', 'pipe', 'ignore'],
    env: { ...process.env, HEAPLOG: log, PORTHOLE_PASSWORD: AUTH ? 'probe-password-1' : '' },
  });
  const { url, token } = await new Promise((res) => {
    let b = '';
    child.stdout.on('data', (d) => {
      b += d;
      const m = /listening on (\S+)/.exec(b);
      const t = /#token=(\S+)/.exec(b);
      if (m && (!AUTH || t)) res({ url: m[1].replace(/\/$/, ''), token: t?.[1] });
    });
  });
  const headers = { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) };
  const s = await (await fetch(`${url}/api/sessions`, { method: 'POST', headers, body: JSON.stringify({ command: ['sh', '-c', 'echo hi; exec sleep 3600'] }) })).json();
  const open = () =>
    new Promise((res, rej) => {
      const ws = new WebSocket(`${url.replace('http', 'ws')}/api/sessions/${s.id}/ws`, { perMessageDeflate: false });
      ws.on('open', () => token && ws.send(JSON.stringify({ type: 'auth', token })));
      ws.on('message', (d, bin) => !bin && JSON.parse(d).type === 'ready' && res(ws));
      ws.on('close', (code) => rej(new Error(`closed ${code}`)));
    });
  const openMany = async (n) => {
    const out = [];
    for (let i = 0; i < n; i += 50) out.push(...(await Promise.all(Array.from({ length: Math.min(50, n - i) }, open))));
    return out;
  };
  const heap = async () => {
    const before = existsSync(log) ? readFileSync(log, 'utf8').trim().split('\n').length : 0;
    child.kill('SIGUSR2');
    for (;;) {
      await sleep(100);
      const lines = existsSync(log) ? readFileSync(log, 'utf8').trim().split('\n') : [];
      if (lines.length > before) return JSON.parse(lines.at(-1));
    }
  };
  await sleep(1500);
  for (let r = 0; r < 2; r++) {
    for (const ws of await openMany(50)) ws.close();
    await sleep(500);
  }
  await sleep(1000);
  const a = await heap();
  const socks = await openMany(N);
  await sleep(2000);
  const b = await heap();
  for (const ws of socks) ws.terminate();
  child.kill('SIGTERM');
  await new Promise((r) => child.once('exit', r));
  rmSync(dir, { recursive: true, force: true });
  return { heapB: (b.heapUsed - a.heapUsed) / N, externalB: (b.external - a.external) / N };
}

const median = (xs) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)];
const res = Object.fromEntries(targets.map((t) => [t.name, []]));
for (let round = 0; round < ROUNDS; round++) {
  for (const t of targets) {
    const r = await once(t.entry);
    process.stderr.write(`[${round + 1} ${t.name}] heap ${r.heapB.toFixed(0)} B/viewer, external ${r.externalB.toFixed(0)} B/viewer\n`);
    res[t.name].push(r);
  }
}
console.table(targets.map((t) => ({ name: t.name, auth: AUTH, heapBPerViewer: median(res[t.name].map((r) => r.heapB)).toFixed(0), runs: res[t.name].map((r) => r.heapB.toFixed(0)).join(', ') })));
