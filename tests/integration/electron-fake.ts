// A stand-in for the `electron` module, just wide enough for main/electron/main.ts, so the glue
// runs under Node (vi.mock('electron')) where real Electron cannot: it records what the app
// asks of Electron (windows, dialogs, tray menus, IPC handlers) and lets a test play the user.
import { EventEmitter } from 'node:events';
import { createServer, type Server } from 'node:net';

type Listener = (...args: unknown[]) => unknown;

export interface MenuItemLike {
  label?: string;
  type?: string;
  enabled?: boolean;
  submenu?: MenuItemLike[];
  click?: () => void;
}

export interface BoxSpec {
  message: string;
  buttons: string[];
  [k: string]: unknown;
}

class FakeEvent {
  defaultPrevented = false;
  constructor(readonly url = '') {}
  preventDefault(): void {
    this.defaultPrevented = true;
  }
}

export const recorded = {
  windows: [] as FakeBrowserWindow[],
  boxes: [] as BoxSpec[],
  errorBoxes: [] as string[],
  clipboard: [] as string[],
  external: [] as string[],
  notifications: [] as Array<{ title: string; body: string }>,
  /** The shown Notification objects, so a test can press their buttons ('action'). */
  shownNotifications: [] as FakeNotification[],
  handlers: new Map<string, Listener>(),
  permissionRequest: null as null | Listener,
  permissionCheck: null as null | Listener,
  trays: [] as FakeTray[],
  quitCalls: 0,
  quitted: false,
  sandboxEnabled: false,
};

/** The test answers each message box; the default presses the default button. */
export const answers: Array<(spec: BoxSpec) => number> = [];

let readyResolve: () => void = () => {};
const readyPromise = new Promise<void>((r) => (readyResolve = r));

class FakeApp extends EventEmitter {
  appPath = process.cwd();
  userData = '';
  getAppPath(): string {
    return this.appPath;
  }
  getPath(name: string): string {
    if (name !== 'userData') throw new Error(`fake getPath(${name})`);
    return this.userData;
  }
  getVersion(): string {
    return '9.9.9-test';
  }
  enableSandbox(): void {
    recorded.sandboxEnabled = true;
  }
  setAppUserModelId(): void {}
  requestSingleInstanceLock(): boolean {
    return true;
  }
  whenReady(): Promise<void> {
    return readyPromise;
  }
  /** Like Electron: 'before-quit' first; quits unless a listener prevented it. */
  quit(): void {
    recorded.quitCalls++;
    const e = new FakeEvent();
    this.emit('before-quit', e);
    if (e.defaultPrevented) return;
    for (const w of recorded.windows) if (!w.destroyed) w.close();
    recorded.quitted = true;
  }
  exit(): void {
    recorded.quitted = true;
  }
}
export const app = new FakeApp();
export function fireReady(): void {
  readyResolve();
}

export class FakeBrowserWindow extends EventEmitter {
  urls: string[] = [];
  shown = 0;
  hidden = 0;
  focused = 0;
  destroyed = false;
  constructor(readonly options: Record<string, unknown>) {
    super();
    recorded.windows.push(this);
    setImmediate(() => this.emit('ready-to-show'));
  }
  loadURL(url: string): Promise<void> {
    this.urls.push(url);
    return Promise.resolve();
  }
  show(): void {
    this.shown++;
  }
  hide(): void {
    this.hidden++;
  }
  focus(): void {
    this.focused++;
  }
  isMinimized(): boolean {
    return false;
  }
  restore(): void {}
  isDestroyed(): boolean {
    return this.destroyed;
  }
  /** Like a click on the close button: 'close' may be prevented. */
  close(): boolean {
    const e = new FakeEvent();
    this.emit('close', e);
    if (e.defaultPrevented) return false;
    this.destroyed = true;
    this.emit('closed');
    return true;
  }
}

export class FakeTray extends EventEmitter {
  menu: MenuItemLike[] = [];
  tooltip = '';
  destroyed = false;
  constructor(readonly image: unknown) {
    super();
    recorded.trays.push(this);
  }
  setToolTip(t: string): void {
    this.tooltip = t;
  }
  setContextMenu(m: { template: MenuItemLike[] }): void {
    this.menu = m.template;
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }
  destroy(): void {
    this.destroyed = true;
  }
}

export class FakeNotification extends EventEmitter {
  static isSupported(): boolean {
    return true;
  }
  closed = false;
  constructor(readonly opts: { title: string; body: string; actions?: Array<{ type: string; text: string }> }) {
    super();
  }
  show(): void {
    recorded.notifications.push(this.opts);
    recorded.shownNotifications.push(this);
  }
  close(): void {
    this.closed = true;
    this.emit('close');
  }
}

/** A webContents as `web-contents-created` hands it to the app. */
export class FakeWebContents extends EventEmitter {
  openHandler: null | ((d: { url: string }) => { action: string; overrideBrowserWindowOptions?: unknown }) = null;
  setWindowOpenHandler(h: (d: { url: string }) => { action: string }): void {
    this.openHandler = h;
  }
  /** Emits a navigation event and says whether the app prevented it. */
  navigate(event: 'will-navigate' | 'will-redirect', url: string): boolean {
    const e = new FakeEvent(url);
    this.emit(event, e);
    return e.defaultPrevented;
  }
}
export { FakeEvent };

