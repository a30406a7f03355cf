// The client commands in-process against a real server on port 0 with real PTYs: stdin,
// stdout and signals are injected, so pipe mode, detach and signals are checked directly.
// (cli-tty.test.ts runs the built CLI under a real pseudo-terminal for raw mode.)
import { EventEmitter } from 'node:events';
import { PassThrough } from 'node:stream';
import { tmpdir } from 'node:os';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../common/errors.js';
import type { MeResponse, Session } from '../../common/protocol.js';
import { attach } from '../../main/cli/attach.js';
import type { ClientIO, ClientSignal } from '../../main/cli/client/io.js';
import { ls } from '../../main/cli/ls.js';
import { run } from '../../main/cli/run.js';
import { share } from '../../main/cli/share.js';
import { processAlive, sleep, startServer, type TestServer } from '../helpers/server.js';

interface TestIO extends ClientIO {
  stdinStream: PassThrough;
  out(): string;
  err(): string;
  signal(s: ClientSignal): void;
  waitOut(needle: string, timeoutMs?: number): Promise<void>;
  waitErr(needle: string, timeoutMs?: number): Promise<void>;
}

function testIO(env: NodeJS.ProcessEnv = {}): TestIO {
  const stdin = new PassThrough();
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (c: Buffer) => (out += c.toString('utf8')));
  stderr.on('data', (c: Buffer) => (err += c.toString('utf8')));
  const signals = new EventEmitter();
  const waitIn = (get: () => string) => async (needle: string, timeoutMs = 5000) => {
    const deadline = Date.now() + timeoutMs;
    while (!get().includes(needle)) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${JSON.stringify(needle)} in ${JSON.stringify(get())}`);
      await sleep(20);
    }
  };
  return {
    stdin,
    stdout,
    stderr,
    env,
    cwd: tmpdir(),
    stdinStream: stdin,
    onSignal(listener) {
      signals.on('signal', listener);
      return () => signals.off('signal', listener);
    },
    onExit: () => () => {},
    out: () => out,
    err: () => err,
    signal: (s) => signals.emit('signal', s),
    waitOut: waitIn(() => out),
    waitErr: waitIn(() => err),
  };
}

const flags = (ts: TestServer) => ({ url: ts.url, dataDir: ts.dataDir });

/** A TCP proxy to the server whose live connections a test can cut (a network drop). */
async function cuttableProxy(port: number): Promise<{ url: string; connections: number; cut(): void; close(): Promise<void> }> {
  const net = await import('node:net');
  const open = new Set<import('node:net').Socket>();
  const stats = { connections: 0 };
  const server = net.createServer((client) => {
    stats.connections++;
    const upstream = net.connect(port, '127.0.0.1');
    for (const sock of [client, upstream]) {
      open.add(sock);
      sock.on('close', () => open.delete(sock));
      sock.on('error', () => {});
    }
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const proxyPort = (server.address() as { port: number }).port;
  return {
    url: `http://127.0.0.1:${proxyPort}`,
    get connections() {
      return stats.connections;
    },
    cut: () => {
      for (const sock of [...open]) sock.destroy();
    },
    close: () => {
      for (const sock of [...open]) sock.destroy();
      return new Promise((r) => server.close(() => r()));
    },
  };
}

async function closedPort(): Promise<number> {
  const { createServer } = await import('node:net');
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as { port: number }).port;
  await new Promise((r) => s.close(r));
  return port;
}

describe('porthole ls', () => {
  it('prints [] with --json and a hint without sessions', async () => {
    const ts = await startServer();
    const io = testIO();
    expect(await ls({ ...flags(ts), json: true }, io)).toBe(0);
    expect(JSON.parse(io.out())).toEqual([]);
    const io2 = testIO();
    await ls(flags(ts), io2);
    expect(io2.out()).toMatch(/^No sessions/);
  });

  it('lists sessions as a table and as the raw array', async () => {
    const ts = await startServer();
    const a = await ts.createSession({ name: 'alpha', command: ['sh', '-c', 'sleep 30'] });
    const b = await ts.createSession({ name: 'beta' });
    const io = testIO();
    expect(await ls(flags(ts), io)).toBe(0);
    const lines = io.out().trimEnd().split('\n');
    expect(lines[0]).toMatch(/^ID\s+NAME\s+STATUS\s+VIEWERS\s+AGE\s+COMMAND$/);
    expect(lines[1]).toMatch(new RegExp(`^${b.id}\\s+beta\\s+running\\s+0\\s+\\d+s\\s+cat$`));
    expect(lines[2]).toMatch(new RegExp(`^${a.id}\\s+alpha\\s+running\\s+0\\s+\\d+s\\s+sh -c 'sleep 30'$`));
    const io2 = testIO();
    await ls({ ...flags(ts), json: true }, io2);
    const arr = JSON.parse(io2.out()) as Session[];
    expect(arr.map((s) => s.id)).toEqual([b.id, a.id]);
    expect(arr[0]).toMatchObject({ name: 'beta', status: 'running', command: ['cat'] });
  });

  it('uses PORTHOLE_TOKEN instead of the data dir when set', async () => {
    const ts = await startServer();
    const io = testIO({ PORTHOLE_TOKEN: ts.ownerToken });
    expect(await ls({ url: ts.url, dataDir: '/nonexistent/porthole', json: true }, io)).toBe(0);
    const bad = testIO({ PORTHOLE_TOKEN: 'not-a-token' });
    await expect(ls({ url: ts.url, json: true }, bad)).rejects.toThrow(/refused the owner token.*PORTHOLE_TOKEN/);
  });

  it('no server: a UsageError saying how to start one', async () => {
    const port = await closedPort();
    const err = await ls({ url: `http://127.0.0.1:${port}`, dataDir: '/nonexistent/porthole' }, testIO()).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UsageError);
    expect((err as Error).message).toMatch(/`porthole serve`/);
  });
});

