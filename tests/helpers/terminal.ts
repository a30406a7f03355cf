// What a browser viewer would see, without a browser: a viewer's frames (see frame-socket.ts)
// replayed into a fresh @xterm/headless Terminal the way the renderer applies them (resize,
// resync = reset), and comparable dumps of the result.
import pkg from '@xterm/headless';
import type { Terminal as HeadlessTerminal } from '@xterm/headless';
import { DEFAULT_SCROLLBACK_LINES } from '../../common/flow.js';
import type { WsServerMessage } from '../../common/protocol.js';

// @xterm/headless is CommonJS: its named exports are only reachable through the default import.
const { Terminal } = pkg;
export type { HeadlessTerminal };

export type Frame = { kind: 'text'; msg: WsServerMessage } | { kind: 'binary'; data: Buffer };

export function newTerminal(cols: number, rows: number, scrollback: number = DEFAULT_SCROLLBACK_LINES): HeadlessTerminal {
  return new Terminal({ cols, rows, scrollback, allowProposedApi: true });
}

/** Resolves once xterm has parsed `data` (its writes are queued and asynchronous). */
export function writeTo(term: HeadlessTerminal, data: Uint8Array | string): Promise<void> {
  return new Promise((resolve) => term.write(data, resolve));
}

export interface ReplayHooks {
  /** Runs after each binary frame is parsed, so a caller can check every stitch point. */
  afterBinary?: (term: HeadlessTerminal, index: number) => void;
  /** Runs after a `resync` has reset the terminal. */
  onResync?: () => void;
}

/** Applies frames as the renderer does: binary is output, `ready` and `resize` size the terminal, `resync` resets. */
export async function replay(term: HeadlessTerminal, frames: readonly Frame[], hooks: ReplayHooks = {}): Promise<void> {
  for (let i = 0; i < frames.length; i++) {
    const f = frames[i];
    if (f.kind === 'binary') {
      await writeTo(term, f.data);
      hooks.afterBinary?.(term, i);
    } else if (f.msg.type === 'ready') {
      // `ready` goes out right before the redraw and states the size it is drawn at (viewer.ts).
      if (term.cols !== f.msg.session.cols || term.rows !== f.msg.session.rows) term.resize(f.msg.session.cols, f.msg.session.rows);
    } else if (f.msg.type === 'resize') {
      term.resize(f.msg.cols, f.msg.rows);
    } else if (f.msg.type === 'resync') {
      term.reset();
      hooks.onResync?.();
    }
  }
}

/** Every line of the active buffer (scrollback + screen), right-trimmed. */
export function bufferLines(term: HeadlessTerminal): string[] {
  const buf = term.buffer.active;
  const lines: string[] = [];
  for (let y = 0; y < buf.length; y++) lines.push(buf.getLine(y)?.translateToString(true) ?? '');
  return lines;
}

/** The visible screen in the snapshot endpoint's format: one right-trimmed line per row. */
export function visibleText(term: HeadlessTerminal): string {
  const buf = term.buffer.active;
  const lines: string[] = [];
  // Right-trimmed like the server's snapshot: written blanks at a row's end go too.
  for (let y = 0; y < term.rows; y++) lines.push((buf.getLine(buf.baseY + y)?.translateToString(true) ?? '').replace(/[ \t]+$/, ''));
  return lines.join('\n');
}

/**
 * A comparable description of every cell of the buffer (chars, colours, bold/italic/underline/
 * inverse), plus the cursor; two terminals that show the same thing give equal results.
 */
export function cellDump(term: HeadlessTerminal, fromLine = 0): string[] {
  const buf = term.buffer.active;
  const out: string[] = [`cursor ${buf.cursorX},${buf.cursorY} baseY ${buf.baseY} length ${buf.length}`];
  const cell = buf.getNullCell();
  for (let y = fromLine; y < buf.length; y++) {
    const line = buf.getLine(y);
    if (!line) continue;
    const parts: string[] = [line.isWrapped ? 'W' : '-'];
    for (let x = 0; x < term.cols; x++) {
      line.getCell(x, cell);
      const attrs = `${cell.getFgColorMode()}:${cell.getFgColor()}/${cell.getBgColorMode()}:${cell.getBgColor()}` +
        `${cell.isBold() ? 'b' : ''}${cell.isItalic() ? 'i' : ''}${cell.isUnderline() ? 'u' : ''}${cell.isInverse() ? 'v' : ''}`;
      parts.push(`${cell.getChars() || ' '}${attrs === '0:0/0:0' ? '' : `[${attrs}]`}`);
    }
    out.push(parts.join(''));
  }
  return out;
}

/** Internal xterm state the cells do not show but later input/output depends on. */
interface CoreState {
  _core: {
    buffer: { scrollTop: number; scrollBottom: number; savedX: number; savedY: number; ybase: number };
    coreService: { isCursorHidden: boolean; decPrivateModes: { origin: boolean } };
    coreMouseService: { activeEncoding: string; activeProtocol: string };
    _charsetService: { glevel: number };
  };
}

/**
 * What a late joiner must also have to behave like everyone else from then on: scroll region,
 * origin mode, saved cursor, shift level, cursor visibility, mouse protocol and encoding.
 * (xterm has no public API for these; this reads its internals, which is fine for a test.)
 */
export function hiddenState(term: HeadlessTerminal): Record<string, unknown> {
  const core = (term as unknown as CoreState)._core;
  const b = core.buffer;
  return {
    scrollRegion: [b.scrollTop, b.scrollBottom],
    origin: core.coreService.decPrivateModes.origin,
    savedCursor: [b.savedX, b.savedY - b.ybase],
    glevel: core._charsetService.glevel,
    cursorHidden: core.coreService.isCursorHidden,
    mouse: [core.coreMouseService.activeProtocol, core.coreMouseService.activeEncoding],
    modes: { ...term.modes },
  };
}
