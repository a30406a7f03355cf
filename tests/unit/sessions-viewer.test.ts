// ViewerSet (sessions/viewer.ts) with fake sinks: the states a real socket reaches only by luck
// (a sink that throws mid-broadcast, the session ending while a viewer lags or awaits its
// redraw) and the exact frame order of a redraw, checked deterministically.
import { afterEach, describe, expect, it } from 'vitest';
import { CLOSE } from '../../common/errors.js';
import { VIEWER_HIGH_WATER_BYTES, VIEWER_LOW_WATER_BYTES } from '../../common/flow.js';
import type { WsServerMessage } from '../../common/protocol.js';
import type { Redraw } from '../../main/server/sessions/screen.js';
import type { ViewerSink } from '../../main/server/sessions/types.js';
import { RESYNC_POLL_MS, ViewerSet } from '../../main/server/sessions/viewer.js';

type Sent = { bin: string } | { text: WsServerMessage } | { close: number };

class FakeSink implements ViewerSink {
  bufferedAmount = 0;
  readonly sent: Sent[] = [];
  throwOnSend = false;
  sendBinary(chunk: Uint8Array): void {
    if (this.throwOnSend) throw new Error('socket gone');
    this.sent.push({ bin: Buffer.from(chunk).toString() });
  }
  sendText(msg: WsServerMessage): void {
    this.sent.push({ text: msg });
  }
  close(code: number): void {
    this.sent.push({ close: code });
  }
  get bins(): string[] {
    return this.sent.flatMap((s) => ('bin' in s ? [s.bin] : []));
  }
}

interface Harness {
  set: ViewerSet;
  /** Redraw requests not answered yet; answer(i) runs the i-th with the given redraw. */
  requests: Array<(r: Redraw) => void>;
  /** The `visible` callback of each pending request (a join's), undefined for the others. */
  visibles: Array<((r: Redraw) => void) | undefined>;
  answer(r?: Partial<Redraw>): void;
  /** Answers the oldest pending request with its visible rows only; the request stays pending. */
  answerVisible(r?: Partial<Redraw>): void;
  dims: { cols: number; rows: number };
  ended: { exitCode: number | null } | undefined;
  countChanges: number;
  /** Everything "broadcast" through out(): the session's output, for offset() and since(). */
  output: Buffer;
  /** since() answers null (not held) while this is false. */
  holds: boolean;
  out(text: string): void;
}

const sets: ViewerSet[] = [];
afterEach(() => {
  for (const s of sets.splice(0)) s.dispose(); // no poll timer may outlive a test
});

