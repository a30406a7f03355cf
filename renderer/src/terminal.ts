// Why: the owner view, the viewer and the replay all show an xterm.js terminal with the same
// look and addons (WebGL with a DOM fallback, Unicode 11 widths, clickable links, search) and
// the same copy/paste keys; this module builds one and owns its addons' lifetimes.
import { Terminal } from '@xterm/xterm';
import { FitAddon } from '@xterm/addon-fit';
import type { SearchAddon } from '@xterm/addon-search';
import { Unicode11Addon } from '@xterm/addon-unicode11';
import { WebLinksAddon } from '@xterm/addon-web-links';
import type { WebglAddon } from '@xterm/addon-webgl';
import { copyText, h } from './dom.js';
import { FONT_FAMILY, FONT_SIZE_PX, THEME } from './theme.js';

export { FONT_FAMILY, THEME } from './theme.js';

export interface TermOptions {
  cols?: number;
  rows?: number;
  readOnly?: boolean;
  fontSize?: number;
  /** Called when the user asks for search (Ctrl+Shift+F). */
  onSearchKey?: () => void;
}

export interface TermKit {
  term: Terminal;
  fit: FitAddon;
  /** The search addon, loaded on first use (a separate chunk). */
  search(): Promise<SearchAddon>;
  renderer: 'webgl' | 'dom';
  /** Switch to the WebGL renderer if the browser can (a separate chunk, loaded after the
   *  first screen so it never delays it); stays on the DOM renderer otherwise. */
  enableWebgl(): Promise<void>;
  dispose(): void;
}

/**
 * The program's terminal queries are answered once, by the server's own screen (see
 * common/terminal-queries.ts): a page that answered too would make a program read one answer
 * per open page. These handlers take the queries before xterm.js's own (which would reply as
 * typed input); colour *settings* (OSC 10/11 with a colour) still reach xterm.js.
 */
function swallowQueries(term: Terminal): void {
  const yes = (): boolean => true;
  term.parser.registerCsiHandler({ final: 'n' }, (p) => p[0] === 5 || p[0] === 6); // DSR status, cursor position
  term.parser.registerCsiHandler({ prefix: '?', final: 'n' }, yes); // DECXCPR and other DEC reports
  term.parser.registerCsiHandler({ final: 'c' }, yes); // primary device attributes
  term.parser.registerCsiHandler({ prefix: '>', final: 'c' }, yes); // secondary
  term.parser.registerCsiHandler({ prefix: '=', final: 'c' }, yes); // tertiary
  term.parser.registerCsiHandler({ intermediates: '$', final: 'p' }, yes); // DECRQM (ANSI modes)
  term.parser.registerCsiHandler({ prefix: '?', intermediates: '$', final: 'p' }, yes); // DECRQM (DEC modes)
  term.parser.registerCsiHandler({ prefix: '>', final: 'q' }, yes); // XTVERSION
  term.parser.registerDcsHandler({ intermediates: '$', final: 'q' }, yes); // DECRQSS
  for (const code of [4, 10, 11, 12]) term.parser.registerOscHandler(code, (data) => data.split(';').includes('?'));
}

