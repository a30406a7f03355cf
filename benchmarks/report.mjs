#!/usr/bin/env node
// Turns one run's JSON into the markdown report and its SVG charts (drawn by vega-lite, headless).
//   node benchmarks/report.mjs benchmarks/results/bench-<date>.json   (re-renders REPORT.md)
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = path.dirname(fileURLToPath(import.meta.url));

/** The table: one row per figure, with the issue's target where it has one. */
export const ROWS = [
  { key: 'mem.idleMB', label: 'Idle RSS of the server', target: ['<=', 50, 'MB'] },
  { key: 'mem.sessions100MB', label: 'RSS with 100 `cat` sessions' },
  { key: 'mem.sessions20MB', label: 'RSS with 20 `cat` sessions (quick)' },
  { key: 'mem.afterFloodMB', label: 'RSS right after the floods' },
  { key: 'mem.afterSettleMB', label: 'RSS after the floods + settle', note: 'does it come back down?' },
  { key: 'api.health.rps', label: 'GET /health, 50 conns: req/s', target: ['>=', 10000, 'req/s'] },
  { key: 'api.health.p50ms', label: 'GET /health: p50', target: ['<', 10, 'ms'] },
  { key: 'api.health.p99ms', label: 'GET /health: p99' },
  { key: 'api.list.rps', label: 'GET /api/sessions (100 sessions): req/s', target: ['>=', 10000, 'req/s'] },
  { key: 'api.list.p50ms', label: 'GET /api/sessions: p50', target: ['<', 10, 'ms'] },
  { key: 'api.list.p99ms', label: 'GET /api/sessions: p99' },
  { key: 'api.get.rps', label: 'GET /api/sessions/:id: req/s', target: ['>=', 10000, 'req/s'] },
  { key: 'api.get.p50ms', label: 'GET /api/sessions/:id: p50', target: ['<', 10, 'ms'] },
  { key: 'api.get.p99ms', label: 'GET /api/sessions/:id: p99' },
  { key: 'api.resize.rps', label: 'POST resize (no spawn): req/s', target: ['>=', 10000, 'req/s'] },
  { key: 'api.resize.p50ms', label: 'POST resize: p50', target: ['<', 10, 'ms'] },
  { key: 'lifecycle.createDeleteOps', label: 'Session create + delete: ops/s' },
  { key: 'lifecycle.createDeleteRatio', label: 'Create + delete vs raw node-pty spawn-and-reap', target: ['>=', 0.8, 'x'] },
  { key: 'flood.v1.ratio', label: 'Flood throughput, 1 viewer, vs raw PTY read', target: ['>=', 0.9, 'x'] },
  { key: 'flood.v10.ratio', label: 'Flood throughput, 10 viewers, vs raw', target: ['>=', 0.9, 'x'] },
  { key: 'flood.v100.ratio', label: 'Flood throughput, 100 viewers, vs raw', target: ['>=', 0.9, 'x'] },
  { key: 'flood.v1.MBps', label: 'Flood throughput, 1 viewer' },
  { key: 'cpu.secPerMB', label: 'Server CPU per MB of output (1 viewer)' },
  { key: 'echo.p50ms', label: 'Keystroke echo: p50', target: ['<=', 1, 'ms'] },
  { key: 'echo.p99ms', label: 'Keystroke echo: p99', target: ['<=', 5, 'ms'] },
  { key: 'latejoin.visibleMs', label: 'Late join right after output: visible screen', target: ['<=', 50, 'ms'] },
  { key: 'latejoin.fullMs', label: 'Late join right after output: full 10,000-line scrollback' },
  { key: 'latejoin.idleMs', label: 'Late join, session idle for 1 s: full redraw' },
  { key: 'latejoin.unchangedMs', label: 'Late join again, nothing changed: full redraw' },
];
for (const n of [100, 1000, 5000]) {
  ROWS.push(
    { key: `ws.n${n}.connectP50ms`, label: `${n} viewers: setup p50` },
    { key: `ws.n${n}.connectP99ms`, label: `${n} viewers: setup p99` },
    { key: `ws.n${n}.kbPerViewer`, label: `${n} viewers: server RSS per idle viewer`, target: ['<=', 20, 'KB'] },
    { key: `ws.n${n}.floodLastMs`, label: `${n} viewers: flood, until the last sees the end` },
  );
}

