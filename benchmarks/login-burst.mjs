// Issue 8 point 2: how long /health takes while 150 logins arrive at once. Starts
// `porthole serve` (dist/, its own process, so the client's work is not the server's), sends
// 150 wrong-password logins from 30 loopback addresses (5 each: under the per-address limit,
// so each one costs a bcrypt check) and polls /health every 10 ms until they are all answered.
// Usage: node benchmarks/login-burst.mjs [label]   (npm run build:main first)
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { listeningPort } from './lib/proc.mjs';

const label = process.argv[2] ?? 'current';
const dir = mkdtempSync(join(tmpdir(), 'porthole-login-burst-'));
const child = spawn(process.execPath, ['bin/porthole.js', 'serve', '--port', '0', '--data-dir', dir], {
  env: { ...process.env, PORTHOLE_PASSWORD: 'correct horse battery staple' },
  stdio: ['ignore', 'pipe', 'ignore'],
});
const port = await listeningPort(child);

function call(path, { body, from } = {}) {
  const t0 = performance.now();
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port, path, method: body ? 'POST' : 'GET', localAddress: from, agent: false, headers: body ? { 'content-type': 'application/json' } : {} },
      (res) => {
        res.resume();
        res.on('end', () => resolve({ status: res.statusCode, ms: performance.now() - t0, at: performance.now() }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

await call('/api/auth/login', { body: JSON.stringify({ password: 'correct horse battery staple' }), from: '127.0.0.250' });
// Control: /health for 3 s with no logins, to show what this machine's noise is.
const idle = [];
for (const end = performance.now() + 3000; performance.now() < end; ) {
  idle.push((await call('/health')).ms);
  await new Promise((r) => setTimeout(r, 10));
}
idle.sort((a, b) => a - b);
console.log(`${label} idle: /health n=${idle.length} p50=${idle[idle.length >> 1].toFixed(1)} ms p95=${idle[Math.floor(idle.length * 0.95)].toFixed(1)} ms max=${idle.at(-1).toFixed(1)} ms`);
const logins = Array.from({ length: 150 }, (_, i) => call('/api/auth/login', { body: JSON.stringify({ password: `guess-${i}` }), from: `127.0.1.${1 + (i % 30)}` }));
let over = false;
const done = Promise.all(logins).then((a) => ((over = true), a));
const probes = [];
const t0 = performance.now();
// This process sends the 150 logins too: let it finish, so probes measure the server.
await new Promise((r) => setTimeout(r, 50));
while (!over) {
  probes.push(await call('/health'));
  await new Promise((r) => setTimeout(r, 10));
}
const answers = await done;
const burstMs = performance.now() - t0;
child.kill('SIGTERM');
await new Promise((r) => child.once('exit', r));
rmSync(dir, { recursive: true, force: true });
console.log("slow:", probes.filter((p) => p.ms > 80).map((p) => `${(p.at - t0).toFixed(0)}:${p.ms.toFixed(0)}`).join(" "));
const ms = probes.map((p) => p.ms).sort((a, b) => a - b);
const pct = (p) => ms[Math.min(ms.length - 1, Math.floor((p / 100) * ms.length))]?.toFixed(1);
const count = (s) => answers.filter((a) => a.status === s).length;
console.log(
  `${label}: 150 logins in ${burstMs.toFixed(0)} ms (${count(401)}×401, ${count(429)}×429); /health n=${ms.length} p50=${pct(50)} ms p95=${pct(95)} ms max=${ms.at(-1)?.toFixed(1)} ms`,
);
