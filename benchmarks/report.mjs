#!/usr/bin/env node
// Turns one run's JSON into REPORT.md and its SVG charts (report-charts.mjs): the issue-13
// figures against their targets, before (an earlier run's JSON) and now, under Node and Bun,
// with VibeTunnel beside them; the Bun/Node ratio of every figure; then every figure.
//   node benchmarks/report.mjs RESULT.json [--baseline=EARLIER.json]   (re-renders REPORT.md)
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { charts } from './report-charts.mjs';
import { ratioRows } from './runtimes-report.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));

/** Issue 13's table, in its order: each figure, its target, and how it is derived. */
export const ISSUE_ROWS = [
  { key: 'flood.v1.ratio', label: 'flood `seq 1 N` to 1 viewer, vs raw PTY', target: ['>=', 0.9, 'x'] },
  { key: 'flood.v10.ratio', label: 'the same to 10 viewers, last one done', target: ['>=', 0.85, 'x'] },
  { key: 'echo.p50ms', label: 'keystroke echo, 200 keys back to back: p50', target: ['<=', 1, 'ms'] },
  { key: 'echo.p99ms', label: 'keystroke echo, 200 keys back to back: p99', target: ['<=', 3, 'ms'] },
  { key: 'latejoin.visibleMs', label: 'late join after `seq 1 10000`: visible screen', target: ['<=', 5, 'ms'] },
  { key: 'latejoin.fullMs', label: 'late join after `seq 1 10000`: full scrollback' },
  { key: 'mem.idleMB', label: 'idle RSS of `serve` (10 s after start)', target: ['<=', 50, 'MB'] },
  { key: 'mem.startMB', label: 'the same, 1 s after start (how "before" was measured)' },
  { key: 'ws.n1000.kbPerViewer', label: 'RSS per idle viewer at 1,000 viewers (10 s after they joined)', target: ['<=', 10, 'KB'] },
  { key: 'ws.n1000.kbPerViewerJoined', label: 'the same, 1 s after they joined (how "before" was measured)' },
  { key: 'lifecycle.createDeleteRatio', label: 'session create + delete vs raw spawn loop', target: ['>=', 0.5, 'x'] },
  { key: 'mem.settleOverIdleMB', label: 'RSS 10 s after the floods end, above idle', target: ['<=', 20, 'MB'] },
  { key: 'firstscreen.coldMs', label: 'share link to first screen, first-time visitor', target: ['<=', 250, 'ms'] },
];

