// Each OS's "the user's session is ending" announcement reaches the shutdown, held where the OS
// lets the app ask for time. Plain EventEmitters stand in for powerMonitor and the window.
import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { wireSystemEnd } from '../../main/electron/system-end.js';

class Held {
  held = false;
  preventDefault(): void {
    this.held = true;
  }
}

function wired(platform: NodeJS.Platform) {
  const powerMonitor = new EventEmitter();
  const window = new EventEmitter();
  const ends: string[] = [];
  wireSystemEnd(platform, { powerMonitor, window }, (w) => ends.push(w));
  return { powerMonitor, window, ends };
}

describe('wireSystemEnd', () => {
  it('linux and darwin: powerMonitor shutdown, held; the window is not listened to', () => {
    for (const p of ['linux', 'darwin'] as const) {
      const w = wired(p);
      const e = new Held();
      w.powerMonitor.emit('shutdown', e);
      expect(e.held).toBe(true);
      expect(w.ends).toEqual(['system-shutdown']);
      expect(w.window.listenerCount('query-session-end')).toBe(0);
    }
  });

  it('win32: query-session-end holds the logoff and starts the shutdown; session-end starts it too', () => {
    const w = wired('win32');
    expect(w.powerMonitor.listenerCount('shutdown')).toBe(0);
    const e = new Held();
    w.window.emit('query-session-end', e);
    expect(e.held).toBe(true);
    w.window.emit('session-end', new Held());
    expect(w.ends).toEqual(['query-session-end', 'session-end']);
  });

  it('an event without an event object (as electron.d.ts types it) still ends the session', () => {
    const w = wired('darwin');
    w.powerMonitor.emit('shutdown');
    expect(w.ends).toEqual(['system-shutdown']);
  });
});
