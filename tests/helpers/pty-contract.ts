// The suite every PtyPort adapter must pass (main/server/pty/port.ts): output in order and
// complete, the drain before the exit, exit codes and signals, the child leading its own
// process group, resize, input, TERM, and UTF-8 split across reads. Plain async functions on
// node:assert, so the same cases run in vitest (node-pty) and in a Bun process (Bun's terminal:
// tests/helpers/pty-contract-bun.ts), which reports back to tests/integration/pty-bun.test.ts.
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { endGroup } from '../../main/server/pty/process-group.js';
import type { PtyExit, PtyPort, PtyProcess } from '../../main/server/pty/port.js';

export interface PtyCase {
  name: string;
  run(port: PtyPort): Promise<void>;
}

interface Run {
  proc: PtyProcess;
  chunks: Buffer[];
  /** Resolves with the exit and every byte delivered before it. */
  exit: Promise<{ exit: PtyExit; output: Buffer; exits: () => number }>;
  text(): string;
}

const SH = '/bin/sh';

function env(): Record<string, string> {
  return { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? '/', TERM: 'xterm-256color', LANG: 'C.UTF-8' };
}

function spawn(port: PtyPort, script: string, size = { cols: 80, rows: 24 }): Run {
  const proc = port.spawn(SH, ['-c', script], { cwd: tmpdir(), env: env(), ...size });
  const chunks: Buffer[] = [];
  let exits = 0;
  proc.onData((d) => {
    assert.ok(Buffer.isBuffer(d), 'onData hands over Buffers');
    chunks.push(d);
  });
  const exit = new Promise<{ exit: PtyExit; output: Buffer; exits: () => number }>((resolve) => {
    proc.onExit((e) => {
      exits++;
      resolve({ exit: e, output: Buffer.concat(chunks), exits: () => exits });
    });
  });
  return { proc, chunks, exit, text: () => Buffer.concat(chunks).toString('utf8') };
}

function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  return Promise.race([p, new Promise<T>((_, reject) => (timer = setTimeout(() => reject(new Error(`timed out: ${what}`)), ms)))]).finally(() =>
    clearTimeout(timer),
  );
}

async function waitForText(run: Run, needle: string, ms = 5000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!run.text().includes(needle)) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${JSON.stringify(needle)}; got ${JSON.stringify(run.text().slice(-200))}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

function seqText(n: number): string {
  let s = '';
  for (let i = 1; i <= n; i++) s += `${i}\r\n`;
  return s;
}

function pgidOf(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[2]);
}

function alive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
    return state !== 'Z' && state !== 'X';
  } catch {
    return false;
  }
}

