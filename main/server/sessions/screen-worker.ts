// The screen worker's entry file: headless xterms that parse every session's output on another
// core, so parsing (20-39 MB/s here) never sits between the PTY (~48 MB/s) and the viewers.
// One worker serves all sessions of a server (a thread per session cost ~40 ms to start and
// several MB each); messages carry the screen id `s` (screen-protocol.ts). screen-host.ts starts
// it as `new Worker(new URL('./screen-worker.js', import.meta.url))`, and it imports
// @xterm/headless normally, so a bundler (bun build --compile) sees both the file and its imports.
import fs from 'node:fs';
import os from 'node:os';
import { parentPort } from 'node:worker_threads';
import headless from '@xterm/headless';
import serializeAddon from '@xterm/addon-serialize';
import type * as Headless from '@xterm/headless';
import type * as Serialize from '@xterm/addon-serialize';
import { oscColorReply } from '../../../common/terminal-queries.js';
import type { FromScreenWorker, ToScreenWorker } from './screen-protocol.js';
import { screenPreview } from './screen-preview.js';
import { fullCollector } from '../memory-settle.js';

// Both packages are CommonJS: their classes hang off the default export on Node and Bun alike.
const { Terminal } = headless;
const { SerializeAddon } = serializeAddon;

/** Acks are throttled to one per this many parsed bytes, plus one whenever parsing catches up. */
const ACK = 256 * 1024;
/**
 * Serializing a long scrollback costs ~30 ms, so a screen that has gone quiet this long with at
 * least IDLE_SERIALIZE_MIN_LINES lines refreshes its cached serialization in the background:
 * someone who joins an idle session (the usual case) gets the redraw at once. At most one
 * serialization per quiet spell, on this worker's thread, never the server's.
 */
const IDLE_SERIALIZE_MS = 250;
const IDLE_SERIALIZE_MIN_LINES = 1000;
/**
 * A late joiner of a screen with at least this many scrollback lines and no cached
 * serialization gets the visible rows first (~0.1 ms to serialize), then the whole state: the
 * screen shows at once instead of after ~3 us per scrollback line. Below it, one piece is as fast.
 */
const VISIBLE_FIRST_MIN_LINES = 256;
/**
 * Once parsing has been quiet this long, a screen sends its visible rows to the server thread
 * (a 'visible' message: the styled rows for a share link's first paint, and for such a screen
 * also serialized, ~0.1 ms, ~2 KB), so a join or a first paint shows them without waiting for this
 * thread, which runs at a lower priority and may wake late on a busy machine. Debounced, so a
 * flood or fast typing costs one serialization per pause, not one per chunk.
 */
const VISIBLE_CACHE_MS = 16;
if (!parentPort) throw new Error('screen-worker.js runs as a worker thread (screen-host.ts starts it)');
const port = parentPort;
// Parsing is the one job here that may lag: at a lower priority this thread yields the CPU to
// the PTY's child, the server's thread and the viewers during a flood (2 cores are common),
// and catches up in the pauses; the backlog is bounded (SCREEN_BACKLOG_MAX_BYTES). Linux nice
// values are per thread, so this leaves the server's own thread alone. Only Linux: on macOS and
// Windows there is no /proc (readlink throws) and setPriority would lower the whole process,
// the server's thread included, so those parse at the normal priority.
const NICE = 10;
try {
  const tid = Number(fs.readlinkSync('/proc/thread-self').split('/').pop());
  if (Number.isInteger(tid) && tid > 0) os.setPriority(tid, Math.max(os.getPriority(tid), NICE));
} catch {
  // not Linux, or not allowed: parse at the normal priority
}
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
  /** The last serialization and the `done` it reflects: joiners of an idle screen reuse it. */
  cache: { done: number; data: string } | undefined;
  idle: ReturnType<typeof setTimeout> | undefined;
  visible: ReturnType<typeof setTimeout> | undefined;
  /** > 0 while replayed output (a rebuilt screen) is parsed: its queries get no answer. */
  muted: number;
}
const screens = new Map<number, Screen>();

