// The WebSocket terminal bridge behind `porthole run` and `porthole attach`: this terminal's
// keys go to a session, the session's output comes back, raw mode is on while attached and off
// again on every way out (exit, detach, close, error, signal, process exit). A connection lost
// mid-session is reopened with `resumeFrom` (contract section 8): the server sends only the
// bytes this terminal missed, or, when it no longer holds them, a redraw on a cleared screen.
import WebSocket, { type RawData } from 'ws';
import { CLOSE, ERROR_CODES, PortholeError, UsageError, closeReasonCode } from '../../../common/errors.js';
import { INPUT_MAX_BYTES, VIEWER_HIGH_WATER_BYTES, VIEWER_LOW_WATER_BYTES } from '../../../common/flow.js';
import { WsServerMessageSchema, type Session, type ViewMode } from '../../../common/protocol.js';
import { ResumeCursor } from '../../../common/resume.js';
import { connectError, noSession, refusalError, type ApiClient } from './api.js';
import { QueryReplyFilter } from '../../../common/terminal-queries.js';
import { DetachKeyFilter } from './detach.js';
import { resizeWatchFor } from '../../server/platform/signals.js';
import { terminalSize, type ClientIO, type ClientSignal } from './io.js';

/** The server must say `ready` this soon after the socket opens. */
export const READY_TIMEOUT_MS = 10_000;
/** After `exit`, the server closes the socket; if it does not, stop waiting after this long. */
export const EXIT_CLOSE_GRACE_MS = 2_000;
/** Largest output frame accepted from the server (a redraw with scrollback can be big). */
export const CLIENT_MAX_PAYLOAD_BYTES = 64 * 1024 * 1024;

/** A lost connection is retried this many times (backoff RECONNECT_BASE_MS doubling, capped). */
export const RECONNECT_ATTEMPTS = 8;
export const RECONNECT_BASE_MS = 200;
export const RECONNECT_MAX_MS = 5_000;
/** Close codes after which reconnecting cannot help (ended, refused, server stopping, abuse). */
const FINAL_CLOSES: ReadonlySet<number> = new Set([
  CLOSE.normal, CLOSE.goingAway, CLOSE.policy, CLOSE.tooBig, CLOSE.unauthenticated, CLOSE.forbidden, CLOSE.noSession, CLOSE.linkFull,
]);

const CLEAR_SCREEN = '\x1b[H\x1b[2J';
const CTRL_D = Buffer.from([0x04]);

export interface BridgeOptions {
  api: ApiClient;
  sessionId: string;
  io: ClientIO;
  /** Clear this terminal before the session's redraw (attach) instead of drawing in place (run). */
  clearScreen: boolean;
  /** Pipe mode: when stdin ends, type Ctrl-D so a command reading stdin sees end of input (run). */
  eofSendsCtrlD: boolean;
  /** Called once the server is ready, before raw mode goes on: the place to print hints. */
  onReady?(session: Session, mode: ViewMode): void;
  readyTimeoutMs?: number;
}

export type BridgeResult =
  | { kind: 'exited'; exitCode: number | null }
  | { kind: 'detached' }
  | { kind: 'signal'; signal: ClientSignal };

function toBuffer(data: RawData): Buffer {
  if (Buffer.isBuffer(data)) return data;
  if (Array.isArray(data)) return Buffer.concat(data);
  return Buffer.from(data);
}

