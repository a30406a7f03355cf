// The renderer's pure parts, run in Node (no browser): argv splitting for "New session", the
// SSE parser and event validation, the flow-controlled writer's bounds, asciicast parsing,
// which close codes end a socket for good, and the viewer stage's scale/letterbox/zoom.
import { describe, expect, it } from 'vitest';
import { CLIENT_HIGH_WATER_BYTES, CLIENT_LOW_WATER_BYTES, INPUT_MAX_BYTES } from '../../common/flow.js';
import { splitArgv, joinArgv, ArgvError } from '../../renderer/src/argv.js';
import { parseCast } from '../../renderer/src/cast.js';
import { decodeEvent, SseParser } from '../../renderer/src/events.js';
import { crumbs, explainFsError, formatSize, joinPath, previewKind, TEXT_PREVIEW_MAX_BYTES, tooBigMessage, visibleEntries } from '../../renderer/src/files-logic.js';
import { CLIENT_QUEUE_MAX_BYTES, FlowWriter } from '../../renderer/src/flow.js';
import { ListSync } from '../../renderer/src/list-sync.js';
import type { ServerEvent, Session } from '../../common/protocol.js';
import { endReasonFor, inputFrames } from '../../renderer/src/socket.js';
import { STAGE_MAX_SCALE, stageGeometry } from '../../renderer/src/stage.js';

describe('splitArgv', () => {
  it('splits words with shell-like quoting and runs no shell', () => {
    expect(splitArgv('  ls   -la /tmp ')).toEqual(['ls', '-la', '/tmp']);
    expect(splitArgv(`git commit -m "fix: the \\"thing\\"" --author='A B'`)).toEqual(['git', 'commit', '-m', 'fix: the "thing"', '--author=A B']);
    expect(splitArgv('echo a\\ b $HOME; rm')).toEqual(['echo', 'a b', '$HOME;', 'rm']);
    expect(splitArgv('')).toEqual([]);
    expect(splitArgv("say ''")).toEqual(['say', '']);
  });
  it('rejects unclosed quotes', () => {
    expect(() => splitArgv('echo "oops')).toThrow(ArgvError);
    expect(() => splitArgv("echo 'oops")).toThrow(ArgvError);
  });
  it('joinArgv quotes what needs it and round-trips', () => {
    const argv = ['bash', '-c', "echo 'hi' there", ''];
    expect(splitArgv(joinArgv(argv))).toEqual(argv);
  });
});

describe('SseParser', () => {
  it('handles fields split across chunks, CRLF, comments and multi-line data', () => {
    const got: [string, string][] = [];
    const p = new SseParser((e, d) => got.push([e, d]));
    p.push(': connected\r\nretry: 2000\r\n\r\nevent: session.removed\r');
    p.push('\ndata: {"type":"session.removed",');
    p.push('"sessionId":"abc"}\n\n');
    p.push('data: a\ndata: b\n\n');
    expect(got).toEqual([
      ['session.removed', '{"type":"session.removed","sessionId":"abc"}'],
      ['message', 'a\nb'],
    ]);
  });
  it('decodeEvent validates with ServerEventSchema and never casts', () => {
    expect(decodeEvent('session.removed', '{"type":"session.removed","sessionId":"x"}')).toEqual({ type: 'session.removed', sessionId: 'x' });
    expect(decodeEvent('session.removed', '{"sessionId":"x"}')).toEqual({ type: 'session.removed', sessionId: 'x' });
    expect(decodeEvent('session.created', '{"type":"session.created","session":{"id":1}}')).toBeNull();
    expect(decodeEvent('message', 'not json')).toBeNull();
  });
});

