// The bench report (benchmarks/report.mjs) from a made-up run: the issue-13 table carries the
// before run's figures, Node's and Bun's beside each other with met?, and the Bun/Node ratio of
// each figure reads with the figure's direction; the ratio chart is drawn. No timing is run.
import { mkdtempSync, readFileSync, rmSync, existsSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
// @ts-expect-error: plain JavaScript module without types
import { loadBaseline, writeReport } from '../../benchmarks/report.mjs';
// @ts-expect-error: plain JavaScript module without types
import { ratioRows } from '../../benchmarks/runtimes-report.mjs';

const fig = (median: number, unit: string) => ({ median, min: median, max: median, n: 1, unit, samples: [median] });

function run(echoNode: number, echoBun: number): Record<string, unknown> {
  const figures = (echo: number, idle: number) => ({
    'echo.p50ms': fig(echo, 'ms'),
    'mem.idleMB': fig(idle, 'MB'),
    'api.health.rps': fig(echo * 10_000, 'req/s'),
  });
  return {
    schema: 'porthole-bench/1',
    date: '2026-12-02T00:00:00.000Z',
    quick: false,
    command: 'node benchmarks/run.mjs --runtime=node,bun',
    git: { commit: 'abcdef0123456789', subject: 'test' },
    machine: { cpuModel: 'cpu', cores: 2, memTotalMB: 1, platform: 'linux', node: 'v20', ephemeralPorts: [1, 2] },
    config: { floodLines: 10, floodViewers: [1], apiSessions: 100, wsViewers: [1000] },
    loadavg: [{ at: 'start', loadavg: [1, 2, 3] }],
    runtimes: ['node', 'bun'],
    baselinesByRuntime: {},
    targets: {
      porthole: { status: 'ok', figures: figures(echoNode, 70), errors: [] },
      'porthole-bun': { status: 'ok', figures: figures(echoBun, 40), errors: [] },
      vibetunnel: { status: 'skipped', reason: 'peer skipped', figures: {}, errors: [] },
    },
    notes: [],
  };
}

describe('bench report', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'bench-report-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reads ratios with each figure\'s direction', () => {
    const rows = ratioRows(run(2, 0.5)) as { key: string; bunOverNode: number; better: string }[];
    const by = Object.fromEntries(rows.map((r) => [r.key, r]));
    expect(by['echo.p50ms']).toMatchObject({ bunOverNode: 0.25, better: 'bun' }); // lower is better
    expect(by['api.health.rps']).toMatchObject({ bunOverNode: 0.25, better: 'node' }); // higher is better
  });

  it('puts before, Node, Bun and met? in the issue-13 table and draws the ratio chart', async () => {
    const before = path.join(dir, 'before.json');
    writeFileSync(before, JSON.stringify(run(3.5, 4.5)));
    const baseline = loadBaseline(before);
    expect(baseline?.file).toBe('before.json');
    const out = await writeReport(run(2, 0.5), dir, 'REPORT.md', 'now.json', baseline);
    const md = readFileSync(out, 'utf8');
    const row = md.split('\n').find((l: string) => l.startsWith('| keystroke echo, 200 keys back to back: p50'));
    expect(row).toBe('| keystroke echo, 200 keys back to back: p50 | <= 1 ms | 3.50 ms / 4.50 ms | 2.00 ms (n=1) | 0.50 ms (n=1) | – | **no** / yes |');
    expect(md).toContain('| idle RSS (MB) | 70.0 | 40.0 | 0.57 | bun | 0.57 |');
    expect(existsSync(path.join(dir, 'charts', 'bun-node-ratio.svg'))).toBe(true);
    expect(loadBaseline(path.join(dir, 'missing.json'))).toBeNull();
  });
});
