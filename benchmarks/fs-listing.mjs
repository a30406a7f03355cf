// Listing a big folder: the streamed, batched listing (main/server/fs/listing.ts) against the
// old one (one lstat per entry, all at once, the whole answer built in memory), on the same
// folders in one run. Each measurement runs in a fresh child process, so peak RSS is its own.
// Usage: node benchmarks/fs-listing.mjs [--counts=10000,100000] [--runs=3]
// Needs `npm run build:main` (imports dist/main). Writes benchmarks/results/fs-listing.{json,md}.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const ROOT = path.resolve(import.meta.dirname, '..');
const arg = (name, dflt) => process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1] ?? dflt;
const counts = arg('counts', '10000,100000').split(',').map(Number);
const runs = Number(arg('runs', '3'));

if (process.argv[2] === '--child') {
  const [, , , impl, dir] = process.argv;
  const { lstat, readdir } = await import('node:fs/promises');
  const { streamListing } = await import(path.join(ROOT, 'dist/main/server/fs/listing.js'));
  let peakHeap = 0;
  const sample = setInterval(() => (peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed)), 5);
  const t0 = performance.now();
  let bytes = 0;
  if (impl === 'old') {
    const names = await readdir(dir);
    const entries = await Promise.all(names.map(async (name) => {
      const s = await lstat(path.join(dir, name));
      return { name, type: s.isDirectory() ? 'dir' : 'file', size: s.size, mtime: s.mtime.toISOString() };
    }));
    entries.sort((a, b) => Number(b.type === 'dir') - Number(a.type === 'dir') || a.name.localeCompare(b.name));
    bytes = JSON.stringify({ path: dir, parent: path.dirname(dir), entries }).length;
  } else {
    // A sink that behaves like a socket: full past 64 KiB, drained on the next tick.
    const listeners = { drain: [], close: [] };
    let queued = 0;
    const sink = {
      destroyed: false,
      write(c) { bytes += c.length; queued += c.length; if (queued > 65536) { setImmediate(() => { queued = 0; for (const l of listeners.drain.splice(0)) l(); }); return false; } return true; },
      end(c) { bytes += c.length; },
      once(ev, l) { listeners[ev].push(l); },
      removeListener(ev, l) { listeners[ev] = listeners[ev].filter((x) => x !== l); },
    };
    await streamListing(dir, sink, {}, () => undefined);
  }
  const ms = performance.now() - t0;
  clearInterval(sample);
  peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed);
  process.stdout.write(JSON.stringify({ ms, bytes, peakRssMB: process.resourceUsage().maxRSS / 1024, peakHeapMB: peakHeap / 1048576 }));
  process.exit(0);
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const results = [];
for (const n of counts) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'porthole-bench-fs-'));
  for (let i = 0; i < n; i++) writeFileSync(path.join(dir, `file-${i}.txt`), '');
  for (let i = 0; i < 20; i++) mkdirSync(path.join(dir, `dir-${i}`));
  try {
    for (const impl of ['old', 'streamed']) {
      const samples = [];
      for (let r = 0; r < runs; r++) {
        samples.push(JSON.parse(execFileSync(process.execPath, [import.meta.filename, '--child', impl, dir], { encoding: 'utf8' })));
      }
      const row = { entries: n + 20, impl, ms: median(samples.map((s) => s.ms)), peakRssMB: median(samples.map((s) => s.peakRssMB)), peakHeapMB: median(samples.map((s) => s.peakHeapMB)), bytes: samples[0].bytes, runs };
      results.push(row);
      console.log(JSON.stringify(row));
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
const stamp = new Date().toISOString();
writeFileSync(path.join(ROOT, 'benchmarks/results/fs-listing.json'), JSON.stringify({ stamp, node: process.version, cpus: os.cpus().length, results }, null, 2));
const md = [
  '# Listing a big folder (GET /api/fs)',
  '',
  `${stamp}, Node ${process.version}, ${os.cpus().length} cores shared with other work (wall times are noisy), median of ${runs} runs, each in a fresh process. \`node benchmarks/fs-listing.mjs\`.`,
  '',
  '`old`: one lstat per entry all at once, the whole answer built in memory (before issue 14). `streamed`: listing.ts, lstat in batches of 256 (the next batch started while one is written: at most 512 in flight), each batch written to a socket-like sink that fills at 64 KiB.',
  '',
  '| entries | listing | time (ms) | peak RSS (MB) | peak heap (MB) | JSON bytes |',
  '| ---: | --- | ---: | ---: | ---: | ---: |',
  ...results.map((r) => `| ${r.entries.toLocaleString('en')} | ${r.impl} | ${r.ms.toFixed(0)} | ${r.peakRssMB.toFixed(0)} | ${r.peakHeapMB.toFixed(0)} | ${r.bytes.toLocaleString('en')} |`),
  '',
].join('\n');
writeFileSync(path.join(ROOT, 'benchmarks/results/fs-listing.md'), md);
console.log(md);
