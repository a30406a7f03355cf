// Why: a share link should show the screen before xterm.js (~470 KB) has downloaded and parsed.
// The first chunk fetches the visible rows with their styles (GET /api/sessions/:id/preview,
// with the link's token as a Bearer header, the same read access as the socket) and draws them
// as plain DOM text; the viewer takes the drawing over and removes it in the frame xterm.js
// paints its first screen (viewer.ts). Text goes in with textContent only, never as markup.
// No zod, no xterm here: this module is in the entry chunk. docs/first-screen.md.
import {
  PREVIEW_BOLD,
  PREVIEW_DIM,
  PREVIEW_INVERSE,
  PREVIEW_INVISIBLE,
  PREVIEW_ITALIC,
  PREVIEW_RGB,
  PREVIEW_STRIKE,
  PREVIEW_UNDERLINE,
  type PreviewRun,
  type ScreenPreview,
} from '../../common/preview.js';
import { brand } from './screens.js';
import { stageGeometry } from './stage.js';
import { FONT_FAMILY, FONT_SIZE_PX, THEME } from './theme.js';

const state: { host: HTMLElement | null; paintedMs: number | null; taken: boolean } = { host: null, paintedMs: null, taken: false };

/** Called inside a requestAnimationFrame callback: `fn` gets performance.now() once this frame
 *  has been painted (a task queued during the frame's callbacks runs after its paint). */
export function afterThisFrame(fn: (ms: number) => void): void {
  const ch = new MessageChannel();
  ch.port1.onmessage = () => {
    ch.port1.close();
    fn(performance.now());
  };
  ch.port2.postMessage(null);
}

/** `fn` gets performance.now() once the frame holding the current DOM has been painted. */
export function afterPaint(fn: (ms: number) => void): void {
  requestAnimationFrame(() => afterThisFrame(fn));
}

/** Fetches the preview and draws it into `root` unless the viewer has started by then. */
export function startPreview(root: HTMLElement, sessionId: string, token: string): void {
  void fetch(`/api/sessions/${encodeURIComponent(sessionId)}/preview`, {
    headers: { Authorization: `Bearer ${token}` },
    cache: 'no-store',
    credentials: 'omit',
  })
    .then((res) => (res.status === 200 ? res.json() : null))
    .then((body: unknown) => {
      if (state.taken || !isPreview(body)) return;
      const host = drawPreview(body);
      const stage = document.createElement('div');
      stage.className = 'stage viewer-stage';
      stage.append(host);
      const bar = document.createElement('header');
      bar.className = 'viewer-bar';
      const title = document.createElement('span');
      title.className = 'viewer-title';
      title.textContent = 'Connecting…';
      const badge = document.createElement('span');
      badge.className = 'badge'; // empty: holds the bar at its height with the mode badge
      bar.append(brand(), title, badge);
      const shell = document.createElement('div');
      shell.className = 'viewer preview-shell';
      shell.append(bar, stage);
      root.replaceChildren(shell);
      placePreview(host, stage);
      state.host = host;
      afterPaint((ms) => {
        if (state.host) state.paintedMs = Math.round(ms); // still on screen (not yet dropped)
      });
    })
    .catch(() => undefined); // no preview: the viewer draws the screen as before
}

/** For the viewer: the drawn preview (to keep on screen until xterm.js paints) and when it was
 *  painted; from now on a preview that arrives late is dropped. */
export function takePreview(): { host: HTMLElement | null; paintedMs: () => number | null } {
  state.taken = true;
  return { host: state.host, paintedMs: () => state.paintedMs };
}

/** Removes the drawing (xterm.js has painted the screen, or the page shows something else). */
export function dropPreview(): void {
  state.host?.remove();
  state.host = null;
}

/** Scales and letterboxes the drawing in `box` the way ScaledStage places xterm's screen. */
export function placePreview(host: HTMLElement, box: HTMLElement): void {
  const w = host.offsetWidth;
  const hgt = host.offsetHeight;
  const b = box.getBoundingClientRect();
  if (!w || !hgt || !b.width || !b.height) return;
  const g = stageGeometry({ w, h: hgt }, { w: b.width, h: b.height }, false, 0);
  host.style.left = `${g.left}px`;
  host.style.top = `${g.top}px`;
  host.style.transform = `scale(${g.scale})`;
}

function isPreview(v: unknown): v is ScreenPreview {
  if (typeof v !== 'object' || v === null) return false;
  const p = v as Partial<ScreenPreview>;
  return (
    Number.isInteger(p.cols) && Number.isInteger(p.rows) && Array.isArray(p.lines) &&
    p.lines.every((l) => Array.isArray(l) && l.every((r) => Array.isArray(r) && r.length === 4 && typeof r[0] === 'string' &&
      typeof r[1] === 'number' && typeof r[2] === 'number' && typeof r[3] === 'number'))
  );
}

