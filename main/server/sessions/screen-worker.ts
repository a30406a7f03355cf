// The body of the screen worker: a headless xterm that parses a session's output on another
// core, so parsing (20-39 MB/s here) never sits between the PTY (~48 MB/s) and the viewers.
// screen.ts starts it from `screenWorkerMain.toString()` (eval worker), which keeps it one
// typed source file that runs the same under tsc output and vitest; so this function must be
// self-contained: no closures over module scope, only `req` for modules.
import type * as WorkerThreads from 'node:worker_threads';
import type * as Headless from '@xterm/headless';
import type * as Serialize from '@xterm/addon-serialize';

export interface ScreenWorkerData {
  headlessPath: string;
  serializePath: string;
  cols: number;
  rows: number;
  scrollback: number;
}

/** main -> worker, in stream order. */
export type ToScreenWorker =
  | { t: 'data'; d: Uint8Array }
  | { t: 'resize'; cols: number; rows: number }
  /** `wait`: answer once everything sent so far is parsed; else answer now, at the parsed offset. */
  | { t: 'req'; id: number; wait: boolean; serialize: boolean; text: boolean };

/** worker -> main. Offsets count output bytes since the session started. */
export type FromScreenWorker =
  | { t: 'ack'; offset: number; done: number }
  | { t: 'title'; title: string }
  | { t: 'res'; id: number; offset: number; done: number; cols: number; rows: number; data?: string; text?: string };

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
  const term = new Terminal({ cols: wd.cols, rows: wd.rows, scrollback: wd.scrollback, allowProposedApi: true });
  const serializer = new SerializeAddon();
  term.loadAddon(serializer);
  const send = (m: FromScreenWorker): void => port.postMessage(m);

  let received = 0; // bytes handed to term.write
  let parsed = 0; // bytes whose write callback has run: the screen reflects exactly these
  let acked = 0;
  let done = 0; // data/resize items applied
  term.onTitleChange((title) => send({ t: 'title', title }));

  const visibleText = (): string => {
    const buf = term.buffer.active;
    const lines: string[] = [];
    for (let y = 0; y < term.rows; y++) lines.push(buf.getLine(buf.baseY + y)?.translateToString(true) ?? '');
    return lines.join('\n');
  };
  const answer = (m: Extract<ToScreenWorker, { t: 'req' }>): void => {
    send({
      t: 'res',
      id: m.id,
      offset: parsed,
      done,
      cols: term.cols,
      rows: term.rows,
      data: m.serialize ? serializer.serialize({ scrollback: wd.scrollback }) : undefined,
      text: m.text ? visibleText() : undefined,
    });
  };

  port.on('message', (m: ToScreenWorker) => {
    if (m.t === 'data') {
      const n = m.d.byteLength;
      received += n;
      term.write(m.d, () => {
        parsed += n;
        done++;
        if (parsed === received || parsed - acked >= ACK) {
          acked = parsed;
          send({ t: 'ack', offset: parsed, done });
        }
      });
    } else if (m.t === 'resize') {
      // xterm applies resize at once but queues writes: resize behind the queued output instead.
      term.write('', () => {
        term.resize(m.cols, m.rows);
        done++;
      });
    } else if (m.wait) {
      term.write('', () => answer(m));
    } else {
      answer(m);
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
