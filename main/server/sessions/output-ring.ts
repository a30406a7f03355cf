// The tail of a session's output, kept so a client that lost its socket can resume where it
// was (contract section 8, `resumeFrom`) and get exactly the bytes it missed instead of a
// redraw. A byte ring with a fixed ceiling: it grows by doubling up to RESUME_KEEP_BYTES and
// then overwrites the oldest bytes, so memory per session is at most RESUME_KEEP_BYTES
// (1 MiB) however much the session prints, and a quiet session costs only what it printed.
// Offsets count every output byte since the session started (never wrap: a JS number is exact
// to 2^53 bytes, 8 PiB).

/** The server keeps at least this much of each session's output for resuming. */
export const RESUME_KEEP_BYTES = 1024 * 1024;
const INITIAL_BYTES = 16 * 1024;

export class OutputRing {
  private buf: Buffer = Buffer.alloc(0);
  /** Total bytes ever appended: the offset one past the newest byte. */
  private total = 0;

  constructor(private readonly capacity: number = RESUME_KEEP_BYTES) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new TypeError('OutputRing capacity must be a positive integer');
  }

  /** Offset one past the newest byte (the session's output count). */
  get end(): number {
    return this.total;
  }

  /** The oldest offset still held. */
  get start(): number {
    return this.total - this.held;
  }

  /** Bytes held now (never more than the capacity). */
  get held(): number {
    return Math.min(this.total, this.buf.length);
  }

  /** Bytes allocated now (the memory this ring costs). */
  get allocated(): number {
    return this.buf.length;
  }

  /** Frees the bytes (a session that has exited resumes no one); offsets stay as they were. */
  release(): void {
    this.buf = Buffer.alloc(0);
  }

  append(chunk: Uint8Array): void {
    const n = chunk.length;
    if (n === 0) return;
    this.grow(this.total + n);
    const cap = this.buf.length;
    if (n >= cap) {
      // Only the last `cap` bytes survive; place them where the ring expects them.
      const tail = chunk.subarray(n - cap);
      const at = (this.total + n - cap) % cap;
      const first = cap - at;
      this.buf.set(tail.subarray(0, first), at);
      this.buf.set(tail.subarray(first), 0);
    } else {
      const at = this.total % cap;
      const first = Math.min(n, cap - at);
      this.buf.set(chunk.subarray(0, first), at);
      if (first < n) this.buf.set(chunk.subarray(first), 0);
    }
    this.total += n;
  }

  /** Every byte from `offset` to the end, or null when some of them are no longer held (or
   *  the offset is not one this session has reached). A copy: safe to send and forget. */
  since(offset: number): Buffer | null {
    if (!Number.isSafeInteger(offset) || offset < 0 || offset > this.total) return null;
    const n = this.total - offset;
    if (n === 0) return Buffer.alloc(0);
    if (n > this.held) return null;
    const cap = this.buf.length;
    const at = offset % cap;
    const out = Buffer.allocUnsafe(n);
    const first = Math.min(n, cap - at);
    this.buf.copy(out, 0, at, at + first);
    if (first < n) this.buf.copy(out, first, 0, n - first);
    return out;
  }

  /** Double the buffer (up to the capacity) so `needed` total bytes fit, keeping offsets. */
  private grow(needed: number): void {
    const cur = this.buf.length;
    if (cur >= this.capacity || needed <= cur) return;
    let size = Math.max(cur, INITIAL_BYTES);
    while (size < needed && size < this.capacity) size *= 2;
    size = Math.min(size, this.capacity);
    const next = Buffer.alloc(size);
    // Before growing, the ring never wrapped (total <= cur): bytes sit at 0..total.
    const heldNow = Math.min(this.total, cur);
    if (heldNow > 0) {
      // Re-place each held byte at its offset modulo the new size.
      const old = this.since(this.total - heldNow) as Buffer;
      const at = (this.total - heldNow) % size;
      const first = Math.min(heldNow, size - at);
      next.set(old.subarray(0, first), at);
      if (first < heldNow) next.set(old.subarray(first), 0);
    }
    this.buf = next;
  }
}
