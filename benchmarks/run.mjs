#!/usr/bin/env node
// `npm run bench`: Porthole's performance suite. One run measures the raw baselines (node-pty
// used directly), Porthole (the built `porthole serve`, as a black box) and the peer
// (VibeTunnel, installed at bench time), and writes one JSON file per run plus REPORT.md with
// charts into benchmarks/results/. Figures are medians over repeats with min-max and n;
// comparisons are ratios against baselines measured in the same run. Nothing is asserted.
//
// Flags:
//   --quick            small counts (CI keeps the scripts from rotting; ~1 min without the peer)
//   --no-peer          skip VibeTunnel (also BENCH_NO_PEER=1); the report says so
//   --only=a,b         run only these targets: porthole, vibetunnel
//   --sections=a,b     run only these sections: mem, api, lifecycle, flood, echo, latejoin, ws, firstscreen
//   --out=DIR          where to write results (default benchmarks/results)
//   --viewers=N,M      the viewer counts of the ws section (default 1000,5000; quick: 100)
//   --no-build         skip `npm run build:main` (by default the suite measures the current sources)
//   --cpu-prof         start porthole serve with --cpu-prof, under Node or Bun (profiles in
//                      OUT/profiles/, read them with benchmarks/profile.mjs)
//   --no-report        write the JSON only
//   --runtime=node,bun run Porthole (and its raw PTY baseline) under each runtime in this run;
//                      REPORT.md gets a Node and a Bun column and the Bun/Node ratio of every
//                      figure (runtimes.md/.json too)
//   --peer-from=FILE   take VibeTunnel's figures from an earlier run's JSON instead of measuring
//                      it again (its ~28 min); the report names the file and its date
//   --baseline=FILE    an earlier run's JSON: its figures are the report's "before" column
//                      (default: benchmarks/results/baseline.json when it exists)
//
// Progress goes to stderr; a section that fails is reported (REPORT.md "Sections that failed")
// and the run goes on; the total time is printed at the end.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { machineInfo } from './lib/proc.mjs';
import { ratio, sleep, summarize } from './lib/stats.mjs';
import {
  ROOT,
  buildPorthole,
  installVibeTunnel,
  portholeBuilt,
  portholeTarget,
  runtimeExe,
  vibetunnelTarget,
  VT_VERSION,
} from './lib/targets.mjs';
import * as W from './lib/workloads.mjs';
import { firstScreen } from './lib/first-screen-run.mjs';
import { loadBaseline, writeReport } from './report.mjs';
import { writeRuntimesReport } from './runtimes-report.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
/** What a full `--runtime=node,bun` run with the peer took here (2 shared cores, load 2-10). */
const FULL_RUN_MINUTES = '40-50';
/** A restarted server's start-up allocations settle before its RSS is read. */
const WS_FRESH_SETTLE_MS = 1000;

function parseArgs(argv) {
  const a = { quick: false, peer: process.env.BENCH_NO_PEER !== '1', build: true, cpuProf: false, report: true };
  for (const arg of argv) {
    if (arg === '--quick') a.quick = true;
    else if (arg === '--no-peer') a.peer = false;
    else if (arg === '--build') a.build = true;
    else if (arg === '--no-build') a.build = false;
    else if (arg === '--cpu-prof') a.cpuProf = true;
    else if (arg === '--no-report') a.report = false;
    else if (arg.startsWith('--only=')) a.only = arg.slice(7).split(',');
    else if (arg.startsWith('--sections=')) a.sections = arg.slice(11).split(',');
    else if (arg.startsWith('--out=')) a.out = path.resolve(arg.slice(6));
    else if (arg.startsWith('--viewers=')) a.viewers = arg.slice(10).split(',').map(Number);
    else if (arg.startsWith('--runtime=')) a.runtimes = arg.slice(10).split(',');
    else if (arg.startsWith('--baseline=')) a.baseline = path.resolve(arg.slice(11));
    else if (arg.startsWith('--peer-from=')) a.peerFrom = path.resolve(arg.slice(12));
    else if (arg === '--help' || arg === '-h') {
      process.stdout.write(readHelp());
      process.exit(0);
    } else {
      process.stderr.write(`bench: unknown flag ${arg} (see --help)\n`);
      process.exit(2);
    }
  }
  return a;
}

