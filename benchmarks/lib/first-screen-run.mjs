// Runs the first-screen measurement (benchmarks/first-screen.measure.ts, a vitest file with its
// own browser and server, owned by its module) from `npm run bench`, under the server runtime
// asked for, and turns what it wrote into figures of the bench run.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ROOT } from './targets.mjs';
import { summarize } from './stats.mjs';

const BENCH = path.join(ROOT, 'benchmarks');
/** One first-screen pass (22 cold + 22 warm opens and a server) is well under this. */
const FIRST_SCREEN_TIMEOUT_MS = 300_000;

/** The first screen of a share link in headless Chromium (benchmarks/first-screen.measure.ts,
 *  owned by its own module), against a server under `runtime`. It writes first-screen.json/.md
 *  into benchmarks/results; its cold and warm opens become this target's figures, and a copy
 *  of its JSON goes to OUT/first-screen-RUNTIME.json. */
export function firstScreen(runtime, outDir, log) {
  const t0 = Date.now();
  log(`first screen in Chromium, ${runtime} server (vitest --config benchmarks/vitest.measure.config.ts)`);
  const file = path.join(BENCH, 'results', 'first-screen.json');
  // first-screen.json/.md stay Node's (what the file has always measured): another runtime's
  // pass is kept as first-screen-RUNTIME.json and the Node pass's files are put back.
  const keep = runtime === 'node' ? [] : ['first-screen.json', 'first-screen.md'].map((f) => path.join(BENCH, 'results', f)).filter(existsSync).map((f) => [f, readFileSync(f)]);
  try {
    execFileSync('npx', ['vitest', 'run', '--config', path.join(BENCH, 'vitest.measure.config.ts')], {
      cwd: ROOT,
      // node: the server in vitest's own process, as the file has always measured it.
      env: { ...process.env, ...(runtime === 'node' ? {} : { PORTHOLE_TEST_RUNTIME: runtime }) },
      stdio: ['ignore', 'ignore', 'inherit'],
      timeout: FIRST_SCREEN_TIMEOUT_MS,
    });
    // A skipped measurement (no Chromium) exits 0 and leaves the last run's file: not a figure.
    if (!existsSync(file) || statSync(file).mtimeMs < t0) throw new Error('first-screen.measure.ts wrote no result (skipped: no Chromium?)');
    const r = JSON.parse(readFileSync(file, 'utf8'));
    writeFileSync(path.join(outDir, `first-screen-${runtime}.json`), JSON.stringify(r, null, 2) + '\n');
    const figures = {};
    for (const kind of ['cold', 'warm']) {
      const samples = r[kind]?.samplesMs;
      if (Array.isArray(samples) && samples.length) figures[`firstscreen.${kind}Ms`] = summarize(samples, 'ms', { opens: samples.length, loadavg: r.environment?.loadavg });
    }
    log(`  first screen (${runtime}): cold p50 ${figures['firstscreen.coldMs']?.median} ms, warm p50 ${figures['firstscreen.warmMs']?.median} ms, in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    return { figures };
  } catch (e) {
    log(`  first screen (${runtime}) FAILED: ${e?.message ?? e}`);
    return { figures: {}, error: String(e?.message ?? e).slice(0, 300) };
  } finally {
    for (const [f, content] of keep) writeFileSync(f, content);
  }
}

