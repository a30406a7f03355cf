// runtimes.md / runtimes.json: the same Porthole, under Node and under Bun, measured in one run
// (`npm run bench -- --runtime node,bun`). Every figure side by side with the Bun/Node ratio;
// flood throughput also as a ratio to each runtime's own raw PTY (measured in the same run).
import { writeFileSync } from 'node:fs';
import path from 'node:path';

/** [figure key, label, higher is better]. */
const ROWS = [
  ['flood.v1.MBps', 'flood, 1 viewer (MB/s)', true],
  ['flood.v1.ratio', 'flood, 1 viewer, ratio to own raw PTY', true],
  ['flood.v10.MBps', 'flood, 10 viewers (MB/s)', true],
  ['flood.v100.MBps', 'flood, 100 viewers (MB/s)', true],
  ['echo.p50ms', 'echo p50 (ms)', false],
  ['echo.p99ms', 'echo p99 (ms)', false],
  ['latejoin.visibleMs', 'late join after 10,000 lines, visible (ms)', false],
  ['latejoin.fullMs', 'late join, full scrollback (ms)', false],
  ['latejoin.idleMs', 'late join, idle session (ms)', false],
  ['mem.idleMB', 'idle RSS (MB)', false],
  ['mem.afterFloodMB', 'RSS after the floods (MB)', false],
  ['api.health.rps', 'GET /health (req/s)', true],
  ['api.list.rps', 'GET /api/sessions (req/s)', true],
  ['lifecycle.createDeleteOps', 'create + delete (sessions/s)', true],
  ['cpu.secPerMB', 'server CPU per MB of flood (s)', false],
];

const fmt = (x) => (x === undefined || x === null || Number.isNaN(x) ? '–' : Math.abs(x) >= 100 ? x.toFixed(0) : x.toFixed(2));

export function writeRuntimesReport(result, outDir, jsonName, quick) {
  const node = result.targets.porthole?.figures ?? {};
  const bun = result.targets['porthole-bun']?.figures ?? {};
  const rn = result.baselinesByRuntime?.node;
  const rb = result.baselinesByRuntime?.bun;
  const rows = [];
  const push = (label, n, b, higher) => {
    const r = n && b ? b / n : undefined;
    rows.push({ label, node: n, bun: b, bunOverNode: r, better: r === undefined ? undefined : (higher ? r >= 1 : r <= 1) ? 'bun' : 'node' });
  };
  push('raw PTY flood, no server (MB/s)', rn?.floodMBps?.median, rb?.floodMBps?.median, true);
  push('raw PTY spawn + reap (ops/s)', rn?.spawnReapOps?.median, rb?.spawnReapOps?.median, true);
  for (const [key, label, higher] of ROWS) {
    if (node[key] === undefined && bun[key] === undefined) continue;
    push(label, node[key]?.median, bun[key]?.median, higher);
  }
  const summary = { date: result.date, git: result.git, machine: result.machine, quick, source: jsonName, rows };
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
    'One run on a shared machine: see docs/runtimes.md ("Performance") for the runs side by side, the interleaved A/B (runtimes-ab.json) and why one loses where it does.',
    '',
  ];
  const p = path.join(outDir, `${base}.md`);
  writeFileSync(p, lines.join('\n'));
  return p;
}
