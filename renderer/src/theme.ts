// Why: the terminal's colours and font in a module without xterm.js, so the share page's first
// chunk (preview.ts) paints the server's screen in the same colours xterm.js will use.
import type { ITheme } from '@xterm/xterm';
import { TERMINAL_COLORS } from '../../common/terminal-queries.js';

export const THEME: ITheme = {
  // The colours the server's screen reports to OSC 10/11/12 queries: one source for both.
  background: TERMINAL_COLORS.background,
  foreground: TERMINAL_COLORS.foreground,
  cursor: TERMINAL_COLORS.cursor,
  cursorAccent: '#0d1117',
  selectionBackground: '#264f78',
  black: '#484f58',
  red: '#ff7b72',
  green: '#3fb950',
  yellow: '#d29922',
  blue: '#58a6ff',
  magenta: '#bc8cff',
  cyan: '#39c5cf',
  white: '#b1bac4',
  brightBlack: '#6e7681',
  brightRed: '#ffa198',
  brightGreen: '#56d364',
  brightYellow: '#e3b341',
  brightBlue: '#79c0ff',
  brightMagenta: '#d2a8ff',
  brightCyan: '#56d4dd',
  brightWhite: '#ffffff',
};

export const FONT_FAMILY =
  '"JetBrains Mono", "Cascadia Mono", "Fira Code", "DejaVu Sans Mono", Menlo, Consolas, "Liberation Mono", monospace';
/** The terminal's font size, px: xterm.js is created with it, and the share page's preview draws
 *  its cells at it so they line up with xterm's first screen. */
export const FONT_SIZE_PX = 14;