const open = (s: number, cols: number, rows: number, scrollback: number): void => {
  const term = new Terminal({ cols, rows, scrollback, allowProposedApi: true });
  const serializer = new SerializeAddon();
  term.loadAddon(serializer);
  term.onTitleChange((title) => send({ t: 'title', s, title }));
  // This screen is the one terminal that answers the program's queries (cursor position, device
  // attributes, modes: xterm's own replies; the colour queries below): exactly once each, into
  // the PTY, whoever watches. Pages never answer (common/terminal-queries.ts).
  const reply = (d: string): void => {
    if (screens.get(s)?.muted === 0) send({ t: 'reply', s, d });
  };
  term.onData(reply);
  for (const code of [10, 11, 12] as const) {
    term.parser.registerOscHandler(code, (data) => {
      if (data !== '?') return false;
      reply(oscColorReply(code));
      return true;
    });
  }
  screens.set(s, { term, serializer, scrollback, received: 0, parsed: 0, acked: 0, done: 0, closed: false, cache: undefined, idle: undefined, visible: undefined, muted: 0 });
};

const visibleText = (term: Headless.Terminal): string => {
  const buf = term.buffer.active;
  const lines: string[] = [];
  for (let y = 0; y < term.rows; y++) lines.push(buf.getLine(buf.baseY + y)?.translateToString(true) ?? '');
  return lines.join('\n');
};
// Serializing 10,000 lines of scrollback costs ~30 ms; it only changes when `done` does.
const serialized = (sc: Screen): string => {
  if (sc.cache?.done !== sc.done) sc.cache = { done: sc.done, data: sc.serializer.serialize({ scrollback: sc.scrollback }) };
  return sc.cache.data;
};
/** The parts of xterm's state that restoreState() reads; xterm has no public API for them. */
interface Internals {
  buffer: { x: number; y: number; ybase: number; scrollTop: number; scrollBottom: number; savedX: number; savedY: number; tabs: Record<string, boolean> };
  coreService: { isCursorHidden: boolean; decPrivateModes: { origin: boolean } };
  coreMouseService: { activeEncoding: string };
  _charsetService: { glevel: number; _charsets: Array<Record<string, string> | undefined> };
}
/**
 * Escape sequences for the state the serializer leaves out but later output and input depend
 * on: tab stops, saved cursor, scroll region, origin mode, line-drawing charsets, a hidden
 * cursor, the mouse encoding (a late joiner to vim, less or tmux otherwise scrolls the wrong
 * lines, draws `qqq` for borders, sends mouse events the app cannot read). Appended to the
 * serialized screen; if xterm's internals ever move, redraws only lose this suffix.
 */
