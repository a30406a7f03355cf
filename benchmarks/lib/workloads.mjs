// The workloads, each written once against the target adapter (targets.mjs) so Porthole and
// the peer run exactly the same thing. Each returns { key: figure } (see stats.summarize).
import { createRequire } from 'node:module';
import path from 'node:path';
import { ROOT } from './targets.mjs';
import { ViewerFarm } from './farm.mjs';
import { cpuSeconds, rssKb } from './proc.mjs';
import { nowMs, percentile, sleep, summarize } from './stats.mjs';
import { request } from './http.mjs';

const require = createRequire(path.join(ROOT, 'package.json'));
const autocannon = require('autocannon');

export const MARKER = 'FLOODEND';
export const floodCommand = (lines) => ['sh', '-c', `read _; seq 1 ${lines}; echo ${MARKER}; exec sleep 3600`];

/** RSS in KB: the median of a few readings 100 ms apart. */
export async function stableRss(pid, readings = 5) {
  const xs = [];
  for (let i = 0; i < readings; i++) {
    xs.push(rssKb(pid));
    await sleep(100);
  }
  return percentile(xs, 50);
}

// ---------------------------------------------------------------- API under load

function cannon(opts) {
  return new Promise((resolve, reject) => {
    autocannon(opts, (err, res) => (err ? reject(err) : resolve(res)));
  });
}

/** GET /health, GET /api/sessions with `sessions` sessions, GET /api/sessions/:id, and a
 *  non-spawning write (resize), each with 50 connections for `duration` s, `repeats` times. */
export async function apiLoad(t, cfg, log) {
  const ids = [];
  for (let i = 0; i < cfg.apiSessions; i++) ids.push(await t.createSession({ command: ['cat'] }));
  await sleep(500);
  const figures = {};
  figures[`mem.sessions${cfg.apiSessions}MB`] = summarize([(await stableRss(t.pid)) / 1024], 'MB');
  const cases = [
    ['health', { path: t.api.health }],
    ['list', { path: t.api.list }],
    ['get', { path: t.api.get(ids[0]) }],
    ['resize', t.api.resize(ids[1] ?? ids[0])],
  ];
  for (const [name, c] of cases) {
    const rps = [];
    const p50 = [];
    const p99 = [];
    let non2xx = 0;
    let errors = 0;
    for (let r = 0; r < cfg.apiRepeats; r++) {
      const res = await cannon({
        url: t.url + c.path,
        method: c.method ?? 'GET',
        body: c.body ? JSON.stringify(c.body) : undefined,
        headers: c.body ? { 'content-type': 'application/json' } : undefined,
        connections: 50,
        duration: cfg.apiDuration,
      });
      rps.push(res.requests.average);
      p50.push(res.latency.p50);
      p99.push(res.latency.p99);
      non2xx += res.non2xx;
      errors += res.errors;
    }
    log(`  api ${name}: ${Math.round(percentile(rps, 50))} req/s, p50 ${percentile(p50, 50)} ms, p99 ${percentile(p99, 50)} ms, non2xx ${non2xx}`);
    const extra = { non2xx, errors };
    figures[`api.${name}.rps`] = summarize(rps, 'req/s', extra);
    figures[`api.${name}.p50ms`] = summarize(p50, 'ms', extra);
    figures[`api.${name}.p99ms`] = summarize(p99, 'ms', extra);
  }
  for (const id of ids) await t.deleteSession(id);
  return figures;
}

// ---------------------------------------------------------------- session lifecycle

/** Sequential create + delete of a `cat` session over HTTP, `count` per repeat. */
/** A repeat stops early past this long (a slow peer: 100 ops at 0.7 ops/s is minutes). */
const LIFECYCLE_REPEAT_BUDGET_MS = 60_000;

