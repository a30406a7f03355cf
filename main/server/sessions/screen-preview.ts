// Runs in the screen worker: the visible rows of a headless xterm as styled text runs
// (common/preview.ts), so a share link's page can paint the screen before xterm.js has loaded.
// Only the rows on screen, never the scrollback: a 100x30 screen costs ~0.2 ms here.
import type * as Headless from '@xterm/headless';
import {
  PREVIEW_BOLD,
  PREVIEW_DEFAULT_COLOR,
  PREVIEW_DIM,
  PREVIEW_INVERSE,
  PREVIEW_INVISIBLE,
  PREVIEW_ITALIC,
  PREVIEW_RGB,
  PREVIEW_STRIKE,
  PREVIEW_UNDERLINE,
  type PreviewRun,
  type ScreenPreview,
} from '../../../common/preview.js';

type Cell = Headless.IBufferCell;

function fgOf(c: Cell): number {
  if (c.isFgDefault()) return PREVIEW_DEFAULT_COLOR;
  return c.isFgRGB() ? PREVIEW_RGB + c.getFgColor() : c.getFgColor();
}

function bgOf(c: Cell): number {
  if (c.isBgDefault()) return PREVIEW_DEFAULT_COLOR;
  return c.isBgRGB() ? PREVIEW_RGB + c.getBgColor() : c.getBgColor();
}

function flagsOf(c: Cell): number {
  return (
    (c.isBold() ? PREVIEW_BOLD : 0) |
    (c.isDim() ? PREVIEW_DIM : 0) |
    (c.isItalic() ? PREVIEW_ITALIC : 0) |
    (c.isUnderline() ? PREVIEW_UNDERLINE : 0) |
    (c.isInverse() ? PREVIEW_INVERSE : 0) |
    (c.isInvisible() ? PREVIEW_INVISIBLE : 0) |
    (c.isStrikethrough() ? PREVIEW_STRIKE : 0)
  );
}

/** One buffer line as runs; trailing blanks of the default style are dropped. */
function lineRuns(line: Headless.IBufferLine | undefined, cols: number, cell: Cell): PreviewRun[] {
  const runs: PreviewRun[] = [];
  if (!line) return runs;
  let text = '';
  let fg = PREVIEW_DEFAULT_COLOR;
  let bg = PREVIEW_DEFAULT_COLOR;
  let flags = 0;
  for (let x = 0; x < cols; x++) {
    const c = line.getCell(x, cell);
    if (!c || c.getWidth() === 0) continue; // the right half of a wide character
    const f = fgOf(c);
    const b = bgOf(c);
    const fl = flagsOf(c);
    if (text && (f !== fg || b !== bg || fl !== flags)) {
      runs.push([text, fg, bg, flags]);
      text = '';
    }
    fg = f;
    bg = b;
    flags = fl;
    text += c.getChars() || ' ';
  }
  if (text) runs.push([text, fg, bg, flags]);
  const last = runs[runs.length - 1];
  if (last && last[2] === PREVIEW_DEFAULT_COLOR && (last[3] & (PREVIEW_INVERSE | PREVIEW_UNDERLINE | PREVIEW_STRIKE)) === 0) {
    last[0] = last[0].replace(/ +$/, '');
    if (!last[0]) runs.pop();
  }
  return runs;
}

export function screenPreview(term: Headless.Terminal): ScreenPreview {
  const buf = term.buffer.active;
  const cell = buf.getNullCell();
  const lines: PreviewRun[][] = [];
  for (let y = 0; y < term.rows; y++) lines.push(lineRuns(buf.getLine(buf.baseY + y), term.cols, cell));
  // xterm has no public flag for DECTCEM; the preview's cursor is decoration, so a guess is fine.
  const hidden = (term as unknown as { _core?: { coreService?: { isCursorHidden?: boolean } } })._core?.coreService?.isCursorHidden === true;
  return { cols: term.cols, rows: term.rows, cursor: { x: buf.cursorX, y: buf.cursorY, visible: !hidden }, lines };
}
