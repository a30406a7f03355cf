// The Bun/Node ratio of every figure of one `npm run bench -- --runtime=node,bun` run: the rows
// REPORT.md's "Bun / Node" table and chart are drawn from, also written on their own as
// runtimes.md / runtimes.json for docs/runtimes.md. Flood throughput is also given as a ratio
// to each runtime's own raw PTY (measured in the same run).
import { writeFileSync } from 'node:fs';
import path from 'node:path';

/** [figure key, label, higher is better]: the figures issue 9 asks a Bun/Node ratio for. */
const ROWS = [
  ['flood.v1.MBps', 'flood, 1 viewer (MB/s)', true],
  ['flood.v1.ratio', 'flood, 1 viewer, ratio to own raw PTY', true],
  ['flood.v10.MBps', 'flood, 10 viewers (MB/s)', true],
  ['flood.v10.ratio', 'flood, 10 viewers, ratio to own raw PTY', true],
  ['flood.v100.MBps', 'flood, 100 viewers (MB/s)', true],
  ['cpu.secPerMB', 'server CPU per MB of flood (s)', false],
  ['echo.p50ms', 'echo p50, back to back (ms)', false],
  ['echo.p99ms', 'echo p99, back to back (ms)', false],
  ['latejoin.visibleMs', 'late join after 10,000 lines, visible (ms)', false],
  ['latejoin.fullMs', 'late join, full scrollback (ms)', false],
  ['mem.idleMB', 'idle RSS (MB)', false],
  ['mem.afterFloodMB', 'RSS right after the floods (MB)', false],
  ['mem.afterSettleMB', 'RSS after the floods + settle (MB)', false],
  ['api.health.rps', 'GET /health (req/s)', true],
  ['api.list.rps', 'GET /api/sessions (req/s)', true],
  ['api.get.rps', 'GET /api/sessions/:id (req/s)', true],
  ['api.resize.rps', 'POST resize (req/s)', true],
  ['lifecycle.createDeleteOps', 'create + delete (sessions/s)', true],
  ['firstscreen.coldMs', 'first screen, first-time visitor (ms)', false],
];
for (const n of [100, 1000, 5000]) {
  ROWS.push(
    [`ws.n${n}.kbPerViewer`, `${n} viewers: RSS per idle viewer (KB)`, false],
    [`ws.n${n}.connectP50ms`, `${n} viewers: setup p50 (ms)`, false],
    [`ws.n${n}.floodLastMs`, `${n} viewers: flood, last one done (ms)`, false],
  );
}

const fmt = (x) => (x === undefined || x === null || Number.isNaN(x) ? '–' : Math.abs(x) >= 100 ? x.toFixed(0) : x.toFixed(2));

/** One row per figure either runtime has: medians, Bun/Node, which is better, and Bun's
 *  advantage (>1: Bun better, whatever the figure's direction) for the chart. */
export function ratioRows(result) {
  const node = result.targets?.porthole?.figures ?? {};
  const bun = result.targets?.['porthole-bun']?.figures ?? {};
  const rn = result.baselinesByRuntime?.node;
  const rb = result.baselinesByRuntime?.bun;
  const rows = [];
  const push = (key, label, n, b, higher) => {
    const valid = Number.isFinite(n) && Number.isFinite(b) && n > 0 && b > 0;
    const r = valid ? b / n : undefined;
    rows.push({
      key,
      label,
      node: n,
      bun: b,
      bunOverNode: r,
      advantage: r === undefined ? undefined : higher ? r : 1 / r,
      better: r === undefined ? undefined : r === 1 ? 'equal' : (higher ? r > 1 : r < 1) ? 'bun' : 'node',
    });
  };
  if (!result.targets?.['porthole-bun']) return rows;
  push('raw.floodMBps', 'raw PTY flood, no server (MB/s)', rn?.floodMBps?.median, rb?.floodMBps?.median, true);
  push('raw.spawnReapOps', 'raw PTY spawn + reap (ops/s)', rn?.spawnReapOps?.median, rb?.spawnReapOps?.median, true);
  for (const [key, label, higher] of ROWS) {
    if (node[key] === undefined && bun[key] === undefined) continue;
    push(key, label, node[key]?.median, bun[key]?.median, higher);
  }
  return rows;
}

export function writeRuntimesReport(result, outDir, jsonName, quick) {
  const rows = ratioRows(result);
  const summary = { date: result.date, git: result.git, machine: result.machine, loadavg: result.loadavg, quick, source: jsonName, rows };
  const base = quick ? 'runtimes-quick' : 'runtimes';
  writeFileSync(path.join(outDir, `${base}.json`), JSON.stringify(summary, null, 2) + '\n');
  const lines = [
    '# Porthole under Node and under Bun',
    '',
    `Measured ${result.date} in one run (\`${result.command}\`), commit ${result.git?.commit?.slice(0, 10) ?? '?'}; ` +
      `machine: ${result.machine?.cores ?? '?'} CPUs, ${result.machine?.cpuModel ?? ''}. Medians of repeats (JSON: ${jsonName}).` +
      (quick ? ' **Quick pass: small counts, indicative only.**' : ''),
    '',
    '| figure | Node | Bun | Bun / Node | better |',
    '| --- | ---: | ---: | ---: | --- |',
    ...rows.map((r) => `| ${r.label} | ${fmt(r.node)} | ${fmt(r.bun)} | ${r.bunOverNode === undefined ? '–' : r.bunOverNode.toFixed(2)} | ${r.better ?? '–'} |`),
    '',
    'The same rows, with the chart, are in REPORT.md ("Bun / Node"); docs/runtimes.md ("Performance") says why one loses where it does.',
    '',
  ];
  const p = path.join(outDir, `${base}.md`);
  writeFileSync(p, lines.join('\n'));
  return p;
}