export async function lifecycle(t, cfg) {
  const ops = [];
  for (let r = 0; r < cfg.lifecycleRepeats; r++) {
    const t0 = performance.now();
    let done = 0;
    while (done < cfg.lifecycleCount && performance.now() - t0 < LIFECYCLE_REPEAT_BUDGET_MS) {
      const id = await t.createSession({ command: ['cat'] });
      await t.deleteSession(id);
      done++;
    }
    ops.push((done * 1000) / (performance.now() - t0));
  }
  return { 'lifecycle.createDeleteOps': summarize(ops, 'ops/s') };
}

// ---------------------------------------------------------------- flood to N viewers

/** One flood of `seq 1 lines` watched by `viewers` viewers: ms until the last one saw the end. */
export async function floodOnce(t, { viewers, lines, timeoutMs, farm, processes = 1 }) {
  const id = await t.createSession({ command: floodCommand(lines) });
  const ownFarm = !farm;
  farm ??= new ViewerFarm(processes);
  try {
    const conn = await farm.connect(t.viewerTarget(id), viewers);
    if (conn.failed) throw new Error(`${conn.failed} of ${viewers} viewers failed: ${conn.errors.join('; ')}`);
    await sleep(200); // the redraw on join has settled
    const seen = farm.watch(MARKER, timeoutMs);
    await sleep(20);
    const cpu0 = cpuSeconds(t.pid);
    const t0 = nowMs();
    await t.input(id, '\n');
    const res = await seen;
    const cpu1 = cpuSeconds(t.pid);
    const last = res.times.length ? Math.max(...res.times) - t0 : null;
    return { ms: res.missing ? null : last, seen: res.times.length, missing: res.missing, resyncs: res.resyncs, frames: res.frames, cpuSec: cpu1 - cpu0, connect: conn };
  } finally {
    if (ownFarm) await farm.close();
    await t.deleteSession(id);
  }
}

/** `rawFloodMs`, when given, runs one raw PTY flood of the same lines and resolves its time: it
 *  runs right before every repeat, and each repeat's ratio is against its own, so a machine
 *  whose load changes during the run (a shared 2-core box: 0.77x and 0.89x in two runs of one
 *  build against the run's one raw median) reads like flood-ab.mjs's interleaved rounds. */
export async function floods(t, cfg, raw, log, rawFloodMs) {
  const figures = {};
  const cpuPerMB = [];
  for (const v of cfg.floodViewers) {
    const ms = [];
    const rawMs = [];
    let missing = 0;
    let resyncs = 0;
    for (let r = 0; r < cfg.floodRepeats; r++) {
      const before = rawFloodMs ? await rawFloodMs() : raw.floodMs?.median;
      const res = await floodOnce(t, { viewers: v, lines: cfg.floodLines, timeoutMs: cfg.floodTimeoutMs });
      if (res.ms !== null) {
        ms.push(res.ms);
        rawMs.push(before);
      }
      missing += res.missing;
      resyncs += res.resyncs;
      if (v === 1 && raw.floodBytes) cpuPerMB.push(res.cpuSec / (raw.floodBytes / 1e6));
    }
    log(`  flood to ${v}: ${ms.map(Math.round).join(', ')} ms (raw ${rawMs.map((x) => Math.round(x ?? 0)).join(', ')} ms), missing ${missing}, resyncs ${resyncs}`);
    const extra = { viewers: v, missing, resyncs, lines: cfg.floodLines, ...(rawFloodMs ? { rawMs, pairedRaw: true } : {}) };
    figures[`flood.v${v}.ms`] = summarize(ms, 'ms', extra);
    if (rawMs.every((x) => x)) {
      // throughput ratio = raw time / time here (same bytes): 1.0 means as fast as the bare PTY.
      figures[`flood.v${v}.ratio`] = summarize(
        ms.map((x, i) => rawMs[i] / x),
        'x raw',
        extra,
      );
      figures[`flood.v${v}.MBps`] = summarize(ms.map((x) => raw.floodBytes / 1e6 / (x / 1000)), 'MB/s', extra);
    }
  }
  if (cpuPerMB.length) figures['cpu.secPerMB'] = summarize(cpuPerMB, 'CPU s/MB');
  return figures;
}