/** Every figure: one row each, with the target where the issues give one. */
export const ROWS = [
  { key: 'mem.idleMB', label: 'Idle RSS of the server (10 s after start)', target: ['<=', 50, 'MB'] },
  { key: 'mem.startMB', label: 'RSS 1 s after start' },
  { key: 'mem.sessions100MB', label: 'RSS with 100 `cat` sessions' },
  { key: 'mem.sessions20MB', label: 'RSS with 20 `cat` sessions (quick)' },
  { key: 'mem.afterFloodMB', label: 'RSS right after the floods' },
  { key: 'mem.afterSettleMB', label: 'RSS after the floods + settle' },
  { key: 'mem.settleOverIdleMB', label: 'RSS after the floods + settle, above idle', target: ['<=', 20, 'MB'] },
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
  { key: 'lifecycle.createDeleteRatio', label: "Create + delete vs the runtime's raw spawn-and-reap", target: ['>=', 0.5, 'x'] },
  { key: 'flood.v1.ratio', label: 'Flood throughput, 1 viewer, vs raw PTY read', target: ['>=', 0.9, 'x'] },
  { key: 'flood.v10.ratio', label: 'Flood throughput, 10 viewers, vs raw', target: ['>=', 0.85, 'x'] },
  { key: 'flood.v100.ratio', label: 'Flood throughput, 100 viewers, vs raw' },
  { key: 'flood.v1.MBps', label: 'Flood throughput, 1 viewer' },
  { key: 'cpu.secPerMB', label: 'Server CPU per MB of output (1 viewer)' },
  { key: 'echo.p50ms', label: 'Keystroke echo, back to back: p50', target: ['<=', 1, 'ms'] },
  { key: 'echo.p99ms', label: 'Keystroke echo, back to back: p99', target: ['<=', 3, 'ms'] },
  { key: 'latejoin.visibleMs', label: 'Late join right after output: visible screen', target: ['<=', 5, 'ms'] },
  { key: 'latejoin.fullMs', label: 'Late join right after output: full 10,000-line scrollback' },
  { key: 'latejoin.idleMs', label: 'Late join, session idle for 1 s: visible screen' },
  { key: 'latejoin.unchangedMs', label: 'Late join again, nothing changed: visible screen' },
  { key: 'firstscreen.coldMs', label: 'Share link to first screen, first-time visitor', target: ['<=', 250, 'ms'] },
  { key: 'firstscreen.warmMs', label: 'Share link to first screen, cached assets' },
];
for (const n of [100, 1000, 5000]) {
  ROWS.push(
    { key: `ws.n${n}.connectP50ms`, label: `${n} viewers: setup p50` },
    { key: `ws.n${n}.connectP99ms`, label: `${n} viewers: setup p99` },
    { key: `ws.n${n}.kbPerViewer`, label: `${n} viewers: server RSS per idle viewer (settled)`, target: ['<=', 10, 'KB'] },
    { key: `ws.n${n}.kbPerViewerJoined`, label: `${n} viewers: server RSS per viewer, 1 s after joining` },
    { key: `ws.n${n}.floodLastMs`, label: `${n} viewers: flood, until the last sees the end` },
  );
}

export const fmtNum = (x) => {
  if (x === null || x === undefined || !Number.isFinite(x)) return '–';
  if (Math.abs(x) >= 1000) return Math.round(x).toLocaleString('en-US');
  if (Math.abs(x) >= 100) return x.toFixed(0);
  if (Math.abs(x) >= 10) return x.toFixed(1);
  if (Math.abs(x) >= 1) return x.toFixed(2);
  return x.toPrecision(2);
};

function fmtFig(f, { spread = true } = {}) {
  if (!f) return '–';
  if (f.median === null || f.median === undefined) {
    if (f.missing) return `not all saw it (${f.sawEnd ?? 0}/${f.viewers ?? '?'} in ${fmtNum(f.timeoutMs)} ms)`;
    return 'n/a';
  }
  const unit = f.unit === 'x raw' ? 'x' : f.unit;
  if (!spread) return `${fmtNum(f.median)} ${unit}`;
  return `${fmtNum(f.median)} ${unit}${f.n > 1 ? ` (${fmtNum(f.min)}–${fmtNum(f.max)}, n=${f.n})` : ' (n=1)'}`;
}

function meets(f, target) {
  if (!target || !f || f.median === null || f.median === undefined) return null;
  const [op, v] = target;
  if (op === '<=') return f.median <= v;
  if (op === '<') return f.median < v;
  if (op === '>=') return f.median >= v;
  return null;
}

const figs = (result, name) => result?.targets?.[name]?.figures ?? {};
const metCell = (m) => (m === null ? '–' : m ? 'yes' : '**no**');
const targetCell = (t) => (t ? `${t[0]} ${t[1]} ${t[2]}` : '');

export function tableRows(result, rows = ROWS) {
  const out = [];
  for (const row of rows) {
    const node = figs(result, 'porthole')[row.key];
    const bun = figs(result, 'porthole-bun')[row.key];
    const vt = figs(result, 'vibetunnel')[row.key];
    if (!node && !bun && !vt) continue;
    out.push({ ...row, node, bun, vt, metNode: meets(node, row.target), metBun: meets(bun, row.target) });
  }
  return out;
}

