// Renderer bundle size: gzip bytes of what a share link downloads (index.html + entry JS + CSS)
// and of the whole build (the control panel's lazy chunks too). Builds dist/renderer first
// when it is stale. Writes benchmarks/results/renderer-bundle.json and renderer-bundle.md.
// Usage: node benchmarks/renderer-bundle.mjs
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';

const ROOT = resolve(import.meta.dirname, '..');
const DIST = join(ROOT, 'dist/renderer');
const OUT = join(ROOT, 'benchmarks/results');

execFileSync(process.execPath, [join(ROOT, 'tests/e2e/build-renderer.mjs')], { cwd: ROOT, stdio: 'inherit' });

const gz = (buf) => gzipSync(buf, { level: 9 }).length;
const html = readFileSync(join(DIST, 'index.html'), 'utf8');
const linked = [...html.matchAll(/(?:src|href)="\/(assets\/[^"]+)"/g)].map((m) => m[1]);
const files = readdirSync(join(DIST, 'assets'))
  .filter((f) => /\.(js|css)$/.test(f))
  .map((f) => {
    const buf = readFileSync(join(DIST, 'assets', f));
    return { file: `assets/${f}`, bytes: buf.length, gzipBytes: gz(buf), initial: linked.includes(`assets/${f}`) };
  })
  .sort((a, b) => b.gzipBytes - a.gzipBytes);
const htmlGz = gz(Buffer.from(html));
const initial = files.filter((f) => f.initial);
const sum = (xs, k) => xs.reduce((n, x) => n + x[k], 0);
const result = {
  name: 'renderer-bundle',
  description: 'gzip -9 sizes of dist/renderer; "initial" = what opening a share link downloads (the panel loads its chunks lazily)',
  initialGzipBytes: htmlGz + sum(initial, 'gzipBytes'),
  initialBytes: Buffer.byteLength(html) + sum(initial, 'bytes'),
  totalGzipBytes: htmlGz + sum(files, 'gzipBytes'),
  totalBytes: Buffer.byteLength(html) + sum(files, 'bytes'),
  files,
  measuredAt: new Date().toISOString(),
};
mkdirSync(OUT, { recursive: true });
writeFileSync(join(OUT, 'renderer-bundle.json'), JSON.stringify(result, null, 2) + '\n');
const kb = (n) => `${(n / 1024).toFixed(1)} KiB`;
const md = [
  '# Renderer bundle',
  '',
  'Written by `node benchmarks/renderer-bundle.mjs` (gzip -9 of `dist/renderer`).',
  '',
  '| what | raw | gzip |',
  '| --- | ---: | ---: |',
  `| share link / first load (html + entry JS + CSS) | ${kb(result.initialBytes)} | ${kb(result.initialGzipBytes)} |`,
  `| whole renderer (plus the panel, share and replay chunks) | ${kb(result.totalBytes)} | ${kb(result.totalGzipBytes)} |`,
  ...files.map((f) => `| ${f.file}${f.initial ? ' (initial)' : ''} | ${kb(f.bytes)} | ${kb(f.gzipBytes)} |`),
  '',
  `Measured ${result.measuredAt}.`,
  '',
].join('\n');
writeFileSync(join(OUT, 'renderer-bundle.md'), md);
console.log(`renderer bundle: initial ${kb(result.initialGzipBytes)} gzip, total ${kb(result.totalGzipBytes)} gzip`);
