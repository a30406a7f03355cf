// Security headers in one place, so the renderer engineer can tighten or loosen the page
// policy without hunting through routes. Every response gets them (HTML and JSON alike):
// a JSON error page rendered by a browser is as much "an HTML response" as index.html.

/** The page policy: no inline script, nothing loaded from elsewhere, never framed. */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  // xterm.js sets inline style attributes on its rows; without this the terminal breaks.
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "worker-src 'self' blob:",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/** Headers sent with every response, including the pre-express fast path. */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = Object.freeze({
  'Content-Security-Policy': CONTENT_SECURITY_POLICY,
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  // Old browsers that ignore frame-ancestors still honour this.
  'X-Frame-Options': 'DENY',
  'Cross-Origin-Opener-Policy': 'same-origin',
});

/** Minimal structural type so the fast path (bare http) and express share one helper. */
interface HeaderSink {
  setHeader(name: string, value: string): unknown;
}

export function applySecurityHeaders(res: HeaderSink): void {
  for (const [k, v] of Object.entries(SECURITY_HEADERS)) res.setHeader(k, v);
}