class FakeTerm {
  writes: { len: number; cb?: () => void }[] = [];
  /** Every write as text, in the order handed (small ones only: a large one is a size). */
  data: string[] = [];
  write(data: Uint8Array | string, cb?: () => void): void {
    const len = typeof data === 'string' ? data.length : data.byteLength;
    this.writes.push({ len, cb });
    this.data.push(len > 64 ? `<${len} bytes>` : typeof data === 'string' ? data : new TextDecoder().decode(data));
  }
  /** xterm parsed everything handed so far. */
  parseAll(): void {
    while (this.writes.length) this.writes.shift()!.cb?.();
  }
}

describe('FlowWriter', () => {
  it('stops handing bytes to xterm past the high watermark and queues them, bounded', () => {
    const term = new FakeTerm();
    let overflows = 0;
    const w = new FlowWriter(term, () => overflows++);
    const chunk = new Uint8Array(64 * 1024);
    for (let i = 0; i < 200; i++) w.write(chunk);
    expect(w.pending).toBeLessThanOrEqual(CLIENT_HIGH_WATER_BYTES + chunk.byteLength);
    expect(w.queuedBytes).toBeLessThanOrEqual(CLIENT_QUEUE_MAX_BYTES);
    expect(overflows).toBeGreaterThan(0);
    expect(w.discarding).toBe(true);
  });
  it('drains the queue as xterm catches up, below the low watermark', () => {
    const term = new FakeTerm();
    const w = new FlowWriter(term, () => undefined);
    const chunk = new Uint8Array(64 * 1024);
    for (let i = 0; i < 12; i++) w.write(chunk);
    expect(w.queuedBytes).toBeGreaterThan(0);
    for (let i = 0; i < 10 && (w.queuedBytes > 0 || w.pending > 0); i++) term.parseAll();
    expect(w.queuedBytes).toBe(0);
    expect(w.pending).toBe(0);
    expect(CLIENT_LOW_WATER_BYTES).toBeLessThan(CLIENT_HIGH_WATER_BYTES);
  });
  it('resets in the stream, after the bytes already handed to xterm and with the redraw', () => {
    const term = new FakeTerm();
    const w = new FlowWriter(term, () => undefined);
    w.write('old output');
    w.write(new Uint8Array(CLIENT_HIGH_WATER_BYTES)); // handed; what follows queues
    w.write('stale'); // queued: dropped by the reset
    w.resetThen();
    expect(term.writes.length).toBe(2); // nothing reset on its own: no blank frame before the redraw
    w.write('redraw');
    term.parseAll();
    expect(term.data.slice(-1)).toEqual(['\x1bcredraw']); // one write: reset and redraw parse together
    expect(term.data).not.toContain('stale');
    w.write('next');
    term.parseAll();
    expect(term.data.at(-1)).toBe('next'); // reset once
  });
});

describe('parseCast', () => {
  it('reads asciicast v2 output events and shortens long pauses', () => {
    const text = [
      JSON.stringify({ version: 2, width: 100, height: 30 }),
      JSON.stringify([0.5, 'o', 'a']),
      JSON.stringify([0.6, 'i', 'typed']),
      JSON.stringify([10.6, 'o', 'b']),
      '[11.0, "o", "cut of',
    ].join('\n');
    const cast = parseCast(text);
    expect(cast.width).toBe(100);
    expect(cast.height).toBe(30);
    expect(cast.events.map((e) => e[2])).toEqual(['a', 'b']);
    expect(cast.events[1][0]).toBeCloseTo(2.5, 5);
  });
  it('keeps resize events, in order with the output; a malformed size is skipped', () => {
    const text = [
      JSON.stringify({ version: 2, width: 80, height: 24 }),
      JSON.stringify([0.1, 'o', 'wide']),
      JSON.stringify([0.2, 'r', '132x40']),
      JSON.stringify([0.3, 'r', 'huge']),
      JSON.stringify([0.4, 'r', '5000x5000']),
      JSON.stringify([0.5, 'o', 'after']),
    ].join('\n');
    const cast = parseCast(text);
    expect(cast.events.map((e) => [e[1], e[2]])).toEqual([['o', 'wide'], ['r', { cols: 132, rows: 40 }], ['o', 'after']]);
  });
  it('rejects what is not asciicast v2', () => {
    expect(() => parseCast('{"version":1}')).toThrow();
    expect(() => parseCast('hello')).toThrow();
  });
});

