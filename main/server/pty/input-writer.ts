// Keyboard input to a node-pty master without ever blocking the server. libuv cannot reopen a
// pty master, so node-pty's socket writes it with *blocking* writes (uv_tty_init's fallback):
// 12 KB sent to a raw-mode program that does not read froze the whole process, /health
// included (measured, issue 8). Here input goes to the fd with fs.write, which runs on libuv's
// threadpool: a program that does not read holds one pool thread, never the event loop. One
// write is in flight per session, and at most PTY_WRITE_SLOTS across sessions, so stuck
// programs cannot take every pool thread (file reads, uploads and recordings need them too).
// What is queued is `backlog`: the ws layer and the HTTP route bound it (INPUT_BACKLOG_*).
import fs from 'node:fs';

/** libuv's pool has 4 threads by default; leave at least two for everything else. */
export const PTY_WRITE_SLOTS = 2;
/** Largest single write: a program that reads a little at a time frees its slot sooner. */
const WRITE_CHUNK_BYTES = 16 * 1024;

let freeSlots = PTY_WRITE_SLOTS;
const waiting: Array<() => void> = [];

function takeSlot(start: () => void): void {
  if (freeSlots > 0) {
    freeSlots--;
    start();
  } else waiting.push(start);
}

function releaseSlot(): void {
  const next = waiting.shift();
  if (next) next();
  else freeSlots++;
}

export class PtyInputWriter {
  private readonly queue: Buffer[] = [];
  private queued = 0;
  private busy = false;
  private closed = false;

  constructor(private readonly fd: number) {}

  /** Bytes accepted and not yet taken by the kernel. */
  get backlog(): number {
    return this.queued;
  }

  write(data: string | Uint8Array): void {
    if (this.closed) return;
    // A copy: the write happens later, and the caller's bytes (a view into a socket's read
    // buffer) may be reused by then.
    const buf = typeof data === 'string' ? Buffer.from(data, 'utf8') : Buffer.from(data);
    if (buf.length === 0) return;
    this.queue.push(buf);
    this.queued += buf.length;
    this.pump();
  }

  /** The child is gone: drop what is queued (a write in flight ends with EIO on its own). */
  close(): void {
    this.closed = true;
    this.queue.length = 0;
    this.queued = 0;
  }

  private pump(): void {
    if (this.busy || this.closed || this.queue.length === 0) return;
    this.busy = true;
    takeSlot(() => {
      if (this.closed || this.queue.length === 0) {
        this.busy = false;
        releaseSlot();
        return;
      }
      const head = this.queue[0];
      const len = Math.min(head.length, WRITE_CHUNK_BYTES);
      fs.write(this.fd, head, 0, len, null, (err, written) => {
        releaseSlot();
        this.busy = false;
        if (err) {
          const code = (err as NodeJS.ErrnoException).code;
          if (code === 'EAGAIN' || code === 'EINTR') {
            setTimeout(() => this.pump(), 5).unref();
            return;
          }
          this.close(); // EIO / EBADF: the terminal is gone
          return;
        }
        if (!this.closed) {
          this.queued -= written;
          if (written >= head.length) this.queue.shift();
          else this.queue[0] = head.subarray(written);
        }
        this.pump();
      });
    });
  }
}
