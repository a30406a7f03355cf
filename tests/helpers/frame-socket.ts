// A WebSocket viewer for floods of many megabytes: keeps frames in arrival order (text and
// binary interleaved, for replay into a terminal) and searches output incrementally. TestSocket
// re-concatenates and re-decodes all output on every frame, which is quadratic at that size.
import { afterEach } from 'vitest';
import WebSocket from 'ws';
import type { WsServerMessage } from '../../common/protocol.js';
import { WaitingSocket, type TestServer } from './server.js';
import type { Frame } from './terminal.js';

const open = new Set<WebSocket>();

afterEach(() => {
  for (const ws of open) ws.terminate();
  open.clear();
});

export class FrameSocket extends WaitingSocket {
  readonly frames: Frame[] = [];
  binaryBytes = 0;
  readonly opened: Promise<void>;
  readonly closed: Promise<{ code: number; reason: string }>;

  constructor(readonly ws: WebSocket) {
    super();
    this.opened = new Promise((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    this.opened.catch(() => {});
    ws.on('error', () => {});
    this.closed = new Promise((resolve) => {
      ws.on('close', (code, reason) => {
        this.closeInfo = { code, reason: reason.toString() };
        open.delete(ws);
        resolve(this.closeInfo);
        this.wake();
      });
    });
    ws.on('message', (data, isBinary) => {
      const buf = data as Buffer;
      if (isBinary) {
        this.frames.push({ kind: 'binary', data: buf });
        this.binaryBytes += buf.length;
      } else {
        this.frames.push({ kind: 'text', msg: JSON.parse(buf.toString('utf8')) as WsServerMessage });
      }
      this.wake();
    });
  }

  get texts(): WsServerMessage[] {
    return this.frames.flatMap((f) => (f.kind === 'text' ? [f.msg] : []));
  }

  /** Binary output containing `needle` at or after frame `fromFrame`; scans each frame once. */
  waitForOutput(needle: string, timeoutMs?: number, fromFrame = 0): Promise<true> {
    let scanned = fromFrame;
    let carry = '';
    return this.waitFor(() => {
      for (; scanned < this.frames.length; scanned++) {
        const f = this.frames[scanned];
        if (f.kind !== 'binary') continue;
        const text = carry + f.data.toString('latin1');
        if (text.includes(needle)) return true;
        carry = text.slice(-needle.length);
      }
      return undefined;
    }, `output ${JSON.stringify(needle)}`, timeoutMs);
  }

  sendJson(msg: unknown): void {
    this.ws.send(JSON.stringify(msg));
  }

}

/** Opens a viewer socket; with `auth: false` the caller authenticates (attaches) it later. */
export function connectFrames(ts: TestServer, sessionId: string, opts: { auth?: boolean } = {}): FrameSocket {
  const ws = new WebSocket(`${ts.url.replace(/^http/, 'ws')}/api/sessions/${sessionId}/ws`, { maxPayload: 64 * 1024 * 1024 });
  open.add(ws);
  const sock = new FrameSocket(ws);
  if (opts.auth !== false) sock.opened.then(() => sock.sendJson({ type: 'auth', token: ts.ownerToken }), () => {});
  return sock;
}