describe('endReasonFor', () => {
  it('stops for good on 1000, 4403, 4404, 4401; reconnects on 1001, 1006 and others', () => {
    expect(endReasonFor(1000, '', true, 3)).toEqual({ kind: 'ended', exitCode: 3 });
    expect(endReasonFor(4403, 'revoked', false, null)).toEqual({ kind: 'forbidden', reason: 'revoked' });
    expect(endReasonFor(4404, '', false, null)).toEqual({ kind: 'not_found' });
    expect(endReasonFor(4401, '', false, null)?.kind).toBe('unauthenticated');
    expect(endReasonFor(1001, '', false, null)).toBeNull();
    expect(endReasonFor(1006, '', false, null)).toBeNull();
  });
});

describe('stageGeometry', () => {
  const screen = { w: 1000, h: 600 }; // a wide owner terminal, unscaled px

  it('scales to fit and letterboxes, never past the maximum upscale', () => {
    const g = stageGeometry(screen, { w: 1000, h: 900 }, false, 0);
    expect(g.scale).toBe(1);
    expect(g.left).toBe(0);
    expect(g.top).toBe(150); // centred in a wide box
    expect(stageGeometry(screen, { w: 4000, h: 3000 }, false, 0).scale).toBe(STAGE_MAX_SCALE);
    const tallBox = stageGeometry(screen, { w: 2000, h: 300 }, false, 0);
    expect(tallBox.scale).toBe(0.5);
    expect(tallBox.left).toBe(750);
  });

  it('on a phone: top-aligned, and zoom fills the height and pans within the edges', () => {
    const phone = { w: 390, h: 600 };
    const fit = stageGeometry(screen, phone, false, 0);
    expect(fit.scale).toBeCloseTo(0.39, 5);
    expect(fit.top).toBe(0);
    expect(fit.zoomable).toBe(true);
    const zoomed = stageGeometry(screen, phone, true, 0);
    expect(zoomed.scale).toBe(1);
    expect(zoomed.left).toBe(0);
    expect(stageGeometry(screen, phone, true, -300).left).toBe(-300);
    expect(stageGeometry(screen, phone, true, -5000).left).toBe(390 - 1000); // right edge
    expect(stageGeometry(screen, phone, true, 200).left).toBe(0); // left edge
  });

  it('offers no zoom when the screen already fills the height', () => {
    const g = stageGeometry(screen, { w: 1100, h: 650 }, true, -100);
    expect(g.zoomable).toBe(false);
    expect(g.scale).toBe(1.0833333333333333);
    expect(g.panX).toBe(0);
  });
});

