// The seam between sessions and a PTY implementation: sessions only ever see PtyPort, so each
// runtime's PTY (node-pty on Node, Bun.spawn's terminal on Bun) or a test fake plugs in without
// touching session logic. The adapter, not the session, guarantees the drain: onExit comes
// after the last byte. Every adapter passes tests/helpers/pty-contract.ts.

export interface PtySpawnOptions {
  cwd: string;
  /** The child's whole environment; TERM is taken from here (default xterm-256color). */
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
  /** Output bytes, in order, as read from the master side (never decoded: UTF-8 may split across reads). */
  onData(listener: (data: Buffer) => void): PtyDisposable;
  /**
   * Fires once, after every byte the child's process group wrote before it ended has been
   * delivered through onData: the adapter drains, the session does not wait for quiet.
   */
  onExit(listener: (e: PtyExit) => void): PtyDisposable;
  write(data: string | Uint8Array): void;
  /** Input bytes accepted by write() and not yet taken by the kernel (the child is not
   *  reading). Absent: the adapter cannot tell (Bun's terminal queues out of sight). */
  readonly inputBacklog?: number;
  resize(cols: number, rows: number): void;
  /** Signals the child alone; sessions signal the whole group themselves (see process-group.ts). */
  kill(signal?: NodeJS.Signals): void;
  /**
   * Hold the child's output for now: its writes block once the kernel buffer fills, so a flood
   * faster than the screen parser costs no memory. node-pty stops reading; Bun's terminal, which
   * cannot, types XOFF (bun.ts). Best effort: a session stays correct if output keeps coming.
   */
  pause(): void;
  resume(): void;
}

export interface PtyPort {
  /** `file` is run directly (no shell); the caller has checked it exists and is executable. */
  spawn(file: string, args: string[], options: PtySpawnOptions): PtyProcess;
}
