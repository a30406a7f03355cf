// The servers under test, behind one adapter shape so every workload runs unchanged against
// Porthole (black box: the built `porthole serve`) and the peer (VibeTunnel, installed at
// bench time into benchmarks/.tmp/, never a dependency).
//
// Adapter: { name, start(), stop(), pid, url, createSession({command, cols, rows}) -> id,
//   deleteSession(id), input(id, text), viewerTarget(id), echoClient(id), lateJoinClient(id),
//   api: { health, list, get(id) } paths, features: {...} }
import { spawn, execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { request, requestOk, freePort } from './http.mjs';
import { descendants } from './proc.mjs';
import { sleep } from './stats.mjs';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const TMP = path.join(ROOT, 'benchmarks', '.tmp');
const require = createRequire(path.join(ROOT, 'package.json'));
const WebSocket = require('ws');

function waitForExit(child, ms) {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve(true);
    const t = setTimeout(() => resolve(false), ms);
    child.once('exit', () => {
      clearTimeout(t);
      resolve(true);
    });
  });
}

async function stopChild(child, label) {
  if (!child) return;
  const kids = descendants(child.pid);
  child.kill('SIGTERM');
  if (!(await waitForExit(child, 7000))) {
    process.stderr.write(`[bench] ${label} did not exit within 7 s of SIGTERM; SIGKILL\n`);
    child.kill('SIGKILL');
    await waitForExit(child, 2000);
  }
  // Anything the server left behind (it should leave nothing) is ended by its pid.
  for (const pid of kids) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      /* already gone */
    }
  }
}

// ---------------------------------------------------------------- Porthole

export function portholeBuilt() {
  if (process.env.BENCH_PORTHOLE_ENTRY) return true; // a build elsewhere, named by the caller
  return existsSync(path.join(ROOT, 'dist', 'main', 'cli', 'index.js'));
}

