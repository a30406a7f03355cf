// /api/events numbers its events (`id:`), GET /api/sessions says which event its list reflects
// (X-Porthole-Event-Seq), so the panel can apply exactly the events its reload missed; and a
// stream whose client stops reading is cut once SSE_CLIENT_MAX_QUEUED_BYTES is queued for it,
// while a reading stream goes on.
import { Socket } from 'node:net';
import { setImmediate as yieldNow } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { SSE_CLIENT_MAX_QUEUED_BYTES } from '../../main/server/http/sse.js';
import { startServer, until, type TestServer } from '../helpers/server.js';

/** Reads /api/events with fetch, keeping every (id, event) pair. */
function readEvents(ts: TestServer): { events: Array<{ id: number; type: string }>; stop: () => void; text: () => string } {
  const ac = new AbortController();
  const events: Array<{ id: number; type: string }> = [];
  let buf = '';
  void (async () => {
    const res = await fetch(`${ts.url}/api/events`, { headers: { authorization: `Bearer ${ts.ownerToken}` }, signal: ac.signal });
    const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      buf += value;
      let i: number;
      while ((i = buf.indexOf('\n\n')) >= 0) {
        const block = buf.slice(0, i);
        buf = buf.slice(i + 2);
        const id = /^id: (\d+)$/m.exec(block);
        const ev = /^event: (\S+)$/m.exec(block);
        if (ev) events.push({ id: id ? Number(id[1]) : NaN, type: ev[1] });
      }
    }
  })().catch(() => {});
  return { events, stop: () => ac.abort(), text: () => buf };
}

describe('event ids and the list sequence number', () => {
  it('numbers events in order and the list says which one it reflects', async () => {
    const ts = await startServer();
    const stream = readEvents(ts);
    await until(() => ts.server.sessions.list() !== undefined); // server up
    await new Promise((r) => setTimeout(r, 100));
    const a = await ts.createSession();
    const b = await ts.createSession();
    await ts.api(`/api/sessions/${a.id}`, { method: 'DELETE' });
    await until(() => stream.events.some((e) => e.type === 'session.removed'), 5000, 'session.removed');
    const res = await ts.api('/api/sessions');
    const seq = Number(res.headers.get('x-porthole-event-seq'));
    const list = (await res.json()) as Array<{ id: string }>;
    expect(list.map((s) => s.id)).toEqual([b.id]);
    const ids = stream.events.map((e) => e.id);
    expect(ids.every((id) => Number.isInteger(id) && id > 0)).toBe(true);
    expect(ids).toEqual([...ids].sort((x, y) => x - y));
    expect(new Set(ids).size).toBe(ids.length);
    // Every event seen so far is reflected in the list's seq, and nothing later exists yet.
    expect(seq).toBe(Math.max(...ids));
    stream.stop();
  });

  it('cuts a stream whose client does not read once its queue passes the bound; a reading one goes on', async () => {
    const ts = await startServer();
    const s = await ts.createSession();
    const reading = readEvents(ts);
    // A client that sends the request and never reads the answer.
    const stalled = new Socket();
    stalled.on('error', () => {});
    // The paused client cannot see its end (it reads nothing): count the server's streams.
    const hub = (ts.server as unknown as { sse: { size: number } }).sse;
    await until(() => hub.size === 1, 5000, 'the reading stream');
    await new Promise<void>((r) => stalled.connect(ts.port, '127.0.0.1', r));
    stalled.write(`GET /api/events HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${ts.ownerToken}\r\n\r\n`);
    stalled.pause();
    await until(() => hub.size === 2, 5000, 'the stalled stream');
    const stalledClosed = (): boolean => hub.size < 2;
    // Far more event bytes than loopback buffers plus the bound hold.
    const name = 'n'.repeat(120);
    let sent = 0;
    for (let i = 0; i < 400 && !stalledClosed(); i++) {
      for (let j = 0; j < 100; j++) ts.server.sessions.rename(s.id, `${name}${j}`);
      sent += 100;
      await yieldNow();
    }
    await until(stalledClosed, 10_000, 'the stalled stream to be cut');
    expect(sent * 500).toBeGreaterThan(SSE_CLIENT_MAX_QUEUED_BYTES);
    // The reading stream is still open and gets what comes next.
    ts.server.sessions.rename(s.id, 'after');
    await until(() => reading.text().includes('"after"') || reading.events.length >= sent, 20_000, 'the reading stream');
    expect(hub.size).toBe(1);
    const res = await ts.api('/health');
    expect(res.status).toBe(200);
    reading.stop();
    stalled.destroy();
  }, 60_000);
});
