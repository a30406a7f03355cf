// What an open, idle viewer socket keeps alive (issue 13: RSS per idle viewer). The upgrade's
// IncomingMessage (headers, rawHeaders, their strings: ~2 KB) must be collectable once the
// socket is open; a closure sharing its scope kept it for the socket's whole life. And a text
// frame longer than any client message is refused before it is decoded (issue 11.2: junk text
// frames of up to 1 MiB each became a 1-2 MiB string before JSON.parse refused them).
import { runInNewContext } from 'node:vm';
import { setFlagsFromString } from 'node:v8';
import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { WS_TEXT_MAX_BYTES } from '../../common/flow.js';
import { connectWs, inChildProcess, sleep, startServer } from '../helpers/server.js';

/** A full GC without starting the test process with --expose-gc. */
function collectGarbage(): () => void {
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
}

describe('ws: per-socket memory', () => {
  // Reaches into the in-process Server's http server: not for a child-process runtime.
  it.skipIf(inChildProcess)('an open socket does not keep its upgrade request alive', async () => {
    const ts = await startServer();
    const s = await ts.createSession({ command: ['sh', '-c', 'echo up; exec sleep 60'] });
    const refs: Array<WeakRef<IncomingMessage>> = [];
    ts.server.httpServer!.prependListener('upgrade', (req: IncomingMessage) => refs.push(new WeakRef(req)));
    const socks = Array.from({ length: 5 }, () => connectWs(ts, s.id));
    for (const sock of socks) await sock.waitForText('ready');
    const gc = collectGarbage();
    for (let i = 0; i < 3; i++) {
      gc();
      await sleep(50);
    }
    expect(refs).toHaveLength(5);
    for (const sock of socks) expect(sock.closeInfo).toBeUndefined(); // still open
    expect(refs.filter((r) => r.deref() !== undefined).length).toBe(0);
  });

  it('refuses a text frame longer than WS_TEXT_MAX_BYTES before parsing it, and keeps the socket', async () => {
    const ts = await startServer();
    const s = await ts.createSession({ command: ['sh', '-c', 'echo up; exec sleep 60'] });
    const sock = connectWs(ts, s.id);
    await sock.waitForText('ready');
    // Valid JSON and a valid ping, padded past the bound: parsed, it would answer pong.
    sock.ws.send('{"type":"ping"}' + ' '.repeat(WS_TEXT_MAX_BYTES));
    const err = await sock.waitForText('error');
    expect(err.code).toBe('payload_too_large');
    expect(sock.texts.some((m) => m.type === 'pong')).toBe(false);
    // At the bound it is still an ordinary message.
    sock.ws.send('{"type":"ping"}' + ' '.repeat(WS_TEXT_MAX_BYTES - 15));
    await sock.waitForText('pong');
    expect(sock.closeInfo).toBeUndefined();
  });
});
