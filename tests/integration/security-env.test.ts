// Issue 8 point 7 (contract section 9): PORTHOLE_PASSWORD is removed from the server's
// environment once read, so no child inherits it. Checked three ways: serve's own
// process.env (a process running the real serveMain reports it), a child `serve` starts (the
// cloudflared stand-in records the names of its environment), and a session's shell. The
// password still logs in: it was hashed first. (/proc/<pid>/environ keeps the start
// environment whatever a process does later: docs/security.md says so.)
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { buildMain, ROOT } from '../helpers/build-main.js';
import { until } from '../helpers/server.js';

const PASSWORD = 'env-pass-for-this-run';
const dirs: string[] = [];
const children: ChildProcess[] = [];
afterEach(() => {
  for (const c of children.splice(0)) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
beforeAll(() => buildMain());

function tmp(): string {
  const d = mkdtempSync(join(tmpdir(), 'porthole-env-'));
  dirs.push(d);
  return d;
}

/** Runs the real serveMain in a fresh node process that prints its own process.env's
 *  PORTHOLE_PASSWORD once serve has printed its lines. */
const PROBE = `
import { serveMain } from './dist/main/cli/serve.js';
let out = '';
const stdout = { write(s) { out += s; if (out.includes('Owner link')) process.stdout.write(out + 'ENV=' + JSON.stringify(process.env.PORTHOLE_PASSWORD ?? null) + '\\n'); return true; } };
serveMain(['--port', '0', '--data-dir', process.argv[1]], { stdin: process.stdin, stdout, stderr: process.stderr, env: process.env, exit: (c) => process.exit(c) }).then((c) => process.exit(c));
`;

describe('PORTHOLE_PASSWORD leaves the environment once read', () => {
  it("serve's own process.env no longer has it once the server is up; the password logs in", async () => {
    const child = spawn(process.execPath, ['--input-type=module', '-e', PROBE, tmp()], {
      cwd: ROOT,
      env: { PATH: process.env.PATH, HOME: tmp(), PORTHOLE_LOG_LEVEL: 'warn', PORTHOLE_PASSWORD: PASSWORD },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    children.push(child);
    const lines: string[] = [];
    createInterface({ input: child.stdout! }).on('line', (l) => lines.push(l));
    await until(() => lines.some((l) => l.startsWith('ENV=')), 20_000, 'the probe line');
    expect(lines.find((l) => l.startsWith('ENV='))).toBe('ENV=null');
    const port = Number(/:(\d+)$/.exec(lines[0])![1]);
    const login = await fetch(`http://127.0.0.1:${port}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ password: PASSWORD }),
    });
    expect(login.status).toBe(200);
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
  }, 40_000);

  it('a child of serve (the tunnel program) does not inherit it; the password still logs in', async () => {
    const info = join(tmp(), 'standin.json');
    const env: NodeJS.ProcessEnv = {
      HOME: tmp(),
      PORTHOLE_LOG_LEVEL: 'warn',
      PATH: [join(ROOT, 'tests', 'fixtures', 'tunnels'), dirname(process.execPath), '/usr/bin', '/bin'].join(':'),
      PORTHOLE_PASSWORD: PASSWORD,
      STANDIN_INFO: info,
    };
    const child = spawn(process.execPath, ['bin/porthole.js', 'serve', '--port', '0', '--data-dir', tmp(), '--tunnel', 'cloudflared'], {
      cwd: ROOT,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    children.push(child);
    const lines: string[] = [];
    createInterface({ input: child.stdout! }).on('line', (l) => lines.push(l));
    await until(() => lines.length >= 3, 20_000, 'serve to print its lines');
    const port = Number(/:(\d+)$/.exec(lines[0])![1]);

    const standin = JSON.parse(readFileSync(info, 'utf8')) as { envKeys: string[] };
    expect(standin.envKeys).toContain('STANDIN_INFO'); // it did record its environment
    expect(standin.envKeys).not.toContain('PORTHOLE_PASSWORD');

    const login = await fetch(`http://127.0.0.1:${port}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ password: PASSWORD }),
    });
    expect(login.status).toBe(200);
    const { token } = (await login.json()) as { token: string };

    // A session's program does not see it either.
    const created = await fetch(`http://127.0.0.1:${port}/api/sessions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ command: ['sh', '-c', 'env; echo ENV-DONE; sleep 5'] }),
    });
    const s = (await created.json()) as { id: string };
    let snap = '';
    for (let i = 0; i < 50 && !snap.includes('ENV-DONE'); i++) {
      const r = await fetch(`http://127.0.0.1:${port}/api/sessions/${s.id}/recording`, { headers: { authorization: `Bearer ${token}` } });
      snap = await r.text();
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(snap).toContain('ENV-DONE');
    expect(snap).not.toContain('PORTHOLE_PASSWORD');
    expect(snap).not.toContain(PASSWORD);
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
  }, 40_000);
});
