// A late joiner must see exactly what everyone else sees (contract section 4, step 2): the
// redraw from the server-side screen (screen.ts, screen-worker.ts) plus its unparsed tail plus
// live output (viewer.ts) must rebuild the same cells, colours, cursor and scrollback, plus the
// state full-screen apps leave set (scroll region, charsets, tab stops...), and must stitch onto
// live output with no line lost or repeated, even mid-flood.
import { describe, expect, it } from 'vitest';
import { DEFAULT_SCROLLBACK_LINES } from '../../common/flow.js';
import type { Session } from '../../common/protocol.js';
import { connectFrames, type FrameSocket } from '../helpers/frame-socket.js';
import { startServer, type TestServer } from '../helpers/server.js';
import { bufferLines, cellDump, hiddenState, newTerminal, replay, visibleText, writeTo, type Frame, type HeadlessTerminal } from '../helpers/terminal.js';

const COLS = 80;
const ROWS = 24;

/** The raw output as the PTY produced it, from the recording: the reference screen is built from this. */
async function recordedOutput(ts: TestServer, id: string): Promise<string> {
  const text = await (await ts.api(`/api/sessions/${id}/recording`)).text();
  return text
    .split('\n')
    .slice(1)
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as [number, string, string])
    .filter((e) => e[1] === 'o')
    .map((e) => e[2])
    .join('');
}

/** Resolves once every frame of the viewer's redraw has arrived (each piece goes out in one go;
 *  with `scrollbackFollows`, the visible rows come first and the whole state after a resync). */
async function redrawComplete(sock: FrameSocket): Promise<void> {
  await sock.waitForText('ready');
  await sock.waitFor(() => sock.binaryBytes > 0, 'a redraw frame');
  const ready = sock.texts.find((m) => m.type === 'ready');
  if (ready?.type === 'ready' && ready.scrollbackFollows) await sock.waitForText('resync');
  sock.sendJson({ type: 'ping' });
  await sock.waitForText('pong'); // queued after the redraw, which was sent synchronously
}