describe('Files view logic', () => {
  const e = (name: string, type: 'file' | 'dir' = 'file') => ({ name, type, size: 1, mtime: '2026-01-01T00:00:00.000Z' });
  it('hides dot files unless asked', () => {
    const all = [e('.git', 'dir'), e('src', 'dir'), e('.env'), e('a.txt')];
    expect(visibleEntries(all, false).map((x) => x.name)).toEqual(['src', 'a.txt']);
    expect(visibleEntries(all, true)).toHaveLength(4);
  });
  it('breadcrumbs for POSIX and Windows paths; joinPath keeps the separator', () => {
    expect(crumbs('/home/me/src')).toEqual([{ label: '/', path: '/' }, { label: 'home', path: '/home' }, { label: 'me', path: '/home/me' }, { label: 'src', path: '/home/me/src' }]);
    expect(crumbs('/')).toEqual([{ label: '/', path: '/' }]);
    expect(crumbs('C:\\Users\\me').map((c) => c.path)).toEqual(['/', 'C:\\', 'C:\\Users', 'C:\\Users\\me']);
    expect(crumbs('C:\\Users\\me')[0]).toEqual({ label: 'This PC', path: '/' }); // a Windows server's drive list
    expect(crumbs('\\\\nas\\share\\docs').map((c) => c.path)).toEqual(['\\\\nas\\share\\', '\\\\nas\\share\\docs']);
    expect(joinPath('/', 'etc')).toBe('/etc');
    expect(joinPath('/home', 'me')).toBe('/home/me');
    expect(joinPath('C:\\Users', 'me')).toBe('C:\\Users\\me');
    expect(joinPath('/', 'D:\\')).toBe('D:\\'); // an entry of the drive list is its own path
  });
  it('previews small text files and images (never SVG); sizes for people', () => {
    expect(previewKind('notes.md', 100)).toBe('text');
    expect(previewKind('Makefile', 100)).toBe('text');
    expect(previewKind('huge.log', TEXT_PREVIEW_MAX_BYTES + 1)).toBeNull();
    expect(previewKind('shot.PNG', 1000)).toBe('image');
    expect(previewKind('logo.svg', 1000)).toBeNull();
    expect(previewKind('blob.bin', 10)).toBeNull();
    expect([formatSize(0), formatSize(1023), formatSize(1536), formatSize(12 * 1024 * 1024)]).toEqual(['0 B', '1023 B', '1.5 KB', '12 MB']);
  });
  it('says before uploading that a file is too big, and explains errors so a person can act', () => {
    expect(tooBigMessage('a.iso', 200 * 1024 * 1024, 100 * 1024 * 1024)).toBe('“a.iso” is 200 MB; the server accepts uploads up to 100 MB. Nothing was sent.');
    expect(tooBigMessage('a.txt', 10, 100)).toBeNull();
    expect(tooBigMessage('a.txt', 10, undefined)).toBeNull();
    expect(explainFsError({ status: 403, code: 'forbidden', message: "Permission denied: the server's user may not read /root" }, 'opening /root'))
      .toBe("Permission denied: the server's user may not read /root. Change its permissions on the server, or pick another folder.");
    expect(explainFsError({ status: 404, code: 'not_found', message: '/gone does not exist' }, 'opening /gone')).toMatch(/^\/gone does not exist\. It may have been moved/);
    expect(explainFsError({ status: 507, code: 'disk_full', message: 'No space left on the disk that holds /x' }, 'uploading x')).toMatch(/^The disk is full .* Free some space/);
  });
});

describe('ResumeCursor (resume after a drop)', () => {
  it('counts from the end of the redraw, and after a resumed ready from resumeFrom', async () => {
    const { ResumeCursor } = await import('../../common/resume.js');
    const c = new ResumeCursor();
    expect(c.resumeFrom).toBeNull();
    c.start({ outputOffset: 100, redrawBytes: 30, resumed: false });
    c.received(20);
    expect(c.resumeFrom).toBeNull(); // mid-redraw: only a redraw can put the page right
    c.received(15); // 10 redraw bytes + 5 live
    expect(c.resumeFrom).toBe(105);
    c.start({ outputOffset: 105, resumed: true, redrawBytes: 0 });
    c.received(7);
    expect(c.resumeFrom).toBe(112);
    c.forget();
    expect(c.resumeFrom).toBeNull();
    c.received(5);
    expect(c.resumeFrom).toBeNull();
  });
  it('offers no resume between a join\'s visible rows and the resync with its scrollback', async () => {
    const { ResumeCursor } = await import('../../common/resume.js');
    const c = new ResumeCursor();
    c.start({ outputOffset: 50, redrawBytes: 10, resumed: false, scrollbackFollows: true });
    c.received(14); // the rows and some live output
    expect(c.resumeFrom).toBeNull(); // a reconnect now must redraw, scrollback included
    c.start({ outputOffset: 54, redrawBytes: 100 }); // the resync
    c.received(103);
    expect(c.resumeFrom).toBe(57);
  });
  it('knows nothing on a server without resume (no outputOffset)', async () => {
    const { ResumeCursor } = await import('../../common/resume.js');
    const c = new ResumeCursor();
    c.start({ outputOffset: 10, redrawBytes: 0 });
    c.start({});
    c.received(3);
    expect(c.resumeFrom).toBeNull();
  });
  it('a full link (4429) ends the socket for good', () => {
    expect(endReasonFor(4429, 'link_full', false, null)).toEqual({ kind: 'full', reason: 'link_full' });
  });
});