export function createTerminal(parent: HTMLElement, opts: TermOptions = {}): TermKit {
  const term = new Terminal({
    cols: opts.cols ?? 80,
    rows: opts.rows ?? 24,
    allowProposedApi: true, // Unicode 11 widths and search decorations
    theme: THEME,
    fontFamily: FONT_FAMILY,
    fontSize: opts.fontSize ?? FONT_SIZE_PX,
    cursorBlink: !opts.readOnly,
    disableStdin: opts.readOnly ?? false,
    scrollback: 10_000,
    macOptionIsMeta: true,
    rightClickSelectsWord: true,
  });
  const fit = new FitAddon();
  term.loadAddon(fit);
  term.loadAddon(new Unicode11Addon());
  term.unicode.activeVersion = '11';
  term.loadAddon(
    new WebLinksAddon((event, uri) => {
      event.preventDefault();
      // Only web links open, in a new tab with no opener and no referrer.
      if (/^https?:\/\//i.test(uri)) window.open(uri, '_blank', 'noopener,noreferrer');
    }),
  );
  term.open(parent);
  swallowQueries(term);

  let webgl: WebglAddon | null = null;
  let disposed = false;
  let searchAddon: Promise<SearchAddon> | null = null;
  term.attachCustomKeyEventHandler((ev) => {
    if (ev.type !== 'keydown') return true;
    const key = ev.key.toLowerCase();
    // Copy: Ctrl+Shift+C, or Ctrl+C while text is selected (otherwise Ctrl+C is ^C).
    if (ev.ctrlKey && !ev.altKey && key === 'c' && (ev.shiftKey || term.hasSelection())) {
      const text = term.getSelection();
      if (text) void copyText(text);
      if (!ev.shiftKey) term.clearSelection();
      ev.preventDefault();
      return false;
    }
    // Paste: Ctrl+Shift+V is left to the browser, whose paste event xterm turns into input.
    if (ev.ctrlKey && ev.shiftKey && key === 'v') return false;
    if (ev.ctrlKey && ev.shiftKey && key === 'f') {
      ev.preventDefault();
      opts.onSearchKey?.();
      return false;
    }
    return true;
  });

  const kit: TermKit = {
    term,
    fit,
    renderer: 'dom',
    search() {
      searchAddon ??= import('@xterm/addon-search').then(({ SearchAddon }) => {
        const addon = new SearchAddon();
        term.loadAddon(addon);
        return addon;
      });
      return searchAddon;
    },
    async enableWebgl() {
      if (webgl || disposed) return;
      if (!document.createElement('canvas').getContext('webgl2')) return;
      try {
        const { WebglAddon } = await import('@xterm/addon-webgl');
        if (disposed || webgl) return;
        const addon = new WebglAddon();
        addon.onContextLoss(() => {
          // The GPU went away (driver reset, sleeping laptop): back to the DOM renderer.
          addon.dispose();
          webgl = null;
          kit.renderer = 'dom';
        });
        term.loadAddon(addon);
        webgl = addon;
        kit.renderer = 'webgl';
      } catch {
        webgl?.dispose();
        webgl = null;
        kit.renderer = 'dom';
      }
    },
    dispose() {
      disposed = true;
      webgl?.dispose();
      term.dispose();
    },
  };
  return kit;
}

/** A small search bar (input, previous, next, close) bound to a terminal's search addon. */
export function createSearchBar(kit: TermKit): { el: HTMLElement; open(): void; close(): void } {
  const input = h('input', {
    type: 'search',
    class: 'search-input',
    placeholder: 'Find in terminal',
    'aria-label': 'Find in terminal',
  });
  const count = h('span', { class: 'search-count', 'aria-live': 'polite' });
  const opts = {
    decorations: {
      matchBackground: '#3a3d41',
      activeMatchBackground: '#d29922',
      matchOverviewRuler: '#3a3d41',
      activeMatchColorOverviewRuler: '#d29922',
    },
  };
  let bound = false;
  const addon = async (): Promise<SearchAddon> => {
    const a = await kit.search();
    if (!bound) {
      bound = true;
      a.onDidChangeResults(({ resultIndex, resultCount }) => {
        count.textContent = input.value ? (resultCount ? `${resultIndex + 1}/${resultCount}` : 'no matches') : '';
      });
    }
    return a;
  };
  const next = (): void => void addon().then((a) => a.findNext(input.value, opts));
  const prev = (): void => void addon().then((a) => a.findPrevious(input.value, opts));
  const el = h(
    'div',
    { class: 'search-bar', role: 'search', hidden: true },
    input,
    count,
    h('button', { type: 'button', class: 'btn icon', 'aria-label': 'Previous match', title: 'Previous (Shift+Enter)', onclick: prev }, '↑'),
    h('button', { type: 'button', class: 'btn icon', 'aria-label': 'Next match', title: 'Next (Enter)', onclick: next }, '↓'),
    h('button', { type: 'button', class: 'btn icon', 'aria-label': 'Close search', title: 'Close (Esc)', onclick: () => close() }, '✕'),
  );
  input.addEventListener('input', () => {
    if (input.value) next();
    else void addon().then((a) => a.clearDecorations());
  });
  input.addEventListener('keydown', (ev) => {
    if (ev.key === 'Enter') {
      ev.preventDefault();
      if (ev.shiftKey) prev();
      else next();
    } else if (ev.key === 'Escape') {
      ev.preventDefault();
      close();
    }
  });
  function open(): void {
    void addon();
    el.hidden = false;
    input.focus();
    input.select();
  }
  function close(): void {
    el.hidden = true;
    void addon().then((a) => a.clearDecorations());
    kit.term.focus();
  }
  return { el, open, close };
}

/** Reads the active buffer as text (automation and tests; a screen reader gets xterm's own). */
export function bufferText(term: Terminal): string {
  const buf = term.buffer.active;
  const lines: string[] = [];
  for (let i = 0; i < buf.length; i++) lines.push(buf.getLine(i)?.translateToString(true) ?? '');
  while (lines.length && lines[lines.length - 1] === '') lines.pop();
  return lines.join('\n');
}
