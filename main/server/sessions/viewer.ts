// The viewers of one session and their backpressure. A session never queues output per viewer:
// each batch is one Buffer handed to every sink that is keeping up, and a sink whose socket holds
// more than VIEWER_HIGH_WATER_BYTES is skipped until it drains below VIEWER_LOW_WATER_BYTES, when
// it gets `resync` and a fresh redraw. So a slow viewer never slows the PTY or other viewers.
//
// Memory per viewer is bounded by what its socket may hold: VIEWER_HIGH_WATER_BYTES + one batch
// (OUTPUT_BATCH_MAX_BYTES, sent while just under the mark) + one redraw (the serialized screen and
// scrollback, plus its unparsed tail, at most SCREEN_BACKLOG_MAX_BYTES), and for a join on a
// long scrollback its visible rows first (one screenful, see startRedraw). Nothing else is held.
//
// Resume (contract section 8): a viewer that asks for `resumeFrom` and whose missed bytes the
// session still holds gets exactly those bytes instead of a redraw; either way the `start`
// callback runs just before the first frame, with the output offset at that point, so the
// ws layer's `ready` says where the client's byte count starts.
//
// Viewers that need a redraw at the same time share one (a Flight): a thousand viewers joining
// at once cost one serialization of the screen, not a thousand (each one a request to the
// screen worker, its answer and a copy of the state held at once: issue 13, RSS per viewer).
// A redraw is exact for every viewer still pending when it arrives, whenever each asked.
import { CLOSE } from '../../../common/errors.js';
import { VIEWER_BEHIND_BYTES, VIEWER_HIGH_WATER_BYTES, VIEWER_LOW_WATER_BYTES } from '../../../common/flow.js';
import type { WsServerMessage } from '../../../common/protocol.js';
import type { Redraw } from './screen.js';
import type { AttachOptions, StreamStart, ViewerHandle, ViewerSink } from '../ports.js';

export type { AttachOptions, StreamStart } from '../ports.js';

/** How often lagging sockets are checked for having drained (sinks have no drain event). */
export const RESYNC_POLL_MS = 20;

type State = 'pending' | 'live' | 'lagging' | 'closed';

/** One viewer, and its handle (detach): one object, no closures (per-viewer memory). */
class Viewer implements ViewerHandle {
  state: State = 'pending';
  /** Bumped per redraw request, so a stale redraw for a closed or re-requested viewer is ignored. */
  gen = 0;
  /** Live with the visible rows of a join; the whole redraw (scrollback) is still to come. */
  scrollbackDue = false;

  constructor(
    private readonly set: ViewerSet,
    readonly sink: ViewerSink,
    /** Called once, right before the first frame (the ws layer sends `ready` from it). */
    public start: ((s: StreamStart) => void) | undefined,
  ) {}

  detach(): void {
    this.set.remove(this, true);
  }
}

/** One redraw request and the viewers waiting for it, each with the `gen` it waits under.
 *  `join`: viewers that just joined (who may get the visible rows first); else resyncs. */
interface Flight {
  join: boolean;
  viewers: Viewer[];
  gens: number[];
  /** The visible rows went out: a later joiner would miss them, so it starts a new flight. */
  shown: boolean;
}

/** Terminal reset (ESC c): leads the scrollback redraw that replaces a join's visible rows. */
const RIS = Buffer.from('\x1bc', 'latin1');

export interface ViewerSetOptions {
  /** Calls `done` with a redraw that is exact at the moment it runs. Given `visible` (a join),
   *  it may first call `visible` with the visible rows only, exact too; `done` follows. */
  redraw(done: (r: Redraw) => void, visible?: (r: Redraw) => void): void;
  dims(): { cols: number; rows: number };
  title(): string | undefined;
  /** undefined while running; the exit code (or null) once the session has ended. */
  ended(): { exitCode: number | null } | undefined;
  onCountChange(): void;
  /** The session's output count: every byte broadcast so far. */
  offset(): number;
  /** The bytes broadcast since `offset`, or null when they are not all held (or the stream
   *  since then cannot be replayed as bytes alone, e.g. across a resize). */
  since(offset: number): Buffer | null;
}

export class ViewerSet {
  private readonly viewers = new Set<Viewer>();
  private poll: NodeJS.Timeout | undefined;
  /** The redraws in flight that a viewer may still board: one for joins, one for resyncs. */
  private joinFlight: Flight | undefined;
  private resyncFlight: Flight | undefined;

