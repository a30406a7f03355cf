// Keeps the benchmark suite from rotting: runs its quick pass (small counts, no peer, which
// would need a registry download) against the built server and checks that it completes and
// writes well-formed results. The numbers themselves are never asserted.
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, mkdirSync, existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

interface Figure {
  median: number | null;
  min: number | null;
  max: number | null;
  n: number;
  unit: string;
}

function isFigure(f: unknown): f is Figure {
  if (typeof f !== 'object' || f === null) return false;
  const o = f as Record<string, unknown>;
  const num = (v: unknown) => v === null || (typeof v === 'number' && Number.isFinite(v));
  return num(o.median) && num(o.min) && num(o.max) && Number.isInteger(o.n) && typeof o.unit === 'string' &&
    (o.median === null || ((o.min as number) <= (o.median as number) && (o.median as number) <= (o.max as number)));
}

function run(args: string[], timeoutMs: number): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [path.join(ROOT, 'benchmarks', 'run.mjs'), ...args], {
      cwd: ROOT,
      stdio: ['ignore', 'ignore', 'pipe'],
      env: { ...process.env, BENCH_NO_PEER: '1' },
    });
    let stderr = '';
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (d: string) => (stderr = (stderr + d).slice(-20_000)));
    const timer = setTimeout(() => child.kill('SIGTERM'), timeoutMs);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stderr });
    });
  });
}

describe('npm run bench -- --quick', () => {
  mkdirSync(path.join(ROOT, 'tests', '.tmp'), { recursive: true });
  const out = mkdtempSync(path.join(ROOT, 'tests', '.tmp', 'bench-'));
  afterAll(() => rmSync(out, { recursive: true, force: true }));

  it('completes and writes well-formed JSON and a report', { timeout: 150_000 }, async () => {
    // --no-build: other test files run the built server at the same time; rebuilding under them would race.
    const { code, stderr } = await run(['--quick', '--no-peer', '--no-build', `--out=${out}`], 140_000);
    expect(code, stderr).toBe(0);

    const files = readdirSync(out).filter((f) => /^bench-quick-.*\.json$/.test(f));
    expect(files).toHaveLength(1);
    const result = JSON.parse(readFileSync(path.join(out, files[0]), 'utf8'));

    expect(result.schema).toBe('porthole-bench/1');
    expect(Number.isNaN(Date.parse(result.date))).toBe(false);
    expect(result.quick).toBe(true);
    expect(result.machine).toMatchObject({ cores: expect.any(Number), memTotalMB: expect.any(Number), node: process.version });
    expect(typeof result.machine.cpuModel).toBe('string');
    expect(result.git).toHaveProperty('commit');

    for (const k of ['floodMs', 'floodMBps', 'spawnReapOps']) expect(isFigure(result.baselines[k]), k).toBe(true);

    const p = result.targets.porthole;
    expect(p.status, `${p.reason ?? ''} ${JSON.stringify(p.errors)}\n${stderr}`).not.toBe('error');
    expect(Object.keys(p.figures).length).toBeGreaterThan(10);
    for (const [k, f] of Object.entries(p.figures)) expect(isFigure(f), k).toBe(true);

    expect(result.targets.vibetunnel.status).toBe('skipped');
    expect(existsSync(path.join(out, 'REPORT-quick.md'))).toBe(true);
    const report = readFileSync(path.join(out, 'REPORT-quick.md'), 'utf8');
    expect(report).toContain('| figure | target | before (Node / Bun) | Node | Bun | VibeTunnel | met? Node / Bun |');
    expect(report).toContain('| figure | before (Node / Bun) | Porthole (Node) | Porthole (Bun) | VibeTunnel | target | met? Node / Bun |');
  });
});