describe('late joiner redraw', () => {
  it('rebuilds the exact screen, colours, cursor and the last 10,000 lines of scrollback', async () => {
    const ts = await startServer(); // default scrollback: DEFAULT_SCROLLBACK_LINES
    const total = 12_000;
    const script = [
      `seq 1 ${total}`,
      String.raw`printf '\033[31mred\033[0m \033[1;32mbold green\033[0m \033[44;97mblue bg\033[0m \033[38;5;208m256\033[0m \033[38;2;1;2;3mrgb\033[0m\n'`,
      String.raw`printf '\033[7minverse\033[0m \033[3;4mitalic-underline\033[0m'`,
      String.raw`printf '\033[5;10Hhere\033[12;3H'`, // paint mid-screen, then leave the cursor elsewhere
      'exec sleep 1000',
    ].join('; ');
    const s = await ts.createSession({ command: ['sh', '-c', script], cols: COLS, rows: ROWS });
    await expect.poll(async () => (await ts.api(`/api/sessions/${s.id}/snapshot`)).text(), { timeout: 10_000 }).toContain('here');
    // Nothing more will be printed: the snapshot is final.
    const snapshot = await (await ts.api(`/api/sessions/${s.id}/snapshot`)).text();

    const sock = connectFrames(ts, s.id);
    await redrawComplete(sock);
    const late = newTerminal(COLS, ROWS, DEFAULT_SCROLLBACK_LINES);
    await replay(late, sock.frames);

    expect(visibleText(late)).toBe(snapshot);
    expect(snapshot.split('\n')[4]).toMatch(/^\d+ +here$/);

    // The reference: the PTY's own bytes on a terminal of the same size and scrollback.
    const ref = newTerminal(COLS, ROWS, DEFAULT_SCROLLBACK_LINES);
    await writeTo(ref, await recordedOutput(ts, s.id));
    expect(cellDump(late)).toEqual(cellDump(ref));
    expect(late.buffer.active.cursorX).toBe(2);
    expect(late.buffer.active.cursorY).toBe(11);

    // Scrollback holds the last DEFAULT_SCROLLBACK_LINES lines, not all of them: 12,000 numbers
    // and two text lines were printed, the buffer keeps scrollback + rows of them.
    const lines = bufferLines(late);
    const printed = total + 2;
    expect(lines.length).toBe(DEFAULT_SCROLLBACK_LINES + ROWS);
    const firstKept = printed - (DEFAULT_SCROLLBACK_LINES + ROWS) + 1;
    expect(lines[0]).toBe(String(firstKept));
    const scrollback = lines.slice(0, DEFAULT_SCROLLBACK_LINES);
    expect(scrollback).toEqual(Array.from({ length: DEFAULT_SCROLLBACK_LINES }, (_, i) => String(firstKept + i)));
    expect(lines).not.toContain('1');
    expect(lines).toContain(String(total));
    expect(lines.some((l) => l.startsWith('red bold green'))).toBe(true);
  });

  it('carries the state a full-screen app relies on: scroll region, origin, tabs, saved cursor, charsets, mouse', async () => {
    const ts = await startServer();
    const e = String.raw`\033`;
    // What vim, less, tmux or a dialog box leave set while they wait for a key.
    const before = [
      `printf '${e}[2J${e}[H'; for i in $(seq 1 12); do echo top$i; done`,
      `printf '${e}[22;1Hfooter'`, // below the scroll region: must never move
      `printf '${e}[3g${e}[1;5H${e}H${e}[1;30H${e}H'`, // tab stops at columns 5 and 30 only
      `printf '${e}[3;7H${e}7'`, // saved cursor (DECSC)
      `printf '${e}[?1002h${e}[?1006h${e}[?25l'`, // mouse drag tracking, SGR encoding, cursor hidden
      `printf '${e}[2;10r${e}[?6h${e}[9;1H'`, // scroll region 2-10, origin mode, bottom of region
      `printf '${e})0\\016'`, // G1 = line drawing, shifted in
    ].join('; ');
    // Each step only comes out right if the matching state reached the late joiner.
    const after = [
      `printf 'qqqx\\017\\n\\n'`, // line drawing, back to G0, then scroll the region only
      `printf '${e}[1;1Horigin\\ta\\tb'`, // origin-relative home, custom tabs
      `printf '${e}8R'`, // back to the saved cursor
    ].join('; ');
    const s = await ts.createSession({ command: ['sh', '-c', `stty -echo; ${before}; read x; ${after}; exec sleep 1000`], cols: COLS, rows: ROWS });
    // All of `before` parsed by the server's screen (a snapshot waits for the parser), so the
    // state reaches the joiner in the serialized redraw, not as raw tail output.
    await expect.poll(() => recordedOutput(ts, s.id), { timeout: 10_000 }).toContain('\x0e');
    expect(await (await ts.api(`/api/sessions/${s.id}/snapshot`)).text()).toContain('footer');
    const sock = connectFrames(ts, s.id);
    await redrawComplete(sock);
    const mark = sock.frames.length;
    sock.ws.send(Buffer.from('\n'));
    await sock.waitForOutput('\x1b8R', 5000, mark);

    const ref = newTerminal(COLS, ROWS);
    await writeTo(ref, await recordedOutput(ts, s.id));
    const late = newTerminal(COLS, ROWS);
    await replay(late, sock.frames);
    expect(visibleText(ref)).toContain('origin'); // the reference shows the app's intent
    expect(visibleText(ref)).toContain('\u2500\u2500\u2500\u2502');
    expect(visibleText(late)).toBe(await (await ts.api(`/api/sessions/${s.id}/snapshot`)).text());
    expect(cellDump(late)).toEqual(cellDump(ref));
    expect(hiddenState(late)).toEqual(hiddenState(ref));
  });

  it('stitches redraw and live output exactly for viewers that join during a flood', async () => {
    const ts = await startServer();
    const last = 300_000;
    // Silent until told to go, so the first viewer sees the whole flood live; after it, waits for
    // a second line, sent right behind the resize, so the resize always lands while it runs.
    const s = await ts.createSession({ command: ['sh', '-c', `stty -echo; read x; seq 1 ${last}; read y`], cols: COLS, rows: ROWS });
    const monitor = connectFrames(ts, s.id);
    await monitor.waitForText('ready'); // its redraw (of a blank screen) precedes any live output

    // Joiners open their sockets now but authenticate (and so attach) only at points in the flood.
    const joiners = Array.from({ length: 6 }, () => connectFrames(ts, s.id, { auth: false }));
    await Promise.all(joiners.map((j) => j.opened));
    const floodBytes = Array.from({ length: last }, (_, i) => String(i + 1).length + 2).reduce((a, b) => a + b, 0);
    let next = 0;
    let resized = false;
    monitor.ws.on('message', () => {
      // Joiner k attaches once about (k+1)/8 of the flood has gone by (counted by the monitor).
      while (next < joiners.length && monitor.binaryBytes >= ((next + 1) * floodBytes) / (joiners.length + 2)) {
        joiners[next++].sendJson({ type: 'auth', token: ts.ownerToken });
      }
      // A resize mid-flood: redraws must carry it in stream order (a tail item between batches).
      if (!resized && monitor.binaryBytes >= floodBytes * 0.45) {
        resized = true;
        monitor.sendJson({ type: 'resize', cols: 100, rows: 30 });
        monitor.ws.send(Buffer.from('done\n'));
      }
    });
    monitor.ws.send(Buffer.from('go\n'));

    await monitor.closed;
    await Promise.all(joiners.map((j) => j.closed));
    expect(next).toBe(joiners.length);
    expect(monitor.texts.find((m) => m.type === 'exit')).toEqual({ type: 'exit', exitCode: 0 });

    await checkStitched(monitor.frames, last);
    let midFlood = 0;
    for (const j of joiners) {
      const r = await checkStitched(j.frames, last);
      if (r.firstRedrawLast > 0 && r.firstRedrawLast < last) midFlood++;
    }
    // The joins are paced by the flood itself, so most land inside it; one is enough to prove
    // the stitch, and zero would mean this test proved nothing.
    expect(midFlood).toBeGreaterThan(0);
    expect((await ts.json<Session>(`/api/sessions/${s.id}`)).body).toMatchObject({ status: 'exited', exitCode: 0 });
  }, 60_000);
});