const restoreState = (term: Headless.Terminal): string => {
  const E = '\x1b';
  try {
    const core = (term as unknown as { _core: Internals })._core;
    const b = core.buffer;
    const origin = core.coreService.decPrivateModes.origin;
    let s = origin ? `${E}[?6l` : ''; // absolute positions below; set again further down
    let moved = origin; // the serializer's own trailing ?6h homed the cursor
    // Stops past the right edge (left by a narrowing resize) cannot be set, nor do they matter.
    const stops = Object.keys(b.tabs).filter((k) => b.tabs[k]).map(Number).filter((x) => x < term.cols).sort((p, q) => p - q);
    const defaults = Array.from({ length: Math.ceil(term.cols / 8) }, (_, i) => i * 8);
    if (stops.join() !== defaults.join()) {
      s += `${E}[3g` + stops.map((x) => `${E}[1;${x + 1}H${E}H`).join('');
      moved = true;
    }
    const savedRow = Math.max(0, b.savedY - b.ybase);
    if (b.savedX !== 0 || savedRow !== 0) {
      s += `${E}[${savedRow + 1};${b.savedX + 1}H${E}7`;
      moved = true;
    }
    if (b.scrollTop !== 0 || b.scrollBottom !== term.rows - 1) {
      s += `${E}[${b.scrollTop + 1};${b.scrollBottom + 1}r`;
      moved = true;
    }
    if (origin) s += `${E}[?6h`;
    const cs = core._charsetService;
    cs._charsets.forEach((table, g) => {
      if (table && table.q === '\u2500' && table.x === '\u2502') s += `${E}${'()*+'[g]}0`; // DEC special graphics
    });
    s += ['', '\x0e', `${E}n`, `${E}o`][cs.glevel] ?? '';
    if (core.coreService.isCursorHidden) s += `${E}[?25l`;
    const encoding = ({ SGR: '1006', SGR_PIXELS: '1016' } as Record<string, string>)[core.coreMouseService.activeEncoding];
    if (encoding) s += `${E}[?${encoding}h`;
    if (moved) s += `${E}[${b.y - (origin ? b.scrollTop : 0) + 1};${b.x + 1}H`;
    return s;
  } catch {
    return '';
  }
};
const armIdle = (sc: Screen): void => {
  if (sc.idle) clearTimeout(sc.idle);
  sc.idle = setTimeout(() => {
    sc.idle = undefined;
    if (!sc.closed && sc.parsed === sc.received && sc.term.buffer.active.length >= IDLE_SERIALIZE_MIN_LINES) serialized(sc);
  }, IDLE_SERIALIZE_MS);
};
const longScrollback = (sc: Screen): boolean => sc.term.buffer.normal.length - sc.term.rows >= VISIBLE_FIRST_MIN_LINES;
const visibleRows = (sc: Screen): string => sc.serializer.serialize({ scrollback: 0 }) + restoreState(sc.term);
const armVisible = (s: number, sc: Screen): void => {
  if (sc.visible) clearTimeout(sc.visible);
  const done = sc.done;
  sc.visible = setTimeout(() => {
    sc.visible = undefined;
    if (sc.closed || sc.done !== done || sc.parsed !== sc.received) return;
    // The styled rows (~0.25 ms, ~4 KB for 100x30) on every pause: a share link's first paint
    // (screen-preview.ts); the serialized rows only where a late join would otherwise wait.
    const preview = JSON.stringify(screenPreview(sc.term));
    send({ t: 'visible', s, offset: sc.parsed, done: sc.done, cols: sc.term.cols, rows: sc.term.rows, preview, data: longScrollback(sc) ? visibleRows(sc) : undefined });
  }, VISIBLE_CACHE_MS);
};
const answer = (sc: Screen, m: Extract<ToScreenWorker, { t: 'req' }>): void => {
  const at = { t: 'res', s: m.s, id: m.id, offset: sc.parsed, done: sc.done, cols: sc.term.cols, rows: sc.term.rows } as const;
  // Both answers in one turn of this thread: no output is parsed between them, so they describe
  // the same state (`done`), and the server thread sends the first while this one serializes.
  if (m.first && m.serialize && sc.cache?.done !== sc.done && longScrollback(sc)) send({ ...at, partial: true, data: visibleRows(sc) });
  send({
    ...at,
    data: m.serialize ? serialized(sc) + restoreState(sc.term) : undefined,
    text: m.text ? visibleText(sc.term) : undefined,
    preview: m.preview ? JSON.stringify(screenPreview(sc.term)) : undefined,
  });
};

/** This isolate's own full GC (memory-settle.ts asks for it once the server has gone quiet). */
const collect = fullCollector('Bun' in globalThis ? 'bun' : 'node');

port.on('message', (m: ToScreenWorker) => {
  if (m.t === 'gc') {
    collect?.();
    return;
  }
  if (m.t === 'open') {
    open(m.s, m.cols, m.rows, m.scrollback);
    return;
  }
  const sc = screens.get(m.s);
  if (!sc) return; // closed: anything still in flight for it is moot
  if (m.t === 'close') {
    sc.closed = true;
    if (sc.idle) clearTimeout(sc.idle);
    if (sc.visible) clearTimeout(sc.visible);
    screens.delete(m.s);
    sc.term.dispose();
  } else if (m.t === 'data') {
    const n = m.d.byteLength;
    sc.received += n;
    const mute = m.mute === true;
    // Muted while xterm parses exactly this chunk: the callbacks run in queue order.
    if (mute) sc.term.write('', () => sc.muted++);
    sc.term.write(m.d, () => {
      if (mute) sc.muted--;
      if (sc.closed) return;
      sc.parsed += n;
      sc.done++;
      if (sc.parsed === sc.received || sc.parsed - sc.acked >= ACK) {
        sc.acked = sc.parsed;
        send({ t: 'ack', s: m.s, offset: sc.parsed, done: sc.done });
      }
      if (sc.parsed === sc.received) {
        armIdle(sc);
        armVisible(m.s, sc);
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
