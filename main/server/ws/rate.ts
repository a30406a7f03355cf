// A fixed-window message counter per socket: cheap enough to run on every frame, and a
// client past WS_RATE_MAX_MESSAGES in WS_RATE_WINDOW_MS is abusive (close 1008).
import { WS_RATE_MAX_MESSAGES, WS_RATE_WINDOW_MS } from '../../../common/flow.js';

export class MessageRate {
  private windowStart = 0;
  private count = 0;
  constructor(
    private readonly max = WS_RATE_MAX_MESSAGES,
    private readonly windowMs = WS_RATE_WINDOW_MS,
    private readonly now: () => number = Date.now,
  ) {}

  /** Count one message; false once the window's budget is spent. */
  take(): boolean {
    const t = this.now();
    if (t - this.windowStart >= this.windowMs) {
      this.windowStart = t;
      this.count = 0;
    }
    this.count++;
    return this.count <= this.max;
  }
}
