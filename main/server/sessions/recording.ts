// One asciicast v2 file per session: output and resizes only (typed input is never stored),
// capped in size, written through a buffered stream so the output path never waits on disk.
import fs from 'node:fs';
import path from 'node:path';
import { StringDecoder } from 'node:string_decoder';
import type { Logger } from '../log.js';

export const RECORDING_CAP_MARKER = 'recording stopped: size cap reached';

/**
 * Events queued for the disk and not yet written. Past MAX the session pauses its PTY (as it
 * does for the screen's backlog) and resumes once the file stream drains below RESUME, so a
 * slow or stalled disk holds at most MAX plus one output batch per session in memory. (A PTY
 * adapter whose pause does not stop reads is bounded by the recording cap instead.)
 */
export const RECORDING_BACKLOG_MAX_BYTES = 8 * 1024 * 1024;
export const RECORDING_BACKLOG_RESUME_BYTES = 1024 * 1024;

/**
 * Output is held as the batches it came in (the same Buffers the viewers got, with the time of
 * each) and turned into asciicast lines once output has been quiet for QUIET_MS, or once HOLD_MAX
 * bytes are held: decoding, JSON-escaping and encoding every byte on the server's thread during a
 * flood cost the flood 0.18x of the raw PTY rate (issue 13, benchmarks/results/perf-flood.md).
 * Each event keeps the time its output arrived, so the file is the same; it reaches the disk
 * QUIET_MS later. HOLD_MAX matches the screen's own backlog (SCREEN_BACKLOG_MAX_BYTES). Output
 * that never pauses (a clock redrawn every 10 ms) is written once its oldest batch is MAX_MS old
 * or MAX_BATCHES are held, so the file trails by a second at most and small batches cannot pile
 * up (each held Buffer costs ~100 bytes of heap beside its bytes).
 */
export const RECORDING_HOLD_QUIET_MS = 20;
export const RECORDING_HOLD_MAX_BYTES = 8 * 1024 * 1024;
export const RECORDING_HOLD_MAX_MS = 1000;
export const RECORDING_HOLD_MAX_BATCHES = 4096;

export interface RecordingOptions {
  file: string;
  cols: number;
  rows: number;
  capBytes: number;
  /** For the header's env: the TERM the child got and the shell the server uses. */
  term: string;
  shell: string;
  logger: Logger;
  /** --no-record: no file is written at all. */
  disabled?: boolean;
  /** The queued events fell below RECORDING_BACKLOG_RESUME_BYTES after being above MAX. */
  onBacklogLow?: () => void;
}

export class Recording {
  readonly file: string;
  private stream: fs.WriteStream | undefined;
  private readonly decoder = new StringDecoder('utf8');
  private readonly startedAt = Date.now();
  private bytes = 0;
  private stopped = false;
  private closing: Promise<void> | undefined;
  /** The header waits for the first event: a session is created at 80x24 and resized to the
   *  client's size at once, and the header must carry the size the output was drawn at. */
  private header: { cols: number; rows: number } | undefined;

  constructor(private readonly opts: RecordingOptions) {
    this.file = opts.file;
    if (opts.disabled) {
      this.stopped = true;
      return;
    }
    // Modes are POSIX; on Windows they are ignored and the data dir's ACL covers recordings/.
    fs.mkdirSync(path.dirname(opts.file), { recursive: true, mode: 0o700 });
    // 'w' with mode 0600: the output of someone's shell is as private as their files.
    this.stream = fs.createWriteStream(opts.file, { flags: 'w', mode: 0o600 });
    this.stream.on('error', (err) => {
      opts.logger.error('recording failed; the session goes on without it', { err, file: opts.file });
      this.stopped = true;
      this.stream = undefined;
    });
    this.header = { cols: opts.cols, rows: opts.rows };
  }

  /** Bytes handed to the file stream and not yet on disk. */
  get backlog(): number {
    return this.stream?.writableLength ?? 0;
  }

  private writeHeader(): void {
    const h = this.header;
    if (!h) return;
    this.header = undefined;
    const header = {
      version: 2,
      width: h.cols,
      height: h.rows,
      timestamp: Math.floor(this.startedAt / 1000),
      env: { TERM: this.opts.term, SHELL: this.opts.shell },
    };
    this.append(JSON.stringify(header) + '\n', true);
  }

  /** Output bytes, held until output is quiet (RECORDING_HOLD_QUIET_MS); the caller must not
   *  change `buf` afterwards. */
  output(buf: Buffer): void {
    if (this.stopped) return;
    this.held.push({ at: Date.now(), buf });
    this.heldBytes += buf.length;
    if (this.heldBytes >= RECORDING_HOLD_MAX_BYTES || this.held.length >= RECORDING_HOLD_MAX_BATCHES) this.writeHeld();
    else if (!this.holdTimer) this.holdTimer = setTimeout(this.onHoldTimer, RECORDING_HOLD_QUIET_MS).unref();
  }

  resize(cols: number, rows: number): void {
    if (this.stopped) return;
    // Before any output a resize is the real starting size, not an event.
    if (this.header && this.held.length === 0) this.header = { cols, rows };
    else {
      this.writeHeld(); // may reach the cap
      if (!this.stopped) this.event(Date.now(), 'r', `${cols}x${rows}`);
    }
  }

