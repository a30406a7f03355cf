// Resume after a drop (contract section 8) with a real PTY and real sockets: `ready` says the
// output offset, a reconnect with `resumeFrom` gets exactly the missed bytes (no redraw) while
// the server holds them, a redraw otherwise, and garbage offsets are a plain redraw.
import { describe, expect, it } from 'vitest';
import { RESUME_KEEP_BYTES } from '../../main/server/sessions/output-ring.js';
import { connectWs, startServer, type TestServer, type TestSocket } from '../helpers/server.js';

type Ready = Awaited<ReturnType<TestSocket['waitForText']>> & { type: 'ready' };

/** A shell loop that prints on request: `N` prints N x's then `done-N`; `t` prints a tag. */
const PRINTER = ['sh', '-c', 'while read n; do case $n in t*) echo "tag-$n";; *) head -c "$n" /dev/zero | tr "\\000" x; echo; echo "done-$n";; esac; done'];

async function ready(sock: TestSocket): Promise<Ready> {
  return (await sock.waitForText('ready')) as Ready;
}

/** The client's offset: where ready said, plus every binary byte after the redraw. */
function offsetOf(sock: TestSocket, r: Ready): number {
  return (r.outputOffset ?? 0) + sock.outputBytes.length - (r.redrawBytes ?? 0);
}

async function say(ts: TestServer, id: string, line: string): Promise<void> {
  const r = await ts.api(`/api/sessions/${id}/input`, { body: { data: `${line}\n` } });
  expect(r.status).toBe(204);
}

async function settle(ts: TestServer, id: string, needle: string): Promise<void> {
  await expect.poll(async () => (await ts.api(`/api/sessions/${id}/snapshot`)).text(), { timeout: 10_000 }).toContain(needle);
}

