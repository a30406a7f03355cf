// The streams, environment and signals a client command talks to, injected so that the same
// command runs against the real terminal (`processIO()`) or against in-memory streams in tests.
import process from 'node:process';
import { COLS_MAX, ROWS_MAX } from '../../../common/protocol.js';

/** What a client command reads keys from: a TTY (raw mode available) or a pipe. */
export interface ClientInput extends NodeJS.ReadableStream {
  isTTY?: boolean;
  setRawMode?(mode: boolean): unknown;
}

/** Where a client command writes the terminal's output; a TTY reports its size and emits 'resize'. */
export interface ClientOutput extends NodeJS.WritableStream {
  isTTY?: boolean;
  columns?: number;
  rows?: number;
}

export type ClientSignal = 'SIGINT' | 'SIGTERM' | 'SIGHUP';

export interface ClientIO {
  stdin: ClientInput;
  stdout: ClientOutput;
  stderr: NodeJS.WritableStream;
  env: NodeJS.ProcessEnv;
  cwd: string;
  /** Subscribes to the signals that end an attachment; returns the unsubscribe function. */
  onSignal(listener: (signal: ClientSignal) => void): () => void;
  /** Registers a last-chance synchronous cleanup (process 'exit'); returns the unregister function. */
  onExit(listener: () => void): () => void;
}

const SIGNALS: readonly ClientSignal[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

/** Signal numbers, for the conventional 128 + n exit status. */
export const SIGNAL_NUMBER: Record<ClientSignal, number> = { SIGHUP: 1, SIGINT: 2, SIGTERM: 15 };

/** The real process: its stdio, environment, working directory and signals. */
export function processIO(): ClientIO {
  return {
    stdin: process.stdin,
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
    cwd: process.cwd(),
    onSignal(listener) {
      const handlers = SIGNALS.map((s) => {
        const h = () => listener(s);
        process.on(s, h);
        return [s, h] as const;
      });
      return () => {
        for (const [s, h] of handlers) process.removeListener(s, h);
      };
    },
    onExit(listener) {
      process.on('exit', listener);
      return () => process.removeListener('exit', listener);
    },
  };
}

/** This terminal's size, from the first of stdout/stderr that is a TTY; 80x24 otherwise. */
export function terminalSize(io: ClientIO): { cols: number; rows: number } {
  for (const s of [io.stdout, io.stderr] as ClientOutput[]) {
    if (s.isTTY && s.columns && s.rows) {
      return { cols: Math.min(Math.max(s.columns, 1), COLS_MAX), rows: Math.min(Math.max(s.rows, 1), ROWS_MAX) };
    }
  }
  return { cols: 80, rows: 24 };
}
