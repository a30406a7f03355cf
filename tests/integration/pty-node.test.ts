// The PtyPort contract (tests/helpers/pty-contract.ts) against the node-pty adapter, and the
// adapter's watch on node-pty's reap (node-pty.ts): exits are reported without polling.
import assert from 'node:assert/strict';
import { tmpdir } from 'node:os';
import { describe, expect, it } from 'vitest';
import { createNodePtyPort, nodePtyPort } from '../../main/server/pty/node-pty.js';
import { PTY_CASES } from '../helpers/pty-contract.js';

describe('PtyPort contract: node-pty', () => {
  for (const c of PTY_CASES) it(c.name, () => c.run(nodePtyPort), 30_000);
});

describe('node-pty adapter: the reap is watched, not polled', () => {
  // With the leader poll an hour apart, every exit below must come through the watch: were it
  // lost (node-pty changed), the exits would still arrive, through node-pty's own 200 ms socket
  // destroy, but `seen` would stay empty.
  const seen = new Set<number>();
  const unpolled = createNodePtyPort({ leaderFallbackPollMs: 3_600_000, onReapSeen: (pid) => seen.add(pid) });

  for (const c of PTY_CASES) it(`${c.name} (no leader poll)`, () => c.run(unpolled), 30_000);

  it('sees the reap of every child: one that exits, one that is hung up, one that is killed', async () => {
    const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', TERM: 'xterm-256color' };
    const cases: Array<[string[], (p: { kill(s?: NodeJS.Signals): void }) => void, number]> = [
      [['-c', 'exit 3'], () => {}, 3],
      [['-c', 'exec cat'], (p) => p.kill('SIGHUP'), 128 + 1],
      [['-c', 'exec sleep 100'], (p) => p.kill('SIGKILL'), 128 + 9],
    ];
    for (const [args, end, code] of cases) {
      const p = unpolled.spawn('/bin/sh', args, { cwd: tmpdir(), env, cols: 80, rows: 24 });
      const exit = new Promise<number>((resolve) => p.onExit((e) => resolve(e.signal ? 128 + e.signal : e.exitCode)));
      setTimeout(() => end(p), 100);
      assert.equal(await exit, code, args.join(' '));
      expect(seen.has(p.pid), `reap of ${args.join(' ')} seen`).toBe(true);
    }
  }, 30_000);
});

describe('node-pty adapter: a quiet child\'s exit waits for no timer', () => {
  // Every DELETE ends a child that has long been quiet: its exit must be reported a few turns
  // of the event loop after the reap, not after a quiet period counted from the reap (that
  // made create + delete 292 -> 54 ops/s). Counted in loop turns, not milliseconds: a 10 ms
  // timer is thousands of turns of a loop that spins on setImmediate.
  it('reports the exit of a killed `cat` within a few loop turns of its reap', async () => {
    const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', TERM: 'xterm-256color' };
    for (let run = 0; run < 3; run++) {
      let turns = -1;
      const port = createNodePtyPort({
        onReapSeen: () => {
          turns = 0;
          const spin = (): void => {
            if (turns < 0) return;
            turns++;
            setImmediate(spin);
          };
          setImmediate(spin);
        },
      });
      const p = port.spawn('/bin/sh', ['-c', 'exec cat'], { cwd: tmpdir(), env, cols: 80, rows: 24 });
      const exited = new Promise<number>((resolve) =>
        p.onExit(() => {
          const n = turns;
          turns = -1;
          resolve(n);
        }),
      );
      await new Promise((r) => setTimeout(r, 100));
      p.kill('SIGHUP');
      const n = await exited;
      expect(n, `run ${run}: the reap was seen`).toBeGreaterThanOrEqual(0);
      expect(n, `run ${run}: loop turns from the reap to the exit`).toBeLessThan(50);
    }
  }, 30_000);
});

describe('node-pty adapter: a stalled event loop at the exit loses no output', () => {
  // On a loaded machine the server's thread can be held up just as the child ends, and the tail
  // of a flood was lost (CI: the last ~50 lines of `seq 1 300000`, from every viewer and the
  // recording): node-pty destroys its socket 200 ms after the reap, unread output or not, and
  // the slave was let go after 10 ms without output, which a held loop also shows (libuv then
  // takes the hangup for the end of the stream). Here the loop is held twice: while the child
  // writes, so its output waits in the kernel, and right at the reap, past node-pty's 200 ms.
  // Before the fix every run lost all but the first reads (8 KB of 17).
  const spin = (ms: number): void => {
    const end = Date.now() + ms;
    while (Date.now() < end) {
      // the loop is held: no read, no timer
    }
  };
  const stalled = createNodePtyPort({ onReapSeen: () => spin(300) });

  it('delivers every byte written before the exit, then the exit', async () => {
    const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', TERM: 'xterm-256color' };
    const expected = Array.from({ length: 3000 }, (_, i) => `${i + 1}\r\n`).join('');
    for (let run = 0; run < 5; run++) {
      const p = stalled.spawn('/bin/sh', ['-c', 'stty -echo; seq 1 3000'], { cwd: tmpdir(), env, cols: 80, rows: 24 });
      const chunks: Buffer[] = [];
      let held = false;
      p.onData((d) => {
        chunks.push(d);
        if (!held) spin(300); // the rest of the output is written (and the child exits) meanwhile
        held = true;
      });
      await new Promise<void>((resolve) => p.onExit(() => resolve()));
      const out = Buffer.concat(chunks).toString('latin1');
      expect(out.length, `run ${run}: bytes`).toBe(expected.length);
      expect(out.slice(-20)).toBe(expected.slice(-20));
    }
  }, 30_000);
});