describe('late join on a long scrollback', () => {
  it('sends the visible rows first, live at once, then the whole state; the result is exact', async () => {
    const ts = await startServer();
    // Lines enough for the visible rows to come first (VISIBLE_FIRST_MIN_LINES), too few for the
    // idle serializer (IDLE_SERIALIZE_MIN_LINES), so no serialization is cached when the joiner asks.
    const lines = 900;
    const s = await ts.createSession({ command: ['sh', '-c', `seq 1 ${lines}; printf '\\033[1;33mtail\\033[0m '; exec cat`], cols: COLS, rows: ROWS });
    const monitor = connectFrames(ts, s.id);
    await monitor.waitForOutput('tail');
    await new Promise((r) => setTimeout(r, 500)); // parsed by the screen worker (no snapshot: that would cache)

    const sock = connectFrames(ts, s.id);
    await sock.waitForText('ready');
    const ready = sock.texts[0];
    expect(ready).toMatchObject({ type: 'ready', scrollbackFollows: true });
    const firstRedraw = ready.type === 'ready' ? (ready.redrawBytes ?? 0) : 0;
    expect(firstRedraw).toBeGreaterThan(0);
    expect(firstRedraw).toBeLessThan(1500); // 24 rows, not 900 lines (~3.6 KB)

    // Live on the visible rows: what is typed now reaches the joiner whatever the scrollback does.
    sock.ws.send(Buffer.from('typed\n'));
    await redrawComplete(sock);
    await sock.waitForOutput('typed\r\ntyped');
    const resyncAt = sock.frames.findIndex((f) => f.kind === 'text' && f.msg.type === 'resync');
    expect(resyncAt).toBeGreaterThan(0);
    const resync = sock.frames[resyncAt];
    expect(resync.kind === 'text' && resync.msg.type === 'resync' && (resync.msg.redrawBytes ?? 0)).toBeGreaterThan(3000);

    // The visible rows alone already show the screen as it was (the redraw's first bytes).
    const early = newTerminal(COLS, ROWS);
    await replay(early, sock.frames.slice(0, resyncAt));
    const visibleBefore = visibleText(early).split('\n');
    expect(visibleBefore.some((l) => l.startsWith(`${lines}`))).toBe(true);
    expect(bufferLines(early).length).toBeLessThan(ROWS + 5); // no scrollback yet

    // The end state: the PTY's own bytes on a fresh terminal, scrollback and colours included.
    await expect.poll(async () => (await ts.api(`/api/sessions/${s.id}/snapshot`)).text()).toContain('typed\ntyped');
    const ref = newTerminal(COLS, ROWS, DEFAULT_SCROLLBACK_LINES);
    await writeTo(ref, await recordedOutput(ts, s.id));
    const late = newTerminal(COLS, ROWS, DEFAULT_SCROLLBACK_LINES);
    await replay(late, sock.frames);
    expect(cellDump(late)).toEqual(cellDump(ref));
    expect(bufferLines(late)[0]).toBe('1');
    // A client that ignores `resync` still ends exact: the whole state starts with a reset (RIS).
    const naive = newTerminal(COLS, ROWS, DEFAULT_SCROLLBACK_LINES);
    await replay(naive, sock.frames.filter((f) => !(f.kind === 'text' && f.msg.type === 'resync')));
    expect(cellDump(naive)).toEqual(cellDump(ref));
  });

  it('sends one piece when the scrollback is short', async () => {
    const ts = await startServer();
    const s = await ts.createSession({ command: ['sh', '-c', 'seq 1 100; exec cat'], cols: COLS, rows: ROWS });
    const monitor = connectFrames(ts, s.id);
    await monitor.waitForOutput('100');
    await new Promise((r) => setTimeout(r, 300));
    const sock = connectFrames(ts, s.id);
    await redrawComplete(sock);
    expect(sock.texts[0]).not.toHaveProperty('scrollbackFollows');
    expect(sock.texts.some((m) => m.type === 'resync')).toBe(false);
    const late = newTerminal(COLS, ROWS);
    await replay(late, sock.frames);
    expect(bufferLines(late)[0]).toBe('1');
  });
});

