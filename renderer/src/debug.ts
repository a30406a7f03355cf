// Why: end-to-end tests and automation need to read what a page's terminal shows, which a
// WebGL canvas hides; each page registers a small read-only probe here (no tokens exposed).
import type { Terminal } from '@xterm/xterm';
import { bufferText } from './terminal.js';

export interface PageProbe {
  page: 'viewer' | 'panel';
  text(): string;
  size(): { cols: number; rows: number };
  mode: string | null;
  /** ms from navigation start to the first redraw painted (viewer). */
  firstScreenMs: number | null;
  readyCount: number;
  /** How many of those `ready`s resumed (only the missed bytes followed, no redraw). */
  resumedCount?: number;
  renderer: string;
  /** Simulates a network loss on the current socket. */
  dropSocket(): void;
}

declare global {
  interface Window {
    portholeProbe?: PageProbe;
  }
}

export function registerProbe(term: () => Terminal | null, probe: Omit<PageProbe, 'text' | 'size'>): PageProbe {
  const p: PageProbe = {
    ...probe,
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