  constructor(private readonly opts: ViewerSetOptions) {}

  get size(): number {
    return this.viewers.size;
  }

  attach(sink: ViewerSink, opts: AttachOptions = {}): ViewerHandle {
    const v = new Viewer(this, sink, opts.start);
    this.viewers.add(v);
    this.opts.onCountChange();
    const missed = opts.resumeFrom === undefined ? null : this.opts.since(opts.resumeFrom);
    if (missed && opts.resumeFrom !== undefined) this.resume(v, opts.resumeFrom, missed);
    else this.startRedraw(v, false, true);
    return v;
  }

  /** Synchronous, so no broadcast slips between the missed bytes and live output. */
  private resume(v: Viewer, from: number, missed: Buffer): void {
    const ok = this.safe(v, () => {
      this.begin(v, { outputOffset: from, resumed: true, redrawBytes: 0 });
      // The size now: the session refuses a resume from before its last resize, so every
      // missed byte was written at this size, and the client may have missed the resize.
      const { cols, rows } = this.opts.dims();
      v.sink.sendText({ type: 'resize', cols, rows });
      if (missed.length > 0) v.sink.sendBinary(missed);
    });
    if (!ok) return;
    v.state = 'live';
    if (this.opts.ended()) this.finish(v, true);
  }

  private begin(v: Viewer, s: StreamStart): void {
    const start = v.start;
    v.start = undefined;
    start?.(s);
  }

  /** A live viewer's socket holds more than VIEWER_BEHIND_BYTES unsent: batching pays. */
  behind(): boolean {
    for (const v of this.viewers) if (v.state === 'live' && v.sink.bufferedAmount > VIEWER_BEHIND_BYTES) return true;
    return false;
  }

  /** One batch, the same Buffer for every viewer that keeps up. */
  broadcast(batch: Buffer): void {
    for (const v of this.viewers) {
      if (v.state !== 'live') continue; // pending: the redraw tail covers it; lagging: dropped
      if (v.sink.bufferedAmount > VIEWER_HIGH_WATER_BYTES) {
        v.state = 'lagging';
        this.ensurePoll();
        continue;
      }
      this.safe(v, () => v.sink.sendBinary(batch));
    }
  }

  /** A message in stream order (resize, title): only live viewers, the others get it in their redraw. */
  broadcastText(msg: WsServerMessage): void {
    for (const v of this.viewers) if (v.state === 'live') this.safe(v, () => v.sink.sendText(msg));
  }

  /** The session ended: every viewer that has its redraw gets `exit` and is closed. */
  end(): void {
    for (const v of [...this.viewers]) {
      // lagging, or still without its scrollback: a final redraw, then exit
      if (v.state === 'lagging' || (v.state === 'live' && v.scrollbackDue)) this.startRedraw(v, true);
      else if (v.state === 'live') this.finish(v, false); // session.exited reports the count
      // pending: finished when its redraw arrives
    }
  }

  dispose(): void {
    if (this.poll) clearInterval(this.poll);
    this.poll = undefined;
    for (const v of this.viewers) v.state = 'closed';
    this.viewers.clear();
    this.joinFlight = this.resyncFlight = undefined;
  }

  /**
   * `join`: a new viewer, who may get the visible rows first (ViewerSetOptions.redraw) and goes
   * live with them; the whole state then follows as a resync redraw (its count restarts there),
   * led by RIS so that even a client that ignores `resync` ends exactly on the server's state.
   */
  private startRedraw(v: Viewer, resync: boolean, join = false): void {
    const gen = ++v.gen;
    v.state = 'pending';
    v.scrollbackDue = false;
    // Board the redraw already asked for, unless its visible rows have gone out (this viewer
    // would get only the whole state, later than the rows a redraw of its own could give).
    const boarding = join ? this.joinFlight : this.resyncFlight;
    if (boarding && !boarding.shown) {
      boarding.viewers.push(v);
      boarding.gens.push(gen);
      return;
    }
    const f: Flight = { join, viewers: [v], gens: [gen], shown: false };
    if (join) this.joinFlight = f;
    else this.resyncFlight = f;
    this.opts.redraw(
      (r) => this.landed(f, r),
      join ? (r) => this.shownRows(f, r) : undefined,
    );
  }