const fmtNum = (x) => {
  if (x === null || x === undefined || !Number.isFinite(x)) return '–';
  if (Math.abs(x) >= 1000) return Math.round(x).toLocaleString('en-US');
  if (Math.abs(x) >= 100) return x.toFixed(0);
  if (Math.abs(x) >= 10) return x.toFixed(1);
  if (Math.abs(x) >= 1) return x.toFixed(2);
  return x.toPrecision(2);
};

function fmtFig(f) {
  if (!f) return '–';
  if (f.median === null || f.median === undefined) {
    if (f.missing) return `not all saw it (${f.sawEnd ?? 0}/${f.viewers ?? '?'} in ${fmtNum(f.timeoutMs)} ms)`;
    return 'n/a';
  }
  const unit = f.unit === 'x raw' ? 'x' : f.unit;
  const spread = f.n > 1 ? ` (${fmtNum(f.min)}–${fmtNum(f.max)}, n=${f.n})` : ' (n=1)';
  return `${fmtNum(f.median)} ${unit}${spread}`;
}

function meets(f, target) {
  if (!target || !f || f.median === null || f.median === undefined) return null;
  const [op, v] = target;
  if (op === '<=') return f.median <= v;
  if (op === '<') return f.median < v;
  if (op === '>=') return f.median >= v;
  return null;
}

export function tableRows(result) {
  const p = result.targets.porthole?.figures ?? {};
  const v = result.targets.vibetunnel?.figures ?? {};
  const rows = [];
  for (const row of ROWS) {
    const pf = p[row.key];
    const vf = v[row.key];
    if (!pf && !vf) continue;
    const r = pf?.median && vf?.median ? pf.median / vf.median : null;
    rows.push({ ...row, porthole: pf, vibetunnel: vf, ratio: r, met: meets(pf, row.target) });
  }
  return rows;
}

// ---------------------------------------------------------------- charts

async function renderSvg(spec) {
  const vega = await import('vega');
  const vl = await import('vega-lite');
  const compiled = vl.compile(spec).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: 'none' });
  const svg = await view.toSVG();
  view.finalize();
  return svg;
}

const TARGETS = ['Porthole', 'VibeTunnel'];

/** Bars (or dots on a log scale) at the median, a black line from min to max, and a dashed
 *  red line at the target. */
function barWithRange(values, { x, xTitle, yTitle, title, rule, logScale = false, xSort }) {
  const sort = xSort ?? [...new Set(values.map((v) => v[x]))];
  const base = {
    x: { field: x, type: 'nominal', title: xTitle, sort, axis: { labelAngle: 0 } },
    xOffset: { field: 'target', type: 'nominal', sort: TARGETS },
  };
  const color = { field: 'target', type: 'nominal', title: null, sort: TARGETS, scale: { domain: TARGETS, range: ['#2e86de', '#f39c12'] } };
  const y = { type: 'quantitative', title: yTitle, ...(logScale ? { scale: { type: 'log' } } : {}) };
  const layers = [
    {
      mark: logScale ? { type: 'point', filled: true, size: 120, opacity: 1 } : { type: 'bar' },
      encoding: { ...base, color, y: { field: 'median', ...y } },
    },
    {
      mark: { type: 'rule', color: 'black', strokeWidth: 1.5 },
      encoding: { ...base, y: { field: 'min', ...y }, y2: { field: 'max' } },
    },
  ];
  if (rule) {
    layers.push({
      data: { values: [{ v: rule.value, label: `target ${rule.value}` }] },
      layer: [
        { mark: { type: 'rule', strokeDash: [4, 4], color: '#c0392b' }, encoding: { y: { field: 'v', type: 'quantitative' } } },
        {
          mark: { type: 'text', align: 'left', dx: 4, dy: -6, color: '#c0392b', x: 0 },
          encoding: { y: { field: 'v', type: 'quantitative' }, text: { field: 'label' } },
        },
      ],
    });
  }
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title,
    width: 420,
    height: 240,
    data: { values },
    layer: layers,
  };
}

function chartData(result, keys, xOf) {
  const out = [];
  for (const [name, label] of [
    ['porthole', 'Porthole'],
    ['vibetunnel', 'VibeTunnel'],
  ]) {
    const figs = result.targets[name]?.figures ?? {};
    for (const k of keys) {
      const f = figs[k];
      if (f && Number.isFinite(f.median)) out.push({ target: label, x: xOf(k), median: f.median, min: f.min, max: f.max });
    }
  }
  return out;
}