describe('porthole share', () => {
  it('prints a link of the contract form whose token works with /api/auth/me', async () => {
    const ts = await startServer();
    const s = await ts.createSession();
    const io = testIO();
    expect(await share({ ...flags(ts), id: s.id, mode: 'control', expires: '2h' }, io)).toBe(0);
    const url = io.out().trim();
    expect(io.out().split('\n')).toHaveLength(2); // the URL and its newline, nothing else
    const m = new RegExp(`^http://127\\.0\\.0\\.1:${ts.port}/s/${s.id}#(.+)$`).exec(url);
    expect(m).not.toBeNull();
    const me = await ts.json<MeResponse>('/api/auth/me', { token: m![1] });
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ role: 'share', sessionId: s.id, mode: 'control' });
    const ttl = Date.parse(me.body.expiresAt) - Date.now();
    expect(ttl).toBeGreaterThan(2 * 3600_000 - 60_000);
    expect(ttl).toBeLessThanOrEqual(2 * 3600_000 + 1000);
  });

  it('--max-viewers caps the link (listed with its cap); a bad value is a usage error before any request', async () => {
    const ts = await startServer();
    const s = await ts.createSession();
    const io = testIO();
    expect(await share({ ...flags(ts), id: s.id, maxViewers: '3' }, io)).toBe(0);
    const list = await ts.json<Array<{ maxViewers: number | null }>>(`/api/sessions/${s.id}/shares`);
    expect(list.body[0].maxViewers).toBe(3);
    for (const bad of ['0', '1001', '2.5', 'lots', '']) {
      await expect(share({ url: 'http://127.0.0.1:1', id: s.id, maxViewers: bad }, testIO())).rejects.toThrow(/--max-viewers must be a whole number from 1 to 1000/);
    }
  });

  it('defaults to a view link and accepts a unique id prefix', async () => {
    const ts = await startServer();
    const s = await ts.createSession();
    const io = testIO();
    await share({ ...flags(ts), id: s.id.slice(0, 8) }, io);
    const token = io.out().trim().split('#')[1];
    const me = await ts.json<MeResponse>('/api/auth/me', { token });
    expect(me.body).toMatchObject({ role: 'share', sessionId: s.id, mode: 'view' });
  });

  it('refuses a bad --expires or --mode before touching the network', async () => {
    for (const expires of ['10', '2w', '-5m', '0s', '400d', 'soon']) {
      await expect(share({ url: 'http://127.0.0.1:1', id: 'x', expires }, testIO())).rejects.toThrow(/--expires/);
    }
    await expect(share({ url: 'http://127.0.0.1:1', id: 'x', mode: 'edit' }, testIO())).rejects.toThrow(/--mode must be view or control/);
  });

  it('an unknown session is a UsageError naming it', async () => {
    const ts = await startServer();
    await expect(share({ ...flags(ts), id: 'doesnotexist' }, testIO())).rejects.toThrow(/no session doesnotexist/);
  });
});

