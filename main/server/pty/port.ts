// The seam between sessions and a PTY implementation: sessions only ever see PtyPort, so a
// different runtime's PTY (or a test fake) can plug in without touching session logic.

export interface PtySpawnOptions {
  cwd: string;
  env: Record<string, string>;
  cols: number;
  rows: number;
}

export interface PtyExit {
  /** The child's exit status; meaningful when `signal` is 0. */
  exitCode: number;
  /** The signal number that killed the child, 0 if it exited normally. */
  signal: number;
}

export interface PtyDisposable {
  dispose(): void;
}

export interface PtyProcess {
  /** The child's pid; it leads its own session and process group (setsid), so -pid is the group. */
  readonly pid: number;
  /** Output bytes, as read from the master side (never decoded: UTF-8 may split across reads). */
  onData(listener: (data: Buffer) => void): PtyDisposable;
  /** Fires once, after every byte the child wrote has been delivered through onData. */
  onExit(listener: (e: PtyExit) => void): PtyDisposable;
  write(data: string | Uint8Array): void;
  resize(cols: number, rows: number): void;
  /** Signals the child alone; sessions signal the whole group themselves (see process-group.ts). */
  kill(signal?: NodeJS.Signals): void;
  /** Stop reading output (the child blocks once the kernel buffer fills). */
  pause(): void;
  resume(): void;
  /**
   * The caller has seen the whole process group gone (it ended the session): report the exit
   * as soon as the output already written has been delivered, rather than after any grace timer.
   */
  groupGone(): void;
}

export interface PtyPort {
  /** `file` is run directly (no shell); the caller has checked it exists and is executable. */
  spawn(file: string, args: string[], options: PtySpawnOptions): PtyProcess;
}