async function charts(result, outDir) {
  const made = [];
  const dir = path.join(outDir, 'charts');
  mkdirSync(dir, { recursive: true });
  const specs = [];
  const viewers = result.config.floodViewers;
  const floodData = chartData(result, viewers.map((v) => `flood.v${v}.ratio`), (k) => k.split('.')[1].slice(1));
  if (floodData.length)
    specs.push([
      'flood-throughput.svg',
      'Flood throughput vs the raw PTY read rate',
      barWithRange(floodData, { x: 'x', xTitle: 'viewers', yTitle: 'x raw node-pty (higher is better)', title: `seq 1 ${result.config.floodLines}: throughput / raw`, rule: { value: 0.9 } }),
    ]);
  const apiKeys = ['health', 'list', 'get', 'resize'].map((k) => `api.${k}.rps`);
  const apiData = chartData(result, apiKeys, (k) => k.split('.')[1]);
  if (apiData.length)
    specs.push([
      'api-throughput.svg',
      'HTTP API throughput (50 connections)',
      barWithRange(apiData, { x: 'x', xTitle: 'endpoint', yTitle: 'req/s (higher is better)', title: 'API under load, 50 connections', rule: { value: 10000 } }),
    ]);
  const latKeys = ['echo.p50ms', 'echo.p99ms', 'latejoin.visibleMs', 'latejoin.fullMs'];
  const latData = chartData(result, latKeys, (k) => ({ 'echo.p50ms': 'echo p50', 'echo.p99ms': 'echo p99', 'latejoin.visibleMs': 'join: visible', 'latejoin.fullMs': 'join: scrollback' })[k]);
  if (latData.length)
    specs.push([
      'latency.svg',
      'Keystroke echo and late-join latency',
      barWithRange(latData, { x: 'x', xTitle: null, yTitle: 'ms, log scale (lower is better)', title: 'Latency', logScale: true, xSort: ['echo p50', 'echo p99', 'join: visible', 'join: scrollback'] }),
    ]);
  const memKeys = ['mem.idleMB', `mem.sessions${result.config.apiSessions}MB`, 'mem.afterFloodMB', 'mem.afterSettleMB'];
  const memData = chartData(result, memKeys, (k) => ({ 'mem.idleMB': 'idle', 'mem.afterFloodMB': 'after floods', 'mem.afterSettleMB': 'after settle' })[k] ?? `${result.config.apiSessions} sessions`);
  if (memData.length)
    specs.push([
      'memory.svg',
      'Server resident memory',
      barWithRange(memData, { x: 'x', xTitle: null, yTitle: 'RSS MB (lower is better)', title: 'Server RSS', rule: { value: 50 }, xSort: ['idle', `${result.config.apiSessions} sessions`, 'after floods', 'after settle'] }),
    ]);
  const wsKeys = result.config.wsViewers.flatMap((n) => [`ws.n${n}.connectP50ms`, `ws.n${n}.connectP99ms`]);
  const wsData = chartData(result, wsKeys, (k) => `${k.split('.')[1].slice(1)} ${k.endsWith('P50ms') ? 'p50' : 'p99'}`);
  if (wsData.length)
    specs.push([
      'viewer-setup.svg',
      'Viewer connection setup time',
      barWithRange(wsData, { x: 'x', xTitle: 'viewers, percentile', yTitle: 'ms, log scale (lower is better)', title: 'Viewer setup time under load', logScale: true }),
    ]);
  for (const [file, caption, spec] of specs) {
    try {
      writeFileSync(path.join(dir, file), await renderSvg(spec));
      made.push({ file: `charts/${file}`, caption });
    } catch (e) {
      made.push({ file: null, caption, error: String(e?.message ?? e) });
    }
  }
  return made;
}

// ---------------------------------------------------------------- markdown