// ---------------------------------------------------------------- keystroke echo

/** How long one keystroke may wait for its echo before the repeat is abandoned. */
const ECHO_TIMEOUT_MS = 5000;

/** `cat` session; `count` keys typed back to back: each key is sent the moment the previous
 *  one's echo has arrived (no pause, as when typing fast or pasting slowly), and the time from
 *  sending a key to the output frame holding it is that key's latency. One line (cooked mode
 *  holds 4,096 bytes), so no line feed's output can pass for an echo. */
export async function echo(t, cfg) {
  const id = await t.createSession({ command: ['cat'] });
  const c = t.echoClient(id);
  const p50 = [];
  const p99 = [];
  try {
    await c.ready;
    await sleep(300);
    for (let r = 0; r < cfg.echoRepeats; r++) {
      const lat = [];
      for (let i = 0; i < cfg.echoCount; i++) {
        const ch = String.fromCharCode(97 + (i % 26));
        const ms = await new Promise((resolve, reject) => {
          let t0 = 0;
          const timer = setTimeout(() => {
            off();
            reject(new Error(`echo timed out after ${ECHO_TIMEOUT_MS} ms`));
          }, ECHO_TIMEOUT_MS);
          const off = c.onOutput((s) => {
            if (t0 && s.includes(ch)) {
              clearTimeout(timer);
              off();
              resolve(performance.now() - t0);
            }
          });
          t0 = performance.now();
          c.type(ch);
        });
        lat.push(ms);
      }
      // Between repeats (not between keys): end the line, so each repeat starts on a fresh one.
      c.type('\u0015');
      await sleep(200);
      p50.push(percentile(lat, 50));
      p99.push(percentile(lat, 99));
    }
  } finally {
    c.close();
    await t.deleteSession(id);
  }
  const extra = { keystrokesPerRepeat: cfg.echoCount, backToBack: true };
  return { 'echo.p50ms': summarize(p50, 'ms', extra), 'echo.p99ms': summarize(p99, 'ms', extra) };
}

// ---------------------------------------------------------------- late join

const LAST_LINE = /(\n|\\n)10000(\r|\\r)/;
const FIRST_LINES = /(^|[^0-9])1(\r\n|\\r\\n)2(\r\n|\\r\\n)3(\r\n|\\r\\n)/;

/** The screen's last two text rows after `join N` was typed into cat: the tty's echo, then cat's
 *  copy (a redraw of the visible rows may end the last one with a cursor move, not CR LF). */
const bottomRows = (n) => new RegExp(`join ${n}(\r\n|\\\\r\\\\n)join ${n}(?![0-9])`);

/**
 * A session that printed 10,000 lines; a new viewer joins: ms from opening the socket to the
 * visible screen (the screen's bottom rows, the line typed last, have arrived: after a few
 * rounds `10000` itself is in the scrollback) and to the full scrollback (the first lines have
 * arrived too). A server may send the visible rows first and the scrollback after.
 */