  /** Output went on within the quiet time: wait for the rest of it (up to the oldest batch's
   *  RECORDING_HOLD_MAX_MS); else write what is held. */
  private readonly onHoldTimer = (): void => {
    this.holdTimer = undefined;
    const first = this.held[0]?.at ?? 0;
    const last = this.held.at(-1)?.at ?? 0;
    const wait = Math.min(last + RECORDING_HOLD_QUIET_MS, first + RECORDING_HOLD_MAX_MS) - Date.now();
    if (wait > 0) this.holdTimer = setTimeout(this.onHoldTimer, wait).unref();
    else this.writeHeld();
  };

  /** The held output as events, in order; a UTF-8 sequence split across batches is carried to
   *  the next one. */
  private writeHeld(): void {
    if (this.holdTimer) clearTimeout(this.holdTimer);
    this.holdTimer = undefined;
    const held = this.held;
    if (held.length === 0) return;
    this.held = [];
    this.heldBytes = 0;
    for (const { at, buf } of held) {
      if (this.stopped) return;
      const text = this.decoder.write(buf);
      if (text) this.event(at, 'o', text);
    }
  }

  /** Resolves once every event written so far is on disk (for serving the file mid-session). */
  flushed(): Promise<void> {
    this.writeHeld();
    this.writeHeader();
    const s = this.stream;
    if (!s || s.writableLength === 0) return Promise.resolve();
    // Not 'drain': it only fires after a write() that returned false, so a small pending write
    // would leave this waiting until the next large burst. Write callbacks run in order, so an
    // empty write's runs once every earlier one is on disk (or failed, or the stream was closed).
    return new Promise((resolve) => {
      s.write('', () => resolve());
    });
  }

  /** Writes what is buffered and closes the file. Idempotent. */
  close(): Promise<void> {
    if (this.closing) return this.closing;
    this.writeHeld();
    const rest = this.stopped ? '' : this.decoder.end();
    if (rest) this.event(Date.now(), 'o', rest);
    this.writeHeader();
    this.stopped = true;
    const s = this.stream;
    this.stream = undefined;
    this.closing = s
      ? new Promise<void>((resolve) => {
          s.once('close', () => resolve());
          s.end();
        })
      : Promise.resolve();
    return this.closing;
  }

  /**
   * For a session being removed: nothing more is written, the file is closed without flushing
   * what is queued, then deleted. The DELETE runs it beside the end of the process group rather
   * than after it (the close and the unlink were ~0.5 ms of its wait). Resolves once the file is
   * gone; the stream's open, if still under way, completes and is closed first, so the file
   * cannot reappear after the unlink. Idempotent; close() afterwards waits for the same close.
   */
  discard(): Promise<void> {
    this.discarding ??= (async () => {
      this.stopped = true;
      this.header = undefined;
      this.dropHeld();
      const s = this.stream;
      this.stream = undefined;
      if (s && !this.closing) {
        this.closing = new Promise<void>((resolve) => {
          s.once('close', () => resolve());
          s.destroy();
        });
      }
      await this.closing;
      await fs.promises.rm(this.file, { force: true });
    })();
    return this.discarding;
  }

  private discarding: Promise<void> | undefined;

  private dropHeld(): void {
    if (this.holdTimer) clearTimeout(this.holdTimer);
    this.holdTimer = undefined;
    this.held = [];
    this.heldBytes = 0;
  }

  private held: { at: number; buf: Buffer }[] = [];
  private heldBytes = 0;
  private holdTimer: NodeJS.Timeout | undefined;

  /** `at`: when the output arrived (Date.now()), not when it is written. */
  private event(at: number, kind: 'o' | 'r', data: string): void {
    this.writeHeader();
    const t = Number(((at - this.startedAt) / 1000).toFixed(6));
    // One encode: the Buffer's length is the byte count, and the stream takes it as is.
    const line = Buffer.from(JSON.stringify([t, kind, data]) + '\n');
    // The cap holds the events; the one marker past it is the only overshoot.
    if (this.bytes + line.length > this.opts.capBytes) {
      this.append(JSON.stringify([t, 'm', RECORDING_CAP_MARKER]) + '\n', true);
      this.stopped = true;
      this.dropHeld();
      return;
    }
    this.append(line, false);
  }

  private append(line: string | Buffer, force: boolean): void {
    const s = this.stream;
    if (!s || (this.stopped && !force)) return;
    this.bytes += typeof line === 'string' ? Buffer.byteLength(line) : line.length;
    s.write(line);
    if (!this.waitingForDrain && s.writableLength > RECORDING_BACKLOG_MAX_BYTES) {
      // Told once the stream is low again; the session has paused its PTY meanwhile.
      this.waitingForDrain = true;
      const check = (): void => {
        if (this.stream !== s || s.writableLength <= RECORDING_BACKLOG_RESUME_BYTES) {
          this.waitingForDrain = false;
          this.opts.onBacklogLow?.();
        } else s.write('', check); // runs once what was queued before it is written
      };
      s.write('', check);
    }
  }

  private waitingForDrain = false;
}
