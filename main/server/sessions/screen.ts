// The server-side screen of one session, kept off the output hot path: output is broadcast first
// and posted to the shared screen worker (screen-host.ts), which parses it with @xterm/headless.
// A redraw is the worker's serialized state plus the output it had not parsed yet (the "tail"),
// so a late joiner gets the exact current screen and scrollback without waiting for the parser
// and without a full replay.
import type { FromScreenWorker } from './screen-protocol.js';
import type { ScreenHost, ScreenMessage } from './screen-host.js';

/**
 * Unparsed output kept for redraws. Past MAX the PTY is paused (the only time the emulator may
 * slow a session: a sustained flood faster than the parser) and resumed below RESUME, so this
 * buffer, the worker's queue and the tail sent with a redraw all stay bounded.
 */
export const SCREEN_BACKLOG_MAX_BYTES = 8 * 1024 * 1024;
export const SCREEN_BACKLOG_RESUME_BYTES = 2 * 1024 * 1024;

/** What a redraw sends, in order: resize to (cols, rows), `data`, then each tail item. */
export interface Redraw {
  cols: number;
  rows: number;
  data: Buffer;
  tail: Array<Buffer | { cols: number; rows: number }>;
}

export interface ScreenText {
  text: string;
  /** The serialized state, for redraws after the worker is gone. */
  data: Buffer;
  cols: number;
  rows: number;
}

interface TailItem {
  seq: number; // 1-based position among data/resize items posted to the worker
  item: Buffer | { cols: number; rows: number };
}

type ResMessage = Extract<FromScreenWorker, { t: 'res' }>;

const EMPTY = Buffer.alloc(0);

/**
 * Each row without trailing blanks (contract section 3). xterm's translateToString(true) trims
 * only cells never written: a prompt's typed space (`"# "`) is a written cell, so it stays.
 */
export function rightTrimRows(text: string): string {
  return text.replace(/[ \t]+$/gm, '');
}

export interface ScreenOptions {
  host: ScreenHost;
  cols: number;
  rows: number;
  scrollback: number;
  onTitle: (title: string) => void;
  /** The screen answered a terminal query: the answer goes to the program as input. */
  onReply?: (data: string) => void;
  /** Called when the backlog falls below SCREEN_BACKLOG_RESUME_BYTES. */
  onBacklogLow: () => void;
  /** The worker died under this screen (not a dispose): the owner may open a new one. */
  onLost?: () => void;
}

export class Screen {
  /** The id in the host while the worker has this screen; undefined once disposed or lost. */
  private sid: number | undefined;
  private cols: number;
  private rows: number;
  private seq = 0;
  /** The worker's latest visible rows and the `done` they reflect (previewJson()). */
  private lastPreview: { done: number; json: string } | undefined;
  private written = 0;
  private parsed = 0;
  private tail: TailItem[] = [];
  private nextReq = 1;
  /** The visible rows at `done`, as the worker last sent them (a long scrollback after a quiet
   *  moment). Exact together with the tail items past `done`, so it is dropped once a trim
   *  removes any of them. */
  private visible: { done: number; cols: number; rows: number; data: Buffer } | undefined;
  private readonly pending = new Map<number, (m: ResMessage | undefined) => void>();

  constructor(private readonly opts: ScreenOptions) {
    this.cols = opts.cols;
    this.rows = opts.rows;
    this.sid = opts.host.open(
      {
        onMessage: (m) => this.onMessage(m),
        onLost: () => {
          this.fail();
          this.opts.onLost?.();
        },
      },
      opts.cols,
      opts.rows,
      opts.scrollback,
    );
  }

  /** Output bytes not parsed yet. */
  get backlog(): number {
    return this.written - this.parsed;
  }

  /** Hands a batch to the parser. `buf` is shared with viewers and must not be mutated later. */
  write(buf: Buffer, opts: { mute?: boolean } = {}): void {
    if (this.sid === undefined || buf.length === 0) return;
    this.seq++;
    this.written += buf.length;
    this.tail.push({ seq: this.seq, item: buf });
    // `mute`: output replayed into a rebuilt screen; its queries were answered the first time.
    this.post(opts.mute ? { t: 'data', d: buf, mute: true } : { t: 'data', d: buf });
  }

  resize(cols: number, rows: number): void {
    this.cols = cols;
    this.rows = rows;
    // Rows drawn at the old size and reflowed without their scrollback would not match: a join
    // asks the worker, which answers at the new size.
    this.visible = undefined;
    if (this.sid === undefined) return;
    this.seq++;
    this.tail.push({ seq: this.seq, item: { cols, rows } });
    this.post({ t: 'resize', cols, rows });
  }

