// The raw baselines, run in their own process: the runtime's PTY used directly, with no server
// in between (node-pty under Node; Bun.spawn's terminal under Bun: `bun raw-pty.mjs ...`).
// Porthole's and the peer's figures are ratios against these, measured in the same run.
//   node raw-pty.mjs flood <repeats> [lines]   -> read rate of `seq 1 <lines>` through a PTY
//   node raw-pty.mjs spawn <repeats> <count>   -> spawn-and-reap loop of `cat` (spawn, SIGHUP, exit)
// Prints one JSON line on stdout.
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
/** node-pty's spawn() shape over either runtime's PTY: onData, onExit, write, kill (also used by the
 *  lifecycle probes, benchmarks/results/perf-lifecycle-probes/). */
export const pty = globalThis.Bun ? bunPty() : createRequire(path.join(root, 'package.json'))('@lydell/node-pty');

function bunPty() {
  return {
    spawn(file, args, { cols, rows, cwd, env }) {
      const data = new Set();
      const exit = new Set();
      const proc = globalThis.Bun.spawn([file, ...args], { cwd, env, terminal: { cols, rows, data: (_t, d) => data.forEach((l) => l(Buffer.from(d.buffer, d.byteOffset, d.byteLength))) } });
      proc.exited.then(() => {
        proc.terminal?.close();
        exit.forEach((l) => l());
      });
      return {
        onData: (l) => data.add(l),
        onExit: (l) => exit.add(l),
        write: (s) => proc.terminal.write(s),
        kill: (sig) => proc.kill(sig),
        pid: proc.pid,
      };
    },
  };
}

const now = () => performance.now();
const MARKER = 'FLOODEND';

export function floodCommand(lines) {
  // `read` holds the flood until the harness says go; the marker is printed by echo, never typed.
  return ['sh', '-c', `read _; seq 1 ${lines}; echo ${MARKER}; exec sleep 600`];
}

function floodOnce(lines, encoding) {
  return new Promise((resolve, reject) => {
    const [file, ...args] = floodCommand(lines);
    const p = pty.spawn(file, args, { cols: 80, rows: 24, cwd: process.cwd(), env: process.env, encoding });
    let bytes = 0;
    let tail = '';
    let t0 = 0;
    const timer = setTimeout(() => {
      p.kill('SIGKILL');
      reject(new Error('raw flood timed out'));
    }, 120_000);
    p.onData((d) => {
      if (!t0) return; // the echo of our newline comes after t0 anyway; nothing else is printed before
      bytes += typeof d === 'string' ? Buffer.byteLength(d) : d.length;
      const s = tail + (typeof d === 'string' ? d : d.toString('latin1'));
      if (s.includes(MARKER)) {
        const ms = now() - t0;
        clearTimeout(timer);
        p.onExit(() => resolve({ ms, bytes }));
        p.kill('SIGKILL');
        return;
      }
      tail = s.slice(-MARKER.length);
    });
    setTimeout(() => {
      t0 = now();
      p.write('\n');
    }, 50);
  });
}

function spawnReapOnce(count) {
  return new Promise((resolve) => {
    let done = 0;
    const t0 = now();
    const next = () => {
      if (done === count) return resolve({ ms: now() - t0, count, opsPerSec: (count * 1000) / (now() - t0) });
      const p = pty.spawn('cat', [], { cols: 80, rows: 24, cwd: process.cwd(), env: process.env });
      p.onExit(() => {
        done++;
        setImmediate(next);
      });
      p.kill('SIGHUP');
    };
    next();
  });
}

async function main() {
  const [mode, repeatsArg, arg2, encodingArg] = process.argv.slice(2);
  const repeats = Number(repeatsArg) || 3;
  const samples = [];
  if (mode === 'flood') {
    const lines = Number(arg2) || 1_000_000;
    const encoding = encodingArg === 'buffer' ? null : 'utf8';
    for (let i = 0; i < repeats; i++) samples.push(await floodOnce(lines, encoding));
  } else if (mode === 'spawn') {
    const count = Number(arg2) || 50;
    for (let i = 0; i < repeats; i++) samples.push(await spawnReapOnce(count));
  } else {
    throw new Error(`unknown mode ${mode}`);
  }
  process.stdout.write(JSON.stringify({ mode, samples }) + '\n');
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  main().then(
    () => process.exit(0),
    (e) => {
      process.stderr.write(String(e?.stack ?? e) + '\n');
      process.exit(1);
    },
  );
}