/** powerMonitor: a test emits 'shutdown' with a FakeEvent, as Electron does at logout/shutdown. */
export const powerMonitor = new EventEmitter();

export const electron = {
  app,
  powerMonitor,
  BrowserWindow: FakeBrowserWindow,
  Tray: FakeTray,
  Notification: FakeNotification,
  Menu: { buildFromTemplate: (template: MenuItemLike[]) => ({ template }) },
  nativeImage: { createFromPath: (p: string) => ({ path: p, setTemplateImage: () => {} }) },
  clipboard: { writeText: (t: string) => void recorded.clipboard.push(t) },
  shell: {
    openExternal: (u: string) => {
      recorded.external.push(u);
      return Promise.resolve();
    },
  },
  dialog: {
    showMessageBox: (a: unknown, b?: unknown) => {
      const spec = (b ?? a) as BoxSpec;
      recorded.boxes.push(spec);
      const answer = answers.shift();
      return Promise.resolve({ response: answer ? answer(spec) : Number(spec.defaultId ?? 0), checkboxChecked: false });
    },
    showErrorBox: (_t: string, m: string) => void recorded.errorBoxes.push(m),
  },
  ipcMain: { handle: (channel: string, fn: Listener) => void recorded.handlers.set(channel, fn) },
  session: {
    defaultSession: {
      setPermissionRequestHandler: (fn: Listener) => void (recorded.permissionRequest = fn),
      setPermissionCheckHandler: (fn: Listener) => void (recorded.permissionCheck = fn),
    },
  },
};

/** Finds a tray menu item by label path, e.g. ['New session'] or [/^● /, 'Copy view link']. */
export function trayItem(path: Array<string | RegExp>): MenuItemLike | undefined {
  let items = recorded.trays.at(-1)?.menu ?? [];
  let found: MenuItemLike | undefined;
  for (const step of path) {
    found = items.find((i) => (typeof step === 'string' ? i.label === step : step.test(i.label ?? '')));
    if (!found) return undefined;
    items = found.submenu ?? [];
  }
  return found;
}

/**
 * Takes `port` on 127.0.0.1 so the app under test meets a busy preferred port (and never a
 * developer's own Porthole there); null when something else already holds it, which is as good.
 */
export async function holdPort(port: number): Promise<{ release(): Promise<void> }> {
  const server: Server = createServer();
  const held = await new Promise<boolean>((resolve) => {
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => resolve(true));
  });
  return { release: () => new Promise<void>((r) => (held ? server.close(() => r()) : r())) };
}

/** Whether a process exists (signal 0), synchronously, for polling loops. */
export function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Polls `fn` every 25 ms until it returns something truthy; throws naming `what` after `ms`. */
export async function until<T>(what: string, fn: () => T | undefined | null | false, ms = 10_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/**
 * Runs the real main/electron/main.ts against this stand-in (the test file must
 * `vi.mock('electron', ...)`) with a fresh userData, off port 4022, until its window is up;
 * `stop()` quits it and removes what it installed on the process and the disk.
 */
export async function bootDesktop(prefix: string): Promise<{ stop(): Promise<void> }> {
  const { mkdtempSync, rmSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const path = await import('node:path');
  const { SHUTDOWN_SIGNALS } = await import('../../main/electron/quit-policy.js');
  process.env.PORTHOLE_LOG_LEVEL ??= 'error';
  const userData = mkdtempSync(path.join(tmpdir(), prefix));
  app.appPath = path.resolve(import.meta.dirname, '../..');
  app.userData = userData;
  // Keep the app off 4022 (a developer's own Porthole may be there): take it if it is free,
  // so the app moves to the port its dialog offers (the stand-in presses the default button).
  const holder = await holdPort(4022);
  await import('../../main/electron/main.js');
  fireReady();
  await until('the window', () => recorded.windows[0], 15_000);
  return {
    async stop() {
      // The handlers main.ts installed would outlive the test in this worker process.
      for (const sig of SHUTDOWN_SIGNALS) process.removeAllListeners(sig);
      powerMonitor.removeAllListeners();
      if (!recorded.quitted) app.quit();
      await holder.release();
      rmSync(userData, { recursive: true, force: true });
    },
  };
}

/** Starts a session from the tray and returns the app's origin and that session, as the API shows it. */
export async function sessionFromTray(): Promise<{ origin: string; session: { pid: number; status: string } }> {
  trayItem(['New session'])!.click!();
  await until('the session in the tray', () => trayItem([/^● /]));
  const origin = new URL(recorded.windows[0]!.urls[0]!).origin;
  const mint = recorded.handlers.get('porthole:get-owner-token')!;
  const { token } = (await mint({ senderFrame: { url: `${origin}/` } })) as { token: string };
  const res = await fetch(`${origin}/api/sessions`, { headers: { authorization: `Bearer ${token}` } });
  const [session] = (await res.json()) as Array<{ pid: number; status: string }>;
  return { origin, session: session! };
}
