#!/usr/bin/env node
// Summarises a V8 .cpuprofile (from `node --cpu-prof`, e.g. `npm run bench -- --cpu-prof`):
// where the server's CPU time went, by function (self time) and by file.
//   node benchmarks/profile.mjs FILE.cpuprofile [--top=25] [--json]
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export function summarizeProfile(profile, root = '') {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const selfUs = new Map();
  const { samples, timeDeltas } = profile;
  for (let i = 0; i < samples.length; i++) {
    const dt = timeDeltas[i + 1] ?? timeDeltas[i] ?? 0; // time until the next sample
    selfUs.set(samples[i], (selfUs.get(samples[i]) ?? 0) + Math.max(0, dt));
  }
  const totalUs = [...selfUs.values()].reduce((a, b) => a + b, 0);
  const fnMap = new Map();
  const fileMap = new Map();
  for (const [id, us] of selfUs) {
    const n = byId.get(id);
    if (!n) continue;
    const cf = n.callFrame;
    let file = cf.url ? cf.url.replace(/^file:\/\//, '') : '';
    if (root && file.startsWith(root)) file = path.relative(root, file);
    const fn = cf.functionName || (file ? '(anonymous)' : `(${cf.functionName || 'native'})`);
    const where = file ? `${file}:${cf.lineNumber + 1}` : '';
    const key = `${fn} ${where}`;
    const name = n.callFrame.functionName;
    const label = !file && name.startsWith('(') ? name : key;
    fnMap.set(label, (fnMap.get(label) ?? 0) + us);
    const fileKey = file || (name.startsWith('(') ? name : '(native/builtin)');
    fileMap.set(fileKey, (fileMap.get(fileKey) ?? 0) + us);
  }
  const top = (m) =>
    [...m.entries()]
      .sort((a, b) => b[1] - a[1])
      .map(([k, us]) => ({ name: k, ms: Math.round(us / 100) / 10, pct: Math.round((1000 * us) / totalUs) / 10 }));
  return { totalMs: Math.round(totalUs / 1000), functions: top(fnMap), files: top(fileMap) };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  const file = process.argv[2];
  const topArg = process.argv.find((a) => a.startsWith('--top='));
  const n = topArg ? Number(topArg.slice(6)) : 25;
  if (!file) {
    process.stderr.write('usage: node benchmarks/profile.mjs FILE.cpuprofile [--top=25] [--json]\n');
    process.exit(2);
  }
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
  const s = summarizeProfile(JSON.parse(readFileSync(file, 'utf8')), root);
  if (process.argv.includes('--json')) {
    process.stdout.write(JSON.stringify({ ...s, functions: s.functions.slice(0, n), files: s.files.slice(0, n) }, null, 2) + '\n');
  } else {
    process.stdout.write(`total sampled: ${s.totalMs} ms\n\nself time by function:\n`);
    for (const f of s.functions.slice(0, n)) process.stdout.write(`${String(f.pct).padStart(5)}%  ${String(f.ms).padStart(8)} ms  ${f.name}\n`);
    process.stdout.write('\nself time by file:\n');
    for (const f of s.files.slice(0, n)) process.stdout.write(`${String(f.pct).padStart(5)}%  ${String(f.ms).padStart(8)} ms  ${f.name}\n`);
  }
}