  /** The whole redraw of a flight: each viewer that still waits for it under the same gen. */
  private landed(f: Flight, r: Redraw): void {
    if (this.joinFlight === f) this.joinFlight = undefined;
    if (this.resyncFlight === f) this.resyncFlight = undefined;
    for (let i = 0; i < f.viewers.length; i++) {
      const v = f.viewers[i];
      if (v.gen !== f.gens[i]) continue;
      if (v.state === 'pending') this.sendRedraw(v, r, f.join ? 'whole' : 'resync');
      else if (v.state === 'live' && v.scrollbackDue) {
        v.scrollbackDue = false;
        this.sendRedraw(v, r, 'scrollback');
      }
      // lagging meanwhile: its own resync redraw replaces this one
    }
  }

  /** A join flight's visible rows: each viewer still pending under the same gen goes live. */
  private shownRows(f: Flight, r: Redraw): void {
    f.shown = true;
    for (let i = 0; i < f.viewers.length; i++) {
      const v = f.viewers[i];
      if (v.state !== 'pending' || v.gen !== f.gens[i]) continue;
      v.scrollbackDue = true;
      this.sendRedraw(v, r, 'visible');
    }
  }

  /**
   * Sends a redraw and makes the viewer live: broadcast() reaches it exactly where it ends.
   * `whole`: a join's redraw in one piece; `resync`: a fresh one for a viewer that lagged;
   * `visible`: a join's visible rows; `scrollback`: the whole state that replaces them.
   */
  private sendRedraw(v: Viewer, r: Redraw, piece: 'whole' | 'resync' | 'visible' | 'scrollback'): void {
    const cur = this.opts.dims();
    const resync = piece === 'resync' || piece === 'scrollback';
    const reset = piece === 'scrollback';
    // Exact here: the redraw covers every byte broadcast so far, and live output follows.
    const outputOffset = this.opts.offset();
    // One frame, so a terminal parses the reset and the state it resets to in one go (no paint
    // of an empty screen between them): one copy of the state per joiner, ~10 us per 100 KB.
    const data = reset ? Buffer.concat([RIS, r.data]) : r.data;
    let redrawBytes = data.length;
    for (const item of r.tail) if (Buffer.isBuffer(item)) redrawBytes += item.length;
    // The ws layer's `ready` carried the current size; say so when the state is older.
    const ok = this.safe(v, () => {
      this.begin(v, { outputOffset, resumed: false, redrawBytes, ...(piece === 'visible' ? { scrollbackFollows: true } : {}) });
      // resync goes out with the redraw it announces, saying where the count restarts.
      if (resync) v.sink.sendText({ type: 'resync', outputOffset, redrawBytes });
      if (resync || r.cols !== cur.cols || r.rows !== cur.rows) v.sink.sendText({ type: 'resize', cols: r.cols, rows: r.rows });
      if (data.length > 0) v.sink.sendBinary(data);
      for (const item of r.tail) {
        if (Buffer.isBuffer(item)) v.sink.sendBinary(item);
        else v.sink.sendText({ type: 'resize', cols: item.cols, rows: item.rows });
      }
      const title = this.opts.title();
      if (title !== undefined) v.sink.sendText({ type: 'title', title });
    });
    if (!ok) return;
    v.state = 'live';
    if (this.opts.ended()) this.finish(v, true);
  }

  private finish(v: Viewer, notify: boolean): void {
    const ended = this.opts.ended();
    this.safe(v, () => {
      v.sink.sendText({ type: 'exit', exitCode: ended?.exitCode ?? null });
      v.sink.close(CLOSE.normal, 'session ended');
    });
    this.remove(v, notify);
  }

  private ensurePoll(): void {
    if (this.poll) return;
    this.poll = setInterval(() => {
      let lagging = 0;
      for (const v of this.viewers) {
        if (v.state !== 'lagging') continue;
        if (v.sink.bufferedAmount < VIEWER_LOW_WATER_BYTES) this.startRedraw(v, true);
        else lagging++;
      }
      if (lagging === 0 && this.poll) {
        clearInterval(this.poll);
        this.poll = undefined;
      }
    }, RESYNC_POLL_MS);
  }

  /** A sink that throws is treated as gone; one broken socket never breaks the broadcast. */
  private safe(v: Viewer, fn: () => void): boolean {
    if (v.state === 'closed') return false;
    try {
      fn();
      return true;
    } catch {
      this.remove(v, true);
      return false;
    }
  }

  /** @internal Viewer.detach, and a sink that is gone. */
  remove(v: Viewer, notify: boolean): void {
    if (!this.viewers.delete(v)) return;
    v.state = 'closed';
    if (notify) this.opts.onCountChange();
  }
}
