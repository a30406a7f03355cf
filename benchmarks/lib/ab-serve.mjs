// The pieces the A/B scripts (flood-ab.mjs, lifecycle-ab.mjs) share: a --target=NAME=ENTRY flag,
// a build of `porthole serve` (or lib/relay-server.mjs, the bound) started from it, and one run
// of the raw PTY (lib/raw-pty.mjs) as the round's baseline.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { listeningPort } from './proc.mjs';
import { ROOT, runtimeExe } from './targets.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));

/**
 * `NAME=ENTRY[ ARG...]`: the entry (bin/porthole.js of a build, or relay-server.mjs) and its
 * extra args; a word `@K=V` sets an env variable of the server, `%FLAG` a flag of the runtime.
 */
export function parseTargetFlag(value) {
  const [name, ...spec] = value.split('=');
  const words = spec.join('=').split(' ').filter(Boolean);
  const env = Object.fromEntries(words.filter((w) => w.startsWith('@')).map((w) => w.slice(1).split('=')));
  const runtimeArgs = words.filter((w) => w.startsWith('%')).map((w) => w.slice(1));
  const [entry, ...args] = words.filter((w) => !w.startsWith('@') && !w.startsWith('%'));
  return { name, entry: path.resolve(entry), args, env, runtimeArgs };
}

/** Starts a target under `runtime` on a free port with a fresh data dir: {name, pid, url, stop()}. */
export async function startServe(spec, runtime) {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'porthole-ab-'));
  // relay-server.mjs takes no serve flags.
  const argv = spec.entry.endsWith('relay-server.mjs') ? [spec.entry, ...spec.args] : [spec.entry, 'serve', '--port', '0', '--no-auth', '--data-dir', dataDir, ...spec.args];
  const child = spawn(runtimeExe(runtime), [...spec.runtimeArgs, ...argv], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, PORTHOLE_PASSWORD: '', ...spec.env },
  });
  let err = '';
  child.stderr.on('data', (d) => (err = (err + d).slice(-2000)));
  const port = await listeningPort(child).catch(() => {
    throw new Error(`${spec.name} exited ${child.exitCode}: ${err}`);
  });
  return {
    name: spec.name,
    pid: child.pid,
    url: `http://127.0.0.1:${port}`,
    async stop() {
      child.kill('SIGTERM');
      await new Promise((r) => (child.exitCode !== null ? r() : child.once('exit', r)));
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** One run of lib/raw-pty.mjs under `runtime` (`mode` flood or spawn): its JSON. */
export function rawPty(runtime, mode, repeats, n) {
  return new Promise((resolve, reject) => {
    const child = spawn(runtimeExe(runtime), [path.join(HERE, 'raw-pty.mjs'), mode, String(repeats), String(n)], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.on('exit', (code) => (code === 0 ? resolve(JSON.parse(out)) : reject(new Error(`raw-pty exited ${code}`))));
  });
}
