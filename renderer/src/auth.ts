// Why: tokens arrive in the URL fragment (owner link `#token=`, share link `#<token>`) so they
// never reach logs or Referer; this module moves them to sessionStorage at once, clears the
// address bar, and asks the Electron preload (if any) for the owner token.
// A share token is also kept in localStorage until it expires, so the link's page still opens
// (and replays an ended session, contract section 8) after the browser restarts and restores
// the tab without its fragment. It reaches one session only and dies with its expiry; the
// page forgets it as soon as the server says it was revoked or the session is gone.

const OWNER_KEY = 'porthole.owner';
const shareKey = (sessionId: string): string => `porthole.share.${sessionId}`;

function storage(): Storage | null {
  try {
    return window.sessionStorage;
  } catch {
    return null; // storage disabled: the token lives only in memory for this page
  }
}

function lasting(): Storage | null {
  try {
    return window.localStorage;
  } catch {
    return null;
  }
}

let memoryOwner: string | null = null;
const memoryShares = new Map<string, string>();

/** Reads the fragment, removes it from the address bar, returns the raw text (without '#'). */
export function takeFragment(): string {
  const frag = location.hash.startsWith('#') ? location.hash.slice(1) : location.hash;
  if (frag) history.replaceState(history.state, '', location.pathname + location.search);
  return frag;
}

function tokenFromFragment(frag: string): string | null {
  if (!frag) return null;
  const params = new URLSearchParams(frag);
  const named = params.get('token');
  if (named) return named;
  // A share link is `#<token>`: a JWT is three base64url parts.
  return /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/.test(frag) ? frag : null;
}

export function getOwnerToken(): string | null {
  return memoryOwner ?? storage()?.getItem(OWNER_KEY) ?? null;
}

export function setOwnerToken(token: string | null): void {
  memoryOwner = token;
  const s = storage();
  if (!s) return;
  if (token) s.setItem(OWNER_KEY, token);
  else s.removeItem(OWNER_KEY);
}

/** Owner page start: a `#token=` in the address bar wins; it is moved to storage at once. */
export function captureOwnerToken(): void {
  const t = tokenFromFragment(takeFragment());
  if (t) setOwnerToken(t);
}

/** Viewer page start: the share token from `#<token>`, else the one kept for this tab. */
export function captureShareToken(sessionId: string): string | null {
  const t = tokenFromFragment(takeFragment());
  const s = storage();
  const l = lasting();
  if (t) {
    memoryShares.set(sessionId, t);
    s?.setItem(shareKey(sessionId), t);
    l?.setItem(shareKey(sessionId), t);
    return t;
  }
  const kept = memoryShares.get(sessionId) ?? s?.getItem(shareKey(sessionId)) ?? null;
  if (kept) return kept;
  const saved = l?.getItem(shareKey(sessionId)) ?? null;
  if (saved && isExpired(saved)) {
    l?.removeItem(shareKey(sessionId));
    return null;
  }
  return saved;
}

/** The server said the link no longer works (revoked, session gone): do not keep it. */
export function forgetShareToken(sessionId: string): void {
  memoryShares.delete(sessionId);
  storage()?.removeItem(shareKey(sessionId));
  lasting()?.removeItem(shareKey(sessionId));
}

/** The Electron preload hands the desktop window an owner token; the shape is checked at run time. */
export async function tokenFromDesktop(): Promise<string | null> {
  const api: unknown = (window as unknown as { porthole?: unknown }).porthole;
  if (!api || typeof api !== 'object') return null;
  const fn = (api as { getOwnerToken?: unknown }).getOwnerToken;
  if (typeof fn !== 'function') return null;
  try {
    const value: unknown = await fn.call(api);
    if (typeof value === 'string' && value) return value;
    if (value && typeof value === 'object' && typeof (value as { token?: unknown }).token === 'string') {
      return (value as { token: string }).token;
    }
  } catch {
    /* the main process said no: fall back to the other ways in */
  }
  return null;
}

/** `exp` of a JWT (seconds since epoch) without verifying it: only to word an error screen. */
export function tokenExpiry(token: string): number | null {
  const part = token.split('.')[1];
  if (!part) return null;
  try {
    const json: unknown = JSON.parse(atob(part.replace(/-/g, '+').replace(/_/g, '/')));
    const exp = (json as { exp?: unknown }).exp;
    return typeof exp === 'number' ? exp : null;
  } catch {
    return null;
  }
}

export function isExpired(token: string, now = Date.now()): boolean {
  const exp = tokenExpiry(token);
  return exp !== null && exp * 1000 <= now;
}