export function buildPorthole() {
  execFileSync('npm', ['run', '-s', 'build:main'], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
}

/** The executable `porthole serve` runs under: this node, or the bun devDependency. */
export function runtimeExe(runtime = 'node') {
  return runtime === 'bun' ? path.join(ROOT, 'node_modules', '.bin', 'bun') : process.execPath;
}

export function portholeTarget({ cpuProfDir, runtime = 'node' } = {}) {
  let child = null;
  let dataDir = null;
  let stderrTail = '';
  const t = {
    name: runtime === 'node' ? 'porthole' : `porthole-${runtime}`,
    label: runtime === 'node' ? 'Porthole' : `Porthole (${runtime})`,
    runtime,
    features: { ws: true, lateJoinScrollback: true },
    pid: null,
    url: null,
    async start() {
      dataDir = mkdtempSync(path.join(os.tmpdir(), 'porthole-bench-'));
      // Node and Bun (1.4) take the same flags and both write a Chrome .cpuprofile on exit.
      const nodeArgs = cpuProfDir ? ['--cpu-prof', `--cpu-prof-dir=${cpuProfDir}`, `--cpu-prof-name=porthole-${runtime}-${Date.now()}.cpuprofile`] : [];
      child = spawn(
        runtimeExe(runtime),
        [...nodeArgs, process.env.BENCH_PORTHOLE_ENTRY || path.join(ROOT, 'bin', 'porthole.js'), 'serve', '--port', '0', '--no-auth', '--data-dir', dataDir],
        { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, PORTHOLE_PASSWORD: '' } },
      );
      child.stderr.setEncoding('utf8');
      child.stderr.on('data', (d) => {
        stderrTail = (stderrTail + d).slice(-4000);
      });
      t.url = await new Promise((resolve, reject) => {
        let out = '';
        const timer = setTimeout(() => reject(new Error(`porthole serve printed no listening line in 15 s: ${stderrTail}`)), 15_000);
        child.stdout.setEncoding('utf8');
        child.stdout.on('data', (d) => {
          out += d;
          const m = /Porthole listening on (https?:\/\/\S+)/.exec(out);
          if (m) {
            clearTimeout(timer);
            resolve(m[1].replace(/\/$/, ''));
          }
        });
        child.on('exit', (code) => {
          clearTimeout(timer);
          reject(new Error(`porthole serve exited ${code}: ${stderrTail}`));
        });
      });
      t.pid = child.pid;
      return t;
    },
    async stop() {
      await stopChild(child, 'porthole serve');
      child = null;
      if (dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
    stderrTail: () => stderrTail,
    async createSession({ command, cols = 80, rows = 24 }) {
      const res = await requestOk('POST', `${t.url}/api/sessions`, { command, cwd: os.tmpdir(), cols, rows });
      return res.json.id;
    },
    async deleteSession(id) {
      await request('DELETE', `${t.url}/api/sessions/${id}`);
    },
    async input(id, text) {
      await requestOk('POST', `${t.url}/api/sessions/${id}/input`, { data: text });
    },
    api: {
      health: '/health',
      list: '/api/sessions',
      get: (id) => `/api/sessions/${id}`,
      resize: (id) => ({ method: 'POST', path: `/api/sessions/${id}/resize`, body: { cols: 100, rows: 30 } }),
    },
    viewerTarget(id) {
      return { kind: 'ws', url: `${t.url.replace(/^http/, 'ws')}/api/sessions/${id}/ws` };
    },
    /** One WebSocket viewer that can type: resolves once `ready` has arrived. */
    echoClient(id) {
      return wsClient(`${t.url.replace(/^http/, 'ws')}/api/sessions/${id}/ws`);
    },
    lateJoinClient(id) {
      return wsClient(`${t.url.replace(/^http/, 'ws')}/api/sessions/${id}/ws`);
    },
  };
  return t;
}

/** A WebSocket viewer: onOutput(cb(latin1 string)), type(bytes), ready promise, close(). */
function wsClient(url) {
  const t0 = performance.now();
  const ws = new WebSocket(url, { perMessageDeflate: false });
  const listeners = new Set();
  const c = {
    t0,
    readyAt: 0,
    onOutput(cb) {
      listeners.add(cb);
      return () => listeners.delete(cb);
    },
    type(text) {
      ws.send(Buffer.from(text), { binary: true });
    },
    close() {
      ws.terminate();
    },
  };
  c.ready = new Promise((resolve, reject) => {
    ws.on('message', (data, isBinary) => {
      if (isBinary) {
        const s = data.toString('latin1');
        for (const cb of listeners) cb(s);
      } else if (!c.readyAt && data.toString().includes('"ready"')) {
        c.readyAt = performance.now();
        resolve(c);
      }
    });
    ws.on('error', reject);
    ws.on('close', (code) => reject(new Error(`closed ${code}`)));
  });
  return c;
}

// ---------------------------------------------------------------- VibeTunnel (the peer)

export const VT_VERSION = '1.0.0-beta.15.1';
const VT_DIR = path.join(TMP, 'vt');
const VT_CLI = path.join(VT_DIR, 'node_modules', 'vibetunnel', 'dist', 'vibetunnel-cli');

/** Installs the peer into benchmarks/.tmp/vt (cached). Returns null, or the reason it can't. */
export function installVibeTunnel(log = () => {}) {
  try {
    const pkgJson = path.join(VT_DIR, 'node_modules', 'vibetunnel', 'package.json');
    const ptyNode = path.join(VT_DIR, 'node_modules', 'vibetunnel', 'node-pty', 'build', 'Release', 'pty.node');
    let installed = false;
    try {
      installed = existsSync(pkgJson) && require(pkgJson).version === VT_VERSION;
    } catch {
      installed = false;
    }
    if (!installed) {
      log(`installing vibetunnel@${VT_VERSION} into ${path.relative(ROOT, VT_DIR)}`);
      mkdirSync(VT_DIR, { recursive: true });
      writeFileSync(path.join(VT_DIR, 'package.json'), JSON.stringify({ name: 'vt-peer', private: true }));
      execFileSync(
        'flock',
        ['/tmp/npm.lock', 'npm', 'install', '--ignore-scripts', '--no-audit', '--no-fund', `vibetunnel@${VT_VERSION}`],
        { cwd: VT_DIR, stdio: ['ignore', 'ignore', 'pipe'], timeout: 300_000 },
      );
    }
    if (!existsSync(ptyNode)) {
      log('running vibetunnel postinstall (native modules)');
      execFileSync(process.execPath, ['scripts/postinstall-npm.js'], {
        cwd: path.join(VT_DIR, 'node_modules', 'vibetunnel'),
        env: { ...process.env, npm_config_global: 'false' },
        stdio: ['ignore', 'ignore', 'pipe'],
        timeout: 300_000,
      });
    }
    if (!existsSync(VT_CLI)) return `vibetunnel CLI not found at ${VT_CLI}`;
    if (!existsSync(ptyNode)) return 'vibetunnel native node-pty could not be installed';
    return null;
  } catch (e) {
    return `vibetunnel could not be installed: ${String(e.stderr ?? e.message ?? e).split('\n').slice(-3).join(' ').slice(0, 300)}`;
  }
}

export function vibetunnelTarget() {
  let child = null;
  let home = null;
  let stderrTail = '';
  const t = {
    name: 'vibetunnel',
    label: 'VibeTunnel',
    features: { ws: false, lateJoinScrollback: false },
    pid: null,
    url: null,
    async start() {
      home = mkdtempSync(path.join(os.tmpdir(), 'vt-bench-home-'));
      const port = await freePort();
      child = spawn(
        process.execPath,
        [VT_CLI, '--port', String(port), '--bind', '127.0.0.1', '--no-auth', '--no-mdns', '--push-disabled'],
        { cwd: home, stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, HOME: home } },
      );
      child.stderr.setEncoding('utf8');
      child.stderr.on('data', (d) => {
        stderrTail = (stderrTail + d).slice(-4000);
      });
      t.url = `http://127.0.0.1:${port}`;
      const deadline = Date.now() + 20_000;
      for (;;) {
        if (child.exitCode !== null) throw new Error(`vibetunnel exited ${child.exitCode}: ${stderrTail}`);
        try {
          const res = await request('GET', `${t.url}/api/health`);
          if (res.status === 200) {
            t.pid = res.json?.pid ?? child.pid;
            break;
          }
        } catch {
          /* not up yet */
        }
        if (Date.now() > deadline) throw new Error(`vibetunnel did not answer /api/health in 20 s: ${stderrTail}`);
        await sleep(100);
      }
      return t;
    },
    async stop() {
      await stopChild(child, 'vibetunnel');
      child = null;
      if (home) rmSync(home, { recursive: true, force: true });
    },
    stderrTail: () => stderrTail,
    async createSession({ command, cols = 80, rows = 24 }) {
      const res = await requestOk('POST', `${t.url}/api/sessions`, { command, workingDir: os.tmpdir(), cols, rows });
      return res.json.sessionId;
    },
    async deleteSession(id) {
      await request('DELETE', `${t.url}/api/sessions/${id}`);
    },
    async input(id, text) {
      await requestOk('POST', `${t.url}/api/sessions/${id}/input`, { text });
    },
    api: {
      health: '/api/health',
      list: '/api/sessions',
      get: (id) => `/api/sessions/${id}`,
      resize: (id) => ({ method: 'POST', path: `/api/sessions/${id}/resize`, body: { cols: 100, rows: 30 } }),
    },
    viewerTarget(id) {
      return { kind: 'sse', url: `${t.url}/api/sessions/${id}/stream` };
    },
    /** The peer's fastest path: input over its /ws/input socket, output from the SSE stream. */
    echoClient(id) {
      return vtClient(t.url, id, true);
    },
    lateJoinClient(id) {
      return vtClient(t.url, id, false);
    },
  };
  return t;
}

function vtClient(base, id, withInput) {
  const t0 = performance.now();
  const listeners = new Set();
  let ws = null;
  let req = null;
  const c = {
    t0,
    readyAt: 0,
    onOutput(cb) {
      listeners.add(cb);
      return () => listeners.delete(cb);
    },
    type(text) {
      ws.send(text);
    },
    close() {
      ws?.terminate();
      req?.destroy();
    },
  };
  const sse = new Promise((resolve, reject) => {
    req = http.get(`${base}/api/sessions/${id}/stream`, { agent: false, headers: { accept: 'text/event-stream' } }, (res) => {
      if (res.statusCode !== 200) return reject(new Error(`stream ${res.statusCode}`));
      // SSE events carry asciicast records: `data: [time, "o", "text"]`. Only the output text
      // reaches listeners, so a letter in the framing can never pass for an echo.
      res.setEncoding('utf8');
      let buf = '';
      res.on('data', (chunk) => {
        if (!c.readyAt) {
          c.readyAt = performance.now();
          resolve();
        }
        buf += chunk;
        let cut;
        while ((cut = buf.indexOf('\n\n')) >= 0) {
          const event = buf.slice(0, cut);
          buf = buf.slice(cut + 2);
          for (const line of event.split('\n')) {
            if (!line.startsWith('data:')) continue;
            let rec;
            try {
              rec = JSON.parse(line.slice(5));
            } catch {
              continue;
            }
            if (Array.isArray(rec) && rec[1] === 'o' && typeof rec[2] === 'string') {
              const text = Buffer.from(rec[2], 'utf8').toString('latin1');
              for (const cb of listeners) cb(text);
            }
          }
        }
      });
    });
    req.on('error', reject);
  });
  const input = withInput
    ? new Promise((resolve, reject) => {
        ws = new WebSocket(`${base.replace(/^http/, 'ws')}/ws/input?sessionId=${id}`, { perMessageDeflate: false });
        ws.on('open', resolve);
        ws.on('error', reject);
      })
    : Promise.resolve();
  c.ready = Promise.all([sse, input]).then(() => c);
  return c;
}
