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

  /** Output bytes; a UTF-8 sequence split across batches is carried to the next one. */
  output(buf: Buffer): void {
    if (this.stopped) return;
    const text = this.decoder.write(buf);
    if (text) this.event('o', text);
  }

  resize(cols: number, rows: number): void {
    if (this.stopped) return;
    // Before any output a resize is the real starting size, not an event.
    if (this.header) this.header = { cols, rows };
    else this.event('r', `${cols}x${rows}`);
  }

  /** Resolves once every event written so far is on disk (for serving the file mid-session). */
  flushed(): Promise<void> {
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
    const rest = this.stopped ? '' : this.decoder.end();
    if (rest) this.event('o', rest);
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

  private event(kind: 'o' | 'r', data: string): void {
    this.writeHeader();
    const t = Number(((Date.now() - this.startedAt) / 1000).toFixed(6));
    const line = JSON.stringify([t, kind, data]) + '\n';
    const marker = JSON.stringify([t, 'm', RECORDING_CAP_MARKER]) + '\n';
    // The cap holds the events; the one marker past it is the only overshoot.
    if (this.bytes + Buffer.byteLength(line) > this.opts.capBytes) {
      this.append(marker, true);
      this.stopped = true;
      return;
    }
    this.append(line, false);
  }

  private append(line: string, force: boolean): void {
    const s = this.stream;
    if (!s || (this.stopped && !force)) return;
    this.bytes += Buffer.byteLength(line);
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
