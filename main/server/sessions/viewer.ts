// The viewers of one session and their backpressure. A session never queues output per viewer:
// each batch is one Buffer handed to every sink that is keeping up, and a sink whose socket holds
// more than VIEWER_HIGH_WATER_BYTES is skipped until it drains below VIEWER_LOW_WATER_BYTES, when
// it gets `resync` and a fresh redraw. So a slow viewer never slows the PTY or other viewers.
//
// Memory per viewer is bounded by what its socket may hold: VIEWER_HIGH_WATER_BYTES + one batch
// (OUTPUT_BATCH_MAX_BYTES, sent while just under the mark) + one redraw (the serialized screen and
// scrollback, plus its unparsed tail, at most SCREEN_BACKLOG_MAX_BYTES). Nothing else is held.
import { CLOSE } from '../../../common/errors.js';
import { VIEWER_HIGH_WATER_BYTES, VIEWER_LOW_WATER_BYTES } from '../../../common/flow.js';
import type { WsServerMessage } from '../../../common/protocol.js';
import type { Redraw } from './screen.js';
import type { ViewerHandle, ViewerSink } from './types.js';

/** How often lagging sockets are checked for having drained (sinks have no drain event). */
export const RESYNC_POLL_MS = 20;

type State = 'pending' | 'live' | 'lagging' | 'closed';

interface Viewer {
  sink: ViewerSink;
  state: State;
  /** Bumped per redraw request, so a stale redraw for a closed or re-requested viewer is ignored. */
  gen: number;
}

export interface ViewerSetOptions {
  /** Calls `done` with a redraw that is exact at the moment it runs. */
  redraw(done: (r: Redraw) => void): void;
  dims(): { cols: number; rows: number };
  title(): string | undefined;
  /** undefined while running; the exit code (or null) once the session has ended. */
  ended(): { exitCode: number | null } | undefined;
  onCountChange(): void;
}

export class ViewerSet {
  private readonly viewers = new Set<Viewer>();
  private poll: NodeJS.Timeout | undefined;

  constructor(private readonly opts: ViewerSetOptions) {}

  get size(): number {
    return this.viewers.size;
  }

  attach(sink: ViewerSink): ViewerHandle {
    const v: Viewer = { sink, state: 'pending', gen: 0 };
    this.viewers.add(v);
    this.opts.onCountChange();
    this.startRedraw(v, false);
    return { detach: () => this.remove(v, true) };
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
      if (v.state === 'lagging') this.startRedraw(v, true); // a final redraw, then exit
      else if (v.state === 'live') this.finish(v, false); // session.exited reports the count
      // pending: finished when its redraw arrives
    }
  }

  dispose(): void {
    if (this.poll) clearInterval(this.poll);
    this.poll = undefined;
    for (const v of this.viewers) v.state = 'closed';
    this.viewers.clear();
  }

  private startRedraw(v: Viewer, resync: boolean): void {
    const gen = ++v.gen;
    v.state = 'pending';
    if (resync) this.safe(v, () => v.sink.sendText({ type: 'resync' }));
    if ((v.state as State) === 'closed') return;
    this.opts.redraw((r) => {
      if (v.state !== 'pending' || v.gen !== gen) return;
      const cur = this.opts.dims();
      // The ws layer's `ready` carried the current size; say so when the state is older.
      const ok = this.safe(v, () => {
        if (resync || r.cols !== cur.cols || r.rows !== cur.rows) v.sink.sendText({ type: 'resize', cols: r.cols, rows: r.rows });
        if (r.data.length > 0) v.sink.sendBinary(r.data);
        for (const item of r.tail) {
          if (Buffer.isBuffer(item)) v.sink.sendBinary(item);
          else v.sink.sendText({ type: 'resize', cols: item.cols, rows: item.rows });
        }
        const title = this.opts.title();
        if (title !== undefined) v.sink.sendText({ type: 'title', title });
      });
      if (!ok) return;
      v.state = 'live'; // from here on broadcast() reaches it: exactly where the redraw ended
      if (this.opts.ended()) this.finish(v, true);
    });
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

  private remove(v: Viewer, notify: boolean): void {
    if (!this.viewers.delete(v)) return;
    v.state = 'closed';
    if (notify) this.opts.onCountChange();
  }
}