  /**
   * Calls `done` with a redraw that is exact at the moment `done` runs: the caller must start
   * live output for the viewer synchronously inside `done` (no gap, no duplicate).
   *
   * With `visible` (a late join), a long scrollback comes in two pieces: `visible` first, with
   * the visible rows only (exact for the screen, the scrollback left out), and `done` a moment
   * later with the whole state. Both are exact when they run. The rows come from the copy the
   * worker sent after its last quiet moment (at once, synchronously), else from the worker when
   * it has no serialization of the current state cached (else one piece, from that cache).
   * If the worker is lost between them, `done` never runs: the viewer keeps the visible screen.
   */
  redraw(done: (r: Redraw) => void, visible?: (r: Redraw) => void): void {
    let shown = false;
    const v = this.visible;
    if (visible && v) {
      // The rows the worker sent after the last quiet moment, plus every item since: no round
      // trip to the worker, which may be busy or wake late. The whole state follows from it.
      shown = true;
      visible({ cols: v.cols, rows: v.rows, data: v.data, tail: this.tailAfter(v.done) });
    }
    this.request({ wait: false, serialize: true, text: false, first: visible !== undefined && !shown }, (m) => {
      if (!m) {
        if (!shown) done({ cols: this.cols, rows: this.rows, data: EMPTY, tail: [] });
        return;
      }
      // Every retained item past `done`: the worker sends both pieces at the same `done`, and
      // trims only up to it, so the second piece's tail is complete too.
      const r = { cols: m.cols, rows: m.rows, data: Buffer.from(m.data ?? '', 'utf8'), tail: this.tailAfter(m.done) };
      if (m.partial) {
        shown = true;
        visible?.(r);
      } else done(r);
    });
  }

  private tailAfter(done: number): Redraw['tail'] {
    return this.tail.filter((t) => t.seq > done).map((t) => t.item);
  }

  /** The visible screen once everything written so far is parsed (plus its serialized state). */
  text(): Promise<ScreenText> {
    return new Promise((resolve) => {
      this.request({ wait: true, serialize: true, text: true }, (m) =>
        resolve(
          m
            ? { text: rightTrimRows(m.text ?? ''), data: Buffer.from(m.data ?? '', 'utf8'), cols: m.cols, rows: m.rows }
            : { text: '', data: EMPTY, cols: this.cols, rows: this.rows },
        ),
      );
    });
  }

  /** The visible rows with their styles (the JSON of a common/preview.ts ScreenPreview) once
   *  everything written so far is parsed: a share link's first paint, before xterm.js loads;
   *  undefined when the screen is gone. */
  previewJson(): Promise<string | undefined> {
    // Nothing posted since the worker's last preview: it is the screen now, no trip needed (the
    // worker is niced and may be slow to answer on a busy machine).
    if (this.sid !== undefined && this.lastPreview?.done === this.seq) return Promise.resolve(this.lastPreview.json);
    return new Promise((resolve) =>
      this.request({ wait: true, serialize: false, text: false, preview: true }, (m) => {
        if (m?.preview) this.keepPreview(m.done, m.preview);
        resolve(m?.preview);
      }),
    );
  }

  private keepPreview(done: number, json: string): void {
    if (!this.lastPreview || done >= this.lastPreview.done) this.lastPreview = { done, json };
  }

  /** Frees the screen in the worker; pending requests are answered with an empty state. Idempotent. */
  dispose(): void {
    if (this.sid !== undefined) this.opts.host.close(this.sid);
    this.fail();
  }

  private request(q: { wait: boolean; serialize: boolean; text: boolean; first?: boolean; preview?: boolean }, cb: (m: ResMessage | undefined) => void): void {
    if (this.sid === undefined) {
      setImmediate(() => cb(undefined));
      return;
    }
    const id = this.nextReq++;
    this.pending.set(id, cb);
    this.post({ t: 'req', id, ...q });
  }

  private post(m: ScreenMessage): void {
    if (this.sid !== undefined) this.opts.host.post(this.sid, m);
  }

  private onMessage(m: FromScreenWorker): void {
    if (m.t === 'ack') {
      this.trim(m.offset, m.done);
    } else if (m.t === 'visible') {
      this.trim(m.offset, m.done);
      this.keepPreview(m.done, m.preview);
      // Sent before the worker saw a resize that main has made since: drawn at the old size.
      const resized = this.tail.some((t) => t.seq > m.done && !Buffer.isBuffer(t.item));
      if (m.data !== undefined && !resized) this.visible = { done: m.done, cols: m.cols, rows: m.rows, data: Buffer.from(m.data, 'utf8') };
    } else if (m.t === 'title') {
      this.opts.onTitle(m.title);
    } else if (m.t === 'reply') {
      this.opts.onReply?.(m.d);
    } else {
      this.trim(m.offset, m.done);
      const cb = this.pending.get(m.id);
      if (!m.partial) this.pending.delete(m.id); // a partial answer: the whole one follows
      cb?.(m);
    }
  }

  private trim(offset: number, done: number): void {
    const wasHigh = this.backlog >= SCREEN_BACKLOG_RESUME_BYTES;
    this.parsed = Math.max(this.parsed, offset);
    let i = 0;
    while (i < this.tail.length && this.tail[i].seq <= done) i++;
    if (i > 0) this.tail.splice(0, i);
    if (this.visible && done > this.visible.done) this.visible = undefined;
    if (wasHigh && this.backlog < SCREEN_BACKLOG_RESUME_BYTES) this.opts.onBacklogLow();
  }

  private fail(): void {
    if (this.sid === undefined) return;
    this.sid = undefined;
    this.lastPreview = undefined;
    this.tail = [];
    this.visible = undefined;
    this.parsed = this.written;
    const cbs = [...this.pending.values()];
    this.pending.clear();
    for (const cb of cbs) cb(undefined);
    this.opts.onBacklogLow();
  }
}