export async function writeReport(result, outDir, name = 'REPORT.md', jsonName = '') {
  const rows = tableRows(result);
  const m = result.machine;
  const P = result.targets.porthole;
  const V = result.targets.vibetunnel;
  const lines = [];
  lines.push(`# Porthole benchmark report${result.quick ? ' (quick pass: small counts, not for comparison)' : ''}`);
  lines.push('');
  lines.push(`Generated by \`${result.command}\` on ${result.date} (${result.durationSeconds ?? '?'} s).`);
  lines.push(`Raw data: \`${jsonName}\` (every figure with all its samples).`);
  lines.push('');
  lines.push(`- Machine: ${m.cpuModel}, ${m.cores} cores, ${m.memTotalMB} MB RAM, ${m.platform}; fd limit ${m.fdLimit}; ephemeral ports ${m.ephemeralPorts?.join('–')}`);
  lines.push(`- Node ${m.node}; Porthole commit \`${result.git.commit?.slice(0, 12)}\` (${result.git.subject ?? ''})`);
  lines.push(`- Porthole: ${P ? `${P.status}${P.reason ? ` — ${P.reason}` : ''}` : 'not run'}`);
  lines.push(`- VibeTunnel ${V?.version ?? ''}: ${V ? `${V.status}${V.reason ? ` — ${V.reason}` : ''}` : 'not run'}`);
  lines.push('');
  lines.push('Every figure is the median over n repeats, with (min–max, n). Ratios against the raw PTY use');
  lines.push('baselines measured in the same run on the same machine (2 shared cores: timings are noisy).');
  lines.push('Ratio = Porthole ÷ VibeTunnel on the same figure (read it with the figure\'s direction).');
  lines.push('');
  const b = result.baselines;
  if (b) {
    lines.push('## Raw baselines (node-pty directly, same run)');
    lines.push('');
    lines.push('| baseline | value |');
    lines.push('| --- | --- |');
    lines.push(`| \`seq 1 ${result.config.floodLines}\` through a PTY (${fmtNum(b.floodBytes / 1e6)} MB) | ${fmtFig(b.floodMs)} = ${fmtFig(b.floodMBps)} |`);
    lines.push(`| spawn-and-reap of \`cat\` (spawn, SIGHUP, exit) | ${fmtFig(b.spawnReapOps)} |`);
    lines.push('');
  }
  lines.push('## Results');
  lines.push('');
  lines.push('| figure | Porthole | VibeTunnel | ratio | target | met? |');
  lines.push('| --- | --- | --- | --- | --- | --- |');
  for (const r of rows) {
    const target = r.target ? `${r.target[0]} ${r.target[1]} ${r.target[2]}` : '';
    const met = r.met === null ? '' : r.met ? 'yes' : '**no**';
    lines.push(`| ${r.label}${r.note ? ` (${r.note})` : ''} | ${fmtFig(r.porthole)} | ${fmtFig(r.vibetunnel)} | ${r.ratio ? `${fmtNum(r.ratio)}×` : '–'} | ${target} | ${met} |`);
  }
  lines.push('');
  const missed = rows.filter((r) => r.met === false);
  lines.push('## Targets missed in this run');
  lines.push('');
  if (!missed.length) lines.push('None.');
  for (const r of missed) lines.push(`- ${r.label}: ${fmtFig(r.porthole)} against ${r.target.join(' ')}`);
  lines.push('');
  const errs = [
    ...(P?.errors ?? []).map((e) => ['Porthole', e]),
    ...(V?.errors ?? []).map((e) => ['VibeTunnel', e]),
  ];
  if (errs.length) {
    lines.push('## Sections that failed');
    lines.push('');
    for (const [who, e] of errs) lines.push(`- ${who}, ${e.section}: ${e.message}`);
    lines.push('');
  }
  lines.push('## Charts');
  lines.push('');
  for (const c of await charts(result, outDir)) {
    if (c.file) lines.push(`![${c.caption}](${c.file})`, '');
    else lines.push(`- ${c.caption}: chart failed (${c.error})`, '');
  }
  lines.push('## How each figure is measured');
  lines.push('');
  lines.push(readFileSync(path.join(HERE, 'METHOD.md'), 'utf8').replace(/^# .*\n+/, ''));
  const analysis = path.join(HERE, 'ANALYSIS.md');
  if (existsSync(analysis) && !result.quick) {
    lines.push('');
    lines.push(readFileSync(analysis, 'utf8').replace(/^# /, '## '));
  }
  const out = path.join(outDir, name);
  writeFileSync(out, lines.join('\n') + '\n');
  return out;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  const file = process.argv[2];
  if (!file) {
    process.stderr.write('usage: node benchmarks/report.mjs RESULT.json\n');
    process.exit(2);
  }
  const result = JSON.parse(readFileSync(file, 'utf8'));
  const out = await writeReport(result, path.dirname(path.resolve(file)), result.quick ? 'REPORT-quick.md' : 'REPORT.md', path.basename(file));
  process.stdout.write(`${out}\n`);
}
