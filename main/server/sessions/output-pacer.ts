// When a session's output goes to viewers at once and when it waits for a batch. Batching pays
// only under load: a flood coalesced into few large frames costs far fewer socket writes,
// worker messages and client parses than one frame per PTY read. For light output (an echoed
// key, a prompt, keys pasted or typed back to back) the OUTPUT_BATCH_MS wait is pure latency.
//
// So output is sent at once while it is light: at most OUTPUT_QUIET_MAX_FLUSHES sends and
// OUTPUT_QUIET_MAX_BYTES within one OUTPUT_BATCH_MS window. Past either, the pacer is heavy: each
// batch waits OUTPUT_BATCH_MS (or until OUTPUT_BATCH_MAX_BYTES, the session's rule), and it stays
// heavy until a batch comes out light, so a flood never falls back to small frames between
// windows. Sends slower than OUTPUT_BATCH_MS (a broadcast to many viewers under Node: one
// socket write each; OUTPUT_SLOW_SENDS in a row) also make it heavy, and keep it so: while one send blocks the loop for a
// whole window, each PTY read lands in a fresh window and looks light, and the batch after it is
// small because the program stalled on a full PTY, not because the flood ended. Without this
// rule Node at 1,000 viewers sent one frame per PTY read (365 frames per viewer, Bun 16).
// A viewer socket that is behind also batches (the session asks the viewers). Pure: the caller
// passes the clock, so the policy is tested with numbers, not timers.
import { OUTPUT_BATCH_MS, OUTPUT_QUIET_MAX_BYTES, OUTPUT_QUIET_MAX_FLUSHES } from '../../../common/flow.js';

/** This many sends in a row slower than a window make the pacer heavy: one alone is as likely a
 *  GC pause or the thread preempted on a busy machine, and batching the next echo for it would
 *  cost that echo a window (echo p99 2 -> 7-10 ms with a one-send rule, echo-batch.mjs). */
export const OUTPUT_SLOW_SENDS = 2;
/** Below this many viewers a send is not slow for its fan-out: a 1-viewer send that outlasts a
 *  window was preempted or paused for GC (a loaded machine does it twice in a row too), and
 *  batching would only cost the next echo a window. The slow broadcasts this rule is for are
 *  to hundreds of sockets (perf-flood.md: ~5 ms per send at 1,000 viewers under Node). */
export const OUTPUT_SLOW_MIN_VIEWERS = 32;

export class OutputPacer {
  private windowStart = -Infinity;
  private windowSends = 0;
  private windowBytes = 0;
  private heavy = false;
  /** The last send outlasted a window, to enough viewers for the fan-out to be why. */
  private lastSlow = false;
  /** Sends in a row slower than OUTPUT_BATCH_MS. */
  private slowSends = 0;

  /** Output is pending and no batch is waiting: true = send it now (counted), false = batch. */
  sendNow(now: number, pendingBytes: number): boolean {
    if (this.heavy) return false;
    if (this.slowSends >= OUTPUT_SLOW_SENDS) {
      // The last sends outlasted a window, so every read starts a fresh window and the counts
      // below never trip: sending costs more than the wait would, so batch.
      this.heavy = true;
      return false;
    }
    if (now - this.windowStart >= OUTPUT_BATCH_MS) {
      this.windowStart = now;
      this.windowSends = 0;
      this.windowBytes = 0;
    }
    if (this.windowSends < OUTPUT_QUIET_MAX_FLUSHES && this.windowBytes + pendingBytes <= OUTPUT_QUIET_MAX_BYTES) {
      this.windowSends++;
      this.windowBytes += pendingBytes;
      return true;
    }
    this.heavy = true;
    return false;
  }

  /** A send (at once or a batch) to `viewers` sockets took `ms`: slower than a batch window with
   *  at least OUTPUT_SLOW_MIN_VIEWERS, it keeps a heavy spell going, and OUTPUT_SLOW_SENDS such
   *  in a row start one. */
  sent(ms: number, viewers: number): void {
    this.lastSlow = ms > OUTPUT_BATCH_MS && viewers >= OUTPUT_SLOW_MIN_VIEWERS;
    this.slowSends = this.lastSlow ? this.slowSends + 1 : 0;
  }

  /** A batch went out when its OUTPUT_BATCH_MS ran out, holding `bytes` in `reads` PTY reads:
   *  a light one ends the heavy spell and starts a fresh window, unless the send before it was
   *  slow (then the output was held back by us, and batching is what pays). */
  batchSent(now: number, bytes: number, reads: number): void {
    if (bytes >= OUTPUT_QUIET_MAX_BYTES || reads >= OUTPUT_QUIET_MAX_FLUSHES) return;
    if (this.lastSlow) return;
    this.heavy = false;
    this.windowStart = now;
    this.windowSends = 0;
    this.windowBytes = 0;
  }
}