describe('resume after a drop', () => {
  it('sends exactly the missed bytes, with no redraw, while the gap is held', async () => {
    const ts = await startServer();
    const s = await ts.createSession({ command: PRINTER });
    const a = connectWs(ts, s.id);
    const ra = await ready(a);
    expect(ra.resumed).toBe(false);
    expect(ra.features).toContain('resume');
    await say(ts, s.id, 'tone');
    await a.waitForOutput('tag-tone\r\n');
    const before = a.outputBytes.subarray(ra.redrawBytes ?? 0);
    const offset = offsetOf(a, ra);
    a.ws.close();
    await a.closed;

    await say(ts, s.id, 'ttwo');
    await settle(ts, s.id, 'tag-ttwo');
    const b = connectWs(ts, s.id, { resumeFrom: offset });
    const rb = await ready(b);
    expect(rb).toMatchObject({ resumed: true, outputOffset: offset, redrawBytes: 0 });
    await b.waitForOutput('tag-ttwo\r\n');
    // The missed bytes only: the echo of "ttwo" and its answer, nothing from before the drop.
    expect(b.outputText).not.toContain('tone');
    expect(b.outputText.startsWith('ttwo')).toBe(true);
    // And the two halves join into what a client connected throughout saw: a third socket's
    // stream from offset 0 (the whole ring) equals before + missed.
    const whole = connectWs(ts, s.id, { resumeFrom: 0 });
    const rw = await ready(whole);
    expect(rw.resumed).toBe(true);
    await whole.waitForOutput('tag-ttwo\r\n');
    expect(Buffer.concat([whole.outputBytes.subarray(0, ra.outputOffset ?? 0), before, b.outputBytes]).equals(whole.outputBytes)).toBe(true);

    // Live output continues after the resumed bytes, exactly once.
    await say(ts, s.id, 'tthree');
    await b.waitForOutput('tag-tthree\r\n');
    expect(b.outputText.split('tag-ttwo').length).toBe(2);
  });

  it('redraws when the gap is no longer held (over 1 MiB missed)', async () => {
    const ts = await startServer();
    const s = await ts.createSession({ command: PRINTER });
    const a = connectWs(ts, s.id);
    const ra = await ready(a);
    await say(ts, s.id, 'tfirst');
    await a.waitForOutput('tag-tfirst');
    const offset = offsetOf(a, ra);
    a.ws.close();
    await a.closed;
    const big = RESUME_KEEP_BYTES + 200_000;
    await say(ts, s.id, String(big));
    await settle(ts, s.id, `done-${big}`);
    const b = connectWs(ts, s.id, { resumeFrom: offset });
    const rb = await ready(b);
    expect(rb.resumed).toBe(false);
    expect(rb.outputOffset).toBeGreaterThan(offset + RESUME_KEEP_BYTES);
    expect(rb.redrawBytes).toBeGreaterThan(0);
    await b.waitForOutput(`done-${big}`);
    // The redraw is the screen, not the megabyte of x's.
    expect(b.outputBytes.length).toBeLessThan(RESUME_KEEP_BYTES);
  });

  it('redraws for garbage offsets, a future offset, and across a resize, and stays live', async () => {
    const ts = await startServer();
    const s = await ts.createSession({ command: PRINTER });
    const a = connectWs(ts, s.id);
    const ra = await ready(a);
    await say(ts, s.id, 'tx');
    await a.waitForOutput('tag-tx');
    const offset = offsetOf(a, ra);
    for (const resumeFrom of [-1, 1.5, 'abc', null, { n: 1 }, offset + 1000, Number.MAX_SAFE_INTEGER, 1e300]) {
      const b = connectWs(ts, s.id, { resumeFrom });
      const rb = await ready(b);
      expect(rb.resumed).toBe(false);
      await b.waitForOutput('tag-tx');
      b.sendJson({ type: 'ping' });
      await b.waitForText('pong');
      b.ws.close();
    }
    // Output, then a resize: resumed from before that output, bytes alone cannot replay the
    // resize at the right point, so a redraw.
    await say(ts, s.id, 'tmid');
    await a.waitForOutput('tag-tmid');
    const atResize = offsetOf(a, ra);
    a.sendJson({ type: 'resize', cols: 100, rows: 30 });
    await expect.poll(async () => (await ts.json<{ cols: number }>(`/api/sessions/${s.id}`)).body.cols).toBe(100);
    await say(ts, s.id, 'tafter');
    await a.waitForOutput('tag-tafter');
    const c = connectWs(ts, s.id, { resumeFrom: offset });
    expect((await ready(c)).resumed).toBe(false);
    // From the resize on, every missed byte is at the new size: resumed, the size first.
    const d = connectWs(ts, s.id, { resumeFrom: atResize });
    expect((await ready(d)).resumed).toBe(true);
    expect(d.texts[1]).toEqual({ type: 'resize', cols: 100, rows: 30 });
    await d.waitForOutput('tag-tafter');
    expect(d.outputText).not.toContain('tmid');
  });

  it('takes resumeFrom from the upgrade URL too (header auth, --no-auth)', async () => {
    const ts = await startServer({ auth: false });
    const s = await ts.createSession({ command: PRINTER });
    const a = connectWs(ts, s.id, { token: null });
    const ra = await ready(a);
    await say(ts, s.id, 'tq1');
    await a.waitForOutput('tag-tq1');
    const offset = offsetOf(a, ra);
    a.ws.close();
    await a.closed;
    await say(ts, s.id, 'tq2');
    await settle(ts, s.id, 'tag-tq2');
    const b = connectWs(ts, s.id, { token: null, path: `/api/sessions/${s.id}/ws?resumeFrom=${offset}` });
    expect(await ready(b)).toMatchObject({ resumed: true, outputOffset: offset });
    await b.waitForOutput('tag-tq2');
    expect(b.outputText).not.toContain('tq1');
    const c = connectWs(ts, s.id, { token: null, path: `/api/sessions/${s.id}/ws?resumeFrom=-4` });
    expect((await ready(c)).resumed).toBe(false);
  });
});