function harness(): Harness {
  const h: Harness = {
    requests: [],
    visibles: [],
    dims: { cols: 80, rows: 24 },
    ended: undefined,
    countChanges: 0,
    output: Buffer.alloc(0),
    holds: true,
    out(text: string) {
      const b = Buffer.from(text);
      h.output = Buffer.concat([h.output, b]);
      h.set.broadcast(b);
    },
    answer(r = {}) {
      const done = h.requests.shift();
      h.visibles.shift();
      if (!done) throw new Error('no redraw pending');
      done({ cols: h.dims.cols, rows: h.dims.rows, data: Buffer.from('SCREEN'), tail: [], ...r });
    },
    answerVisible(r = {}) {
      const visible = h.visibles[0];
      if (!visible) throw new Error('no join redraw pending');
      visible({ cols: h.dims.cols, rows: h.dims.rows, data: Buffer.from('ROWS'), tail: [], ...r });
    },
    set: undefined as unknown as ViewerSet,
  };
  h.set = new ViewerSet({
    redraw: (done, visible) => {
      h.requests.push(done);
      h.visibles.push(visible);
    },
    dims: () => h.dims,
    title: () => 'a title',
    ended: () => h.ended,
    onCountChange: () => h.countChanges++,
    offset: () => h.output.length,
    since: (o) => (h.holds && o >= 0 && o <= h.output.length ? h.output.subarray(o) : null),
  });
  sets.push(h.set);
  return h;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('ViewerSet', () => {
  it('sends the redraw, its tail in order, the title, then live output; nothing before the redraw', async () => {
    const h = harness();
    const sink = new FakeSink();
    h.set.attach(sink);
    h.set.broadcast(Buffer.from('early')); // covered by the redraw's tail, never sent twice
    expect(sink.sent).toEqual([]);
    h.answer({ cols: 100, rows: 30, tail: [Buffer.from('t1'), { cols: 90, rows: 20 }, Buffer.from('t2')] });
    h.set.broadcast(Buffer.from('live'));
    expect(sink.sent).toEqual([
      { text: { type: 'resize', cols: 100, rows: 30 } }, // the state is older than `ready` said
      { bin: 'SCREEN' },
      { bin: 't1' },
      { text: { type: 'resize', cols: 90, rows: 20 } },
      { bin: 't2' },
      { text: { type: 'title', title: 'a title' } },
      { bin: 'live' },
    ]);
  });

  it('skips a sink past the high-water mark, then sends resync and a fresh redraw once it drains', async () => {
    const h = harness();
    const slow = new FakeSink();
    const fast = new FakeSink();
    h.set.attach(slow);
    h.set.attach(fast);
    h.answer(); // one redraw for both: they joined together
    slow.bufferedAmount = VIEWER_HIGH_WATER_BYTES + 1;
    h.set.broadcast(Buffer.from('a'));
    h.set.broadcast(Buffer.from('b'));
    expect(fast.bins).toEqual(['SCREEN', 'a', 'b']);
    expect(slow.bins).toEqual(['SCREEN']);
    // Between the marks it stays dropped: resuming early would only lag again.
    slow.bufferedAmount = VIEWER_LOW_WATER_BYTES + 1;
    await sleep(RESYNC_POLL_MS * 4);
    expect(h.requests).toHaveLength(0);
    slow.bufferedAmount = 0;
    await sleep(RESYNC_POLL_MS * 4);
    expect(h.requests).toHaveLength(1); // a fresh redraw is on its way; resync goes out with it
    h.set.broadcast(Buffer.from('c')); // pending again: its redraw will include this
    h.answer({ data: Buffer.from('SCREEN2') });
    expect(slow.sent).toContainEqual({ text: { type: 'resync', outputOffset: 0, redrawBytes: 7 } });
    h.set.broadcast(Buffer.from('d'));
    expect(slow.bins).toEqual(['SCREEN', 'SCREEN2', 'd']);
    expect(fast.bins).toEqual(['SCREEN', 'a', 'b', 'c', 'd']);
    // a resync redraw always restates the size, since the client reset its terminal
    expect(slow.sent.filter((s) => 'text' in s && s.text.type === 'resize')).toHaveLength(1);
  });

  it('drops a sink that throws without breaking the broadcast to the others', () => {
    const h = harness();
    const broken = new FakeSink();
    const ok = new FakeSink();
    h.set.attach(broken);
    h.set.attach(ok);
    h.answer(); // one redraw for both: they joined together
    const before = h.countChanges;
    broken.throwOnSend = true;
    h.set.broadcast(Buffer.from('x'));
    h.set.broadcast(Buffer.from('y'));
    expect(ok.bins).toEqual(['SCREEN', 'x', 'y']);
    expect(h.set.size).toBe(1);
    expect(h.countChanges).toBe(before + 1);
  });

  it('on end: live viewers get exit and close 1000; pending and lagging ones first get their (final) redraw', () => {
    const h = harness();
    const live = new FakeSink();
    const pending = new FakeSink();
    const lagging = new FakeSink();
    h.set.attach(live);
    h.set.attach(lagging);
    h.answer(); // one redraw for both: they joined together
    lagging.bufferedAmount = VIEWER_HIGH_WATER_BYTES + 1;
    h.set.broadcast(Buffer.from('lost'));
    h.set.attach(pending);
    h.ended = { exitCode: 3 };
    h.set.end();
    expect(live.sent.slice(-2)).toEqual([{ text: { type: 'exit', exitCode: 3 } }, { close: CLOSE.normal }]);
    expect(pending.sent).toEqual([]);
    expect(h.requests).toHaveLength(2); // pending's first redraw, and lagging's final one
    h.answer({ data: Buffer.from('FINAL-P') }); // pending's redraw was requested first
    h.answer({ data: Buffer.from('FINAL-L') });
    for (const [sink, screen] of [[pending, 'FINAL-P'], [lagging, 'FINAL-L']] as const) {
      expect(sink.bins.at(-1)).toBe(screen);
      expect(sink.sent.slice(-2)).toEqual([{ text: { type: 'exit', exitCode: 3 } }, { close: CLOSE.normal }]);
    }
    expect(h.set.size).toBe(0);
  });

  it('detach stops output at once, also for a redraw still in flight', () => {
    const h = harness();
    const a = new FakeSink();
    const b = new FakeSink();
    h.set.attach(a).detach();
    const hb = h.set.attach(b);
    h.answer(); // one redraw for both: they joined together
    expect(a.sent).toEqual([]);
    hb.detach();
    hb.detach(); // idempotent
    h.set.broadcast(Buffer.from('z'));
    expect(b.bins).toEqual(['SCREEN']);
    expect(h.set.size).toBe(0);
  });

  it('starts the stream with the offset at the end of the redraw, and how many redraw bytes come first', () => {
    const h = harness();
    const sink = new FakeSink();
    const starts: unknown[] = [];
    h.out('before');
    h.set.attach(sink, { start: (st) => starts.push(st) });
    h.out('during'); // in the redraw's tail
    expect(starts).toEqual([]);
    h.answer({ data: Buffer.from('SCREEN'), tail: [Buffer.from('during')] });
    expect(starts).toEqual([{ outputOffset: 12, resumed: false, redrawBytes: 12 }]);
    h.out('after');
    expect(sink.bins).toEqual(['SCREEN', 'during', 'after']);
  });

  it('resumes with exactly the missed bytes, synchronously, with no redraw', () => {
    const h = harness();
    const sink = new FakeSink();
    const starts: unknown[] = [];
    h.out('0123456789');
    h.set.attach(sink, { resumeFrom: 4, start: (st) => starts.push(st) });
    expect(h.requests).toHaveLength(0);
    expect(starts).toEqual([{ outputOffset: 4, resumed: true, redrawBytes: 0 }]);
    h.out('ab');
    expect(sink.bins).toEqual(['456789', 'ab']);
    expect(sink.sent.filter((x) => 'text' in x)).toEqual([{ text: { type: 'resize', cols: 80, rows: 24 } }]);
  });

  it('falls back to a redraw when the missed bytes are no longer held', () => {
    const h = harness();
    const sink = new FakeSink();
    const starts: unknown[] = [];
    h.out('0123456789');
    h.holds = false;
    h.set.attach(sink, { resumeFrom: 4, start: (st) => starts.push(st) });
    expect(h.requests).toHaveLength(1);
    h.answer();
    expect(starts).toEqual([{ outputOffset: 10, resumed: false, redrawBytes: 6 }]);
    expect(sink.bins).toEqual(['SCREEN']);
  });

  it('a resumed viewer of an ended session gets the missed bytes, then exit', () => {
    const h = harness();
    const sink = new FakeSink();
    h.out('last words');
    h.ended = { exitCode: 0 };
    h.set.attach(sink, { resumeFrom: 5 });
    expect(sink.sent).toEqual([
      { text: { type: 'resize', cols: 80, rows: 24 } },
      { bin: 'words' },
      { text: { type: 'exit', exitCode: 0 } },
      { close: CLOSE.normal },
    ]);
  });

  it('a join may get the visible rows first and go live; the whole state follows as a resync led by RIS', () => {
    const h = harness();
    const sink = new FakeSink();
    const starts: unknown[] = [];
    h.out('old');
    h.set.attach(sink, { start: (st) => starts.push(st) });
    h.out('early'); // in both tails: the visible rows' and the whole state's
    h.answerVisible({ tail: [Buffer.from('early')] });
    expect(starts).toEqual([{ outputOffset: 8, resumed: false, redrawBytes: 9, scrollbackFollows: true }]);
    h.out('live'); // live at once on the visible rows
    h.answer({ data: Buffer.from('WHOLE'), tail: [Buffer.from('early'), Buffer.from('live')] });
    h.out('after');
    expect(sink.sent).toEqual([
      { bin: 'ROWS' },
      { bin: 'early' },
      { text: { type: 'title', title: 'a title' } },
      { bin: 'live' },
      { text: { type: 'resync', outputOffset: 12, redrawBytes: 2 + 5 + 5 + 4 } },
      { text: { type: 'resize', cols: 80, rows: 24 } },
      { bin: '\x1bcWHOLE' }, // one frame: reset and state parsed together
      { bin: 'early' },
      { bin: 'live' },
      { text: { type: 'title', title: 'a title' } },
      { bin: 'after' },
    ]);
    expect(starts).toHaveLength(1);
  });

  it('asks for visible rows first only for a join, never for a resync or a resume fallback redraw', async () => {
    const h = harness();
    const sink = new FakeSink();
    h.set.attach(sink);
    expect(h.visibles[0]).toBeTypeOf('function');
    h.answer();
    sink.bufferedAmount = VIEWER_HIGH_WATER_BYTES + 1;
    h.set.broadcast(Buffer.from('x'));
    sink.bufferedAmount = 0;
    await sleep(RESYNC_POLL_MS * 4);
    expect(h.requests).toHaveLength(1);
    expect(h.visibles[0]).toBeUndefined();
    h.answer();
  });

  it('a joiner still without its scrollback when the session ends gets the final redraw, then exit', () => {
    const h = harness();
    const sink = new FakeSink();
    h.set.attach(sink);
    h.answerVisible();
    h.ended = { exitCode: 0 };
    h.set.end();
    expect(h.requests).toHaveLength(2); // the join's whole state (now stale) and the final redraw
    h.answer({ data: Buffer.from('STALE') }); // superseded: never sent
    h.answer({ data: Buffer.from('FINAL') });
    expect(sink.bins).toEqual(['ROWS', 'FINAL']);
    expect(sink.sent.slice(-2)).toEqual([{ text: { type: 'exit', exitCode: 0 } }, { close: CLOSE.normal }]);
  });

  it('a joiner that lags before its scrollback arrives gets the lagging resync instead, not both', async () => {
    const h = harness();
    const sink = new FakeSink();
    h.set.attach(sink);
    h.answerVisible();
    sink.bufferedAmount = VIEWER_HIGH_WATER_BYTES + 1;
    h.set.broadcast(Buffer.from('x'));
    h.answer({ data: Buffer.from('WHOLE') }); // it lags: dropped
    expect(sink.bins).toEqual(['ROWS']);
    sink.bufferedAmount = 0;
    await sleep(RESYNC_POLL_MS * 4);
    h.answer({ data: Buffer.from('FRESH') });
    expect(sink.bins).toEqual(['ROWS', 'FRESH']);
    expect(sink.sent.filter((x) => 'text' in x && x.text.type === 'resync')).toHaveLength(1);
  });

  it('viewers that join together share one redraw; each is exact where it goes live', () => {
    const h = harness();
    const a = new FakeSink();
    const b = new FakeSink();
    const starts: unknown[] = [];
    h.set.attach(a, { start: (st) => starts.push(st) });
    h.out('early');
    h.set.attach(b, { start: (st) => starts.push(st) });
    expect(h.requests).toHaveLength(1);
    h.answer({ tail: [Buffer.from('early')] });
    h.out('live');
    for (const sink of [a, b]) expect(sink.bins).toEqual(['SCREEN', 'early', 'live']);
    expect(starts).toEqual([
      { outputOffset: 5, resumed: false, redrawBytes: 11 },
      { outputOffset: 5, resumed: false, redrawBytes: 11 },
    ]);
  });

  it('a viewer joining after the shared redraw has shown its visible rows asks for its own', () => {
    const h = harness();
    const a = new FakeSink();
    const b = new FakeSink();
    h.set.attach(a);
    h.answerVisible();
    h.set.attach(b); // the rows went out to a: b would get only the whole state, later
    expect(h.requests).toHaveLength(2);
    expect(h.visibles[1]).toBeTypeOf('function');
    h.answer({ data: Buffer.from('WHOLE') });
    expect(a.bins).toEqual(['ROWS', '\x1bcWHOLE']);
    expect(b.bins).toEqual([]);
    h.answer({ data: Buffer.from('B') });
    expect(b.bins).toEqual(['B']);
  });

  it('lagging viewers that drain together share one resync redraw, never a join\'s', async () => {
    const h = harness();
    const a = new FakeSink();
    const b = new FakeSink();
    h.set.attach(a);
    h.set.attach(b);
    h.answer();
    a.bufferedAmount = b.bufferedAmount = VIEWER_HIGH_WATER_BYTES + 1;
    h.out('x');
    const c = new FakeSink();
    h.set.attach(c); // a join: its own redraw, with visible rows first
    a.bufferedAmount = b.bufferedAmount = 0;
    await sleep(RESYNC_POLL_MS * 4);
    expect(h.requests).toHaveLength(2);
    expect(h.visibles[1]).toBeUndefined();
    h.requests[1]({ cols: 80, rows: 24, data: Buffer.from('AGAIN'), tail: [] });
    for (const sink of [a, b]) {
      expect(sink.bins).toEqual(['SCREEN', 'AGAIN']);
      expect(sink.sent).toContainEqual({ text: { type: 'resync', outputOffset: 1, redrawBytes: 5 } });
    }
    expect(c.sent).toEqual([]);
    h.answer({ data: Buffer.from('C') });
    expect(c.bins).toEqual(['C']);
  });
});