export async function lateJoin(t, cfg) {
  const id = await t.createSession({ command: ['sh', '-c', 'seq 1 10000; exec cat'] });
  const visible = [];
  const full = [];
  const idle = [];
  const unchanged = [];
  try {
    // Wait until the output is all in: one viewer sees the last line, then a quiet moment.
    const first = t.lateJoinClient(id);
    let acc0 = '';
    await new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('late join: the 10,000 lines never arrived')), 30_000);
      first.onOutput((s) => {
        acc0 = (acc0 + s).slice(-64);
        if (LAST_LINE.test(acc0)) {
          clearTimeout(timer);
          resolve();
        }
      });
    });
    first.close();
    await sleep(500);
    // Three ways to join, in turn: right after the screen changed (a line typed into cat, 50 ms
    // before: the server must rebuild its redraw), after it has been idle for a second, and
    // again at once with nothing changed (a server may reuse its last redraw).
    const kinds = ['changed', 'idle', 'unchanged'];
    let typed = -1;
    for (let r = 0; r < cfg.lateJoinRepeats * kinds.length; r++) {
      const kind = kinds[r % kinds.length];
      if (kind !== 'unchanged') {
        typed = r;
        await t.input(id, `join ${r}\n`);
        await sleep(kind === 'changed' ? 50 : 1000);
      }
      const bottom = bottomRows(typed);
      const c = t.lateJoinClient(id);
      let acc = '';
      let tVisible = 0;
      let tFull = 0;
      await new Promise((resolve) => {
        const timer = setTimeout(resolve, 10_000);
        c.onOutput((s) => {
          acc += s;
          const now = performance.now();
          if (!tVisible && bottom.test(acc)) tVisible = now - c.t0;
          if (!tFull && FIRST_LINES.test(acc)) tFull = now - c.t0;
          if (tVisible && tFull) {
            clearTimeout(timer);
            resolve();
          }
        });
      });
      c.close();
      if (kind === 'changed') {
        if (tVisible) visible.push(tVisible);
        if (tFull) full.push(Math.max(tFull, tVisible));
      } else if (tVisible) (kind === 'idle' ? idle : unchanged).push(tVisible);
      await sleep(100);
    }
  } finally {
    await t.deleteSession(id);
  }
  return {
    'latejoin.visibleMs': summarize(visible, 'ms', { lines: 10000 }),
    'latejoin.fullMs': summarize(full, 'ms', { lines: 10000 }),
    'latejoin.idleMs': summarize(idle, 'ms', { lines: 10000 }),
    'latejoin.unchangedMs': summarize(unchanged, 'ms', { lines: 10000 }),
  };
}

// ---------------------------------------------------------------- memory

/** RSS 1 s after the server said it listens (still holding what the start allocated), and once
 *  it has sat idle for `settleMs` (what `top` shows for a server nobody uses: the issue's row). */
export async function memIdle(t, cfg) {
  await sleep(1000);
  const start = (await stableRss(t.pid)) / 1024;
  await sleep(Math.max(0, cfg.settleMs - 1500));
  const idle = (await stableRss(t.pid)) / 1024;
  return {
    'mem.startMB': summarize([start], 'MB', { afterMs: 1000 }),
    'mem.idleMB': summarize([idle], 'MB', { afterMs: cfg.settleMs }),
  };
}

export async function memAfterFlood(t, cfg) {
  const after = (await stableRss(t.pid, 3)) / 1024;
  await sleep(cfg.settleMs);
  const settled = (await stableRss(t.pid)) / 1024;
  return {
    'mem.afterFloodMB': summarize([after], 'MB'),
    'mem.afterSettleMB': summarize([settled], 'MB', { settleMs: cfg.settleMs }),
  };
}

// ---------------------------------------------------------------- many viewers

/** n viewers on one session: setup time per viewer, server RSS per viewer, and the time
 *  until the last viewer has seen the end of a flood. */
