// The node-pty 1.1 adapter behind PtyPort, for Node and Electron (loaded by runtime.ts only, so a
// Bun process never imports node-pty). It also papers over node-pty's end-of-output race:
// when a child exits right after a burst, the master can see EIO before the last kernel buffer
// was read and the tail of the output is lost (measured: ~4 KiB lost in 2-6 of 20 runs of
// `seq 1 100000`). Holding our own fd on the slave side means the master never sees EIO; node-pty
// then reads until its post-exit timer (200 ms) and only then reports the exit. To not pay those
// 200 ms on every exit, the adapter watches the child: once the leader and its group are gone
// and output has gone quiet, nothing can write to the slave any more, so our fd is let go and
// the master's EIO reports the exit at once, after the last byte.
//
// "Quiet" must mean read, not merely unseen: on a busy machine (a loaded 2-core CI box) the
// server's thread can be held up right at the exit, and two things then cut the tail (the last
// ~50 lines of `seq 1 300000`, from every viewer and the recording). Our slave fd was let go
// after 10 ms without output, which a held loop shows too: the master then sees a hangup, and
// libuv takes a hangup after a partial read (a master gives ~4 KB a read) for the end of the
// stream, the rest unread. And node-pty destroys its socket 200 ms after the reap, read or not.
// So the slave goes, and node-pty's destroy (held: holdDestroy) runs, only once 10 ms without
// output and then one whole turn of a running loop, its reads included, have brought nothing.
// (Counting the 10 ms from the reap instead made every DELETE wait them: 292 -> 54 ops/s.)
//
// The leader's end is seen the moment node-pty reaps it: its native exit callback, finding the
// master still open, registers `once('close')` on the read socket, and that registration is
// watched ('newListener'). Polling the leader (every 20 ms) made every exit, and so every
// DELETE, wait 10-20 ms for nothing; the poll stays, slower, in case node-pty stops doing that.
import fs from 'node:fs';
import pty from '@lydell/node-pty';
import { PtyInputWriter } from './input-writer.js';
import type { PtyDisposable, PtyExit, PtyPort, PtyProcess, PtySpawnOptions } from './port.js';

/** What node-pty 1.1 has at run time but not in its typings. */
interface NodePtyInternals {
  /** The slave's path. */
  readonly ptsName?: string;
  /** The master's read stream (a tty.ReadStream). */
  readonly _socket?: NodeJS.EventEmitter;
  /** Set by node-pty's exit callback when the child is reaped while the master is open. */
  readonly _boundClose?: boolean;
}

export interface NodePtyOptions {
  /** The leader poll when node-pty's reap is watched (tests set it high to prove the watch). */
  leaderFallbackPollMs?: number;
  /** Called when node-pty's reap of a child was seen (tests: the watch works on this node-pty). */
  onReapSeen?: (pid: number) => void;
}

const PAUSED_LIVENESS_POLL_MS = 50;
/** How often the leader is checked for having ended (one kill(pid, 0) per session) when
 *  node-pty's reap cannot be watched; with the watch this is only the safety net. */
const LEADER_POLL_MS = 20;
const LEADER_FALLBACK_POLL_MS = 250;
/** With the group gone, the slave is let go once no output has arrived for this long... */
const RELEASE_QUIET_MS = 10;
/** ...or after this long in any case (a writer that survives in another group). */
const RELEASE_MAX_MS = 250;
/** node-pty's held destroy goes ahead after this long even if output keeps coming: only a
 *  writer outside the child's group (which keeps the slave open) can keep it coming. */
const DRAIN_MAX_MS = 2000;

class NodePtyProcess implements PtyProcess {
  readonly pid: number;
  private slaveFd: number | undefined;
  private pausedWatch: NodeJS.Timeout | undefined;
  private exited = false;
  /** Output events so far: a turn of the event loop that adds none has read everything. */
  private chunks = 0;
  private lastDataAt = 0;
  /** The leader is reaped: no backpressure any more (pause() is ignored), the rest is read. */
  private leaderEnded = false;
  /** Our slave fd is closed (or was never held): the master sees EIO once it has read all. */
  private released = false;
  /** node-pty's post-exit destroy, held until the output is read (holdDestroy); when asked. */
  private heldDestroy: (() => void) | undefined;
  /** The pending check of whenRead (a timer, or the immediate that follows a poll phase). */
  private drainTimer: NodeJS.Timeout | NodeJS.Immediate | undefined;
  private leaderWatch: NodeJS.Timeout | undefined;
  /** Input goes around node-pty's blocking socket write (input-writer.ts). */
  private readonly input: PtyInputWriter | undefined;

  constructor(
    private readonly term: pty.IPty,
    opts: NodePtyOptions = {},
  ) {
    this.pid = term.pid;
    const fd = (term as unknown as { fd?: unknown }).fd;
    this.input = typeof fd === 'number' && fd >= 0 ? new PtyInputWriter(fd) : undefined;
    const internals = term as unknown as NodePtyInternals;
    const name = internals.ptsName;
    if (name) {
      try {
        this.slaveFd = fs.openSync(name, fs.constants.O_RDWR | fs.constants.O_NOCTTY);
      } catch {
        this.slaveFd = undefined; // best effort: without it we only lose the drain guarantee
      }
    }
    term.onData(() => {
      this.chunks++;
      this.lastDataAt = Date.now();
    });
    term.onExit(() => {
      this.exited = true;
      this.input?.close();
      this.stopPausedWatch();
      if (this.leaderWatch) clearInterval(this.leaderWatch);
      if (this.drainTimer && 'refresh' in this.drainTimer) clearTimeout(this.drainTimer);
      else if (this.drainTimer) clearImmediate(this.drainTimer);
      this.leaderWatch = this.drainTimer = undefined;
      this.closeSlave();
    });
    if (this.slaveFd !== undefined) {
      this.holdDestroy(internals);
      const watched = this.watchReap(internals, opts.onReapSeen);
      this.leaderWatch = setInterval(
        () => {
          if (!alive(this.pid)) this.leaderGone();
        },
        watched ? (opts.leaderFallbackPollMs ?? LEADER_FALLBACK_POLL_MS) : LEADER_POLL_MS,
      );
      this.leaderWatch.unref();
    }
  }

