// Issue 8 point 5 (contract section 9): input sent to a program that does not read it is held
// up to a bound (1 MiB); past it the server stops reading the socket, so TCP pushes back on
// the sender and memory stays flat; reading resumes once the program drains it. The attack as
// sent: a control link's 64 KiB frames, under the message-rate limit, to `sleep 120`; and the
// worse case found while fixing it: a program in raw mode that does not read (the kernel keeps
// its input instead of dropping it), where node-pty's blocking write froze the whole server.
import { describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { INPUT_BACKLOG_MAX_BYTES } from '../../common/flow.js';
import { connectWs, sleep, startServer, type TestServer } from '../helpers/server.js';

const FRAME = Buffer.alloc(64 * 1024, 'a');

/** Sends 64 KiB frames for `ms` (at most ~800/s, and never more than 4 MiB queued in this
 *  client), sampling the session's input backlog; returns what it saw. */
async function flood(ts: TestServer, sessionId: string, ws: WebSocket, ms: number): Promise<{ maxBacklog: number; sent: number; wire: number }> {
  const handle = ts.server.sessions.get(sessionId)!;
  let maxBacklog = 0;
  let sent = 0;
  const end = Date.now() + ms;
  while (Date.now() < end && ws.readyState === WebSocket.OPEN) {
    for (let i = 0; i < 8 && ws.bufferedAmount < 4 * 1024 * 1024; i++) {
      ws.send(FRAME, { binary: true });
      sent += FRAME.length;
    }
    maxBacklog = Math.max(maxBacklog, handle.inputBacklog?.() ?? 0);
    await sleep(10);
  }
  return { maxBacklog, sent, wire: sent - ws.bufferedAmount };
}

describe('input to a program that does not read is bounded', () => {
  for (const who of ['owner', 'control link'] as const) {
    it(`${who}: the server stops reading the socket at the bound; the backlog stays flat; /health answers`, async () => {
      const ts = await startServer();
      const s = await ts.createSession({ command: ['sh', '-c', 'stty raw -echo; sleep 120'] });
      let token = ts.ownerToken;
      if (who === 'control link') token = (await ts.json<{ token: string }>(`/api/sessions/${s.id}/shares`, { body: { mode: 'control' } })).body.token;
      const sock = connectWs(ts, s.id, { token });
      await sock.waitForText('ready');
      await sleep(300); // stty has run
      const health: number[] = [];
      let flooding = true;
      const prober = (async () => {
        while (flooding) {
          const t0 = performance.now();
          const ok = await fetch(`${ts.url}/health`, { signal: AbortSignal.timeout(5000) }).then((x) => x.ok, () => false);
          health.push(ok ? performance.now() - t0 : Infinity);
          await sleep(50);
        }
      })();
      const r = await flood(ts, s.id, sock.ws, 3000);
      flooding = false;
      await prober;
      // The server never froze: every /health during the flood was answered.
      expect(health.length).toBeGreaterThan(5);
      expect(Math.max(...health)).toBeLessThan(5000);
      console.log(`[input bound] ${who}: tried ${(r.sent / 2 ** 20).toFixed(0)} MiB, left the client ${(r.wire / 2 ** 20).toFixed(1)} MiB, server backlog max ${(r.maxBacklog / 2 ** 20).toFixed(2)} MiB`);
      // The server held at most the bound plus what one read of the socket brings in.
      expect(r.maxBacklog).toBeGreaterThan(INPUT_BACKLOG_MAX_BYTES / 2);
      expect(r.maxBacklog).toBeLessThan(INPUT_BACKLOG_MAX_BYTES + 2 * 1024 * 1024);
      // The rest waits in the client (TCP pushed back): far less left it than it tried to send.
      expect(r.sent).toBeGreaterThan(INPUT_BACKLOG_MAX_BYTES + 2 * 1024 * 1024);
      // The socket stays usable (held, not closed), and HTTP input is refused while it is full.
      expect(sock.closeInfo).toBeUndefined();
      const http = await ts.json<{ error: { code: string } }>(`/api/sessions/${s.id}/input`, { body: { data: 'x' }, token });
      expect(http.status).toBe(429);
      expect(http.body.error.code).toBe('input_backlog');
      expect(http.headers.get('retry-after')).toBe('1');
    }, 30_000);
  }

  it('`sleep 120` as sent (canonical mode: the kernel drops what does not fit): memory stays flat, the socket stays open', async () => {
    const ts = await startServer();
    const s = await ts.createSession({ command: ['sleep', '120'] });
    const sock = connectWs(ts, s.id);
    await sock.waitForText('ready');
    const r = await flood(ts, s.id, sock.ws, 2000);
    expect(r.maxBacklog).toBeLessThan(INPUT_BACKLOG_MAX_BYTES + 2 * 1024 * 1024);
    expect(sock.closeInfo).toBeUndefined();
  }, 30_000);

  it('reading resumes once the program reads: everything sent arrives', async () => {
    const ts = await startServer();
    // Reads nothing for 2 s, then everything (and counts it).
    const s = await ts.createSession({ command: ['sh', '-c', 'stty raw -echo; sleep 2; head -c 6291456 >/dev/null; echo; echo GOT-ALL; sleep 30'] });
    const sock = connectWs(ts, s.id);
    await sock.waitForText('ready');
    await sleep(300); // stty has run
    for (let i = 0; i < 96; i++) sock.ws.send(FRAME, { binary: true }); // 6 MiB
    await sleep(1000);
    expect(ts.server.sessions.get(s.id)!.inputBacklog?.() ?? 0).toBeLessThan(INPUT_BACKLOG_MAX_BYTES + 2 * 1024 * 1024);
    await sock.waitForOutput('GOT-ALL', 20_000);
    expect(sock.closeInfo).toBeUndefined();
  }, 30_000);
});
