// Which signals stop which Porthole process on each OS, how the desktop app hears that the OS
// is ending the user's session, and how a client follows its terminal's size.
import { describe, expect, it } from 'vitest';
import { clientStopSignals, desktopStopSignals, resizeWatchFor, serveStopSignals, SIGNAL_NUMBER, systemEndEvents } from '../../main/server/platform/signals.js';
import { SHUTDOWN_SIGNALS } from '../../main/electron/quit-policy.js';

describe('stop signals', () => {
  it('serve: SIGINT/SIGTERM on POSIX (no SIGHUP listener: it would undo nohup)', () => {
    expect(serveStopSignals('linux')).toEqual(['SIGINT', 'SIGTERM']);
    expect(serveStopSignals('darwin')).toEqual(['SIGINT', 'SIGTERM']);
  });

  it('serve on Windows: Ctrl+C, Ctrl+Break and the console closing; never SIGTERM, which Windows never raises', () => {
    expect(serveStopSignals('win32')).toEqual(['SIGINT', 'SIGBREAK', 'SIGHUP']);
  });

  it('clients and the desktop app: SIGINT, SIGTERM, SIGHUP on POSIX; SIGBREAK instead of SIGTERM on Windows', () => {
    for (const f of [clientStopSignals, desktopStopSignals]) {
      expect(f('linux')).toEqual(['SIGINT', 'SIGTERM', 'SIGHUP']);
      expect(f('darwin')).toEqual(['SIGINT', 'SIGTERM', 'SIGHUP']);
      expect(f('win32')).toEqual(['SIGINT', 'SIGBREAK', 'SIGHUP']);
    }
    expect(SHUTDOWN_SIGNALS).toEqual(desktopStopSignals(process.platform));
  });

  it('every stop signal has its number for the 128 + n exit status', () => {
    for (const p of ['linux', 'darwin', 'win32'] as const) {
      for (const s of [...clientStopSignals(p), ...serveStopSignals(p)]) expect(SIGNAL_NUMBER[s]).toBeGreaterThan(0);
    }
    expect(SIGNAL_NUMBER.SIGBREAK).toBe(21);
  });
});

describe('systemEndEvents', () => {
  it('powerMonitor shutdown on Linux and macOS, the window\'s query-session-end on Windows', () => {
    expect(systemEndEvents('linux')).toEqual(['power-monitor-shutdown']);
    expect(systemEndEvents('darwin')).toEqual(['power-monitor-shutdown']);
    expect(systemEndEvents('win32')).toEqual(['window-query-session-end']);
    expect(systemEndEvents('freebsd')).toEqual([]);
  });
});

describe('resizeWatchFor', () => {
  it('the resize event everywhere; a poll of the console size on Windows only', () => {
    expect(resizeWatchFor('linux')).toEqual({ resizeEvent: true, pollMs: null });
    expect(resizeWatchFor('darwin')).toEqual({ resizeEvent: true, pollMs: null });
    const w = resizeWatchFor('win32');
    expect(w.resizeEvent).toBe(true);
    expect(w.pollMs).toBeGreaterThan(0);
  });
});
