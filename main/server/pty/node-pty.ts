// The node-pty 1.1 adapter behind PtyPort. It also papers over node-pty's end-of-output race:
// when a child exits right after a burst, the master can see EIO before the last kernel buffer
// was read and the tail of the output is lost (measured: ~4 KiB lost in 2-6 of 20 runs of
// `seq 1 100000`). Holding our own fd on the slave side means the master never sees EIO; node-pty
// then reads until its post-exit timer (200 ms) and only then reports the exit.
import fs from 'node:fs';
import pty from '@lydell/node-pty';
import type { PtyDisposable, PtyExit, PtyPort, PtyProcess, PtySpawnOptions } from './port.js';

/** node-pty exposes the slave path at run time but not in its typings. */
interface WithPtsName {
  readonly ptsName?: string;
}

const PAUSED_LIVENESS_POLL_MS = 50;
/** groupGone(): the slave is let go once no output has arrived for this long... */
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

  constructor(private readonly term: pty.IPty) {
    this.pid = term.pid;
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
      this.stopPausedWatch();
      if (this.releaseTimer) clearTimeout(this.releaseTimer);
      this.releaseTimer = undefined;
      this.closeSlave();
    });
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
    // @lydell/node-pty types write() as string only; its socket takes a Buffer as node-pty's does.
    this.term.write(typeof data === 'string' ? data : (Buffer.from(data.buffer, data.byteOffset, data.byteLength) as unknown as string));
  }

  resize(cols: number, rows: number): void {
    if (this.exited) return;
    this.term.resize(cols, rows);
  }

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
   * With the group gone nothing can write to the slave any more, so once the master has read
   * what is left (output quiet) closing our slave fd makes the master see EIO, and node-pty
   * reports the exit at once instead of after its 200 ms timer: ending a session costs ~ms.
   */
  groupGone(): void {
    if (this.exited || this.releaseTimer) return;
    this.resume();
    const start = Date.now();
    const check = (): void => {
      this.releaseTimer = undefined;
      const now = Date.now();
      if (now - this.lastDataAt >= RELEASE_QUIET_MS || now - start >= RELEASE_MAX_MS) this.closeSlave();
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

/** The default PtyPort: real pseudo-terminals through node-pty. */
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
