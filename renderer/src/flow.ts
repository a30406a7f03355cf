// Why: a flood must never freeze the page. xterm.js parses writes asynchronously; this writer
// counts bytes handed to xterm but not yet parsed (write callbacks) and stops handing more past
// CLIENT_HIGH_WATER_BYTES, resuming under CLIENT_LOW_WATER_BYTES. What arrives meanwhile waits
// in a bounded queue; past its bound the queue is dropped and the owner of the writer asks the
// server for a fresh redraw (the stream is a screen, so dropped bytes are replaced, not lost).
//
// Invariant: bytes held on the page <= CLIENT_HIGH_WATER_BYTES + one chunk + CLIENT_QUEUE_MAX_BYTES.
import { CLIENT_HIGH_WATER_BYTES, CLIENT_LOW_WATER_BYTES } from '../../common/flow.js';

/** Most bytes queued (not yet handed to xterm) before the queue is dropped for a redraw. */
export const CLIENT_QUEUE_MAX_BYTES = 4 * CLIENT_HIGH_WATER_BYTES;

const EMPTY = new Uint8Array(0);
/** RIS, the terminal's full reset, as xterm parses it in the stream (the same as term.reset()). */
const RESET = new Uint8Array([0x1b, 0x63]);

export interface WriteTarget {
  write(data: Uint8Array | string, callback?: () => void): void;
}

export class FlowWriter {
  /** Bytes handed to xterm whose write callback has not fired yet. */
  pending = 0;
  private queue: { bytes: Uint8Array; done?: () => void; keep?: boolean }[] = [];
  private queued = 0;
  private resetRequested = false;
  private overflowed = false;

  constructor(
    private readonly term: WriteTarget,
    /** The queue was dropped: the caller must get a fresh redraw (e.g. reconnect). */
    private readonly onOverflow: () => void,
  ) {}

  get queuedBytes(): number {
    return this.queued;
  }

  /** True after an overflow until the next resetThen(): incoming data is discarded. */
  get discarding(): boolean {
    return this.overflowed;
  }

  write(chunk: Uint8Array | string, done?: () => void): void {
    if (this.overflowed) return;
    let bytes = typeof chunk === 'string' ? new TextEncoder().encode(chunk) : chunk;
    if (this.resetRequested) {
      this.resetRequested = false;
      const joined = new Uint8Array(RESET.byteLength + bytes.byteLength);
      joined.set(RESET);
      joined.set(bytes, RESET.byteLength);
      bytes = joined;
    }
    if (this.queue.length === 0 && this.pending < CLIENT_HIGH_WATER_BYTES) {
      this.hand(bytes, done);
      return;
    }
    this.queue.push({ bytes, done });
    this.queued += bytes.byteLength;
    if (this.queued > CLIENT_QUEUE_MAX_BYTES) {
      this.drop();
      this.overflowed = true;
      this.onOverflow();
    }
  }

  /**
   * Runs `action` once everything written before it is parsed, and before anything written
   * after it: a resize must reflow the bytes that were printed at the old size, not whatever
   * xterm happens to hold when the message arrives (during a flood most output still waits
   * here or inside xterm). If the queue is dropped (overflow, reset), it runs then.
   */
  inOrder(action: () => void): void {
    if (this.queue.length === 0 && this.pending === 0) {
      action();
      return;
    }
    if (this.queue.length === 0) {
      this.hand(EMPTY, action); // xterm runs the callback after the writes before it
      return;
    }
    this.queue.push({ bytes: EMPTY, done: action, keep: true });
  }

  /** Empties the queue; the in-order actions in it still run (their order kept). */
  private drop(): void {
    const kept = this.queue.filter((q) => q.keep);
    this.queue = [];
    this.queued = 0;
    for (const q of kept) q.done?.();
  }

  /** Drops what is queued and resets the terminal in the stream, in front of the next write
   *  (the redraw): xterm parses the reset after the bytes already handed to it, so stale bytes
   *  cannot land after it, and in the same pass as the redraw, so no frame is painted between
   *  them (a reset on its own would show a blank screen until the redraw arrives). Clears an
   *  overflow. */
  resetThen(): void {
    this.drop();
    this.overflowed = false;
    this.resetRequested = true;
  }

  /** Resolves when the writer has nothing pending (used to time a reconnect after overflow). */
  whenDrained(threshold = CLIENT_LOW_WATER_BYTES): Promise<void> {
    if (this.pending <= threshold && this.queue.length === 0) return Promise.resolve();
    return new Promise((resolve) => {
      const check = (): void => {
        if (this.pending <= threshold && this.queue.length === 0) resolve();
        else setTimeout(check, 16);
      };
      check();
    });
  }

  private hand(bytes: Uint8Array, done?: () => void): void {
    this.pending += bytes.byteLength;
    this.term.write(bytes, () => {
      this.pending -= bytes.byteLength;
      done?.();
      this.pump();
    });
  }

  private pump(): void {
    if (this.pending > CLIENT_LOW_WATER_BYTES && this.queue.length) return;
    while (this.queue.length && this.pending < CLIENT_HIGH_WATER_BYTES) {
      const next = this.queue.shift() as { bytes: Uint8Array; done?: () => void };
      this.queued -= next.bytes.byteLength;
      this.hand(next.bytes, next.done);
    }
  }
}
