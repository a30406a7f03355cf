// The SVG charts of REPORT.md, drawn by vega-lite headless (no browser): each figure as a bar at
// its median with a min-max line, one bar per server (Porthole under Node and under Bun, and
// VibeTunnel), and the Bun/Node ratio of every figure on one chart.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/** [target key in the result JSON, label on the charts, colour]. */
export const SERIES = [
  ['porthole', 'Porthole (Node)', '#2e86de'],
  ['porthole-bun', 'Porthole (Bun)', '#8e44ad'],
  ['vibetunnel', 'VibeTunnel', '#f39c12'],
];

async function renderSvg(spec) {
  const vega = await import('vega');
  const vl = await import('vega-lite');
  const compiled = vl.compile(spec).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: 'none' });
  const svg = await view.toSVG();
  view.finalize();
  return svg;
}

/** Bars (or dots on a log scale) at the median, a black line from min to max, and a dashed
 *  red line at the target. */
function barWithRange(values, { x, xTitle, yTitle, title, rule, logScale = false, xSort }) {
  const sort = xSort ?? [...new Set(values.map((v) => v[x]))];
  const present = SERIES.map((s) => s[1]).filter((l) => values.some((v) => v.target === l));
  const base = {
    x: { field: x, type: 'nominal', title: xTitle, sort, axis: { labelAngle: 0 } },
    xOffset: { field: 'target', type: 'nominal', sort: present },
  };
  const color = {
    field: 'target',
    type: 'nominal',
    title: null,
    sort: present,
    scale: { domain: present, range: SERIES.filter((s) => present.includes(s[1])).map((s) => s[2]) },
  };
  const y = { type: 'quantitative', title: yTitle, ...(logScale ? { scale: { type: 'log' } } : {}) };
  const layers = [
    {
      mark: logScale ? { type: 'point', filled: true, size: 120, opacity: 1 } : { type: 'bar' },
      encoding: { ...base, color, y: { field: 'median', ...y } },
    },
    { mark: { type: 'rule', color: 'black', strokeWidth: 1.5 }, encoding: { ...base, y: { field: 'min', ...y }, y2: { field: 'max' } } },
  ];
  if (rule) layers.push(targetRule(rule.value, `target ${rule.value}`, 'y'));
  return { $schema: 'https://vega.github.io/schema/vega-lite/v6.json', title, width: 480, height: 240, data: { values }, layer: layers };
}

function targetRule(value, label, axis) {
  const other = axis === 'y' ? { x: 0 } : { y: 0 };
  return {
    data: { values: [{ v: value, label }] },
    layer: [
      { mark: { type: 'rule', strokeDash: [4, 4], color: '#c0392b' }, encoding: { [axis]: { field: 'v', type: 'quantitative' } } },
      {
        mark: { type: 'text', align: 'left', dx: 4, dy: -6, color: '#c0392b', ...other },
        encoding: { [axis]: { field: 'v', type: 'quantitative' }, text: { field: 'label' } },
      },
    ],
  };
}

function chartData(result, keys, xOf) {
  const out = [];
  for (const [name, label] of SERIES) {
    const figs = result.targets[name]?.figures ?? {};
    for (const k of keys) {
      const f = figs[k];
      if (f && Number.isFinite(f.median)) out.push({ target: label, x: xOf(k), median: f.median, min: f.min, max: f.max });
    }
  }
  return out;
}

/** One horizontal bar per figure: how much better Bun does than Node (Bun/Node for a figure
 *  where higher is better, Node/Bun where lower is): right of 1 Bun wins, left of 1 Node does. */
function ratioChart(ratioRows) {
  const values = ratioRows
    .filter((r) => Number.isFinite(r.advantage))
    .map((r) => ({ figure: r.label, advantage: r.advantage, winner: r.advantage >= 1 ? 'Bun better' : 'Node better' }));
  if (!values.length) return null;
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: 'Bun vs Node, every figure (right of 1: Bun better; log scale)',
    width: 420,
    height: { step: 16 },
    data: { values },
    layer: [
      {
        mark: { type: 'bar' },
        encoding: {
          y: { field: 'figure', type: 'nominal', sort: null, title: null, axis: { labelLimit: 320 } },
          // From 1 (equal) to the ratio: a log-scale bar has no zero to start at.
          x: { field: 'advantage', type: 'quantitative', title: 'Bun advantage (x)', scale: { type: 'log' } },
          x2: { datum: 1 },
          color: { field: 'winner', type: 'nominal', title: null, scale: { domain: ['Bun better', 'Node better'], range: ['#8e44ad', '#2e86de'] } },
        },
      },
      targetRule(1, 'equal', 'x'),
    ],
  };
}

