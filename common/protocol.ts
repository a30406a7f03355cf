// The one protocol module: HTTP bodies, WebSocket messages and events, each one zod schema in
// common/protocol/ with its type derived by `z.infer`, imported by the server, the CLI clients
// and the browser alike. Nothing outside common/ re-declares a shape that is here.
export * from './protocol/shapes.js';
export * from './protocol/http.js';
export * from './protocol/ws.js';
export * from './protocol/events.js';
import { SHARE_EXPIRES_MAX_SECONDS } from './protocol/shapes.js';

/** Parse a DURATION like `90s`, `30m`, `2h`, `7d` into seconds; null if malformed. */
export function parseDuration(text: string): number | null {
  const m = /^(\d{1,9})([smhd])$/.exec(text.trim());
  if (!m) return null;
  const n = Number(m[1]);
  const unit = { s: 1, m: 60, h: 3600, d: 86400 }[m[2] as 's' | 'm' | 'h' | 'd'];
  const seconds = n * unit;
  return seconds >= 1 && seconds <= SHARE_EXPIRES_MAX_SECONDS ? seconds : null;
}