/** The "before" run: FILE, or results/baseline.json when there is one; null without. */
export function loadBaseline(file, log = () => {}) {
  const f = file ?? path.join(HERE, 'results', 'baseline.json');
  if (!existsSync(f)) {
    if (file) log(`baseline ${file} not found: no "before" column`);
    return null;
  }
  try {
    return { file: path.basename(f), result: JSON.parse(readFileSync(f, 'utf8')) };
  } catch (e) {
    log(`baseline ${f} unreadable (${e?.message ?? e}): no "before" column`);
    return null;
  }
}

function beforeCell(baseline, key) {
  if (!baseline) return '–';
  const n = figs(baseline.result, 'porthole')[key];
  const b = figs(baseline.result, 'porthole-bun')[key];
  if (!n && !b) return '–';
  return `${fmtFig(n, { spread: false })} / ${fmtFig(b, { spread: false })}`;
}

function statusLine(t) {
  return t ? `${t.status}${t.reason ? ` — ${t.reason}` : ''}` : 'not run';
}

function issueSection(result, baseline, lines) {
  const rows = tableRows(result, ISSUE_ROWS);
  lines.push('## Issue 13: every figure against its target');
  lines.push('');
  lines.push(`Before = ${baseline ? `\`${baseline.file}\` (commit \`${baseline.result.git?.commit?.slice(0, 7) ?? '?'}\`, ${baseline.result.date?.slice(0, 10) ?? '?'}), Node / Bun medians` : 'no baseline given (`--baseline=FILE`)'}.`);
  lines.push("Ratios to raw are against the runtime's own raw PTY measured in this run (VibeTunnel: node-pty's); a flood's, against a raw flood run right before each repeat.");
  lines.push('');
  lines.push('| figure | target | before (Node / Bun) | Node | Bun | VibeTunnel | met? Node / Bun |');
  lines.push('| --- | --- | --- | --- | --- | --- | --- |');
  for (const r of rows) {
    lines.push(`| ${r.label} | ${targetCell(r.target)} | ${beforeCell(baseline, r.key)} | ${fmtFig(r.node)} | ${fmtFig(r.bun)} | ${fmtFig(r.vt)} | ${metCell(r.metNode)} / ${metCell(r.metBun)} |`);
  }
  lines.push('');
}

function ratioSection(result, baseline, rr, lines) {
  if (!result.targets['porthole-bun']) return;
  const before = baseline ? new Map(ratioRows(baseline.result).map((r) => [r.key, r])) : new Map();
  lines.push('## Bun / Node, every figure');
  lines.push('');
  lines.push('Bun ÷ Node of the medians; "better" reads it with the figure\'s direction. Chart: `charts/bun-node-ratio.svg`.');
  lines.push('');
  lines.push('| figure | Node | Bun | Bun / Node | better | before: Bun / Node |');
  lines.push('| --- | ---: | ---: | ---: | --- | ---: |');
  for (const r of rr) {
    const b = before.get(r.key)?.bunOverNode;
    lines.push(`| ${r.label} | ${fmtNum(r.node)} | ${fmtNum(r.bun)} | ${fmtNum(r.bunOverNode)} | ${r.better ?? '–'} | ${fmtNum(b)} |`);
  }
  lines.push('');
}

export async function writeReport(result, outDir, name = 'REPORT.md', jsonName = '', baseline = null) {
  const m = result.machine;
  const T = result.targets;
  const rr = ratioRows(result);
  const lines = [];
  lines.push(`# Porthole benchmark report${result.quick ? ' (quick pass: small counts, not for comparison)' : ''}`);
  lines.push('');
  lines.push(`Generated by \`${result.command}\` on ${result.date} (${result.durationSeconds ?? '?'} s).`);
  lines.push(`Raw data: \`${jsonName}\` (every figure with all its samples).`);
  lines.push('');
  lines.push(`- Machine: ${m.cpuModel}, ${m.cores} cores, ${m.memTotalMB} MB RAM, ${m.platform}; fd limit ${m.fdLimit}; ephemeral ports ${m.ephemeralPorts?.join('–')}`);
  if (result.loadavg?.length) lines.push(`- Load average (1/5/15 min) during the run: ${result.loadavg.map((l) => `${l.at} ${l.loadavg.join('/')}`).join('; ')}`);
  lines.push(`- Node ${m.node}; Porthole commit \`${result.git.commit?.slice(0, 12)}\` (${result.git.subject ?? ''})`);
  lines.push(`- Porthole under Node: ${statusLine(T.porthole)}`);
  lines.push(`- Porthole under Bun: ${statusLine(T['porthole-bun'])}`);
  lines.push(`- VibeTunnel ${T.vibetunnel?.version ?? ''}: ${statusLine(T.vibetunnel)}`);
  for (const n of result.notes ?? []) lines.push(`- ${n}`);
  lines.push('');
  lines.push('Every figure is the median over n repeats, with (min–max, n). 2 shared cores: timings are noisy.');
  lines.push('');
  issueSection(result, baseline, lines);
  ratioSection(result, baseline, rr, lines);
  const byRt = result.baselinesByRuntime ?? (result.baselines ? { node: result.baselines } : {});
  if (Object.keys(byRt).length) {
    lines.push('## Raw baselines (the runtime\'s PTY directly, same run)');
    lines.push('');
    lines.push('| runtime | `seq 1 ' + result.config.floodLines + '` through a PTY | spawn-and-reap of `cat` |');
    lines.push('| --- | --- | --- |');
    for (const [rt, b] of Object.entries(byRt)) {
      lines.push(`| ${rt} | ${b.floodMs ? `${fmtFig(b.floodMs)} = ${fmtFig(b.floodMBps)} (${fmtNum(b.floodBytes / 1e6)} MB)` : 'failed'} | ${fmtFig(b.spawnReapOps)} |`);
    }
    lines.push('');
  }
  const rows = tableRows(result);
  lines.push('## All figures');
  lines.push('');
  lines.push('| figure | before (Node / Bun) | Porthole (Node) | Porthole (Bun) | VibeTunnel | target | met? Node / Bun |');
  lines.push('| --- | --- | --- | --- | --- | --- | --- |');
  for (const r of rows) {
    lines.push(`| ${r.label} | ${beforeCell(baseline, r.key)} | ${fmtFig(r.node)} | ${fmtFig(r.bun)} | ${fmtFig(r.vt)} | ${targetCell(r.target)} | ${metCell(r.metNode)} / ${metCell(r.metBun)} |`);
  }
  lines.push('');
  const missed = tableRows(result, ISSUE_ROWS).filter((r) => r.metNode === false || r.metBun === false);
  lines.push('## Issue-13 targets missed in this run');
  lines.push('');
  if (!missed.length) lines.push('None.');
  for (const r of missed) lines.push(`- ${r.label}: Node ${fmtFig(r.node)}, Bun ${fmtFig(r.bun)} against ${targetCell(r.target)}`);
  lines.push('');
  const errs = Object.entries(T).flatMap(([k, t]) => (t?.errors ?? []).map((e) => [k, e]));
  if (errs.length) {
    lines.push('## Sections that failed');
    lines.push('');
    for (const [who, e] of errs) lines.push(`- ${who}, ${e.section}: ${e.message}`);
    lines.push('');
  }
  lines.push('## Charts');
  lines.push('');
  for (const c of await charts(result, outDir, rr)) {
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
  const file = process.argv.slice(2).find((a) => !a.startsWith('--'));
  const baselineArg = process.argv.slice(2).find((a) => a.startsWith('--baseline='))?.slice(11);
  if (!file) {
    process.stderr.write('usage: node benchmarks/report.mjs RESULT.json [--baseline=EARLIER.json]\n');
    process.exit(2);
  }
  const result = JSON.parse(readFileSync(file, 'utf8'));
  const baseline = loadBaseline(baselineArg && path.resolve(baselineArg), (m) => process.stderr.write(`${m}\n`));
  const out = await writeReport(result, path.dirname(path.resolve(file)), result.quick ? 'REPORT-quick.md' : 'REPORT.md', path.basename(file), baseline);
  process.stdout.write(`${out}\n`);
}
