// Screen (sessions/screen.ts) against a fake worker host: which redraw a late joiner gets and
// when, checked deterministically (the real worker's timing decides it only by luck): the
// visible rows the worker sent after a quiet moment answer a join at once, stay valid only while
// every item after them is still held, and the whole state always follows from the worker.
import { describe, expect, it } from 'vitest';
import type { FromScreenWorker } from '../../main/server/sessions/screen-protocol.js';
import type { ScreenClient, ScreenHost, ScreenMessage } from '../../main/server/sessions/screen-host.js';
import { Screen, type Redraw } from '../../main/server/sessions/screen.js';

/** A worker message without the screen id (distributed over the union, as ScreenMessage is). */
type WorkerMessage = FromScreenWorker extends infer M ? (M extends { s: number } ? Omit<M, 's'> : never) : never;

class FakeHost {
  client: ScreenClient | undefined;
  readonly posted: ScreenMessage[] = [];
  open(client: ScreenClient): number {
    this.client = client;
    return 1;
  }
  post(_s: number, m: ScreenMessage): void {
    this.posted.push(m);
  }
  close(): void {}
  send(m: WorkerMessage): void {
    this.client?.onMessage({ ...m, s: 1 } as FromScreenWorker);
  }
  get reqs(): Array<Extract<ScreenMessage, { t: 'req' }>> {
    return this.posted.filter((m): m is Extract<ScreenMessage, { t: 'req' }> => m.t === 'req');
  }
}

function setup(): { host: FakeHost; screen: Screen } {
  const host = new FakeHost();
  const screen = new Screen({ host: host as unknown as ScreenHost, cols: 80, rows: 24, scrollback: 1000, onTitle: () => {}, onBacklogLow: () => {} });
  return { host, screen };
}

const text = (r: Redraw): string[] => [r.data.toString(), ...r.tail.map((t) => (Buffer.isBuffer(t) ? t.toString() : `resize ${t.cols}x${t.rows}`))];

describe('Screen redraw for a late joiner', () => {
  it('answers from the visible rows the worker sent, at once, and asks the worker for the whole state only', () => {
    const { host, screen } = setup();
    screen.write(Buffer.from('a')); // item 1
    host.send({ t: 'visible', offset: 1, done: 1, cols: 80, rows: 24, preview: '{}', data: 'ROWS@1' });
    screen.write(Buffer.from('b')); // item 2: not parsed yet, in the tail
    const visible: string[][] = [];
    const whole: string[][] = [];
    screen.redraw((r) => whole.push(text(r)), (r) => visible.push(text(r)));
    expect(visible).toEqual([['ROWS@1', 'b']]); // synchronously
    expect(host.reqs.at(-1)).toMatchObject({ first: false, serialize: true });
    host.send({ t: 'res', id: host.reqs.at(-1)!.id, offset: 2, done: 2, cols: 80, rows: 24, data: 'ALL@2' });
    expect(whole).toEqual([['ALL@2']]);
    expect(visible).toHaveLength(1);
  });

  it('drops those rows once an ack trims an item after them, and on a resize; the worker answers then', () => {
    const { host, screen } = setup();
    screen.write(Buffer.from('a'));
    host.send({ t: 'visible', offset: 1, done: 1, cols: 80, rows: 24, preview: '{}', data: 'ROWS@1' });
    screen.write(Buffer.from('b'));
    host.send({ t: 'ack', offset: 2, done: 2 }); // item 2 is gone from the tail: ROWS@1 alone is stale
    const visible: string[][] = [];
    screen.redraw(() => {}, (r) => visible.push(text(r)));
    expect(visible).toEqual([]);
    expect(host.reqs.at(-1)).toMatchObject({ first: true });
    // The worker's own visible-first answer, then the whole state at the same `done`.
    const id = host.reqs.at(-1)!.id;
    host.send({ t: 'res', id, offset: 2, done: 2, cols: 80, rows: 24, data: 'ROWS@2', partial: true });
    expect(visible).toEqual([['ROWS@2']]);

    host.send({ t: 'visible', offset: 2, done: 2, cols: 80, rows: 24, preview: '{}', data: 'ROWS@2' });
    screen.resize(100, 30);
    const after: string[][] = [];
    screen.redraw(() => {}, (r) => after.push(text(r)));
    expect(after).toEqual([]); // drawn at 80x24: not for a 100x30 joiner
    // Rows the worker sent before it saw that resize arrive after it: not kept either.
    host.send({ t: 'visible', offset: 2, done: 2, cols: 80, rows: 24, preview: '{}', data: 'ROWS@2' });
    screen.redraw(() => {}, (r) => after.push(text(r)));
    expect(after).toEqual([]);
  });

  it('a worker lost after the visible rows leaves the joiner on them: no empty redraw replaces them', () => {
    const { host, screen } = setup();
    screen.write(Buffer.from('a'));
    host.send({ t: 'visible', offset: 1, done: 1, cols: 80, rows: 24, preview: '{}', data: 'ROWS@1' });
    const whole: string[][] = [];
    screen.redraw((r) => whole.push(text(r)), () => {});
    host.client?.onLost();
    expect(whole).toEqual([]);
  });

  it('a redraw without `visible` (a resync) never uses the rows and asks for the whole state only', () => {
    const { host, screen } = setup();
    screen.write(Buffer.from('a'));
    host.send({ t: 'visible', offset: 1, done: 1, cols: 80, rows: 24, preview: '{}', data: 'ROWS@1' });
    const whole: string[][] = [];
    screen.redraw((r) => whole.push(text(r)));
    expect(whole).toEqual([]);
    expect(host.reqs.at(-1)).toMatchObject({ first: false });
    host.send({ t: 'res', id: host.reqs.at(-1)!.id, offset: 1, done: 1, cols: 80, rows: 24, data: 'ALL@1' });
    expect(whole).toEqual([['ALL@1']]);
  });
});