export async function wsLoad(t, n, cfg, log, { skipFlood = false } = {}) {
  const id = await t.createSession({ command: floodCommand(cfg.floodLines) });
  const processes = Math.max(1, Math.min(cfg.viewerProcesses, Math.ceil(n / 250)));
  const farm = new ViewerFarm(processes);
  const figures = {};
  try {
    // One viewer per farm process first: a session's screen opens on its first join (it is
    // lazy), and that screen, like the join path's first compile, is the session's cost, not
    // each viewer's. Without it 1,000 viewers read 25 KB each against 7.5 at 5,000.
    await farm.connect(t.viewerTarget(id), processes, { concurrency: processes, timeoutMs: 60_000 });
    // Both readings come after the same settle, so neither carries an earlier burst's heap:
    // 1 s after the connects (just joined) and settleMs after them (idle viewers: the issue's row).
    await sleep(cfg.settleMs);
    const before = await stableRss(t.pid);
    const conn = await farm.connect(t.viewerTarget(id), n, { concurrency: cfg.connectConcurrency, timeoutMs: 300_000 });
    await sleep(1000);
    const joined = await stableRss(t.pid);
    await sleep(Math.max(0, cfg.settleMs - 1500));
    const after = await stableRss(t.pid);
    const ok = n - conn.failed;
    log(`  ${n} viewers: ${ok} connected in ${Math.round(conn.wallMs)} ms, p50 ${percentile(conn.setupMs, 50)?.toFixed(1)} ms, p99 ${percentile(conn.setupMs, 99)?.toFixed(1)} ms, RSS ${Math.round(before / 1024)} -> ${Math.round(joined / 1024)} MB, settled ${Math.round(after / 1024)} MB${conn.failed ? `, failed ${conn.failed}: ${conn.errors[0]}` : ''}`);
    const extra = { viewers: n, connected: ok, failed: conn.failed, processes };
    figures[`ws.n${n}.connectP50ms`] = summarize([percentile(conn.setupMs, 50)], 'ms', extra);
    figures[`ws.n${n}.connectP99ms`] = summarize([percentile(conn.setupMs, 99)], 'ms', extra);
    figures[`ws.n${n}.connectAllMs`] = summarize([conn.wallMs], 'ms', extra);
    figures[`ws.n${n}.kbPerViewerJoined`] = summarize([ok ? (joined - before) / ok : NaN], 'KB', { ...extra, rssBeforeKB: before, rssAfterKB: joined, afterMs: 1000 });
    figures[`ws.n${n}.kbPerViewer`] = summarize([ok ? (after - before) / ok : NaN], 'KB', { ...extra, rssBeforeKB: before, rssAfterKB: after, afterMs: cfg.settleMs });
    // Every viewer gets every byte unless it falls behind: n x 6.9 MB through loopback TCP,
    // so the wait grows with n (5,000 viewers: ~35 GB to copy).
    const timeoutMs = Math.max(cfg.bigFloodTimeoutMs, n * 50);
    if (ok && skipFlood) {
      log(`  ${n} viewers flood: skipped (a smaller count already timed out)`);
      figures[`ws.n${n}.floodLastMs`] = summarize([], 'ms', { ...extra, skipped: 'a smaller count already timed out' });
    } else if (ok) {
      const seen = farm.watch(MARKER, timeoutMs);
      await sleep(20);
      const t0 = nowMs();
      await t.input(id, '\n');
      const res = await seen;
      const last = res.times.length ? Math.max(...res.times) - t0 : NaN;
      // Output frames per viewer: how finely the server cut the flood (each is a send per socket).
      const framesPerViewer = Math.round(res.frames / ok);
      log(`  ${n} viewers flood: ${res.times.length} saw the end, last after ${Math.round(last)} ms, missing ${res.missing}, resyncs ${res.resyncs}, ${framesPerViewer} frames per viewer${res.timedOut ? ' (timed out)' : ''}`);
      figures[`ws.n${n}.floodLastMs`] = summarize(res.missing ? [] : [last], 'ms', {
        ...extra,
        sawEnd: res.times.length,
        missing: res.missing,
        resyncs: res.resyncs,
        timedOut: res.timedOut,
        timeoutMs,
        lastSeenMs: Number.isFinite(last) ? last : null,
        framesPerViewer,
        bytesPerViewer: Math.round(res.bytes / ok),
      });
    }
  } finally {
    await farm.close();
    await t.deleteSession(id);
  }
  return figures;
}

export async function healthy(t) {
  const res = await request('GET', t.url + t.api.health);
  return res.status === 200;
}
