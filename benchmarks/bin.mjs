#!/usr/bin/env node
// The single binary beside `npx porthole serve`, in one run: file size of each build variant
// (plain, --minify, --bytecode, both), time from exec to the `Porthole listening` line, and
// idle RSS (no sessions, 2 s after listening). Each start gets a fresh data dir, so the secret
// is created every time for every target alike. Writes benchmarks/results/bin.json and bin.md.
// Nothing is asserted: wall times on a shared machine are noisy, so each figure is a median
// with min-max over --runs starts.
//
//   node benchmarks/bin.mjs [--runs N] [--out DIR]
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { descendants, machineInfo, rssKb } from './lib/proc.mjs';
import { sleep, summarize } from './lib/stats.mjs';

const ROOT = path.resolve(import.meta.dirname, '..');
const args = process.argv.slice(2);
const flag = (name, dflt) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : dflt;
};
const RUNS = Number(flag('--runs', '7'));
const OUT = path.resolve(flag('--out', path.join(ROOT, 'benchmarks/results')));
const IDLE_MS = 2000;

/** build-bin.mjs ships bytecode by default (the first row is what `npm run build:bin` writes). */
const VARIANTS = [
  { name: 'binary (--bytecode, the default)', flags: [] },
  { name: 'binary --minify --bytecode', flags: ['--minify'] },
  { name: 'binary --no-bytecode', flags: ['--no-bytecode'] },
  { name: 'binary --minify --no-bytecode', flags: ['--minify', '--no-bytecode'] },
];

/** Starts one server, returns ms to the listening line and the idle RSS (KB) of the server
 *  process and of its whole tree (npx runs node under sh under npm). */
