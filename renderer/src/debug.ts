// Why: end-to-end tests and automation need to read what a page's terminal shows, which a
// WebGL canvas hides; each page registers a small read-only probe here (no tokens exposed).
import type { Terminal } from '@xterm/xterm';
import { bufferText } from './terminal.js';

export interface PageProbe {
  page: 'viewer' | 'panel';
  text(): string;
  size(): { cols: number; rows: number };
  mode: string | null;
  /** ms from navigation start to the session's screen painted (viewer): the server-drawn
   *  preview's paint when there was one (preview.ts), else xterm's. */
  firstScreenMs: number | null;
  /** ms from navigation start to xterm.js's first redraw painted: from then on it is live. */
  xtermScreenMs?: number | null;
  /** ms from navigation start to the preview painted; null when none was shown. */
  previewMs?: number | null;
  readyCount: number;
  /** How many of those `ready`s resumed (only the missed bytes followed, no redraw). */
  resumedCount?: number;
  renderer: string;
  /** Simulates a network loss on the current socket. */
  dropSocket(): void;
  /** The first buffer line in view (0 = the top of the scrollback) and the bottom's. */
  scroll(): { viewportY: number; baseY: number };
}

declare global {
  interface Window {
    portholeProbe?: PageProbe;
  }
}

export function registerProbe(term: () => Terminal | null, probe: Omit<PageProbe, 'text' | 'size' | 'scroll'>): PageProbe {
  const p: PageProbe = {
    ...probe,
    scroll: () => {
      const b = term()?.buffer.active;
      return b ? { viewportY: b.viewportY, baseY: b.baseY } : { viewportY: 0, baseY: 0 };
    },
    text: () => {
      const t = term();
      return t ? bufferText(t) : '';
    },
    size: () => {
      const t = term();
      return t ? { cols: t.cols, rows: t.rows } : { cols: 0, rows: 0 };
    },
  };
  window.portholeProbe = p;
  return p;
}