  /**
   * node-pty's exit callback runs once its thread has reaped the child; with the master still
   * open (our slave fd sees to that) it sets `_boundClose` and waits for the socket's 'close'
   * by registering a listener: the one moment the reap shows. False if it cannot be watched.
   */
  private watchReap(internals: NodePtyInternals, seen: ((pid: number) => void) | undefined): boolean {
    const socket = internals._socket;
    if (!socket || typeof socket.on !== 'function') return false;
    const onListener = (event: string | symbol): void => {
      if (event !== 'close' || internals._boundClose !== true) return;
      socket.off('newListener', onListener);
      seen?.(this.pid);
      // Inside node-pty's callback, before its listener is added: act once it has returned.
      process.nextTick(() => this.leaderGone());
    };
    socket.on('newListener', onListener);
    return true;
  }

  /**
   * node-pty destroys its socket DESTROY_SOCKET_TIMEOUT_MS (200) after the reap, by calling
   * destroy() with no error; a read error (EIO, once the slave is closed and all is read) calls
   * it with one. The former is held and run by drainThenDestroy once the output is read, so
   * an event loop held up past 200 ms (a busy machine) no longer cuts the tail of the output.
   * Only possible while we hold the slave (without it there is no drain guarantee anyway).
   */
  private holdDestroy(internals: NodePtyInternals): void {
    const socket = internals._socket as (NodeJS.EventEmitter & { destroy?: (err?: Error) => unknown }) | undefined;
    const destroy = socket?.destroy;
    if (!socket || typeof destroy !== 'function') return;
    socket.destroy = (err?: Error) => {
      if (err !== undefined || this.exited || this.heldDestroy) return destroy.call(socket, err);
      this.heldDestroy = () => void destroy.call(socket);
      this.drainThenDestroy();
      return socket;
    };
  }

  /** Runs node-pty's held destroy once the slave is let go and the output is read (whenRead). */
  private drainThenDestroy(): void {
    const held = this.heldDestroy;
    if (!held || !this.released || this.exited || this.drainTimer) return;
    this.whenRead(() => true, DRAIN_MAX_MS, held);
  }

  /**
   * Calls `then` once `ready()` holds and the master has read all there is: no output for
   * RELEASE_QUIET_MS (the kernel's flip of the child's last write to the master), and then a
   * whole turn of the event loop, its poll phase included, that read none. The turn is what a
   * held-up loop needs: its last output may be long ago only because nothing ran, the kernel
   * still holding more, and a pty master gives ~4 KB a read, one read a turn. A quiet child
   * (a DELETE of `cat`) costs two immediates, no timer. After `maxMs` worth of checks (counted,
   * so a held loop counts once) it goes ahead anyway: only a writer outside the child's group
   * keeps output coming.
   */
  private whenRead(ready: () => boolean, maxMs: number, then: () => void): void {
    let turns = Math.ceil(maxMs / RELEASE_QUIET_MS);
    const check = (): void => {
      this.drainTimer = undefined;
      if (this.exited) return;
      const over = --turns <= 0;
      const quietIn = RELEASE_QUIET_MS - (Date.now() - this.lastDataAt);
      if (!over && (!ready() || quietIn > 0)) {
        this.drainTimer = setTimeout(check, ready() ? quietIn : RELEASE_QUIET_MS);
        return;
      }
      // The first immediate runs in this turn's check phase (which may have begun after its
      // poll), the second in the next turn's, after a poll that read whatever was readable.
      const seen = this.chunks;
      this.drainTimer = setImmediate(() => {
        this.drainTimer = setImmediate(() => {
          this.drainTimer = undefined;
          if (this.exited) return;
          if (over || this.chunks === seen) then();
          else check();
        });
      });
    };
    check();
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
    // Once the leader is gone, what is left is read at once: a paused socket could only hold
    // output the exit would wait for (or node-pty's destroy would drop).
    if (this.exited || this.leaderEnded) return;
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
    if (this.exited || this.leaderEnded) return;
    this.leaderEnded = true;
    this.resume();
    // Closing the slave with output still unread loses it: the master then sees a hangup, and
    // libuv takes a hangup after a partial read (a pty master gives ~4 KB a read) for the end
    // of the stream. So the slave goes only once all of it is read.
    this.whenRead(() => !groupAlive(this.pid), RELEASE_MAX_MS, () => this.closeSlave());
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
    this.released = true;
    this.drainThenDestroy(); // if node-pty's destroy came first (and was held)
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

/** A node-pty PtyPort; `opts` are for tests. */
export function createNodePtyPort(opts: NodePtyOptions = {}): PtyPort {
  return {
    spawn(file: string, args: string[], options: PtySpawnOptions): PtyProcess {
      const term = pty.spawn(file, args, {
        name: options.env.TERM ?? 'xterm-256color',
        cols: options.cols,
        rows: options.rows,
        cwd: options.cwd,
        env: options.env,
        encoding: null,
      });
      return new NodePtyProcess(term, opts);
    },
  };
}

/** Node's PtyPort: real pseudo-terminals through node-pty. */
export const nodePtyPort: PtyPort = createNodePtyPort();
