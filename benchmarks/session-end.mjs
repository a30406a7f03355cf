// Ending a session's process group: the platform plan's interpreter (platform/session-tree.ts,
// what sessions run now) against the endGroup it replaced (a copy below), on the same kind of
// group in one run: a shell leading its own group (setsid) with two background children, ended
// with SIGHUP (they leave at once) and with SIGHUP ignored (SIGKILL after the grace period).
// Usage: node benchmarks/session-end.mjs [--runs=30] [--grace=300]
// Needs `npm run build:main` (imports dist/main). Writes benchmarks/results/session-end.{json,md}.
import { execFileSync, spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(import.meta.dirname, '..');
const arg = (name, dflt) => process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1] ?? dflt;
const runs = Number(arg('runs', '30'));
const grace = Number(arg('grace', '300'));
const { endGroup: endGroupNow } = await import(path.join(ROOT, 'dist/main/server/pty/process-group.js'));

// ---- the previous endGroup (main before 7bfcf2e), verbatim in behaviour ----
function signalGroup(pgid, signal) {
  if (!Number.isInteger(pgid) || pgid <= 1) return false;
  try { process.kill(-pgid, signal); return true; } catch (err) { return err.code === 'EPERM'; }
}
function signalGroupOrLeader(pgid, signal) {
  if (signalGroup(pgid, signal)) return true;
  try { process.kill(pgid, signal); return true; } catch (err) { return err.code === 'EPERM'; }
}
function endGroupOld(pgid, graceMs) {
  let poll, graceT, finish = () => {};
  const done = new Promise((resolve) => { finish = () => { clearTimeout(poll); clearTimeout(graceT); resolve(); }; });
  if (!signalGroupOrLeader(pgid, 'SIGHUP')) { finish(); return { done, cancel: finish }; }
  const check = (delay) => { poll = setTimeout(() => { if (!signalGroupOrLeader(pgid, 0)) finish(); else check(Math.min(delay * 2, 25)); }, delay); };
  check(1);
  graceT = setTimeout(() => { signalGroupOrLeader(pgid, 'SIGKILL'); finish(); }, graceMs);
  return { done, cancel: finish };
}
// ----

function group(ignoreHup, children) {
  const trap = ignoreHup ? "trap '' HUP; " : '';
  const script = children ? `${trap}sleep 1000 & sleep 1000 & echo ready; wait` : `${trap}echo ready; exec sleep 1000`;
  const child = spawn('/bin/sh', ['-c', script], { detached: true, stdio: ['ignore', 'pipe', 'ignore'] });
  return new Promise((resolve) => child.stdout.once('data', () => resolve(child)));
}

/** Live (not zombie) members of a process group: what would outlive the session. */
function liveMembers(pgid) {
  const out = execFileSync('ps', ['-eo', 'pgid=,stat='], { encoding: 'utf8' });
  return out.split('\n').filter((l) => { const [g, st] = l.trim().split(/\s+/); return Number(g) === pgid && st && !st.startsWith('Z'); }).length;
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const p95 = (xs) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * 0.95))];
const results = [];
const CASES = [
  { name: 'leader alone, SIGHUP ends it', ignoreHup: false, children: false },
  { name: 'leader + 2 background children, SIGHUP ends them', ignoreHup: false, children: true },
  { name: 'leader + 2 children, SIGHUP ignored (SIGKILL at grace)', ignoreHup: true, children: true },
];
for (const c of CASES) {
  for (const [impl, end] of [['previous endGroup', endGroupOld], ['session-tree plan', endGroupNow]]) {
    const ms = [];
    let leftover = 0;
    for (let i = 0; i < runs; i++) {
      const child = await group(c.ignoreHup, c.children);
      const exited = new Promise((r) => child.once('exit', r));
      const t0 = performance.now();
      await end(child.pid, grace).done;
      ms.push(performance.now() - t0);
      await exited;
      await new Promise((r) => setTimeout(r, 100)); // let SIGKILLed members die (they are zombies then)
      if (liveMembers(child.pid) > 0) { leftover++; try { process.kill(-child.pid, 'SIGKILL'); } catch {} }
    }
    results.push({ case: c.name, impl, runs, medianMs: median(ms), p95Ms: p95(ms), leftoverGroups: leftover });
  }
}
const rows = results.map((r) => `| ${r.case} | ${r.impl} | ${r.medianMs.toFixed(2)} | ${r.p95Ms.toFixed(2)} | ${r.leftoverGroups} |`);
const md = `# Ending a session's process group (${new Date().toISOString().slice(0, 10)}, ${runs} runs each, grace ${grace} ms)

\`node benchmarks/session-end.mjs --runs=${runs} --grace=${grace}\`: a shell leading its own group with two
background \`sleep\`s, ended by the endGroup that sessions used before the per-platform plan and by the
plan's interpreter that they use now (\`platform/session-tree.ts\`), alternating in one run.

Orphaned children are reparented to PID 1, and until it reaps them their zombies still count as
group members, so "done" waits for that here (this machine's PID 1 reaps slowly: the child cases
take the grace period with either implementation). "Left behind" counts live, non-zombie members.

| case | implementation | median ms | p95 ms | groups with live members left |
| --- | --- | --- | --- | --- |
${rows.join('\n')}
`;
writeFileSync(path.join(ROOT, 'benchmarks/results/session-end.json'), JSON.stringify({ date: new Date().toISOString(), runs, grace, results }, null, 2) + '\n');
writeFileSync(path.join(ROOT, 'benchmarks/results/session-end.md'), md);
process.stdout.write(md);
