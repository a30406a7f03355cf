// Output batching where it pays (sessions/output-pacer.ts): keys echoed back to back go out at
// once, one frame each, with no batch timer armed; a flood still travels in large frames.
// Counted, never timed.
import { describe, expect, it, vi } from 'vitest';
import { OUTPUT_BATCH_MS } from '../../common/flow.js';
import { OUTPUT_SLOW_MIN_VIEWERS } from '../../main/server/sessions/output-pacer.js';
import type { ViewerSink } from '../../main/server/sessions/types.js';
import { connectFrames } from '../helpers/frame-socket.js';
import { inChildProcess, startServer } from '../helpers/server.js';

const binaryFrames = (frames: ReadonlyArray<{ kind: string }>, from = 0) => frames.slice(from).filter((f) => f.kind === 'binary').length;
const FLOOD = ['sh', '-c', 'stty -echo; read _; seq 1 200000; echo flood-done; exec sleep 60'];

/** A viewer on session `id` starts the flood and reads it to its end: its bytes and frames. */
async function viewFlood(ts: Awaited<ReturnType<typeof startServer>>, id: string): Promise<{ bytes: number; frames: number }> {
  const v = connectFrames(ts, id);
  await v.waitForText('ready');
  const mark = v.frames.length;
  const before = v.binaryBytes;
  v.ws.send(Buffer.from('\r'));
  await v.waitForOutput('flood-done', 120_000, mark);
  return { bytes: v.binaryBytes - before, frames: binaryFrames(v.frames, mark) };
}

describe('output batching', () => {
  it.skipIf(inChildProcess)('echoes of keys typed back to back go out at once: one frame per key, no batch timer', async () => {
    const ts = await startServer();
    const s = await ts.createSession({ command: ['sh', '-c', 'stty -icanon -echo; exec cat'] });
    const v = connectFrames(ts, s.id);
    await v.waitForText('ready');
    // The batch timer is the only setTimeout of OUTPUT_BATCH_MS or less on this path: count them.
    const spy = vi.spyOn(globalThis, 'setTimeout');
    try {
      const mark = v.frames.length;
      const keys = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWX'; // 50 keys, each sent when the last echoed
      for (let i = 0; i < keys.length; i++) {
        v.ws.send(Buffer.from(keys[i]));
        await v.waitForOutput(keys.slice(0, i + 1), 10_000, mark);
      }
      const batchTimers = spy.mock.calls.filter(([, ms]) => typeof ms === 'number' && ms > 0 && ms <= OUTPUT_BATCH_MS).length;
      // Before the pacer every echo within OUTPUT_BATCH_MS of the last flush waited for a timer.
      expect(batchTimers).toBe(0);
      expect(binaryFrames(v.frames, mark)).toBe(keys.length);
    } finally {
      spy.mockRestore();
    }
  });

  it('a flood of `seq 1 200000` still travels in large frames', async () => {
    const ts = await startServer();
    const s = await ts.createSession({ command: FLOOD });
    const { bytes, frames } = await viewFlood(ts, s.id);
    expect(bytes).toBeGreaterThan(1_200_000);
    // One frame per PTY read would be ~4 KiB each (300+ frames); batches are far larger.
    expect(bytes / frames).toBeGreaterThan(8 * 1024);
  }, 180_000);

  // What 1,000 viewers cost a broadcast (one socket write each, ~10 us under Node), put on one
  // viewer: each frame sent blocks the loop for SLOW_SEND_MS, longer than a batch window. The
  // other viewers (enough for the fan-out to count: OUTPUT_SLOW_MIN_VIEWERS) are in-process
  // sinks that drop what they get.
  const SLOW_SEND_MS = 3 * OUTPUT_BATCH_MS;
  it.skipIf(inChildProcess)('a flood still travels in large frames while each broadcast is slow (many viewers)', async () => {
    const ts = await startServer();
    const s = await ts.createSession({ command: FLOOD });
    const handle = ts.server.sessions.get(s.id);
    if (!handle) throw new Error('no session');
    const attach = handle.attach.bind(handle);
    handle.attach = (sink: ViewerSink, opts) =>
      attach({
        get bufferedAmount() {
          return sink.bufferedAmount;
        },
        sendBinary(chunk) {
          const until = Date.now() + SLOW_SEND_MS;
          while (Date.now() < until); // the cost of the other 999 sockets' writes
          sink.sendBinary(chunk);
        },
        sendText: (msg) => sink.sendText(msg),
        close: (code, reason) => sink.close(code, reason),
      }, opts);
    const others = Array.from({ length: OUTPUT_SLOW_MIN_VIEWERS - 1 }, () =>
      attach({ bufferedAmount: 0, sendBinary: () => {}, sendText: () => {}, close: () => {} }),
    );
    const { bytes, frames } = await viewFlood(ts, s.id);
    expect(bytes).toBeGreaterThan(1_200_000);
    // Before, a batch held back by the slow send came out light and the pacer went back to one
    // frame per PTY read (Node at 1,000 viewers: 368 frames of ~4 KiB per viewer, Bun 16).
    expect(bytes / frames).toBeGreaterThan(16 * 1024);
    for (const o of others) o.detach();
  }, 180_000);
});
