// Why: the asciicast v2 parser for the replay, apart from the DOM so it can be tested in Node.
// Long pauses are shortened (asciinema's idle_time_limit) and a cut-off last line is skipped.
// Output ("o") and resize ("r", "COLSxROWS") events are kept: without the resizes, lines would
// wrap where they never did.

/** Pauses longer than this are shortened to it (asciinema's idle_time_limit). */
export const REPLAY_IDLE_LIMIT_S = 2;

/** [time in seconds (idle-capped), 'o', output] or [time, 'r', the new size]. */
export type CastEvent = [number, 'o', string] | [number, 'r', { cols: number; rows: number }];

export interface Cast {
  width: number;
  height: number;
  events: CastEvent[];
  duration: number;
}

/** "COLSxROWS" of an "r" event, within what a terminal here may be. */
function parseSize(text: string): { cols: number; rows: number } | null {
  const m = /^(\d{1,4})x(\d{1,4})$/.exec(text);
  if (!m) return null;
  const cols = Number(m[1]);
  const rows = Number(m[2]);
  return cols >= 1 && cols <= 1000 && rows >= 1 && rows <= 500 ? { cols, rows } : null;
}

export function parseCast(text: string): Cast {
  const lines = text.split('\n');
  let header: unknown;
  try {
    header = JSON.parse(lines[0] ?? '');
  } catch {
    throw new Error('not an asciicast file');
  }
  const hd = header as { version?: unknown; width?: unknown; height?: unknown; idle_time_limit?: unknown };
  if (!hd || hd.version !== 2) throw new Error('not an asciicast v2 file');
  const width = typeof hd.width === 'number' && hd.width > 0 ? Math.min(1000, hd.width) : 80;
  const height = typeof hd.height === 'number' && hd.height > 0 ? Math.min(500, hd.height) : 24;
  const idle = typeof hd.idle_time_limit === 'number' ? hd.idle_time_limit : REPLAY_IDLE_LIMIT_S;
  const events: CastEvent[] = [];
  let last = 0;
  let shifted = 0;
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i];
    if (!line) continue;
    let ev: unknown;
    try {
      ev = JSON.parse(line);
    } catch {
      continue; // a cut-off last line (recording still being written)
    }
    if (!Array.isArray(ev) || typeof ev[0] !== 'number' || (ev[1] !== 'o' && ev[1] !== 'r') || typeof ev[2] !== 'string') continue;
    const size = ev[1] === 'r' ? parseSize(ev[2]) : null;
    if (ev[1] === 'r' && !size) continue;
    const t = ev[0];
    const gap = t - last;
    if (gap > idle) shifted += gap - idle;
    last = t;
    const at = Math.max(0, t - shifted);
    events.push(size ? [at, 'r', size] : [at, 'o', ev[2] as string]);
  }
  return { width, height, events, duration: events.length ? events[events.length - 1][0] : 0 };
}
