// Why this exists: the window shows a web page that must never gain Node, leave the app's
// origin, or be granted a device. Every such decision is a pure function here so it is
// tested without Electron; main.ts only applies them (electron security checklist).
import type { BrowserWindowConstructorOptions } from 'electron';

/** Argument that carries the app's version into the sandboxed preload (process.argv). */
export const VERSION_ARG_PREFIX = '--porthole-version=';

/** The only window options the app uses; `webPreferences` is the security boundary. */
export function windowOptions(preloadPath: string, opts: { version: string; iconPath?: string }): BrowserWindowConstructorOptions {
  const options: BrowserWindowConstructorOptions = {
    width: 1100,
    height: 720,
    minWidth: 480,
    minHeight: 320,
    title: 'Porthole',
    show: false,
    backgroundColor: '#101418',
    autoHideMenuBar: true,
    webPreferences: {
      preload: preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      spellcheck: false,
      additionalArguments: [VERSION_ARG_PREFIX + opts.version],
    },
  };
  if (opts.iconPath) options.icon = opts.iconPath;
  return options;
}

/** The origin (`scheme://host:port`) of a URL, or null when it does not parse. */
export function originOf(url: string): string | null {
  try {
    const u = new URL(url);
    return u.origin === 'null' ? null : u.origin;
  } catch {
    return null;
  }
}

/** 'allow' stays in the app; 'external' goes to the user's browser; 'deny' goes nowhere. */
export type NavigationDecision = 'allow' | 'external' | 'deny';

function isWebUrl(url: string): boolean {
  try {
    const u = new URL(url);
    return (u.protocol === 'http:' || u.protocol === 'https:') && u.username === '' && u.password === '';
  } catch {
    return false;
  }
}

/**
 * A navigation (`will-navigate`, `will-redirect`) or a `window.open`: the app's own origin is
 * allowed, other http(s) URLs open in the default browser, every other scheme (file:,
 * javascript:, data:, custom protocols that launch programs) is denied.
 */
export function navigationDecision(url: string, appOrigin: string): NavigationDecision {
  const origin = originOf(url);
  if (origin !== null && origin === appOrigin) return 'allow';
  return isWebUrl(url) ? 'external' : 'deny';
}

/**
 * `window.open` targets: same-origin pages may open in a new app window (with the same
 * locked-down options); anything else is handed to the browser or dropped, never a new window.
 */
export function windowOpenDecision(url: string, appOrigin: string): NavigationDecision {
  return navigationDecision(url, appOrigin);
}

/**
 * Every permission request (camera, microphone, notifications, clipboard read, geolocation,
 * MIDI, HID, serial, ...) is denied, whoever asks: the page needs none of them. Copying goes
 * through the preload's copyToClipboard, notifications through the main process.
 */
export function permissionDecision(_permission: string, _requestingUrl: string, _appOrigin: string): boolean {
  return false;
}

/**
 * The control panel's query parameter that selects a session. It must match what the panel
 * reads and writes itself (renderer/src/panel.ts keeps the open session in `/?s=<id>` across
 * reloads), so Open / New session from the tray land on that session.
 */
export const SESSION_QUERY_PARAM = 's';

/** The page for a session: the control panel with the session selected (an id, never a token). */
export function sessionPageUrl(appUrl: string, sessionId: string): string {
  const u = new URL(appUrl);
  u.pathname = '/';
  u.search = '';
  u.hash = '';
  u.searchParams.set(SESSION_QUERY_PARAM, sessionId);
  return u.toString();
}

/** The control panel's URL for a server URL (`http://127.0.0.1:4022` → `.../`). */
export function appPageUrl(appUrl: string): string {
  const u = new URL(appUrl);
  u.pathname = '/';
  u.search = '';
  u.hash = '';
  return u.toString();
}