async function measureStart(cmd, argv, cwd) {
  const data = mkdtempSync(path.join(tmpdir(), 'porthole-binbench-'));
  const env = { ...process.env, PORTHOLE_LOG_LEVEL: 'warn' };
  for (const k of Object.keys(env)) if (k.startsWith('npm_')) delete env[k];
  const t0 = performance.now();
  const child = spawn(cmd, [...argv, 'serve', '--port', '0', '--data-dir', data], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let stderr = '';
  child.stderr.on('data', (c) => (stderr += c));
  const ms = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${cmd}: no listening line in 30 s: ${stderr}`)), 30_000);
    createInterface({ input: child.stdout }).on('line', (l) => {
      if (l.startsWith('Porthole listening on ')) {
        clearTimeout(timer);
        resolve(performance.now() - t0);
      }
    });
    child.once('exit', (code) => reject(new Error(`${cmd} exited ${code}: ${stderr}`)));
  });
  await sleep(IDLE_MS);
  const tree = [child.pid, ...descendants(child.pid)];
  const rss = tree.map((p) => ({ pid: p, kb: rssKb(p) ?? 0 }));
  // The server is the innermost process (npx runs npm, which runs sh -c, which runs node);
  // with no session open it has no child of its own.
  const server = rss[rss.length - 1];
  const gone = new Promise((r) => child.once('exit', r));
  process.kill(-child.pid, 'SIGTERM');
  await Promise.race([gone, sleep(6000)]);
  try {
    process.kill(-child.pid, 'SIGKILL');
  } catch {
    /* all gone */
  }
  rmSync(data, { recursive: true, force: true });
  return { ms, serverKb: server.kb, treeKb: rss.reduce((s, r) => s + r.kb, 0) };
}

/** Every target started once per round, round after round: drift on a shared machine (another
 *  job starting) then spreads over all targets instead of landing on one. */
async function interleaved(targets) {
  const starts = targets.map(() => []);
  for (let i = 0; i < RUNS; i++) {
    for (const [k, t] of targets.entries()) starts[k].push(await measureStart(t.cmd, t.argv, t.cwd));
    process.stderr.write(`round ${i + 1}/${RUNS} done\n`);
  }
  return targets.map((t, k) => ({
    label: t.label,
    sizeMB: t.sizeMB,
    startMs: summarize(starts[k].map((s) => s.ms), 'ms'),
    idleRssMb: summarize(starts[k].map((s) => s.serverKb / 1024), 'MB'),
    idleTreeRssMb: summarize(starts[k].map((s) => s.treeKb / 1024), 'MB'),
  }));
}

/** MB of node_modules after installing the packed package into an empty project. */
function npmFootprintMB(work) {
  const out = execFileSync('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', work], { cwd: ROOT, encoding: 'utf8' });
  const tgz = path.join(work, JSON.parse(out)[0].filename);
  const project = path.join(work, 'npm-project');
  mkdirSync(project);
  writeFileSync(path.join(project, 'package.json'), '{"name":"footprint","private":true}');
  execFileSync('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error', tgz], { cwd: project, stdio: 'ignore' });
  const bytes = Number(execFileSync('du', ['-sb', path.join(project, 'node_modules')], { encoding: 'utf8' }).split('\t')[0]);
  return Math.round(bytes / 1e5) / 10;
}

async function main() {
  mkdirSync(OUT, { recursive: true });
  const loadBefore = loadavg()[0];
  const work = mkdtempSync(path.join(tmpdir(), 'porthole-binbench-build-'));
  const targets = [];
  let rows = [];
  try {
    // The renderer is built once; each variant compiles the same sources into its own folder,
    // and is then copied alone, as a user runs it, away from the checkout and its node_modules.
    execFileSync('npm', ['run', 'build'], { cwd: ROOT, stdio: 'ignore' });
    for (const v of VARIANTS) {
      const dir = path.join(work, v.name.replace(/[^a-z]+/g, '-'));
      execFileSync(process.execPath, [path.join(ROOT, 'scripts/build-bin.mjs'), '--no-renderer', '--out', dir, ...v.flags], { cwd: ROOT, stdio: 'ignore' });
      const alone = mkdtempSync(path.join(work, 'alone-'));
      execFileSync('cp', [path.join(dir, 'porthole'), alone]);
      targets.push({ label: v.name, cmd: path.join(alone, 'porthole'), argv: [], cwd: alone, sizeMB: Math.round(statSync(path.join(dir, 'porthole')).size / 1e5) / 10 });
    }
    const nodeSize = `${npmFootprintMB(work)} + node ${Math.round(statSync(process.execPath).size / 1e5) / 10}`;
    targets.push({ label: 'node bin/porthole.js', cmd: process.execPath, argv: ['bin/porthole.js'], cwd: ROOT, sizeMB: nodeSize });
    targets.push({ label: 'npx porthole', cmd: 'npx', argv: ['porthole'], cwd: ROOT, sizeMB: nodeSize });
    rows = await interleaved(targets);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  const load = { before: Math.round(loadBefore * 10) / 10, after: Math.round(loadavg()[0] * 10) / 10 };
  const result = { when: new Date().toISOString(), machine: machineInfo(), load, runs: RUNS, idleMs: IDLE_MS, rows };
  writeFileSync(path.join(OUT, 'bin.json'), JSON.stringify(result, null, 2) + '\n');
  const fmt = (s) => `${s.median} (${s.min}–${s.max})`;
  const md = [
    '# The single binary beside `npx porthole serve`',
    '',
    `One run of \`node benchmarks/bin.mjs\` (${result.when}); ${RUNS} starts each, interleaved round by round,`,
    'medians with min–max. Bun 1.4 has no `--trim` flag, so there is no such variant.',
    `Start-up: from exec to the \`Porthole listening\` line on stdout (fresh data dir each time, so`,
    `the secret is created in every start). Idle RSS: the server process, ${IDLE_MS / 1000} s after`,
    'listening, no sessions; "tree" adds the processes it runs under (npx: npm and sh).',
    'Size for Node: what `npm install ./porthole-*.tgz` puts in an empty project\'s node_modules,',
    'plus the node executable itself.',
    '',
    '| what | size (MB) | start-up (ms) | idle RSS (MB) | idle RSS, tree (MB) |',
    '| --- | --- | --- | --- | --- |',
    ...rows.map((r) => `| ${r.label} | ${r.sizeMB} | ${fmt(r.startMs)} | ${fmt(r.idleRssMb)} | ${fmt(r.idleTreeRssMb)} |`),
    '',
    `Machine: ${result.machine.cpuModel}, ${result.machine.cores} cores, ${result.machine.platform}; Node ${process.version}; Bun from the bun devDependency.`,
    `Load average (1 min) before and after the run: ${load.before}, ${load.after} (the machine is shared: absolute times are`,
    'inflated by the load; compare rows of the same run).',
    '',
  ].join('\n');
  writeFileSync(path.join(OUT, 'bin.md'), md);
  process.stdout.write(md);
}

await main();