/**
 * Replays one viewer's frames and checks, after every binary frame, that the complete lines are
 * consecutive numbers and that the lines this frame added continue the last one seen before it:
 * a duplicated or missing chunk at any stitch point fails here even if it later scrolls away.
 * Returns the last complete number after the first (serialized redraw) frame: when it joined.
 */
async function checkStitched(frames: readonly Frame[], last: number): Promise<{ firstRedrawLast: number }> {
  const term = newTerminal(COLS, ROWS, DEFAULT_SCROLLBACK_LINES);
  let feeds = 0;
  term.onLineFeed(() => feeds++);
  let prev: number | undefined; // last complete number; undefined after a (re)start: check all
  let firstRedrawLast: number | undefined;
  const problems: string[] = [];
  const check = (t: HeadlessTerminal, i: number): void => {
    const buf = t.buffer.active;
    const lines = bufferLines(t).slice(0, buf.baseY + buf.cursorY); // the cursor line may be partial
    let fresh: string[];
    let expected: number;
    if (prev === undefined) {
      const start = lines.findIndex((l) => l !== '');
      fresh = start === -1 ? [] : lines.slice(start);
      expected = Number(fresh[0] ?? 0);
    } else {
      // `feeds` lines were completed by this frame; more than the buffer holds have scrolled away.
      fresh = lines.slice(Math.max(0, lines.length - feeds));
      expected = prev + feeds - fresh.length + 1;
      if (lines.length > feeds && lines[lines.length - feeds - 1] !== String(prev)) {
        problems.push(`frame ${i}: the line before the new output is ${lines[lines.length - feeds - 1]}, expected ${prev}`);
      }
    }
    feeds = 0;
    for (const l of fresh) {
      if (l !== String(expected)) {
        problems.push(`frame ${i}: got ${JSON.stringify(l)} where ${expected} belongs`);
        break;
      }
      expected++;
    }
    prev = fresh.length > 0 ? expected - 1 : (prev ?? 0);
    firstRedrawLast ??= prev;
  };
  await replay(term, frames, { afterBinary: check, onResync: () => (prev = undefined) });
  expect(problems.slice(0, 5)).toEqual([]); // the first few say where; the rest only cascade
  expect(prev).toBe(last);
  expect(visibleText(term).trimEnd().split('\n').at(-1)).toBe(String(last));
  expect([term.cols, term.rows]).toEqual([100, 30]); // followed the mid-flood resize
  term.dispose();
  return { firstRedrawLast: firstRedrawLast ?? 0 };
}
