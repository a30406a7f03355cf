// Why this exists: the one typed description of what the desktop preload puts on the page, for
// the renderer (include this file; read `window.porthole?.getOwnerToken?.()`). In a browser
// (a share link, `porthole serve`) `window.porthole` is undefined: always feature-test it.

export interface OwnerToken {
  /** An owner JWT (contract section 2); use it as `Authorization: Bearer` and in the WS auth message. */
  token: string;
  /** ISO 8601; ask again before then (each call mints a fresh token). */
  expiresAt: string;
}

export interface PortholeApi {
  /** Always true inside the desktop app. */
  readonly isDesktop: true;
  /** Node's process.platform of the desktop: 'darwin', 'win32', 'linux', ... */
  readonly platform: string;
  /** The app's version (package.json). */
  readonly version: string;
  /** A fresh owner token from the main process; the renderer logs in with it, never with a URL. */
  getOwnerToken(): Promise<OwnerToken>;
  /** Writes text (≤ 1 MiB) to the system clipboard; no clipboard permission is needed. */
  copyToClipboard(text: string): Promise<void>;
  /** Shows a desktop notification (title ≤ 128 chars, body ≤ 1024). */
  notify(title: string, body?: string): Promise<void>;
}

declare global {
  interface Window {
    readonly porthole?: PortholeApi;
  }
}