/** Attach this terminal to one session until it exits, the user detaches or a signal comes. */
export function bridge(opts: BridgeOptions): Promise<BridgeResult> {
  const { io, api, sessionId } = opts;
  return new Promise<BridgeResult>((resolve, reject) => {
    let ws: WebSocket;
    const cursor = new ResumeCursor();
    let reconnects = 0;
    /** The current socket has said `ready` (reset per connection). */
    let live = false;
    const filter = new DetachKeyFilter();
    // This terminal answers the program's queries too; the server's screen already does, once:
    // its answers to what we pass it are dropped from our input (common/terminal-queries.ts).
    const replies = new QueryReplyFilter();
    const cleanups: Array<() => void> = [];
    const timers = new Set<NodeJS.Timeout>();
    let settled = false;
    let ready = false;
    let raw = false;
    let mode: ViewMode = 'owner';
    let exitCode: number | null | undefined;
    let netError: unknown;

    const later = (ms: number, fn: () => void) => {
      const t = setTimeout(() => {
        timers.delete(t);
        fn();
      }, ms);
      timers.add(t);
    };

    const restoreTerminal = () => {
      if (!raw) return;
      raw = false;
      try {
        io.stdin.setRawMode?.(false);
      } catch {
        // the terminal is already gone (hangup): nothing to restore
      }
    };
    // Last chance: whatever ends the process, raw mode goes off first.
    cleanups.push(io.onExit(restoreTerminal));
    cleanups.push(io.onSignal((signal) => finish({ kind: 'signal', signal })));

    function finish(result: BridgeResult | Error): void {
      if (settled) return;
      settled = true;
      restoreTerminal();
      for (const t of timers) clearTimeout(t);
      timers.clear();
      for (const c of cleanups.reverse()) c();
      io.stdin.pause();
      if (ws.readyState === WebSocket.OPEN) ws.close(CLOSE.normal, result instanceof Error ? 'error' : 'detached');
      else if (ws.readyState === WebSocket.CONNECTING) ws.terminate();
      if (result instanceof Error) reject(result);
      else resolve(result);
    }

    const armReadyTimeout = (sock: WebSocket) =>
      later(opts.readyTimeoutMs ?? READY_TIMEOUT_MS, () => {
        if (sock !== ws || live) return;
        if (!ready) finish(new PortholeError('internal', `the server at ${api.base.href} did not start the terminal stream in time`));
        else sock.terminate(); // a reconnect that never got ready: try again (close handler)
      });

    let sentSize = '';
    /** A 'resize' event always sends; the Windows poll (onlyIfChanged) sends a change only. */
    const sendResize = (onlyIfChanged = false) => {
      if (mode !== 'owner' || ws.readyState !== WebSocket.OPEN) return;
      const { cols, rows } = terminalSize(io);
      const size = `${cols}x${rows}`;
      if (onlyIfChanged && size === sentSize) return;
      sentSize = size;
      ws.send(JSON.stringify({ type: 'resize', cols, rows }));
    };
    const onResizeEvent = () => sendResize();

    const sendInput = (bytes: Buffer) => {
      for (let i = 0; i < bytes.length; i += INPUT_MAX_BYTES) {
        ws.send(bytes.subarray(i, i + INPUT_MAX_BYTES), { binary: true }, () => {
          if (ws.bufferedAmount < VIEWER_LOW_WATER_BYTES && !settled) io.stdin.resume();
        });
      }
      // A fast pipe must not queue unbounded input in this process.
      if (ws.bufferedAmount > VIEWER_HIGH_WATER_BYTES) io.stdin.pause();
    };

    const onInput = (chunk: Buffer | string) => {
      if (settled || ws.readyState !== WebSocket.OPEN) return;
      const { forward: typed, detach } = filter.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
      const forward = typed.includes(0x1b) ? Buffer.from(replies.filterInput(typed.toString('latin1')), 'latin1') : typed;
      if (forward.length > 0 && mode !== 'view') sendInput(forward);
      if (detach) finish({ kind: 'detached' });
    };
    const onInputEnd = () => {
      if (opts.eofSendsCtrlD && !settled && ws.readyState === WebSocket.OPEN && mode !== 'view') ws.send(CTRL_D, { binary: true });
    };

    const startTerminal = () => {
      if (io.stdin.isTTY && io.stdin.setRawMode) {
        io.stdin.setRawMode(true);
        raw = true;
      }
      io.stdin.on('data', onInput);
      io.stdin.on('end', onInputEnd);
      cleanups.push(() => {
        io.stdin.removeListener('data', onInput);
        io.stdin.removeListener('end', onInputEnd);
      });
      io.stdin.resume();
      if (io.stdout.isTTY) {
        // POSIX: Node turns SIGWINCH into 'resize' on a TTY stdout. Windows has no SIGWINCH and
        // ConPTY hosts do not always raise 'resize', so the size is polled there too.
        const watch = resizeWatchFor(io.platform ?? process.platform);
        if (watch.resizeEvent) {
          io.stdout.on('resize', onResizeEvent);
          cleanups.push(() => io.stdout.removeListener('resize', onResizeEvent));
        }
        if (watch.pollMs !== null) {
          const poll = setInterval(() => sendResize(true), watch.pollMs);
          cleanups.push(() => clearInterval(poll));
        }
        sendResize();
      }
    };

    const writeOutput = (buf: Buffer) => {
      if (io.stdout.isTTY) replies.noteOutput(buf.toString('latin1'));
      if (!io.stdout.write(buf) && !ws.isPaused) {
        // Backpressure: stop reading the socket until this terminal has drained.
        ws.pause();
        io.stdout.once('drain', () => ws.resume());
      }
    };

    function connect(): void {
      // Where this terminal is in the output, on the URL: it works with or without auth.
      const resumeFrom = cursor.resumeFrom;
      const url = resumeFrom === null ? api.wsUrl(sessionId) : `${api.wsUrl(sessionId)}?resumeFrom=${resumeFrom}`;
      const sock = new WebSocket(url, {
        perMessageDeflate: false,
        maxPayload: CLIENT_MAX_PAYLOAD_BYTES,
        handshakeTimeout: READY_TIMEOUT_MS,
      });
      ws = sock;
      armReadyTimeout(sock);
      sock.on('open', () => {
        if (api.token) sock.send(JSON.stringify({ type: 'auth', token: api.token }));
      });

      sock.on('message', (data: RawData, isBinary: boolean) => {
        if (settled || sock !== ws) return;
        if (isBinary) {
          if (!live) return;
          const buf = toBuffer(data);
          cursor.received(buf.length);
          writeOutput(buf);
          return;
        }
        let json: unknown;
        try {
          json = JSON.parse(toBuffer(data).toString('utf8'));
        } catch {
          return;
        }
        const parsed = WsServerMessageSchema.safeParse(json);
        if (!parsed.success) return;
        const msg = parsed.data;
        switch (msg.type) {
          case 'ready':
            if (live) return;
            live = true;
            cursor.start(msg);
            mode = msg.mode;
            if (ready) {
              // A reconnect: resumed, the missed bytes follow; else a redraw for an empty screen.
              reconnects = 0;
              if (!msg.resumed && io.stdout.isTTY) io.stdout.write(CLEAR_SCREEN);
              sendResize();
              return;
            }
            ready = true;
            if (msg.session.status === 'exited') {
              exitCode = msg.session.exitCode;
              later(EXIT_CLOSE_GRACE_MS, () => finish({ kind: 'exited', exitCode: exitCode ?? null }));
            }
            opts.onReady?.(msg.session as Session, msg.mode);
            if (opts.clearScreen && io.stdout.isTTY) io.stdout.write(CLEAR_SCREEN);
            startTerminal();
            return;
          case 'exit':
            exitCode = msg.exitCode;
            later(EXIT_CLOSE_GRACE_MS, () => finish({ kind: 'exited', exitCode: exitCode ?? null }));
            return;
          case 'resync':
            cursor.start(msg);
            // A fresh redraw follows, drawn for an empty screen.
            if (io.stdout.isTTY) io.stdout.write(CLEAR_SCREEN);
            return;
          default:
            // resize, title (the output carries its own escape), error read_only, pong: nothing to do here.
            return;
        }
      });

      sock.on('unexpected-response', (req, res) => {
        // The server refused the upgrade itself (for example 401/403/404 before upgrading).
        const status = res.statusCode ?? 0;
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => {
          if (body.length < 8192) body += c;
        });
        res.on('end', () => {
          let code = `http_${status}`;
          let message = res.statusMessage ?? 'upgrade refused';
          try {
            const e = (JSON.parse(body) as { error?: { code?: unknown; message?: unknown } }).error;
            if (typeof e?.code === 'string') code = e.code;
            if (typeof e?.message === 'string') message = e.message;
          } catch {
            // not JSON: keep the status line
          }
          req.destroy();
          finish(refusalError(status, code, message, api.tokenSource, noSession(sessionId)));
        });
      });

      sock.on('error', (err) => {
        netError = err;
      });

      sock.on('close', (code: number, reasonBuf: Buffer) => {
        if (sock !== ws || settled) return;
        live = false;
        // Lost mid-session (network drop, proxy restart): reopen and resume where we were.
        if (ready && exitCode === undefined && !FINAL_CLOSES.has(code) && reconnects < RECONNECT_ATTEMPTS) {
          const delay = Math.min(RECONNECT_MAX_MS, RECONNECT_BASE_MS * 2 ** reconnects);
          reconnects++;
          later(delay, () => {
            if (!settled) connect();
          });
          return;
        }
        // A refusal's reason is its error code (closeReasonCode): worded from the registry.
        const raw = reasonBuf.toString('utf8');
        const reasonCode = closeReasonCode(raw);
        const reason = reasonCode ? ERROR_CODES[reasonCode].message : raw;
        if (exitCode !== undefined || code === CLOSE.normal) {
          finish({ kind: 'exited', exitCode: exitCode ?? null });
        } else if (code === CLOSE.unauthenticated) {
          finish(refusalError(401, reasonCode ?? 'unauthenticated', reason || 'no valid token', api.tokenSource));
        } else if (code === CLOSE.forbidden) {
          finish(refusalError(403, reasonCode ?? 'forbidden', reason || 'forbidden', api.tokenSource));
        } else if (code === CLOSE.noSession) {
          finish(new UsageError(noSession(sessionId)));
        } else if (code === CLOSE.goingAway) {
          finish(new PortholeError('internal', 'the server is stopping; the session ends with it'));
        } else if (!ready && netError !== undefined) {
          finish(connectError(api.base, netError));
        } else {
          finish(new PortholeError('internal', `the connection to the server was lost (${code}${reason ? ` ${reason}` : ''})`));
        }
      });
    }

    connect();
  });
}