export const PTY_CASES: PtyCase[] = [
  {
    name: 'delivers every byte in order, and all of it before the exit (5 floods)',
    async run(port) {
      for (let i = 0; i < 5; i++) {
        const { exit, output } = await withTimeout(spawn(port, 'seq 1 100000').exit, 20_000, 'seq exit');
        assert.deepEqual(exit, { exitCode: 0, signal: 0 });
        assert.equal(output.length, Buffer.byteLength(seqText(100000)), `run ${i}: byte count`);
        assert.ok(output.toString('latin1') === seqText(100000), `run ${i}: bytes in order`);
      }
    },
  },
  {
    name: 'drains output written just before the exit, and reports the exit once',
    async run(port) {
      const r = spawn(port, 'printf start; sleep 0.2; seq 1 20000; printf end; exit 7');
      const { exit, output, exits } = await withTimeout(r.exit, 10_000, 'exit');
      assert.deepEqual(exit, { exitCode: 7, signal: 0 });
      const text = output.toString('latin1');
      assert.ok(text.startsWith('start'), 'first bytes');
      assert.ok(text.endsWith('20000\r\nend'), `last bytes: ${JSON.stringify(text.slice(-20))}`);
      await new Promise((res) => setTimeout(res, 100));
      assert.equal(exits(), 1);
    },
  },
  {
    name: 'exit codes and signal deaths',
    async run(port) {
      assert.deepEqual((await withTimeout(spawn(port, 'exit 3').exit, 5000, 'exit 3')).exit, { exitCode: 3, signal: 0 });
      assert.deepEqual((await withTimeout(spawn(port, 'true').exit, 5000, 'true')).exit, { exitCode: 0, signal: 0 });
      const term = (await withTimeout(spawn(port, 'kill -TERM $$').exit, 5000, 'kill -TERM')).exit;
      assert.equal(term.signal, 15);
      const r = spawn(port, 'echo ready; exec sleep 100');
      await waitForText(r, 'ready');
      r.proc.kill('SIGKILL');
      assert.equal((await withTimeout(r.exit, 5000, 'SIGKILL')).exit.signal, 9);
    },
  },
  {
    name: 'the child leads its own process group, and ending the group ends everything in it',
    async run(port) {
      const r = spawn(port, 'sleep 100 & echo bg:$!; sleep 100 & echo bg:$!; echo ready; wait');
      await waitForText(r, 'ready');
      assert.equal(pgidOf(r.proc.pid), r.proc.pid, 'pid leads its group');
      const bg = [...r.text().matchAll(/bg:(\d+)/g)].map((m) => Number(m[1]));
      assert.equal(bg.length, 2);
      for (const pid of bg) assert.equal(pgidOf(pid), r.proc.pid, 'background job in the group');
      await endGroup(r.proc.pid, 2000).done;
      const { exit } = await withTimeout(r.exit, 5000, 'exit after the group ended');
      assert.equal(exit.signal, 1, 'SIGHUP');
      for (const pid of bg) assert.ok(!alive(pid), `background ${pid} gone`);
    },
  },
  {
    name: 'starts at the asked size and follows resize',
    async run(port) {
      const r = spawn(port, 'stty size; read x; stty size', { cols: 90, rows: 20 });
      await waitForText(r, '20 90');
      r.proc.resize(100, 30);
      r.proc.write('x\n');
      await waitForText(r, '30 100');
      assert.equal((await withTimeout(r.exit, 5000, 'exit')).exit.exitCode, 0);
    },
  },
  {
    name: 'input reaches the child (string and bytes, UTF-8), and TERM is set',
    async run(port) {
      const r = spawn(port, 'echo term=$TERM; stty -echo; read a; read b; echo "got:$a:$b"');
      await waitForText(r, 'term=xterm-256color');
      r.proc.write('héllo\n');
      r.proc.write(Buffer.from('wörld €\n'));
      await waitForText(r, 'got:héllo:wörld €');
      await withTimeout(r.exit, 5000, 'exit');
    },
  },
  {
    name: 'multi-byte UTF-8 split across reads arrives undecoded and whole',
    async run(port) {
      const dir = mkdtempSync(join(tmpdir(), 'pty-contract-'));
      try {
        const text = 'é€😀中'.repeat(40_000); // ~480 KB without newlines: reads split characters
        const file = join(dir, 'utf8.txt');
        writeFileSync(file, text);
        const { output } = await withTimeout(spawn(port, `cat '${file}'`).exit, 20_000, 'cat');
        assert.equal(output.length, Buffer.byteLength(text));
        assert.ok(output.toString('utf8') === text, 'bytes identical');
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  },
  {
    name: 'pause() holds a flood (bounded bytes while paused), resume() delivers the rest in order',
    async run(port) {
      const n = 1_000_000; // ~6.9 MB
      const r = spawn(port, `stty -echo; read x; seq 1 ${n}`);
      await new Promise((res) => setTimeout(res, 100));
      r.proc.pause();
      r.proc.write('go\n');
      await new Promise((res) => setTimeout(res, 800));
      const held = r.chunks.reduce((a, c) => a + c.length, 0);
      // The kernel's buffers and one read at most, not the 6.9 MB the child would write.
      assert.ok(held < 1024 * 1024, `${held} bytes arrived while paused`);
      r.proc.resume();
      const { output } = await withTimeout(r.exit, 30_000, 'flood exit');
      assert.ok(output.toString('latin1').endsWith(seqText(n)), 'every byte, in order, after resume');
    },
  },
  {
    name: 'pause() never reaches a program that turned flow control off (raw mode) as input',
    async run(port) {
      const r = spawn(port, 'stty -ixon raw -echo; echo ready; head -c 1 | od -An -tx1; stty sane');
      await waitForText(r, 'ready');
      r.proc.pause();
      r.proc.write('x');
      await new Promise((res) => setTimeout(res, 100));
      r.proc.resume();
      await withTimeout(r.exit, 5000, 'exit');
      assert.match(r.text(), /78/, 'the program read the x typed (hex 78)');
      assert.doesNotMatch(r.text(), /\b13\b|\b11\b/, 'and no XOFF/XON');
    },
  },
  {
    name: 'write, resize and kill after the exit are no-ops',
    async run(port) {
      const r = spawn(port, 'exit 0');
      await withTimeout(r.exit, 5000, 'exit');
      r.proc.write('late\n');
      r.proc.resize(50, 10);
      r.proc.kill('SIGTERM');
    },
  },
];
