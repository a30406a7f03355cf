// The node-pty 1.1 adapter behind PtyPort, for Node and Electron (loaded by runtime.ts only, so a
// Bun process never imports node-pty). It also papers over node-pty's end-of-output race:
// when a child exits right after a burst, the master can see EIO before the last kernel buffer
// was read and the tail of the output is lost (measured: ~4 KiB lost in 2-6 of 20 runs of
// `seq 1 100000`). Holding our own fd on the slave side means the master never sees EIO; node-pty
// then reads until its post-exit timer (200 ms) and only then reports the exit. To not pay those
// 200 ms on every exit, the adapter watches the child: once the leader and its group are gone
// and output has gone quiet, nothing can write to the slave any more, so our fd is let go and
// the master's EIO reports the exit at once, after the last byte.
import fs from 'node:fs';
import pty from '@lydell/node-pty';
import { PtyInputWriter } from './input-writer.js';
import type { PtyDisposable, PtyExit, PtyPort, PtyProcess, PtySpawnOptions } from './port.js';

/** node-pty exposes the slave path at run time but not in its typings. */
interface WithPtsName {
  readonly ptsName?: string;
}

const PAUSED_LIVENESS_POLL_MS = 50;
/** How often the leader is checked for having ended (one kill(pid, 0) per session). */
const LEADER_POLL_MS = 20;
/** With the group gone, the slave is let go once no output has arrived for this long... */
const RELEASE_QUIET_MS = 10;
/** ...or after this long in any case (a writer that survives in another group). */
const RELEASE_MAX_MS = 250;

class NodePtyProcess implements PtyProcess {
  readonly pid: number;
  private slaveFd: number | undefined;
  private pausedWatch: NodeJS.Timeout | undefined;
  private exited = false;
  private lastDataAt = 0;
  private releaseTimer: NodeJS.Timeout | undefined;
  private leaderWatch: NodeJS.Timeout | undefined;
  /** Input goes around node-pty's blocking socket write (input-writer.ts). */
  private readonly input: PtyInputWriter | undefined;

  constructor(private readonly term: pty.IPty) {
    this.pid = term.pid;
    const fd = (term as unknown as { fd?: unknown }).fd;
    this.input = typeof fd === 'number' && fd >= 0 ? new PtyInputWriter(fd) : undefined;
    const name = (term as unknown as WithPtsName).ptsName;
    if (name) {
      try {
        this.slaveFd = fs.openSync(name, fs.constants.O_RDWR | fs.constants.O_NOCTTY);
      } catch {
        this.slaveFd = undefined; // best effort: without it we only lose the drain guarantee
      }
    }
    term.onData(() => (this.lastDataAt = Date.now()));
    term.onExit(() => {
      this.exited = true;
      this.input?.close();
      this.stopPausedWatch();
      if (this.leaderWatch) clearInterval(this.leaderWatch);
      if (this.releaseTimer) clearTimeout(this.releaseTimer);
      this.leaderWatch = this.releaseTimer = undefined;
      this.closeSlave();
    });
    if (this.slaveFd !== undefined) {
      this.leaderWatch = setInterval(() => {
        if (!alive(this.pid)) this.leaderGone();
      }, LEADER_POLL_MS);
      this.leaderWatch.unref();
    }
  }

  onData(listener: (data: Buffer) => void): PtyDisposable {
    // spawn() sets encoding: null, so node-pty hands over Buffers despite its string typing.
    return this.term.onData((d) => listener(d as unknown as Buffer));
  }

  onExit(listener: (e: PtyExit) => void): PtyDisposable {
    return this.term.onExit((e) => listener({ exitCode: e.exitCode, signal: e.signal ?? 0 }));
  }

  write(data: string | Uint8Array): void {
    if (this.exited) return;
    if (this.input) this.input.write(data);
    // No master fd to be found (a node-pty without `fd`): its own, blocking, socket write.
    else this.term.write(typeof data === 'string' ? data : (Buffer.from(data.buffer, data.byteOffset, data.byteLength) as unknown as string));
  }

  get inputBacklog(): number {
    return this.input?.backlog ?? 0;
  }

  resize(cols: number, rows: number): void {
    if (this.exited) return;
    this.term.resize(cols, rows);
  }

  /** On Windows node-pty throws for any signal: platform/session-tree.ts calls kill() without one. */
  kill(signal?: NodeJS.Signals): void {
    if (this.exited) return;
    try {
      this.term.kill(signal);
    } catch {
      // already gone
    }
  }

  pause(): void {
    if (this.exited) return;
    this.term.pause();
    // node-pty destroys its socket 200 ms after the child exits; a paused socket would lose
    // whatever is still unread, so resume as soon as the child is seen gone.
    if (!this.pausedWatch) {
      this.pausedWatch = setInterval(() => {
        try {
          process.kill(this.pid, 0);
        } catch {
          this.resume();
        }
      }, PAUSED_LIVENESS_POLL_MS);
    }
  }

  resume(): void {
    this.stopPausedWatch();
    if (this.exited) return;
    this.term.resume();
  }

  /**
   * The leader is reaped. Once its group is empty too (or RELEASE_MAX_MS has passed: a writer
   * that survives in another group) and the master has read what is left (output quiet),
   * closing our slave fd makes the master see EIO, and node-pty reports the exit at once
   * instead of after its 200 ms timer.
   */
  private leaderGone(): void {
    if (this.leaderWatch) clearInterval(this.leaderWatch);
    this.leaderWatch = undefined;
    if (this.exited || this.releaseTimer) return;
    this.resume();
    const start = Date.now();
    const check = (): void => {
      this.releaseTimer = undefined;
      const now = Date.now();
      const settled = !groupAlive(this.pid) && now - this.lastDataAt >= RELEASE_QUIET_MS;
      if (settled || now - start >= RELEASE_MAX_MS) this.closeSlave();
      else this.releaseTimer = setTimeout(check, RELEASE_QUIET_MS);
    };
    check();
  }

  private stopPausedWatch(): void {
    if (this.pausedWatch) clearInterval(this.pausedWatch);
    this.pausedWatch = undefined;
  }

  private closeSlave(): void {
    if (this.slaveFd === undefined) return;
    try {
      fs.closeSync(this.slaveFd);
    } catch {
      // already closed
    }
    this.slaveFd = undefined;
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function groupAlive(pgid: number): boolean {
  return pgid > 1 && alive(-pgid);
}

/** Node's PtyPort: real pseudo-terminals through node-pty. */
export const nodePtyPort: PtyPort = {
  spawn(file: string, args: string[], options: PtySpawnOptions): PtyProcess {
    const term = pty.spawn(file, args, {
      name: options.env.TERM ?? 'xterm-256color',
      cols: options.cols,
      rows: options.rows,
      cwd: options.cwd,
      env: options.env,
      encoding: null,
    });
    return new NodePtyProcess(term);
  },
};
