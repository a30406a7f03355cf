// `porthole attach` follows its terminal's size: by stdout's 'resize' event on POSIX, and on
// Windows also by polling the console's size, because ConPTY hosts (Windows Terminal, VS Code)
// may never raise 'resize' (microsoft/terminal#3238). The client runs in-process against a real
// server and a real PTY; the terminal is a stand-in TTY whose size the test changes.
import { EventEmitter } from 'node:events';
import { PassThrough } from 'node:stream';
import { tmpdir } from 'node:os';
import { describe, expect, it } from 'vitest';
import type { Session } from '../../common/protocol.js';
import { attach } from '../../main/cli/attach.js';
import type { ClientIO, ClientOutput } from '../../main/cli/client/io.js';
import type { Platform } from '../../main/server/platform/env.js';
import { startServer, until, type TestServer } from '../helpers/server.js';

interface FakeTerminal {
  io: ClientIO;
  stdin: PassThrough;
  size: [number, number];
  err(): string;
}

function fakeTerminal(platform: Platform): FakeTerminal {
  const stdin = new PassThrough();
  const stderr = new PassThrough();
  let err = '';
  stderr.on('data', (c: Buffer) => (err += c.toString('utf8')));
  const term: FakeTerminal = { io: undefined as unknown as ClientIO, stdin, size: [100, 30], err: () => err };
  const stdout = new PassThrough() as PassThrough & ClientOutput;
  stdout.resume();
  Object.assign(stdout, { isTTY: true, getWindowSize: () => term.size });
  Object.defineProperty(stdout, 'columns', { get: () => term.size[0] });
  Object.defineProperty(stdout, 'rows', { get: () => term.size[1] });
  const signals = new EventEmitter();
  term.io = {
    stdin,
    stdout,
    stderr,
    env: {},
    cwd: tmpdir(),
    platform,
    onSignal(listener) {
      signals.on('signal', listener);
      return () => signals.off('signal', listener);
    },
    onExit: () => () => {},
  };
  return term;
}

/** Waits until the session has this size; the last size seen otherwise (for the failure message). */
async function sizeBecomes(ts: TestServer, id: string, want: string): Promise<string> {
  let seen = '';
  for (const end = Date.now() + 10_000; Date.now() < end; await new Promise((r) => setTimeout(r, 50))) {
    const s = (await ts.json<Session>(`/api/sessions/${id}`)).body;
    seen = `${s.cols}x${s.rows}`;
    if (seen === want) break;
  }
  return seen;
}

async function attached(ts: TestServer, t: FakeTerminal): Promise<{ id: string; done: Promise<number> }> {
  const s = await ts.createSession({ command: ['cat'] });
  const done = attach({ url: ts.url, dataDir: ts.dataDir, id: s.id }, t.io);
  await until(() => t.err().includes('detach with'), 10_000, 'the attach hint');
  return { id: s.id, done };
}

describe('attach follows the terminal size', () => {
  it('win32: a size change with no resize event still reaches the session (console size poll)', async () => {
    const ts = await startServer();
    const t = fakeTerminal('win32');
    const { id, done } = await attached(ts, t);
    expect(await sizeBecomes(ts, id, '100x30')).toBe('100x30');
    t.size = [132, 43]; // the window was resized; no 'resize' event is emitted
    expect(await sizeBecomes(ts, id, '132x43')).toBe('132x43');
    t.stdin.write('\x1dd');
    expect(await done).toBe(0);
  }, 30_000);

  it('linux: the resize event carries the change', async () => {
    const ts = await startServer();
    const t = fakeTerminal('linux');
    const { id, done } = await attached(ts, t);
    t.size = [90, 20];
    (t.io.stdout as unknown as EventEmitter).emit('resize');
    expect(await sizeBecomes(ts, id, '90x20')).toBe('90x20');
    t.stdin.write('\x1dd');
    expect(await done).toBe(0);
  }, 30_000);
});