function readHelp() {
  return 'usage: node benchmarks/run.mjs [--quick] [--no-peer] [--only=porthole,vibetunnel] [--sections=mem,api,lifecycle,flood,echo,latejoin,ws,firstscreen] [--out=DIR] [--viewers=N,M] [--no-build] [--cpu-prof] [--no-report] [--runtime=node,bun] [--baseline=FILE] [--peer-from=FILE]\n';
}

export function config(quick) {
  return quick
    ? {
        quick: true,
        rawFloodRepeats: 2,
        rawSpawnRepeats: 2,
        apiSessions: 20,
        apiDuration: 1,
        apiRepeats: 1,
        lifecycleCount: 10,
        lifecycleRepeats: 2,
        floodLines: 200_000,
        floodViewers: [1, 10, 100],
        floodRepeats: 1,
        floodTimeoutMs: 20_000,
        echoCount: 40,
        echoRepeats: 1,
        lateJoinRepeats: 2,
        settleMs: 1000,
        wsViewers: [100],
        viewerProcesses: 2,
        connectConcurrency: 50,
        bigFloodTimeoutMs: 20_000,
      }
    : {
        quick: false,
        rawFloodRepeats: 5,
        rawSpawnRepeats: 3,
        apiSessions: 100,
        apiDuration: 5,
        apiRepeats: 3,
        lifecycleCount: 100,
        lifecycleRepeats: 3,
        floodLines: 1_000_000,
        floodViewers: [1, 10, 100],
        floodRepeats: 3,
        floodTimeoutMs: 90_000,
        echoCount: 200,
        echoRepeats: 3,
        lateJoinRepeats: 5,
        settleMs: 10_000, // issue 13: RSS 10 s after the floods end
        wsViewers: [1000, 5000],
        viewerProcesses: 4,
        connectConcurrency: 100,
        bigFloodTimeoutMs: 120_000,
      };
}

const log = (msg) => process.stderr.write(`[bench] ${msg}\n`);

