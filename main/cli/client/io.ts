// The streams, environment and signals a client command talks to, injected so that the same
// command runs against the real terminal (`processIO()`) or against in-memory streams in tests.
import process from 'node:process';
import { COLS_MAX, ROWS_MAX } from '../../../common/protocol.js';
import type { Platform } from '../../server/platform/env.js';
import { clientStopSignals, SIGNAL_NUMBER as STOP_SIGNAL_NUMBER, type StopSignal } from '../../server/platform/signals.js';

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
  /** A TTY's size asked of the OS now (columns/rows are only refreshed on 'resize'). */
  getWindowSize?(): [number, number];
}

export type ClientSignal = StopSignal;

export interface ClientIO {
  stdin: ClientInput;
  stdout: ClientOutput;
  stderr: NodeJS.WritableStream;
  env: NodeJS.ProcessEnv;
  cwd: string;
  /** The OS whose rules apply (signals, resize); default process.platform. */
  platform?: Platform;
  /** Subscribes to the signals that end an attachment; returns the unsubscribe function. */
  onSignal(listener: (signal: ClientSignal) => void): () => void;
  /** Registers a last-chance synchronous cleanup (process 'exit'); returns the unregister function. */
  onExit(listener: () => void): () => void;
}

/** Signal numbers, for the conventional 128 + n exit status. */
export const SIGNAL_NUMBER: Record<ClientSignal, number> = STOP_SIGNAL_NUMBER;

/** The real process: its stdio, environment, working directory and signals. */
export function processIO(): ClientIO {
  return {
    stdin: process.stdin,
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
    cwd: process.cwd(),
    platform: process.platform,
    onSignal(listener) {
      const handlers = clientStopSignals(process.platform).map((s) => {
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
    if (!s.isTTY) continue;
    const [columns, rows] = windowSize(s);
    if (columns && rows) return { cols: Math.min(Math.max(columns, 1), COLS_MAX), rows: Math.min(Math.max(rows, 1), ROWS_MAX) };
  }
  return { cols: 80, rows: 24 };
}

/** The OS's answer when the stream can ask it, else the last size Node saw. */
function windowSize(s: ClientOutput): [number | undefined, number | undefined] {
  try {
    if (s.getWindowSize) return s.getWindowSize();
  } catch {
    // the terminal went away: fall back to the last known size
  }
  return [s.columns, s.rows];
}
