// Why this exists: quitting ends every running shell (contract: shutdown sequence), so the app
// asks first when sessions are running. The decision, the dialog's words and the window-close
// behaviour are pure here; main.ts wires them to before-quit and server.close().
import { desktopStopSignals } from '../server/platform/signals.js';
import type { MessageBoxSpec } from './port-choice.js';

/** server.close() must end within this long (the contract's 5 s) before the app exits anyway. */
export const SHUTDOWN_DEADLINE_MS = 5000;

export interface QuitState {
  /** Sessions whose process is still running. */
  runningSessions: number;
  /** The "Quit Porthole?" box is open: a second Cmd+Q must not open another. */
  asking: boolean;
  /** The user already confirmed (or nothing needed confirming) and shutdown has begun. */
  shuttingDown: boolean;
  /** Shutdown finished: the next quit must go through untouched. */
  closed: boolean;
}

/**
 * - 'proceed': let Electron quit (the server is already closed);
 * - 'wait': a shutdown is in progress or the question is on screen; swallow this quit;
 * - 'shutdown': no running sessions (or nobody to ask), close the server then exit;
 * - 'ask': running sessions would be ended: confirm first.
 */
export type QuitDecision = 'proceed' | 'wait' | 'shutdown' | 'ask';

/**
 * Signals that mean "stop now": Ctrl+C in the terminal that ran `npm start` (SIGINT), the
 * session manager at logout or `kill` (SIGTERM), the terminal closing (SIGHUP); on Windows
 * SIGINT, Ctrl+Break (SIGBREAK) and the console closing (platform/signals.ts). The contract's
 * answer to them is the shutdown sequence, exactly as for `porthole serve`.
 */
export const SHUTDOWN_SIGNALS = desktopStopSignals(process.platform);

/**
 * `interactive` is false for a signal: nobody may be there to answer a dialog (logout waits a
 * few seconds and then kills us, which would skip flushing recordings), so a signal never asks
 * and also cuts short a question already on screen.
 */
export function quitDecision(state: QuitState, opts: { interactive: boolean } = { interactive: true }): QuitDecision {
  if (state.closed) return 'proceed';
  if (state.shuttingDown) return 'wait';
  if (!opts.interactive) return 'shutdown';
  if (state.asking) return 'wait';
  return state.runningSessions > 0 ? 'ask' : 'shutdown';
}

export function quitDialog(runningSessions: number): MessageBoxSpec {
  const n = runningSessions;
  const what = n === 1 ? '1 session is running' : `${n} sessions are running`;
  return {
    type: 'question',
    title: 'Quit Porthole?',
    message: `${what}. Quit Porthole?`,
    detail:
      `Quitting ends ${n === 1 ? 'its shell' : 'their shells'} and disconnects everyone watching ` +
      'through a share link. Recordings are kept.',
    buttons: ['Quit', 'Cancel'],
    defaultId: 1,
    cancelId: 1,
    noLink: true,
  };
}

/** Button 0 is Quit; anything else (Cancel, Esc, closing the box) keeps the app running. */
export function quitConfirmed(response: number): boolean {
  return response === 0;
}

/**
 * Closing the window hides it while the app lives on in the tray (remote viewers keep their
 * sessions); only a real quit closes it. Without a tray (some Linux desktops) closing the last
 * window is a quit, or the app would be left running with no way back in.
 */
export function windowCloseAction(opts: { quitting: boolean; hasTray: boolean }): 'close' | 'hide' | 'quit' {
  if (opts.quitting) return 'close';
  return opts.hasTray ? 'hide' : 'quit';
}
