// Contract section 4.5: a viewer that stops reading must not slow the PTY or the other viewers,
// must cost the server a bounded amount of memory, and must get `resync` plus a fresh redraw
// once it reads again (viewer.ts with the watermarks of common/flow.ts).
import { describe, expect, it } from 'vitest';
import { OUTPUT_BATCH_MAX_BYTES, VIEWER_HIGH_WATER_BYTES } from '../../common/flow.js';
import type { ViewerSink } from '../../main/server/sessions/types.js';
import { connectFrames, type FrameSocket } from '../helpers/frame-socket.js';
import { inChildProcess, startServer, until, type TestServer } from '../helpers/server.js';
import { bufferLines, newTerminal, replay, visibleText } from '../helpers/terminal.js';

const LAST = 3_000_000; // ~21 MB of output: far more than loopback socket buffers absorb
const FLOOD = `stty -echo; read x; seq 1 ${LAST}; echo flood-done; stty echo; exec cat`;
const FLOOD_BYTES = Array.from({ length: LAST }, (_, i) => String(i + 1).length + 2).reduce((a, b) => a + b, 0);

/**
 * Wraps the session's attach so the test sees what the server really holds for each viewer:
 * the largest `bufferedAmount` of its socket (bytes queued in the server, not yet on the wire).
 * A server in a child process (Bun) cannot be watched: undefined, and then the resync alone
 * shows that its bufferedAmount rose past the high-water mark.
 */
function watchViewerBuffers(ts: TestServer, id: string): number[] | undefined {
  if (inChildProcess) return undefined;
  const handle = ts.server.sessions.get(id);
  if (!handle) throw new Error('no session');
  const peaks: number[] = [];
  const attach = handle.attach.bind(handle);
  handle.attach = (sink: ViewerSink, opts) => {
    const i = peaks.push(0) - 1;
    const note = (): number => {
      const b = sink.bufferedAmount;
      peaks[i] = Math.max(peaks[i], b);
      return b;
    };
    return attach({
      get bufferedAmount() {
        return note();
      },
      sendBinary(chunk) {
        sink.sendBinary(chunk);
        note();
      },
      sendText: (msg) => sink.sendText(msg),
      close: (code, reason) => sink.close(code, reason),
    }, opts);
  };
  return peaks;
}

/**
 * Starts the flood and resolves once the reading viewer saw all of it. No wall-clock bound: a
 * viewer that held the PTY back would hold it for as long as the paused reader reads nothing,
 * which is forever, so the flood would never end and this would time out.
 */
async function runFlood(fast: FrameSocket): Promise<void> {
  fast.ws.send(Buffer.from('go\n'));
  await fast.waitForOutput('flood-done', 120_000);
}

describe('slow viewer backpressure', () => {
  it('drops a paused viewer behind a bounded backlog, keeps the rest at full speed, then resyncs it', async () => {
    const ts = await startServer();

    const s = await ts.createSession({ command: ['sh', '-c', FLOOD] });
    const peaks = watchViewerBuffers(ts, s.id);
    const fast = connectFrames(ts, s.id);
    await fast.waitForText('ready');
    const slow = connectFrames(ts, s.id);
    const slowFrames = slow.frames;
    await slow.waitForText('ready');
    if (peaks) await until(() => peaks.length === 2, 5000, 'both viewers attached');
    slow.ws.pause(); // reads nothing more (ws's public pause): the kernel buffers fill, then the server's

    await runFlood(fast);

    // The reading viewer got every byte, in order.
    const expected = Array.from({ length: LAST }, (_, i) => `${i + 1}\r\n`).join('');
    expect(expected.length).toBe(FLOOD_BYTES);
    const fastOut = Buffer.concat(fast.frames.flatMap((f) => (f.kind === 'binary' ? [f.data] : []))).toString('latin1');
    const start = fastOut.indexOf('1\r\n2\r\n3\r\n');
    expect(fastOut.slice(start, start + FLOOD_BYTES) === expected).toBe(true);

    // The paused viewer really filled up (else this test proves nothing), and the server held at
    // most the high-water mark plus one batch (a batch may exceed its nominal size by one read)
    // and one redraw for it: not the 21 MB that went by.
    if (peaks) {
      expect(peaks[1]).toBeGreaterThan(VIEWER_HIGH_WATER_BYTES);
      expect(peaks[1]).toBeLessThan(VIEWER_HIGH_WATER_BYTES + 4 * OUTPUT_BATCH_MAX_BYTES + 512 * 1024);
    }
    expect(slowFrames.some((f) => f.kind === 'text' && f.msg.type === 'resync')).toBe(false);

    // Reading again: what was already queued arrives, then `resync` and a fresh redraw.
    slow.ws.resume();
    await slow.waitForText('resync', 10_000);
    await slow.waitFor(() => {
      const i = slowFrames.findIndex((f) => f.kind === 'text' && f.msg.type === 'resync');
      return i >= 0 && slowFrames.slice(i + 1).some((f) => f.kind === 'binary');
    }, 'a redraw after resync', 10_000);
    expect(slow.binaryBytes).toBeLessThan(FLOOD_BYTES / 2);

    // Both are live again: typed input echoes to both. The echo may wait for the screen worker to
    // parse the 21 MB (the PTY stays paused while its backlog is high): on a loaded machine under
    // Bun that took over 5 s, so the wait is for order, not speed.
    const [fastMark, slowMark] = [fast.frames.length, slow.frames.length];
    fast.ws.send(Buffer.from('after-resync\n'));
    await fast.waitForOutput('after-resync\r\nafter-resync', 30_000, fastMark);
    await slow.waitForOutput('after-resync\r\nafter-resync', 30_000, slowMark);
    const snapshot = await (await ts.api(`/api/sessions/${s.id}/snapshot`)).text();
    const term = newTerminal(80, 24);
    await replay(term, slowFrames);
    expect(visibleText(term)).toBe(snapshot);
    const lines = bufferLines(term).filter((l) => l !== '');
    const flood = lines.slice(0, lines.indexOf('flood-done'));
    expect(flood.at(-1)).toBe(String(LAST));
    expect(flood.map(Number)).toEqual(flood.map((_, i) => LAST - flood.length + 1 + i));
    expect((await ts.json<{ viewers: number; status: string }>(`/api/sessions/${s.id}`)).body).toMatchObject({ viewers: 2, status: 'running' });
  }, 120_000);
});