export async function charts(result, outDir, ratioRows) {
  const made = [];
  const dir = path.join(outDir, 'charts');
  mkdirSync(dir, { recursive: true });
  const specs = [];
  const ratio = ratioChart(ratioRows);
  if (ratio) specs.push(['bun-node-ratio.svg', 'Bun / Node ratio of every figure', ratio]);
  const viewers = result.config.floodViewers;
  const floodData = chartData(result, viewers.map((v) => `flood.v${v}.ratio`), (k) => k.split('.')[1].slice(1));
  if (floodData.length)
    specs.push([
      'flood-throughput.svg',
      'Flood throughput vs the raw PTY read rate',
      barWithRange(floodData, { x: 'x', xTitle: 'viewers', yTitle: "x the runtime's raw PTY (higher is better)", title: `seq 1 ${result.config.floodLines}: throughput / raw`, rule: { value: 0.9 } }),
    ]);
  const apiData = chartData(result, ['health', 'list', 'get', 'resize'].map((k) => `api.${k}.rps`), (k) => k.split('.')[1]);
  if (apiData.length)
    specs.push([
      'api-throughput.svg',
      'HTTP API throughput (50 connections)',
      barWithRange(apiData, { x: 'x', xTitle: 'endpoint', yTitle: 'req/s (higher is better)', title: 'API under load, 50 connections', rule: { value: 10000 } }),
    ]);
  const latNames = { 'echo.p50ms': 'echo p50', 'echo.p99ms': 'echo p99', 'latejoin.visibleMs': 'join: visible', 'latejoin.fullMs': 'join: scrollback', 'firstscreen.coldMs': 'first screen' };
  const latData = chartData(result, Object.keys(latNames), (k) => latNames[k]);
  if (latData.length)
    specs.push([
      'latency.svg',
      'Keystroke echo, late join and first screen',
      barWithRange(latData, { x: 'x', xTitle: null, yTitle: 'ms, log scale (lower is better)', title: 'Latency', logScale: true, xSort: Object.values(latNames) }),
    ]);
  const s = result.config.apiSessions;
  const memNames = { 'mem.idleMB': 'idle', [`mem.sessions${s}MB`]: `${s} sessions`, 'mem.afterFloodMB': 'after floods', 'mem.afterSettleMB': 'floods + settle' };
  const memData = chartData(result, Object.keys(memNames), (k) => memNames[k]);
  if (memData.length)
    specs.push([
      'memory.svg',
      'Server resident memory',
      barWithRange(memData, { x: 'x', xTitle: null, yTitle: 'RSS MB (lower is better)', title: 'Server RSS', rule: { value: 50 }, xSort: Object.values(memNames) }),
    ]);
  const wsKeys = result.config.wsViewers.flatMap((n) => [`ws.n${n}.connectP50ms`, `ws.n${n}.connectP99ms`]);
  const wsData = chartData(result, wsKeys, (k) => `${k.split('.')[1].slice(1)} ${k.endsWith('P50ms') ? 'p50' : 'p99'}`);
  if (wsData.length)
    specs.push([
      'viewer-setup.svg',
      'Viewer connection setup time',
      barWithRange(wsData, { x: 'x', xTitle: 'viewers, percentile', yTitle: 'ms, log scale (lower is better)', title: 'Viewer setup time under load', logScale: true }),
    ]);
  const manyData = chartData(result, result.config.wsViewers.map((n) => `ws.n${n}.floodLastMs`), (k) => k.split('.')[1].slice(1));
  if (manyData.length)
    specs.push([
      'many-viewers-flood.svg',
      'Flood to many viewers: until the last one sees the end',
      barWithRange(manyData, { x: 'x', xTitle: 'viewers', yTitle: 'ms, log scale (lower is better)', title: `seq 1 ${result.config.floodLines} to n viewers`, logScale: true }),
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