describe('porthole run (pipe mode)', () => {
  it("prints the command's output and returns its exit code", async () => {
    const ts = await startServer();
    const io = testIO();
    io.stdinStream.end();
    const code = await run({ ...flags(ts), command: ['sh', '-c', 'echo hi; exit 7'] }, io);
    expect(code).toBe(7);
    expect(io.out()).toContain('hi');
  });

  it('forwards piped input and types Ctrl-D at its end', async () => {
    const ts = await startServer();
    const io = testIO();
    const done = run({ ...flags(ts), command: ['sh', '-c', 'read line; echo "got:$line"; cat; echo done'] }, io);
    io.stdinStream.end('hello\n');
    expect(await done).toBe(0);
    expect(io.out()).toContain('got:hello');
    expect(io.out()).toContain('done');
  });

  it('--share prints a link on stderr; --name names the session', async () => {
    const ts = await startServer();
    const io = testIO();
    io.stdinStream.end();
    expect(await run({ ...flags(ts), name: 'job', share: 'view', command: ['true'] }, io)).toBe(0);
    expect(io.err()).toMatch(new RegExp(`view link: http://127\\.0\\.0\\.1:${ts.port}/s/[A-Za-z0-9_-]+#\\S+`));
    expect(io.out()).not.toContain('/s/');
    const list = await ts.json<Session[]>('/api/sessions');
    expect(list.body[0]).toMatchObject({ name: 'job', status: 'exited', exitCode: 0, command: ['true'] });
  });

  it('a command that cannot start is a UsageError', async () => {
    const ts = await startServer();
    await expect(run({ ...flags(ts), command: ['/no/such/binary'] }, testIO())).rejects.toThrow(UsageError);
    await expect(run({ ...flags(ts), command: [] }, testIO())).rejects.toThrow(/no command given/);
  });
});

describe('porthole attach (pipe mode)', () => {
  it('relays input and output; the detach key leaves the session running', async () => {
    const ts = await startServer();
    const s = await ts.createSession({ command: ['sh'] });
    const io = testIO();
    const done = attach({ ...flags(ts), id: s.id }, io);
    await io.waitErr('detach with Ctrl-] then d');
    io.stdinStream.write('echo $((6*7))\r');
    await io.waitOut('42');
    io.stdinStream.write('\x1dd');
    expect(await done).toBe(0);
    expect(io.err()).toMatch(new RegExp(`detached; session ${s.id} keeps running`));
    // The hint, pasted as it stands, reaches the same server: it carries --url and --data-dir.
    expect(io.err()).toContain(`\`porthole attach --url ${ts.url} --data-dir ${ts.dataDir} ${s.id}\``);
    const after = await ts.json<Session>(`/api/sessions/${s.id}`);
    expect(after.body.status).toBe('running');
    expect(await processAlive(after.body.pid)).toBe(true);
    await sleep(100);
    expect((await ts.json<Session>(`/api/sessions/${s.id}`)).body.viewers).toBe(0);
  });

  it('resumes after the connection drops mid-output: the gap arrives once, with no redraw', async () => {
    const ts = await startServer();
    const s = await ts.createSession({ command: ['sh', '-c', 'read go; i=1; while [ $i -le 120 ]; do echo "row-$i-end"; i=$((i+1)); sleep 0.02; done; echo all-done; exec cat'] });
    const proxy = await cuttableProxy(ts.port);
    const io = testIO();
    const done = attach({ url: proxy.url, dataDir: ts.dataDir, id: s.id }, io);
    await io.waitErr('detach with');
    io.stdinStream.write('go\r');
    await io.waitOut('row-10-end');
    proxy.cut(); // the network drops: the client's socket dies without a close frame
    await io.waitOut('all-done', 15_000);
    const out = io.out();
    for (let i = 1; i <= 120; i++) expect(out.split(`row-${i}-end`).length - 1, `row-${i}`).toBe(1);
    expect(proxy.connections).toBeGreaterThanOrEqual(2);
    io.stdinStream.write('\x1dd');
    expect(await done).toBe(0);
    await proxy.close();
  });

  it('a signal detaches with 128+n and the session keeps running', async () => {
    const ts = await startServer();
    const s = await ts.createSession();
    const io = testIO();
    const done = attach({ ...flags(ts), id: s.id }, io);
    await io.waitErr('detach with');
    io.signal('SIGTERM');
    expect(await done).toBe(143);
    expect((await ts.json<Session>(`/api/sessions/${s.id}`)).body.status).toBe('running');
  });

  it("returns the session's exit code when it ends while attached", async () => {
    const ts = await startServer();
    const s = await ts.createSession({ command: ['sh'] });
    const io = testIO();
    const done = attach({ ...flags(ts), id: s.id }, io);
    await io.waitErr('detach with');
    io.stdinStream.write('exit 3\r');
    expect(await done).toBe(3);
  });

  it('an exited or unknown session is a UsageError', async () => {
    const ts = await startServer();
    const io = testIO();
    io.stdinStream.end();
    await run({ ...flags(ts), command: ['true'] }, io);
    const [done] = (await ts.json<Session[]>('/api/sessions')).body;
    await expect(attach({ ...flags(ts), id: done.id }, testIO())).rejects.toThrow(/has exited/);
    await expect(attach({ ...flags(ts), id: 'nope' }, testIO())).rejects.toThrow(/no session nope/);
  });
});
