// Terminal queries (cursor position `ESC[6n`, device attributes `ESC[c`, the colour queries
// `ESC]10;?` / `ESC]11;?`, mode reports `ESC[?N$p`, ...) must get exactly one answer, however
// many pages and terminals show a session. The rule (docs/api.md, "Terminal queries"): the
// server's own headless screen answers each query once, into the PTY; the pages never answer
// (renderer/src/terminal.ts swallows these queries); an attached CLI strips its real terminal's
// answers from its input (QueryReplyFilter below). This module holds what all three share: the
// colours the answers report, and the shapes of the queries and their replies.

/** The pages' terminal colours: what OSC 10/11/12 queries report (renderer THEME uses them). */
export const TERMINAL_COLORS = {
  foreground: '#e6edf3',
  background: '#0d1117',
  cursor: '#7ee787',
} as const;

/** OSC 10 (foreground), 11 (background), 12 (cursor): the ones programs ask with `?`. */
export const OSC_COLOR_QUERIES = { 10: TERMINAL_COLORS.foreground, 11: TERMINAL_COLORS.background, 12: TERMINAL_COLORS.cursor } as const;

/** `#rrggbb` as xterm reports it: `rgb:rrrr/gggg/bbbb`. */
export function xtermRgb(hex: string): string {
  const c = (i: number): string => hex.slice(i, i + 2).repeat(2);
  return `rgb:${c(1)}/${c(3)}/${c(5)}`;
}

/** The answer to `ESC ] code ; ? ST` for code 10, 11 or 12. */
export function oscColorReply(code: keyof typeof OSC_COLOR_QUERIES): string {
  return `\x1b]${code};${xtermRgb(OSC_COLOR_QUERIES[code])}\x1b\\`;
}

type Kind = 'cpr' | 'status' | 'da1' | 'da2' | 'da3' | 'osc' | 'mode' | 'dcs';

/** Queries in output, each with the kind of reply it draws. */
const QUERY = /\x1b\[(\?)?6n|\x1b\[5n|\x1b\[0?c|\x1b\[>0?c|\x1b\[=0?c|\x1b\](?:1[012]|4;\d+);\?(?:\x07|\x1b\\)|\x1b\[\??\d+\$p|\x1bP\$q[^\x1b]*\x1b\\/g;
function kindOfQuery(q: string): Kind {
  if (q.endsWith('6n')) return 'cpr';
  if (q.endsWith('5n')) return 'status';
  if (q.startsWith('\x1b[>')) return 'da2';
  if (q.startsWith('\x1b[=')) return 'da3';
  if (q.endsWith('c')) return 'da1';
  if (q.startsWith('\x1b]')) return 'osc';
  if (q.startsWith('\x1bP')) return 'dcs';
  return 'mode';
}

/** Replies in input, each with the kind of query it answers. */
const REPLY = /\x1b\[\??\d+;\d+R|\x1b\[0n|\x1b\[\?[\d;]*c|\x1b\[>[\d;]*c|\x1bP!\|[0-9A-Fa-f]*\x1b\\|\x1b\](?:1[012]|4;\d+);rgba?:[0-9A-Fa-f/]+(?:\x07|\x1b\\)|\x1b\[\??\d+;\d+\$y|\x1bP[01]\$r[^\x1b]*\x1b\\/g;
function kindOfReply(r: string): Kind {
  if (r.endsWith('R')) return 'cpr';
  if (r === '\x1b[0n') return 'status';
  if (r.startsWith('\x1b[>')) return 'da2';
  if (r.startsWith('\x1bP!|')) return 'da3';
  if (r.endsWith('c')) return 'da1';
  if (r.startsWith('\x1b]')) return 'osc';
  if (r.endsWith('$y')) return 'mode';
  return 'dcs';
}

/** How many bytes of an output chunk's end are kept to find a query split across chunks. */
const CARRY = 32;

/**
 * For a client whose real terminal answers queries itself (the attached CLI): it notes the
 * queries it passes to the terminal, and strips the terminal's answers to exactly those from
 * what it sends on, so the server's screen stays the one that answers. A reply that no query
 * asked for (Shift+F3 sends `ESC[1;2R`, like a cursor report) passes through untouched.
 */
export class QueryReplyFilter {
  private readonly pending = new Map<Kind, number>();
  private carry = '';

  /** Output on its way to the terminal (latin1 or UTF-8 text: the sequences are ASCII). */
  noteOutput(text: string): void {
    const s = this.carry + text;
    let lastEnd = 0;
    for (const m of s.matchAll(QUERY)) {
      // A query wholly inside the carried tail was counted with the chunk before.
      if (m.index + m[0].length > this.carry.length) this.pending.set(kindOfQuery(m[0]), (this.pending.get(kindOfQuery(m[0])) ?? 0) + 1);
      lastEnd = m.index + m[0].length;
    }
    this.carry = s.slice(Math.max(lastEnd, s.length - CARRY));
  }

  /** Input from the terminal, less the answers to queries it was passed. */
  filterInput(text: string): string {
    if (this.pending.size === 0 || !text.includes('\x1b')) return text;
    return text.replace(REPLY, (r) => {
      const k = kindOfReply(r);
      const n = this.pending.get(k) ?? 0;
      if (n === 0) return r;
      if (n === 1) this.pending.delete(k);
      else this.pending.set(k, n - 1);
      return '';
    });
  }
}
