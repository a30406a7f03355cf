// Why: the first screen of a share link should not wait for xterm.js to download and parse.
// The tiny entry opens the session's WebSocket and authenticates at once, buffering what
// arrives; the viewer adopts the socket when its chunk has loaded (SessionSocket.adopt).
// This module must stay small: no zod, no xterm.
import { captureShareToken, isExpired } from './auth.js';

export interface EarlySocket {
  ws: WebSocket;
  token: string;
  buffered: MessageEvent[];
  closed: CloseEvent | null;
}

export function sessionSocketUrl(sessionId: string): string {
  const proto = location.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${proto}//${location.host}/api/sessions/${encodeURIComponent(sessionId)}/ws`;
}

export function authMessage(token: string | null, resumeFrom: number | null = null): string {
  // With --no-auth there is no token; the server then treats every socket as the owner.
  const msg: { type: 'auth'; token: string; resumeFrom?: number } = { type: 'auth', token: token ?? 'none' };
  // Where the page is in the output after a drop (resume.ts): only the missed bytes come back.
  if (resumeFrom !== null) msg.resumeFrom = resumeFrom;
  return JSON.stringify(msg);
}

/** Opens the socket for a share link, or returns null when there is no usable token (the
 *  viewer then explains why). Takes the token out of the address bar. */
export function preconnect(sessionId: string): EarlySocket | null {
  const token = captureShareToken(sessionId);
  if (!token || isExpired(token)) return null;
  let ws: WebSocket;
  try {
    ws = new WebSocket(sessionSocketUrl(sessionId));
  } catch {
    return null;
  }
  ws.binaryType = 'arraybuffer';
  const early: EarlySocket = { ws, token, buffered: [], closed: null };
  ws.onopen = () => ws.send(authMessage(token));
  ws.onmessage = (ev: MessageEvent) => early.buffered.push(ev);
  ws.onclose = (ev: CloseEvent) => (early.closed = ev);
  return early;
}
