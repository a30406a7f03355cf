// Bun's PtyPort: Bun.spawn with the inline `terminal` option (node-pty under Bun loses its master
// fd and every session dies of SIGHUP: oven-sh/bun #25822). With the inline form the child
// leads its own session and process group, so -pid is the group as PtyPort promises. Loaded by
// runtime.ts under Bun only; `Bun` is reached through globalThis, so Node can typecheck this file.
//
// The drain: Bun calls the terminal's `exit` when the master reads EOF/EIO, i.e. after the last
// byte any holder of the slave wrote. onExit waits for that and for proc.exited (the status);
// a writer that keeps the slave open past the leader (a daemonised child in another group) is
// waited for until its group is gone and output has gone quiet, at most DRAIN_MAX_MS.
//
// Bun's terminal cannot stop reading (no pause(), no fd to stop polling). What holds a flood
// instead is the terminal's own flow control, as on a real terminal: pause() types XOFF (^S)
// into the PTY, and with IXON set (the default termios, and every shell's cooked mode) the line
// discipline consumes it and the child's writes block until resume() types XON (^Q); the
// program sees nothing. A program that turned IXON off (raw mode: vim, tmux, less) would read
// ^S as a key, so then nothing is typed and the flood is bounded only by what the session drops
// (docs/runtimes.md). Linux restarts a stopped tty when IXON is turned off, so a program that
// switches to raw mode mid-pause is not left stopped. Bun's PTY has IXANY on (any key restarts
// output), so a key typed while paused is followed by another XOFF.
import { constants, platform } from 'node:os';
import type { PtyDisposable, PtyExit, PtyPort, PtyProcess, PtySpawnOptions } from './port.js';

/** The slice of Bun's API this adapter uses (bun-types is not a dependency). */
interface BunTerminal {
  write(data: string | Uint8Array): number;
  /** c_iflag of the PTY's termios; 0 once closed. */
  readonly inputFlags: number;
  resize(cols: number, rows: number): void;
  close(): void;
  readonly closed: boolean;
}
interface BunSubprocess {
  readonly pid: number;
  readonly exited: Promise<number>;
  readonly exitCode: number | null;
  readonly signalCode: string | null;
  readonly terminal?: BunTerminal;
  kill(signal?: string | number): void;
}
interface BunTerminalOptions {
  cols: number;
  rows: number;
  data(terminal: BunTerminal, data: Uint8Array): void;
  exit(terminal: BunTerminal, status: number, signal: string | null): void;
}
interface BunGlobal {
  spawn(argv: string[], options: { cwd: string; env: Record<string, string>; terminal: BunTerminalOptions }): BunSubprocess;
}

function bun(): BunGlobal {
  const b = (globalThis as { Bun?: BunGlobal }).Bun;
  if (!b) throw new Error('the Bun PTY adapter runs under Bun only');
  return b;
}

/** termios IXON: XON/XOFF output flow control is on. */
const IXON = platform() === 'darwin' ? 0x200 : 0o2000;
const XOFF = '\x13';
const XON = '\x11';

/** After the leader's exit, how long a slave still held elsewhere is waited for at most. */
const DRAIN_MAX_MS = 250;
/** With the group gone, output quiet this long means nothing is left to read. */
const DRAIN_QUIET_MS = 10;

class Listeners<T> {
  private readonly set = new Set<(v: T) => void>();
  add(l: (v: T) => void): PtyDisposable {
    this.set.add(l);
    return { dispose: () => this.set.delete(l) };
  }
  emit(v: T): void {
    for (const l of this.set) l(v);
  }
}

function signalNumber(name: string | null): number {
  if (!name) return 0;
  return (constants.signals as Record<string, number | undefined>)[name] ?? 0;
}

function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

class BunPtyProcess implements PtyProcess {
  readonly pid: number;
  private stopped = false;
  private readonly proc: BunSubprocess;
  private readonly data = new Listeners<Buffer>();
  private readonly exit = new Listeners<PtyExit>();
  private eof = false;
  private lastDataAt = 0;
  private wakeDrain: (() => void) | undefined;
  private done = false;

  constructor(file: string, args: string[], options: PtySpawnOptions) {
    this.proc = bun().spawn([file, ...args], {
      cwd: options.cwd,
      // Bun's terminal `name` does not reach the child's environment: TERM is set here.
      env: { ...options.env, TERM: options.env.TERM ?? 'xterm-256color' },
      terminal: {
        cols: options.cols,
        rows: options.rows,
        data: (_t, d) => {
          this.lastDataAt = Date.now();
          // Bun hands each read its own ArrayBuffer (checked in the adapter tests): no copy.
          this.data.emit(Buffer.from(d.buffer, d.byteOffset, d.byteLength));
        },
        exit: () => {
          this.eof = true;
          this.wakeDrain?.();
        },
      },
    });
    this.pid = this.proc.pid;
    void this.proc.exited.then(() => this.finish());
  }

  /** The leader has exited: wait for EOF on the master (bounded), then report the status. */
  private async finish(): Promise<void> {
    const start = Date.now();
    while (!this.eof && Date.now() - start < DRAIN_MAX_MS) {
      if (!groupAlive(this.pid) && Date.now() - this.lastDataAt >= DRAIN_QUIET_MS) break;
      await new Promise<void>((r) => {
        const t = setTimeout(r, DRAIN_QUIET_MS);
        this.wakeDrain = () => {
          clearTimeout(t);
          r();
        };
      });
      this.wakeDrain = undefined;
    }
    this.done = true;
    const signal = signalNumber(this.proc.signalCode);
    const exitCode = this.proc.exitCode ?? (signal ? 128 + signal : 0);
    try {
      this.proc.terminal?.close();
    } catch {
      // already closed
    }
    this.exit.emit({ exitCode, signal });
  }

  onData(listener: (data: Buffer) => void): PtyDisposable {
    return this.data.add(listener);
  }

  onExit(listener: (e: PtyExit) => void): PtyDisposable {
    return this.exit.add(listener);
  }

  write(data: string | Uint8Array): void {
    if (this.done) return;
    const t = this.proc.terminal;
    t?.write(data);
    // Bun's PTY starts with IXANY, so any key typed while stopped restarts output: stop it again.
    if (this.stopped && t && (t.inputFlags & IXON) !== 0) t.write(XOFF);
  }

  resize(cols: number, rows: number): void {
    if (this.done) return;
    this.proc.terminal?.resize(cols, rows);
  }

  kill(signal?: NodeJS.Signals): void {
    if (this.done) return;
    try {
      this.proc.kill(signal ?? 'SIGHUP');
    } catch {
      // already gone
    }
  }

  /** Types XOFF if the line discipline will take it as flow control (IXON), never as a key. */
  pause(): void {
    const t = this.proc.terminal;
    if (this.done || this.stopped || !t || (t.inputFlags & IXON) === 0) return;
    this.stopped = true;
    t.write(XOFF);
  }

  resume(): void {
    if (!this.stopped) return;
    this.stopped = false;
    const t = this.proc.terminal;
    // If IXON went off meanwhile, Linux has restarted the tty and XON would be a key: skip it.
    if (!this.done && t && (t.inputFlags & IXON) !== 0) t.write(XON);
  }
}

export const bunPtyPort: PtyPort = {
  spawn(file: string, args: string[], options: PtySpawnOptions): PtyProcess {
    return new BunPtyProcess(file, args, options);
  },
};
