// `porthole serve` as a user runs it: the compiled binary in a subprocess, its stdout lines,
// its exit codes for user mistakes, and a clean exit 0 on SIGTERM/SIGINT.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { buildMain, ROOT } from '../helpers/build-main.js';
import { portholeCommand } from '../helpers/runtimes.js';
import { until } from '../helpers/server.js';

const dirs: string[] = [];
const children: ChildProcess[] = [];
function tmp(): string {
  const d = mkdtempSync(join(tmpdir(), 'porthole-serve-'));
  dirs.push(d);
  return d;
}
afterEach(() => {
  for (const c of children.splice(0)) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
beforeAll(() => buildMain());

const baseEnv = () => {
  const env = { ...process.env };
  for (const k of Object.keys(env)) if (k.startsWith('PORTHOLE_')) delete env[k];
  return env;
};

interface Running {
  child: ChildProcess;
  lines: string[];
  stderr: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Starts serve and resolves once `want` stdout lines have arrived. */
async function startServe(args: string[], want: number, env: NodeJS.ProcessEnv = {}): Promise<Running> {
  const cmd = portholeCommand(['serve', ...args]);
  const child = spawn(cmd.file, cmd.args, {
    cwd: ROOT,
    env: { ...baseEnv(), PORTHOLE_LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let err = '';
  child.stderr!.on('data', (c: Buffer) => (err += c.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((r) => child.once('exit', (code, signal) => r({ code, signal })));
  const lines: string[] = [];
  const rl = createInterface({ input: child.stdout! });
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`serve printed ${lines.length} lines in 15 s; stderr: ${err}`)), 15_000);
    rl.on('line', (l) => {
      lines.push(l);
      if (lines.length === want) {
        clearTimeout(timer);
        resolve();
      }
    });
    void exited.then(({ code }) => {
      clearTimeout(timer);
      if (lines.length < want) reject(new Error(`serve exited ${code} early; stderr: ${err}`));
    });
  });
  return { child, lines, stderr: () => err, exited };
}

function serveSync(args: string[], env: NodeJS.ProcessEnv = {}) {
  const cmd = portholeCommand(['serve', ...args]);
  return spawnSync(cmd.file, cmd.args, { cwd: ROOT, env: { ...baseEnv(), ...env }, encoding: 'utf8', timeout: 15_000 });
}

describe('porthole serve', () => {
  it('prints the listening line and an owner link that works, nothing else on stdout; SIGTERM exits 0', async () => {
    const dir = tmp();
    const s = await startServe(['--port', '0', '--data-dir', dir], 2);
    const m = /^Porthole listening on (http:\/\/127\.0\.0\.1:(\d+))$/.exec(s.lines[0]);
    expect(m).not.toBeNull();
    const [, url, port] = m!;
    expect(Number(port)).toBeGreaterThan(0);
    const link = /^Owner link: (http:\/\/127\.0\.0\.1:\d+)\/#token=([\w-]+\.[\w-]+\.[\w-]+)$/.exec(s.lines[1]);
    expect(link).not.toBeNull();
    expect(link![1]).toBe(url);
    await until(() => s.stderr().includes('no password is set')); // stderr may trail stdout

    const health = await fetch(`${url}/health`);
    expect(health.status).toBe(200);
    const me = await fetch(`${url}/api/auth/me`, { headers: { authorization: `Bearer ${link![2]}` } });
    expect(me.status).toBe(200);
    expect(((await me.json()) as { role: string }).role).toBe('owner');
    expect((await fetch(`${url}/api/sessions`)).status).toBe(401);

    const t0 = Date.now();
    s.child.kill('SIGTERM');
    expect(await s.exited).toEqual({ code: 0, signal: null });
    expect(Date.now() - t0).toBeLessThan(5000);
    expect(s.lines).toHaveLength(2);
  });

  it('SIGINT exits 0 too; --no-auth on loopback prints only the listening line', async () => {
    const s = await startServe(['--port', '0', '--data-dir', tmp(), '--no-auth'], 1);
    expect(s.lines[0]).toMatch(/^Porthole listening on http:\/\/127\.0\.0\.1:\d+$/);
    const url = s.lines[0].split(' ').pop()!;
    expect((await fetch(`${url}/api/sessions`)).status).toBe(200);
    s.child.kill('SIGINT');
    expect((await s.exited).code).toBe(0);
    expect(s.lines).toHaveLength(1);
  });

  it('PORTHOLE_PASSWORD enables password login for this run without storing it', async () => {
    const dir = tmp();
    const s = await startServe(['--port', '0', '--data-dir', dir], 2, { PORTHOLE_PASSWORD: 'env-pass-123' });
    const url = s.lines[0].split(' ').pop()!;
    expect(s.stderr()).not.toContain('no password is set');
    const login = (password: string) =>
      fetch(`${url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ password }) });
    expect((await login('wrong')).status).toBe(401);
    expect((await login('env-pass-123')).status).toBe(200);
    s.child.kill('SIGTERM');
    expect((await s.exited).code).toBe(0);
    const r = spawnSync('grep', ['-r', 'env-pass-123', dir]);
    expect(r.status).toBe(1); // not found anywhere in the data dir
  });

  it('a port in use: exit 2 with one line that suggests --port', async () => {
    const blocker = createServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', () => r()));
    const port = (blocker.address() as { port: number }).port;
    try {
      const r = serveSync(['--port', String(port), '--data-dir', tmp()]);
      expect(r.status).toBe(2);
      expect(r.stdout).toBe('');
      // Exactly one line: no JSON log line ("stopped") before or after it.
      const lines = r.stderr.trim().split('\n');
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(/in use/);
      expect(lines[0]).toMatch(/--port/);
    } finally {
      blocker.close();
    }
  });

  it('refuses --no-auth with a non-loopback host (exit 2, one line) unless told it is insecure', () => {
    const r = serveSync(['--no-auth', '--host', '0.0.0.0', '--port', '0', '--data-dir', tmp()]);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/--i-know-this-is-insecure/);
  });

  it('an unusable data dir and bad TLS files: exit 2, one line, no stack', () => {
    const file = join(tmp(), 'not-a-dir');
    writeFileSync(file, 'x');
    for (const args of [
      ['--data-dir', file],
      ['--data-dir', tmp(), '--tls-cert', '/nonexistent/cert.pem', '--tls-key', '/nonexistent/key.pem'],
      ['--data-dir', tmp(), '--tls-cert', file],
      // Readable files that are no PEM pair, and a host that is not this machine's.
      ['--data-dir', tmp(), '--tls-cert', file, '--tls-key', file],
      ['--data-dir', tmp(), '--host', '192.0.2.1'],
    ]) {
      const r = serveSync(['--port', '0', ...args]);
      expect(r.status, args.join(' ')).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr.trim().split('\n'), r.stderr).toHaveLength(1);
      expect(r.stderr).not.toMatch(/\bat .*\.js:\d+/);
      expect(r.stderr).not.toMatch(/^\{/m);
    }
  });
});
