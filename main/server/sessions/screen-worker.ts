// The body of the screen worker: headless xterms that parse every session's output on another
// core, so parsing (20-39 MB/s here) never sits between the PTY (~48 MB/s) and the viewers.
// One worker serves all sessions of a server (a thread per session cost ~40 ms to start and
// several MB each); messages carry the screen id `s`. screen-host.ts starts it from
// `screenWorkerMain.toString()` (eval worker), which keeps it one typed source file that runs the
// same under tsc output and vitest; so this function must be self-contained: no closures over
// module scope, only `req` for modules.
import type * as WorkerThreads from 'node:worker_threads';
import type * as Headless from '@xterm/headless';
import type * as Serialize from '@xterm/addon-serialize';

export interface ScreenWorkerData {
  headlessPath: string;
  serializePath: string;
}

/** main -> worker, in stream order per screen. */
export type ToScreenWorker =
  | { t: 'open'; s: number; cols: number; rows: number; scrollback: number }
  | { t: 'close'; s: number }
  | { t: 'data'; s: number; d: Uint8Array }
  | { t: 'resize'; s: number; cols: number; rows: number }
  /** `wait`: answer once everything sent so far is parsed; else answer now, at the parsed offset. */
  | { t: 'req'; s: number; id: number; wait: boolean; serialize: boolean; text: boolean };

/** worker -> main. Offsets count output bytes since the screen opened. */
export type FromScreenWorker =
  | { t: 'ack'; s: number; offset: number; done: number }
  | { t: 'title'; s: number; title: string }
  | { t: 'res'; s: number; id: number; offset: number; done: number; cols: number; rows: number; data?: string; text?: string };

// `done` counts data and resize items fully applied, in the order main posted them: it is how
// main knows exactly which of its retained items a serialized state already contains (a byte
// offset alone is ambiguous when a resize sits between two batches).

export function screenWorkerMain(req: (id: string) => unknown): void {
  /** Acks are throttled to one per this many parsed bytes, plus one whenever parsing catches up. */
  const ACK = 256 * 1024;
  const { parentPort, workerData } = req('node:worker_threads') as typeof WorkerThreads;
  const wd = workerData as ScreenWorkerData;
  const { Terminal } = req(wd.headlessPath) as typeof Headless;
  const { SerializeAddon } = req(wd.serializePath) as typeof Serialize;
  const port = parentPort!;
  const send = (m: FromScreenWorker): void => port.postMessage(m);

  interface Screen {
    term: Headless.Terminal;
    serializer: Serialize.SerializeAddon;
    scrollback: number;
    received: number; // bytes handed to term.write
    parsed: number; // bytes whose write callback has run: the screen reflects exactly these
    acked: number;
    done: number; // data/resize items applied
    closed: boolean;
  }
  const screens = new Map<number, Screen>();

  const open = (s: number, cols: number, rows: number, scrollback: number): void => {
    const term = new Terminal({ cols, rows, scrollback, allowProposedApi: true });
    const serializer = new SerializeAddon();
    term.loadAddon(serializer);
    term.onTitleChange((title) => send({ t: 'title', s, title }));
    screens.set(s, { term, serializer, scrollback, received: 0, parsed: 0, acked: 0, done: 0, closed: false });
  };

  const visibleText = (term: Headless.Terminal): string => {
    const buf = term.buffer.active;
    const lines: string[] = [];
    for (let y = 0; y < term.rows; y++) lines.push(buf.getLine(buf.baseY + y)?.translateToString(true) ?? '');
    return lines.join('\n');
  };
  const answer = (sc: Screen, m: Extract<ToScreenWorker, { t: 'req' }>): void => {
    send({
      t: 'res',
      s: m.s,
      id: m.id,
      offset: sc.parsed,
      done: sc.done,
      cols: sc.term.cols,
      rows: sc.term.rows,
      data: m.serialize ? sc.serializer.serialize({ scrollback: sc.scrollback }) : undefined,
      text: m.text ? visibleText(sc.term) : undefined,
    });
  };

  port.on('message', (m: ToScreenWorker) => {
    if (m.t === 'open') {
      open(m.s, m.cols, m.rows, m.scrollback);
      return;
    }
    const sc = screens.get(m.s);
    if (!sc) return; // closed: anything still in flight for it is moot
    if (m.t === 'close') {
      sc.closed = true;
      screens.delete(m.s);
      sc.term.dispose();
    } else if (m.t === 'data') {
      const n = m.d.byteLength;
      sc.received += n;
      sc.term.write(m.d, () => {
        if (sc.closed) return;
        sc.parsed += n;
        sc.done++;
        if (sc.parsed === sc.received || sc.parsed - sc.acked >= ACK) {
          sc.acked = sc.parsed;
          send({ t: 'ack', s: m.s, offset: sc.parsed, done: sc.done });
        }
      });
    } else if (m.t === 'resize') {
      // xterm applies resize at once but queues writes: resize behind the queued output instead.
      sc.term.write('', () => {
        if (sc.closed) return;
        sc.term.resize(m.cols, m.rows);
        sc.done++;
      });
    } else if (m.wait) {
      sc.term.write('', () => {
        if (!sc.closed) answer(sc, m);
      });
    } else {
      answer(sc, m);
    }
  });
}

/** The eval source of the worker (see the header comment for why not a worker file). */
export function screenWorkerSource(): string {
  return [
    // esbuild-style transforms may wrap named functions in __name(); make that a no-op here.
    'var __name = (f) => f;',
    `(${screenWorkerMain.toString()})(require);`,
  ].join('\n');
}
