// Run from the repo root: node benchmarks/results/perf-memory-probes/module-cost.mjs zod express ./dist/main/server/server.js ...
import { readFileSync } from 'node:fs';
const rss = () => { const s = readFileSync('/proc/self/status','utf8'); return s.match(/VmRSS:\s+(\d+)/)[1]/1024; };
const anon = () => { const s = readFileSync('/proc/self/status','utf8'); return s.match(/RssAnon:\s+(\d+)/)[1]/1024; };
const mods = process.argv.slice(2);
let prev = rss(), prevA = anon();
console.log('start', prev.toFixed(1), prevA.toFixed(1));
for (const m of mods) {
  await import(m.startsWith('.') || m.startsWith('/') ? new URL(m, 'file://' + process.cwd() + '/').href : m);
  const r = rss(), a = anon();
  console.log(m.padEnd(50), '+', (r - prev).toFixed(1), 'MB rss  +', (a-prevA).toFixed(1), 'anon; heap', (process.memoryUsage().heapUsed/1048576).toFixed(1));
  prev = r; prevA = a;
}