describe('watching list rules', () => {
  const base = { id: 'v', kind: 'share' as const, shareId: 's', label: 'A', mode: 'view' as const, connectedAt: '2026-01-01T00:00:00.000Z', lastInputAt: null, requestId: null };
  it('typed in the last minute, and which action a row offers', async () => {
    const { rowAction, typedRecently } = await import('../../renderer/src/watching.js');
    const now = Date.parse('2026-01-01T00:10:00.000Z');
    expect(typedRecently({ ...base, lastInputAt: '2026-01-01T00:09:30.000Z' }, now)).toBe(true);
    expect(typedRecently({ ...base, lastInputAt: '2026-01-01T00:08:59.000Z' }, now)).toBe(false);
    expect(typedRecently(base, now)).toBe(false);
    expect(rowAction(base)).toBeNull();
    expect(rowAction({ ...base, requestId: 'r' })).toBe('answer');
    expect(rowAction({ ...base, requestId: 'r', mode: 'control' })).toBe('take_back');
    expect(rowAction({ ...base, kind: 'owner', mode: 'owner', requestId: 'r' })).toBeNull();
  });
});

describe('ListSync (the panel list across an event-stream reconnect)', () => {
  const session = (id: string): Session => ({
    id,
    name: id,
    command: ['cat'],
    cwd: '/',
    pid: 1,
    status: 'running',
    exitCode: null,
    cols: 80,
    rows: 24,
    createdAt: new Date(0).toISOString(),
    lastOutputAt: null,
    viewers: 0,
  });
  function panel(): { list: Map<string, Session>; sync: ListSync; applied: string[] } {
    const list = new Map<string, Session>();
    const applied: string[] = [];
    const sync = new ListSync((e) => {
      applied.push(e.type);
      if (e.type === 'session.removed') list.delete(e.sessionId);
      else if (e.type === 'session.created' || e.type === 'session.updated' || e.type === 'session.exited') list.set(e.session.id, e.session);
    });
    return { list, sync, applied };
  }
  const replaceWith = (list: Map<string, Session>) => (all: Session[]) => {
    list.clear();
    for (const s of all) list.set(s.id, s);
  };

  it('applies the events that arrive during the reload and are newer than the list', () => {
    const { list, sync } = panel();
    sync.begin();
    // While the GET is in flight: b is created (seq 11, after the list was read), a is removed
    // (seq 12). The list was read at seq 10, with a and without b.
    sync.event({ type: 'session.created', session: session('b') }, 11);
    sync.event({ type: 'session.removed', sessionId: 'a' }, 12);
    expect(list.size).toBe(0); // held, not applied over the old list
    sync.finish([session('a')], 10, replaceWith(list));
    expect([...list.keys()]).toEqual(['b']); // a does not come back, b does not disappear
  });

  it('skips held session events the list already reflects, but not other events', () => {
    const { list, sync, applied } = panel();
    sync.begin();
    sync.event({ type: 'session.removed', sessionId: 'c' }, 5);
    sync.event({ type: 'control.resolved', sessionId: 'c', requestId: 'r', granted: false } as unknown as ServerEvent, 6);
    sync.finish([session('c')], 6, replaceWith(list)); // c was created again after seq 5
    expect([...list.keys()]).toEqual(['c']);
    expect(applied).toEqual(['control.resolved']);
  });

  it('applies live events at once when no reload is in flight, and held ones if the reload fails', () => {
    const { list, sync } = panel();
    sync.event({ type: 'session.created', session: session('x') }, 1);
    expect([...list.keys()]).toEqual(['x']);
    sync.begin();
    sync.event({ type: 'session.created', session: session('y') }, 2);
    sync.abort();
    expect([...list.keys()]).toEqual(['x', 'y']);
  });

  it('reads the id field of an SSE message', () => {
    const got: Array<[string, string, string | undefined]> = [];
    const p = new SseParser((ev, data, id) => got.push([ev, data, id]));
    p.push('id: 7\nevent: session.removed\ndata: {}\n\nevent: x\ndata: 1\n\n');
    expect(got).toEqual([
      ['session.removed', '{}', '7'],
      ['x', '1', undefined],
    ]);
  });
});

