// Why this exists: the OS ending the user's session (logout, restart, shutdown) must run the
// contract's shutdown without a question, and each OS announces it differently
// (platform/signals.ts systemEndEvents). This wires the announcements to one callback; it takes
// the emitters as arguments, so every OS's wiring is tested with plain EventEmitters.

import { systemEndEvents } from '../server/platform/signals.js';

/** What Electron hands a listener that may ask the OS to wait (preventDefault). */
interface Holdable {
  preventDefault?(): void;
}

/** The part of an Electron emitter (powerMonitor, BrowserWindow) this needs. */
export interface EventSource {
  on(event: string, listener: (...args: unknown[]) => void): unknown;
}

/**
 * Linux/macOS: powerMonitor 'shutdown' (held: preventDefault asks the OS to wait).
 * Windows: powerMonitor has no such event and no before-quit comes at logoff, so the window's
 * 'query-session-end' (held) and 'session-end' (cannot be held) start it. `onEnd` gets the
 * event's name; it must be idempotent (both Windows events can come).
 */
export function wireSystemEnd(
  platform: NodeJS.Platform,
  sources: { powerMonitor?: EventSource; window?: EventSource },
  onEnd: (what: string) => void,
): void {
  const hold = (args: unknown[]): void => (args[0] as Holdable | undefined)?.preventDefault?.();
  for (const e of systemEndEvents(platform)) {
    if (e === 'power-monitor-shutdown' && sources.powerMonitor) {
      // (electron.d.ts types this listener without arguments, but Electron passes the event.)
      sources.powerMonitor.on('shutdown', (...args) => {
        hold(args);
        onEnd('system-shutdown');
      });
    }
    if (e === 'window-query-session-end' && sources.window) {
      sources.window.on('query-session-end', (...args) => {
        hold(args);
        onEnd('query-session-end');
      });
      sources.window.on('session-end', () => onEnd('session-end'));
    }
  }
}