function runRaw(args, runtime = 'node') {
  return new Promise((resolve, reject) => {
    const child = spawn(runtimeExe(runtime), [path.join(HERE, 'lib', 'raw-pty.mjs'), ...args], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.on('exit', (code) => (code === 0 ? resolve(JSON.parse(out)) : reject(new Error(`raw-pty ${args[0]} exited ${code}`))));
  });
}

function gitInfo() {
  const git = (...args) => {
    try {
      return execFileSync('git', args, { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    } catch {
      return null;
    }
  };
  return { commit: git('rev-parse', 'HEAD'), branch: git('rev-parse', '--abbrev-ref', 'HEAD'), subject: git('log', '-1', '--format=%s') };
}

/** The raw baselines: the runtime's PTY directly (node-pty, or Bun.spawn's terminal), no server. */
async function baselines(cfg, runtime = 'node') {
  log(`raw baselines (${runtime === 'bun' ? "Bun.spawn's terminal" : 'node-pty'} directly)`);
  const flood = await runRaw(['flood', String(cfg.rawFloodRepeats), String(cfg.floodLines)], runtime);
  const spawnReap = await runRaw(['spawn', String(cfg.rawSpawnRepeats), String(cfg.lifecycleCount)], runtime);
  const bytes = flood.samples[0].bytes;
  const b = {
    floodBytes: bytes,
    floodMs: summarize(flood.samples.map((s) => s.ms), 'ms', { lines: cfg.floodLines, bytes }),
    floodMBps: summarize(flood.samples.map((s) => bytes / 1e6 / (s.ms / 1000)), 'MB/s', { lines: cfg.floodLines }),
    spawnReapOps: summarize(spawnReap.samples.map((s) => s.opsPerSec), 'ops/s', { command: 'cat', count: cfg.lifecycleCount }),
  };
  log(`  raw flood ${b.floodMs.median} ms (${b.floodMBps.median} MB/s), spawn-and-reap ${b.spawnReapOps.median}/s`);
  return b;
}

/** `runtime`: whose raw PTY the paired flood baselines use (floods() in workloads.mjs). */
async function benchTarget(t, cfg, raw, sections, runtime = 'node') {
  const figures = {};
  const errors = [];
  const on = (s) => !sections || sections.includes(s);
  let dead = false;
  const section = async (name, fn) => {
    if (!on(name) || dead) return;
    const t0 = Date.now();
    try {
      Object.assign(figures, await fn());
      log(`  ${t.label} ${name}: done in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    } catch (e) {
      errors.push({ section: name, message: String(e?.message ?? e) });
      log(`  ${t.label} ${name} FAILED: ${e?.message ?? e}`);
      if (!(await W.healthy(t).catch(() => false))) {
        // A server that fell over in one section is restarted for the next: the others still
        // deserve a figure, and the report names the section that broke it.
        errors.push({ section: name, message: `${t.label} stopped answering; restarted for the next section` });
        log(`  ${t.label} stopped answering after ${name}; restarting it`);
        try {
          await t.stop();
          await t.start();
          log(`  ${t.label} at ${t.url} (pid ${t.pid})`);
        } catch (e2) {
          // No server for the rest: what was measured so far is kept and reported.
          dead = true;
          errors.push({ section: name, message: `restart failed, later sections skipped: ${e2?.message ?? e2}` });
          log(`  ${t.label} restart FAILED: ${e2?.message ?? e2}; skipping its later sections`);
        }
      }
    }
  };
  log(`${t.label}: starting`);
  await t.start();
  log(`  ${t.label} at ${t.url} (pid ${t.pid})`);
  try {
    await section('mem', () => W.memIdle(t, cfg));
    await section('api', () => W.apiLoad(t, cfg, log));
    await section('lifecycle', async () => {
      const f = await W.lifecycle(t, cfg);
      const r = ratio(f['lifecycle.createDeleteOps'], raw.spawnReapOps);
      if (r) f['lifecycle.createDeleteRatio'] = r;
      log(`  lifecycle: ${f['lifecycle.createDeleteOps'].median} ops/s = ${r?.median}x raw`);
      return f;
    });
    const rawFloodMs = raw.floodMs ? async () => (await runRaw(['flood', '1', String(cfg.floodLines)], runtime)).samples[0].ms : undefined;
    await section('flood', () => W.floods(t, cfg, raw, log, rawFloodMs));
    if (on('flood')) {
      await section('mem', async () => {
        const f = await W.memAfterFlood(t, cfg);
        const idle = figures['mem.idleMB']?.median;
        // Issue 13: RSS 10 s after the floods end, within 20 MB of idle.
        if (idle) f['mem.settleOverIdleMB'] = summarize([f['mem.afterSettleMB'].median - idle], 'MB', { settleMs: cfg.settleMs, idleMB: idle });
        log(`  RSS after floods ${f['mem.afterFloodMB'].median.toFixed(0)} MB, ${cfg.settleMs / 1000} s later ${f['mem.afterSettleMB'].median.toFixed(0)} MB (idle ${idle?.toFixed(0)} MB)`);
        return f;
      });
    }
    await section('echo', async () => {
      const f = await W.echo(t, cfg);
      log(`  echo p50 ${f['echo.p50ms'].median} ms, p99 ${f['echo.p99ms'].median} ms`);
      return f;
    });
    await section('latejoin', async () => {
      const f = await W.lateJoin(t, cfg);
      log(`  late join visible ${f['latejoin.visibleMs'].median} ms, full ${f['latejoin.fullMs'].median} ms`);
      return f;
    });
    let floodTimedOut = false;
    let used = Object.keys(figures).length > 0;
    for (const n of cfg.wsViewers) {
      if (on('ws') && used && !dead) {
        // RSS per viewer is read against a fresh server: after a flood the heap still holds
        // its garbage, which a collection during the connects gives back (per viewer < 0).
        log(`  ${t.label}: restarting for ${n} viewers (a clean heap for RSS per viewer)`);
        try {
          await t.stop();
          await t.start();
          await sleep(WS_FRESH_SETTLE_MS);
        } catch (e) {
          errors.push({ section: 'ws', message: `restart before ${n} viewers failed: ${e?.message ?? e}` });
          log(`  ${t.label} restart FAILED: ${e?.message ?? e}`);
          break;
        }
      }
      used = true;
      await section('ws', async () => {
        const f = await W.wsLoad(t, n, cfg, log, { skipFlood: floodTimedOut });
        floodTimedOut ||= Boolean(f[`ws.n${n}.floodLastMs`]?.timedOut);
        return f;
      });
    }
  } finally {
    await t.stop();
  }
  return { status: errors.length ? 'partial' : 'ok', figures, errors };
}

const rendererBuilt = () => existsSync(path.join(ROOT, 'dist', 'renderer', 'index.html'));

/** The peer's figures from an earlier run (--peer-from): the peer's code does not change between
 *  our runs, so one measurement of it can stand beside several of ours. */
function peerFrom(file) {
  let earlier;
  try {
    earlier = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    process.stderr.write(`bench: --peer-from: cannot read ${file}: ${e?.message ?? e}\n`);
    process.exit(2);
  }
  const vt = earlier?.targets?.vibetunnel;
  if (!vt || vt.status === 'skipped') {
    process.stderr.write(`bench: --peer-from: ${file} has no VibeTunnel figures\n`);
    process.exit(2);
  }
  return { ...vt, measuredAt: earlier.date };
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  const cfg = config(args.quick);
  // Read before anything runs: a bad file must not cost a half-hour run first.
  const earlierPeer = args.peerFrom ? peerFrom(args.peerFrom) : undefined;
  if (args.viewers) {
    if (!args.viewers.every((n) => Number.isInteger(n) && n > 0)) {
      process.stderr.write('bench: --viewers takes positive whole numbers, e.g. --viewers=1000,5000\n');
      process.exit(2);
    }
    cfg.wsViewers = args.viewers;
  }
  const outDir = args.out ?? path.join(HERE, 'results');
  mkdirSync(outDir, { recursive: true });
  const started = new Date();
  const result = {
    schema: 'porthole-bench/1',
    date: started.toISOString(),
    quick: args.quick,
    git: gitInfo(),
    machine: machineInfo(),
    config: cfg,
    command: `node benchmarks/run.mjs ${process.argv.slice(2).join(' ')}`.trim(),
    baselines: null,
    targets: {},
    notes: [],
  };
  const want = (name) => !args.only || args.only.includes(name);
  const stamp = started.toISOString().replace(/[:.]/g, '-');
  const jsonPath = path.join(outDir, `bench-${args.quick ? 'quick-' : ''}${stamp}.json`);
  // Saved after each target too: a long peer run that is interrupted keeps what it measured.
  result.loadavg = [];
  const sampleLoad = (at) => result.loadavg.push({ at, loadavg: os.loadavg().map((x) => Math.round(x * 100) / 100) });
  sampleLoad('start');
  const save = () => {
    result.durationSeconds = Math.round((Date.now() - started.getTime()) / 1000);
    writeFileSync(jsonPath, JSON.stringify(result, null, 2) + '\n');
  };

  const runtimes = args.runtimes ?? ['node'];
  result.runtimes = runtimes;
  log(`${args.quick ? 'quick' : 'full'} run: runtimes ${runtimes.join(', ')}; sections ${args.sections?.join(', ') ?? 'all'}; peer ${args.peer && want('vibetunnel') ? 'VibeTunnel' : 'skipped'}${args.quick ? '' : ` (all sections, both runtimes and the peer: ~${FULL_RUN_MINUTES} min on 2 cores)`}`);
  result.baselinesByRuntime = {};
  for (const rt of runtimes) {
    try {
      result.baselinesByRuntime[rt] = await baselines(cfg, rt);
    } catch (e) {
      // Without its raw PTY a runtime's figures still count; only its ratios go missing.
      result.baselinesByRuntime[rt] = {};
      result.notes.push(`raw baselines (${rt}) failed: ${e?.message ?? e}`);
      log(`raw baselines (${rt}) FAILED: ${e?.message ?? e}`);
    }
  }
  result.baselines = result.baselinesByRuntime.node ?? result.baselinesByRuntime[runtimes[0]];

  if (want('porthole')) {
    if (args.build || !portholeBuilt()) {
      log('building porthole (npm run build:main)');
      buildPorthole();
    }
    if (!args.quick && (!args.sections || args.sections.includes('firstscreen')) && (args.build || !rendererBuilt())) {
      // The first screen opens the viewer page: it needs the renderer bundle of these sources.
      log('building the renderer (npm run build:renderer)');
      execFileSync('npm', ['run', '-s', 'build:renderer'], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
    }
    for (const rt of runtimes) {
      const key = rt === 'node' ? 'porthole' : `porthole-${rt}`;
      try {
        const profDir = args.cpuProf ? path.join(outDir, 'profiles') : undefined;
        if (profDir) mkdirSync(profDir, { recursive: true });
        // Each runtime's figures are ratios against its own raw PTY.
        result.targets[key] = await benchTarget(portholeTarget({ cpuProfDir: profDir, runtime: rt }), cfg, result.baselinesByRuntime[rt], args.sections, rt);
        if (!args.quick && (!args.sections || args.sections.includes('firstscreen'))) {
          const fs = firstScreen(rt, outDir, log);
          Object.assign(result.targets[key].figures, fs.figures);
          if (fs.error) result.targets[key].errors.push({ section: 'firstscreen', message: fs.error });
        }
        sampleLoad(`after ${key}`);
        save();
      } catch (e) {
        result.targets[key] = { status: 'error', reason: String(e?.message ?? e), figures: {}, errors: [] };
        log(`${key}: ${e?.message ?? e}`);
      }
    }
  }

  if (want('vibetunnel')) {
    if (earlierPeer) {
      result.targets.vibetunnel = earlierPeer;
      result.notes.push(`VibeTunnel's figures are from ${path.basename(args.peerFrom)} (measured ${result.targets.vibetunnel.measuredAt} on the same machine), not from this run`);
    } else if (!args.peer) {
      result.targets.vibetunnel = { status: 'skipped', reason: 'peer skipped (--no-peer or BENCH_NO_PEER=1)', figures: {}, errors: [] };
    } else {
      const why = installVibeTunnel(log);
      if (why) {
        result.targets.vibetunnel = { status: 'skipped', reason: why, figures: {}, errors: [] };
        log(`vibetunnel skipped: ${why}`);
      } else {
        try {
          result.targets.vibetunnel = await benchTarget(vibetunnelTarget(), cfg, result.baselines, args.sections);
          result.targets.vibetunnel.version = VT_VERSION;
        } catch (e) {
          result.targets.vibetunnel = { status: 'error', reason: String(e?.message ?? e), figures: {}, errors: [] };
          log(`vibetunnel: ${e?.message ?? e}`);
        }
      }
    }
  }

  sampleLoad('end');
  save();
  log(`wrote ${path.relative(process.cwd(), jsonPath)}`);
  if (runtimes.includes('node') && runtimes.includes('bun')) {
    const p = writeRuntimesReport(result, outDir, path.basename(jsonPath), args.quick);
    log(`wrote ${path.relative(process.cwd(), p)}`);
  }
  if (args.report) {
    // A quick pass never overwrites the full run's REPORT.md in the default folder.
    const reportName = args.quick ? 'REPORT-quick.md' : 'REPORT.md';
    const reportPath = await writeReport(result, outDir, reportName, path.basename(jsonPath), loadBaseline(args.baseline, log));
    log(`wrote ${path.relative(process.cwd(), reportPath)}`);
  }
  log(`done in ${result.durationSeconds} s (${(result.durationSeconds / 60).toFixed(1)} min)`);
}

main().then(
  () => process.exit(0),
  (e) => {
    process.stderr.write(`bench: ${e?.stack ?? e}\n`);
    process.exit(1);
  },
);
