// Which signals mean "stop" to each kind of Porthole process on each OS, and how a terminal
// client learns its size changed. Pure functions of the platform; `porthole serve`, the client
// commands and the desktop app call them with process.platform.
//
// What Node gives on Windows (nodejs.org/api/process.html, "Signal events"):
// - SIGINT: Ctrl+C in the console (unless raw mode is on: then it is just byte 0x03).
// - SIGBREAK: Ctrl+Break, delivered even in raw mode. Unhandled, it kills the process at once.
// - SIGHUP: the console window is being closed; Windows ends the process ~10 s later whatever
//   it does, which is more than our 5 s shutdown needs.
// - SIGTERM is never raised on Windows, and `process.kill(pid)` / `taskkill /F` end a process
//   without any event: nothing can run then. `taskkill /PID` without /F is refused for a
//   console program. So on Windows, stop `porthole serve` with Ctrl+C or Ctrl+Break.
import { isWindows, type Platform } from './env.js';

export type StopSignal = 'SIGINT' | 'SIGTERM' | 'SIGHUP' | 'SIGBREAK';

/**
 * `porthole serve`: the contract's SIGINT/SIGTERM. On POSIX SIGHUP is left alone on purpose:
 * a listener would undo `nohup porthole serve` (Node does not keep an inherited SIG_IGN once a
 * listener is added). On Windows Ctrl+Break and closing the console window also shut down
 * cleanly (SIGTERM is listed nowhere it cannot fire).
 */
export function serveStopSignals(platform: Platform): readonly StopSignal[] {
  return isWindows(platform) ? ['SIGINT', 'SIGBREAK', 'SIGHUP'] : ['SIGINT', 'SIGTERM'];
}

/**
 * `porthole run` / `attach`: what ends an attachment (raw mode off, socket closed, the session
 * left running). In raw mode Ctrl+C is input for the session, so on Windows only Ctrl+Break
 * and the console closing reach us; on POSIX a hang-up, kill or Ctrl+C outside raw mode.
 */
export function clientStopSignals(platform: Platform): readonly StopSignal[] {
  return isWindows(platform) ? ['SIGINT', 'SIGBREAK', 'SIGHUP'] : ['SIGINT', 'SIGTERM', 'SIGHUP'];
}

/**
 * The desktop app: Ctrl+C in the terminal that ran `npm start`, `kill`/logout (SIGTERM), that
 * terminal closing (SIGHUP). Windows' logoff and shutdown come through the window's
 * `query-session-end` instead (systemEndEvents), SIGTERM never comes there.
 */
export function desktopStopSignals(platform: Platform): readonly StopSignal[] {
  return isWindows(platform) ? ['SIGINT', 'SIGBREAK', 'SIGHUP'] : ['SIGINT', 'SIGTERM', 'SIGHUP'];
}

/** The conventional 128 + n exit status of a client ended by a signal (SIGBREAK is 21 in Node). */
export const SIGNAL_NUMBER: Record<StopSignal, number> = { SIGHUP: 1, SIGINT: 2, SIGTERM: 15, SIGBREAK: 21 };

/**
 * How the desktop app hears that the OS is logging out or shutting down, where no signal and
 * (on Windows) no `before-quit` comes. Either way it runs the shutdown without asking: nobody
 * is there to answer, and a question would hold up (macOS) or lose to (Windows) the logout.
 * - 'power-monitor-shutdown': Electron's powerMonitor `shutdown` (Linux, macOS); preventDefault
 *   asks the OS to wait while the shutdown runs.
 * - 'window-query-session-end': the window's `query-session-end` (Windows only: WM_QUERYENDSESSION,
 *   preventDefault delays the logoff) and `session-end` (WM_ENDSESSION, cannot be delayed).
 */
export type SystemEndEvent = 'power-monitor-shutdown' | 'window-query-session-end';

export function systemEndEvents(platform: Platform): readonly SystemEndEvent[] {
  if (isWindows(platform)) return ['window-query-session-end'];
  if (platform === 'darwin' || platform === 'linux') return ['power-monitor-shutdown'];
  return [];
}

/**
 * How an attached client follows its terminal's size. Node turns SIGWINCH into stdout's
 * 'resize' on POSIX. On Windows there is no SIGWINCH: libuv raises 'resize' from console input
 * events and a window hook, which ConPTY hosts (Windows Terminal, VS Code) do not feed
 * (microsoft/terminal#3238), so the client also polls the console's size (getWindowSize(),
 * one cheap call) every pollMs and sends a resize only when it changed.
 */
export interface ResizeWatch {
  resizeEvent: boolean;
  pollMs: number | null;
}

export const WINDOWS_RESIZE_POLL_MS = 250;

export function resizeWatchFor(platform: Platform): ResizeWatch {
  return isWindows(platform) ? { resizeEvent: true, pollMs: WINDOWS_RESIZE_POLL_MS } : { resizeEvent: true, pollMs: null };
}
