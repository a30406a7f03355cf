// The built CLI (`node bin/porthole.js ...`) as a user runs it: under a real pseudo-terminal
// (node-pty) so raw mode, SIGWINCH and the detach key are the real thing, and as a plain
// subprocess for exit codes and the one-line errors.
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as pty from '@lydell/node-pty';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Session } from '../../common/protocol.js';
import { buildMain } from '../helpers/build-main.js';
import { processAlive, sleep, startServer, type TestServer } from '../helpers/server.js';
import { portholeCommand } from '../helpers/runtimes.js';


beforeAll(() => {
  buildMain();
});

interface PtyRun {
  term: pty.IPty;
  output(): string;
  waitFor(needle: string | RegExp, timeoutMs?: number): Promise<void>;
  exited: Promise<number>;
}

/** A shell line run in a fresh pseudo-terminal; `stty -a` afterwards shows whether raw mode was undone. */
function inPty(script: string, env: NodeJS.ProcessEnv = {}): PtyRun {
  const term = pty.spawn('/bin/sh', ['-c', script], {
    name: 'xterm-256color',
    cols: 90,
    rows: 20,
    cwd: tmpdir(),
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? '/tmp', TERM: 'xterm-256color', ...env },
  });
  let out = '';
  term.onData((d) => (out += d));
  const exited = new Promise<number>((resolve) => term.onExit(({ exitCode }) => resolve(exitCode)));
  return {
    term,
    output: () => out,
    exited,
    async waitFor(needle, timeoutMs = 8000) {
      const deadline = Date.now() + timeoutMs;
      while (!(typeof needle === 'string' ? out.includes(needle) : needle.test(out))) {
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${String(needle)} in ${JSON.stringify(out)}`);
        await sleep(25);
      }
    },
  };
}

const q = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
/** `porthole SUBCOMMAND --url .. --data-dir .. REST`: the flags go before `--`, never into CMD. */
const cli = (ts: TestServer, args: string) => {
  const [sub, ...rest] = args.split(' ');
  const cmd = portholeCommand([sub!]);
  return `${[cmd.file, ...cmd.args].map(q).join(' ')} --url ${ts.url} --data-dir ${q(ts.dataDir)} ${rest.join(' ')}`;
};

async function closedPort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as { port: number }).port;
  await new Promise((r) => s.close(r));
  return port;
}

describe('porthole run in a real terminal', () => {
  it("prints the output, exits with CMD's code and restores the terminal", async () => {
    const ts = await startServer();
    const p = inPty(`${cli(ts, "run -- sh -c 'echo hi; exit 7'")}; echo "rc=$?"; stty -a`);
    expect(await p.exited).toBe(0);
    const out = p.output();
    expect(out).toContain('hi');
    expect(out).toContain('rc=7');
    // After the CLI, the terminal is cooked again: canonical mode and echo are back on.
    const stty = out.slice(out.indexOf('rc=7'));
    expect(stty).toMatch(/(^|\s)icanon(\s|$)/m);
    expect(stty).toMatch(/(^|\s)echo(\s|$)/m);
  });

  it('puts the terminal in raw mode while attached (keys reach the session unbuffered)', async () => {
    const ts = await startServer();
    // The session's own tty is raw too, so `head -c 3` finishes only if the outer terminal
    // passed the three keys on without waiting for Enter.
    const p = inPty(`${cli(ts, "run -- sh -c 'stty raw; head -c 3 >/dev/null; stty sane; echo got-keys; exit 5'")}; echo "rc=$?"`);
    await p.waitFor('detach with Ctrl-] then d');
    await sleep(300);
    p.term.write('abc');
    await p.waitFor('rc=5');
    expect(p.output()).toContain('got-keys');
  });
});

describe('porthole attach in a real terminal', () => {
  it('follows resizes and leaves the session running after Ctrl-] d', async () => {
    const ts = await startServer();
    const s = await ts.createSession({ command: ['sh'] });
    const p = inPty(`${cli(ts, `attach ${s.id}`)}; echo "rc=$?"; stty -a`);
    await p.waitFor(`attached to ${s.name} (${s.id}); detach with Ctrl-] then d`);
    // The owner's terminal size becomes the session's.
    const sizeIs = async (cols: number, rows: number) => {
      const deadline = Date.now() + 5000;
      for (;;) {
        const cur = (await ts.json<Session>(`/api/sessions/${s.id}`)).body;
        if (cur.cols === cols && cur.rows === rows) return;
        if (Date.now() > deadline) throw new Error(`session is ${cur.cols}x${cur.rows}, wanted ${cols}x${rows}`);
        await sleep(50);
      }
    };
    await sizeIs(90, 20);
    p.term.resize(101, 33);
    await sizeIs(101, 33);
    p.term.write('echo $((6*7))-marker\r');
    await p.waitFor('42-marker');
    p.term.write('\x1d');
    await sleep(100);
    p.term.write('d');
    await p.waitFor('rc=0');
    expect(await p.exited).toBe(0);
    expect(p.output()).toMatch(/detached; session \S+ keeps running/);
    expect(p.output().slice(p.output().indexOf('rc=0'))).toMatch(/(^|\s)icanon(\s|$)/m);
    const after = (await ts.json<Session>(`/api/sessions/${s.id}`)).body;
    expect(after.status).toBe('running');
    expect(await processAlive(after.pid)).toBe(true);
  });
});

describe('porthole client commands as subprocesses', () => {
  // Asynchronous: the test server runs in this process, so a blocking spawnSync would starve it.
  const runCli = (args: string[], env: NodeJS.ProcessEnv = {}) =>
    new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) => {
      const cmd = portholeCommand(args);
      const child = spawn(cmd.file, cmd.args, {
        env: { PATH: process.env.PATH, HOME: tmpdir(), XDG_CONFIG_HOME: join(tmpdir(), 'porthole-none'), ...env },
        stdio: ['ignore', 'pipe', 'pipe'],
        timeout: 15_000,
      });
      let stdout = '';
      let stderr = '';
      child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
      child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
      child.on('close', (status) => resolve({ status, stdout, stderr }));
    });

  it('no server: exit 2 and one line saying how to start one', async () => {
    const port = await closedPort();
    for (const args of [['ls'], ['attach', 'abc'], ['share', 'abc'], ['run', '--', 'true']]) {
      const r = await runCli([...args, '--url', `http://127.0.0.1:${port}`]);
      expect(r.status).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
      expect(r.stderr).toMatch(/^porthole: no Porthole server at .*start one with `porthole serve`/);
    }
  });

  it('bad --expires and bad --mode: exit 2 with one line', async () => {
    const r = await runCli(['share', 'abc', '--expires', '2weeks']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^porthole: --expires "2weeks" is not a duration/);
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
    const m = await runCli(['run', '--share', 'edit', '--', 'true']);
    expect(m.status).toBe(2);
    expect(m.stderr).toMatch(/--share must be view or control/);
  });

  it('no secret and auth on: exit 2 saying to run porthole serve or set PORTHOLE_TOKEN', async () => {
    const ts = await startServer();
    const r = await runCli(['ls', '--url', ts.url, '--data-dir', join(tmpdir(), 'porthole-empty-dir')]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/porthole serve.*PORTHOLE_TOKEN/);
  });

  it('ls, ls --json and share against a real server', async () => {
    const ts = await startServer();
    const s = await ts.createSession({ name: 'build' });
    const table = await runCli(['ls', '--url', ts.url, '--data-dir', ts.dataDir]);
    expect(table.status).toBe(0);
    expect(table.stdout).toMatch(new RegExp(`^${s.id}\\s+build\\s+running`, 'm'));
    const json = await runCli(['ls', '--json', '--url', ts.url, '--data-dir', ts.dataDir]);
    expect((JSON.parse(json.stdout) as Session[])[0].id).toBe(s.id);
    const link = await runCli(['share', s.id, '--mode', 'view', '--expires', '30m', '--url', ts.url, '--data-dir', ts.dataDir]);
    expect(link.status).toBe(0);
    expect(link.stdout).toMatch(new RegExp(`^${ts.url}/s/${s.id}#[\\w.-]+\\n$`));
    // An unknown session is a one-line exit 2.
    const missing = await runCli(['share', 'zzzzzzzz', '--url', ts.url, '--data-dir', ts.dataDir]);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toMatch(/^porthole: no session zzzzzzzz/);
  });
});