describe('features the server lists decide what the viewer offers', () => {
  it('hides Request control and Replay on a server without them (an older one lists none)', async () => {
    const { canReplay, canRequestControl } = await import('../../renderer/src/features.js');
    const all = new Set(['request_control', 'replay', 'resume']);
    const none = new Set<string>();
    expect(canRequestControl('view', all)).toBe(true);
    expect(canRequestControl('view', none)).toBe(false);
    expect(canRequestControl('control', all)).toBe(false);
    expect(canRequestControl('owner', all)).toBe(false);
    expect(canReplay({ kind: 'ended', exitCode: 0 }, all)).toBe(true);
    expect(canReplay({ kind: 'ended', exitCode: 0 }, none)).toBe(false);
    expect(canReplay({ kind: 'not_found' }, all)).toBe(false);
  });
});

describe('FlowWriter.inOrder (a resize waits for the output before it)', () => {
  /** xterm-like: writes parse later, callbacks fire in order. */
  function slowTerm(): { term: { write(d: Uint8Array | string, cb?: () => void): void }; log: string[]; parse(): void } {
    const log: string[] = [];
    const queue: Array<[Uint8Array | string, (() => void) | undefined]> = [];
    return {
      log,
      term: {
        write: (d, cb) => queue.push([d, cb]),
      },
      parse() {
        for (const [d, cb] of queue.splice(0)) {
          if (d.length) log.push(`parsed ${typeof d === 'string' ? d : new TextDecoder().decode(d)}`);
          cb?.();
        }
      },
    };
  }

  it('runs the action after what was written before it is parsed, before what follows', () => {
    const t = slowTerm();
    const w = new FlowWriter(t.term, () => {});
    w.write('old-size-output');
    w.inOrder(() => t.log.push('resize'));
    w.write('new-size-output');
    expect(t.log).toEqual([]); // nothing parsed yet: the resize must not jump ahead
    t.parse();
    expect(t.log).toEqual(['parsed old-size-output', 'resize', 'parsed new-size-output']);
  });

  it('runs at once when nothing is pending, and still runs when the queue is dropped', () => {
    const t = slowTerm();
    const w = new FlowWriter(t.term, () => {});
    const ran: string[] = [];
    w.inOrder(() => ran.push('now'));
    expect(ran).toEqual(['now']);
    w.write(new Uint8Array(CLIENT_HIGH_WATER_BYTES + 1)); // handed; the next ones queue
    w.write('queued');
    w.inOrder(() => ran.push('queued-resize'));
    w.resetThen(); // the queue goes; the resize is not lost
    expect(ran).toEqual(['now', 'queued-resize']);
  });
});

describe('inputFrames (a paste over 64 KiB)', () => {
  it('splits input into frames the server accepts, bytes in order', () => {
    const big = new Uint8Array(INPUT_MAX_BYTES * 2 + 10).map((_, i) => i % 251);
    const frames = inputFrames(big);
    expect(frames.map((f) => f.byteLength)).toEqual([INPUT_MAX_BYTES, INPUT_MAX_BYTES, 10]);
    expect(Buffer.concat(frames.map((f) => Buffer.from(f)))).toEqual(Buffer.from(big));
    expect(inputFrames(new Uint8Array(5))).toHaveLength(1);
  });
});