const ANSI = [
  THEME.black, THEME.red, THEME.green, THEME.yellow, THEME.blue, THEME.magenta, THEME.cyan, THEME.white,
  THEME.brightBlack, THEME.brightRed, THEME.brightGreen, THEME.brightYellow, THEME.brightBlue, THEME.brightMagenta, THEME.brightCyan, THEME.brightWhite,
];

/** xterm.js's 256-colour palette: the theme's 16, a 6x6x6 cube, 24 greys. */
export function colorOf(c: number, fallback: string): string {
  if (c < 0) return fallback;
  if (c >= PREVIEW_RGB) return `#${(c - PREVIEW_RGB).toString(16).padStart(6, '0')}`;
  if (c < 16) return ANSI[c] ?? fallback;
  if (c < 232) {
    const n = c - 16;
    const level = (v: number): number => (v === 0 ? 0 : 55 + v * 40);
    return `rgb(${level(Math.floor(n / 36))},${level(Math.floor(n / 6) % 6)},${level(n % 6)})`;
  }
  const g = 8 + (c - 232) * 10;
  return `rgb(${g},${g},${g})`;
}

function runSpan([text, fg, bg, flags]: PreviewRun): HTMLSpanElement {
  const span = document.createElement('span');
  span.textContent = text;
  const inverse = (flags & PREVIEW_INVERSE) !== 0;
  const fore = colorOf(fg, THEME.foreground ?? '#fff');
  const back = colorOf(bg, THEME.background ?? '#000');
  // xterm.js draws bold in the bright colour only when asked to (drawBoldTextInBrightColors: on
  // by default) and for the first 8 colours.
  const bright = (flags & PREVIEW_BOLD) !== 0 && fg >= 0 && fg < 8 ? ANSI[fg + 8] ?? fore : fore;
  if (inverse || bg >= 0) span.style.backgroundColor = inverse ? bright : back;
  if (inverse || fg >= 0) span.style.color = inverse ? back : bright;
  if (flags & PREVIEW_BOLD) span.style.fontWeight = 'bold';
  if (flags & PREVIEW_ITALIC) span.style.fontStyle = 'italic';
  if (flags & PREVIEW_DIM) span.style.opacity = '0.5';
  const lines = [flags & PREVIEW_UNDERLINE ? 'underline' : '', flags & PREVIEW_STRIKE ? 'line-through' : ''].filter(Boolean);
  if (lines.length) span.style.textDecoration = lines.join(' ');
  if (flags & PREVIEW_INVISIBLE) span.style.visibility = 'hidden';
  return span;
}

/**
 * The size xterm.js's DOM renderer gives the screen (DomRenderer._updateDimensions, with the
 * canvas TextMetrics its CharSizeService measures): drawn at that size, the preview is scaled
 * and placed exactly where xterm's first screen will be.
 */
export function cellBox(cols: number, rows: number): { width: number; rowHeight: number } {
  const dpr = window.devicePixelRatio || 1;
  const ctx = document.createElement('canvas').getContext('2d');
  let charW = 0.6 * FONT_SIZE_PX;
  let charH = Math.ceil(1.15 * FONT_SIZE_PX);
  if (ctx) {
    ctx.font = `${FONT_SIZE_PX}px ${FONT_FAMILY}`;
    const m = ctx.measureText('W');
    if (m.width > 0 && m.fontBoundingBoxAscent + m.fontBoundingBoxDescent > 0) {
      charW = m.width;
      charH = m.fontBoundingBoxAscent + m.fontBoundingBoxDescent;
    }
  }
  const rowDevice = Math.ceil(charH * dpr);
  return { width: Math.round((charW * dpr * cols) / dpr), rowHeight: Math.round((rowDevice * rows) / dpr) / rows };
}

/** The screen as one block of rows, `cols` cells wide; `data-text` rows hold the plain text. */
export function drawPreview(p: ScreenPreview): HTMLElement {
  const host = document.createElement('div');
  host.className = 'stage-host preview-host';
  host.dataset.cols = String(p.cols);
  host.dataset.rows = String(p.rows);
  const screen = document.createElement('div');
  screen.className = 'preview-screen';
  screen.style.fontFamily = FONT_FAMILY;
  screen.style.fontSize = `${FONT_SIZE_PX}px`;
  const box = cellBox(p.cols, p.rows);
  screen.style.width = `${box.width}px`;
  screen.style.setProperty('--preview-row-h', `${box.rowHeight}px`);
  screen.style.color = THEME.foreground ?? '';
  for (let y = 0; y < p.rows; y++) {
    const row = document.createElement('div');
    row.className = 'preview-row';
    for (const run of p.lines[y] ?? []) row.append(runSpan(run));
    screen.append(row);
  }
  host.append(screen);
  return host;
}
