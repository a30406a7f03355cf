// A fixed-window message counter per socket: cheap enough to run on every frame, and a
// client past WS_RATE_MAX_MESSAGES in WS_RATE_WINDOW_MS is abusive (close 1008). The window is
// two numbers kept on the socket's own Connection, not an object of its own (issue 13: what
// every idle viewer holds).
import { WS_RATE_MAX_MESSAGES, WS_RATE_WINDOW_MS } from '../../../common/flow.js';

/** The counter's state, a part of whatever owns it. */
export interface RateWindow {
  rateWindowStart: number;
  rateCount: number;
}

/** Count one message; false once the window's budget is spent. */
export function takeMessage(w: RateWindow, now: number = Date.now(), max = WS_RATE_MAX_MESSAGES, windowMs = WS_RATE_WINDOW_MS): boolean {
  if (now - w.rateWindowStart >= windowMs) {
    w.rateWindowStart = now;
    w.rateCount = 0;
  }
  w.rateCount++;
  return w.rateCount <= max;
}
