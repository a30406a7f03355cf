// Why this exists: the desktop app's Electron main process. It is glue only: it runs the same
// Server as `porthole serve` in-process, shows its page in a locked-down window, keeps a tray
// menu, and answers the preload's few IPC calls. Every decision it applies lives in a pure,
// tested module next to it (port-choice, quit-policy, window-policy, ipc-contract, tray-menu,
// join-notify, paths); keep it that way: nothing here should need a test of its own.
import {
  app,
  BrowserWindow,
  clipboard,
  dialog,
  ipcMain,
  Menu,
  nativeImage,
  Notification,
  powerMonitor,
  session,
  shell,
  Tray,
  type MenuItemConstructorOptions,
  type MessageBoxOptions,
  type WebContents,
} from 'electron';
import { execFile } from 'node:child_process';
import type { ServerEvent, Session, Viewer } from '../../common/protocol.js';
import { loginPathProbe, mergePath, parseLoginPath } from '../server/platform/login-env.js';
import { processDefaultShell } from '../server/platform/shell.js';
import { childEnv } from '../server/sessions/launch.js';
import { createLogger } from '../server/log.js';
import { Server } from '../server/server.js';
import { loadRuntime } from '../server/runtime.js';
import { checkInvoke, dispatch, IPC, type IpcHandlers } from './ipc-contract.js';
import { grantOfAction, initialJoinState, onJoinEvent, resolvedRequest, type JoinNotification, type JoinState } from './join-notify.js';
import { APP_ID, desktopPaths } from './paths.js';
import { choosePort, DEFAULT_DESKTOP_PORT, portInUseDialog, portOutcome, startFailedDialog } from './port-choice.js';
import { isPortFree } from './port-probe.js';
import { quitConfirmed, quitDecision, quitDialog, SHUTDOWN_DEADLINE_MS, SHUTDOWN_SIGNALS, windowCloseAction, type QuitState } from './quit-policy.js';
import { wireSystemEnd } from './system-end.js';
import { applySessionEvent, applyViewerEvent, sameTemplate, trayTemplate, trayTooltip, type TrayAction, type TrayItem } from './tray-menu.js';
import { appPageUrl, navigationDecision, permissionDecision, sessionPageUrl, windowOpenDecision, windowOptions } from './window-policy.js';

const log = createLogger({ base: { component: 'desktop' } });
const paths = desktopPaths(app.getAppPath(), process.platform);
const TRAY_REFRESH_MS = 200;

const state = {
  server: null as Server | null,
  appUrl: '',
  appOrigin: '',
  win: null as BrowserWindow | null,
  tray: null as Tray | null,
  trayItems: [] as TrayItem[],
  trayTimer: null as NodeJS.Timeout | null,
  sessions: [] as Session[],
  join: initialJoinState() as JoinState,
  notifications: new Set<Notification>(),
  /** Open control-request notifications by request id, withdrawn when the request resolves. */
  requestNotes: new Map<string, Notification>(),
  viewers: new Map<string, readonly Viewer[]>() as ReadonlyMap<string, readonly Viewer[]>,
  quitting: false,
  asking: false,
  shuttingDown: false,
  closed: false,
};

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

function showBox(spec: MessageBoxOptions): Promise<Electron.MessageBoxReturnValue> {
  const win = state.win && !state.win.isDestroyed() ? state.win : null;
  return win ? dialog.showMessageBox(win, spec) : dialog.showMessageBox(spec);
}

// ---------- window ----------

function createWindow(url: string): BrowserWindow {
  const win = new BrowserWindow(
    windowOptions(paths.preload, { version: app.getVersion(), iconPath: process.platform === 'darwin' ? undefined : paths.windowIcon }),
  );
  win.once('ready-to-show', () => win.show());
  win.on('close', (e) => {
    const action = windowCloseAction({ quitting: state.quitting, hasTray: state.tray !== null });
    if (action === 'close') return;
    e.preventDefault();
    if (action === 'hide') win.hide();
    else app.quit();
  });
  win.on('closed', () => {
    if (state.win === win) state.win = null;
  });
  // Windows logoff/shutdown: no before-quit comes; the window hears it (system-end.ts).
  wireSystemEnd(process.platform, { window: win }, onSignal);
  void win.loadURL(url).catch((err: unknown) => log.error('window load failed', { error: message(err) }));
  state.win = win;
  return win;
}

function showWindow(url?: string): void {
  if (!state.appUrl) return; // still starting: the window appears once the server listens
  const win = state.win && !state.win.isDestroyed() ? state.win : null;
  if (!win) {
    createWindow(url ?? appPageUrl(state.appUrl));
    return;
  }
  if (url) void win.loadURL(url).catch((err: unknown) => log.error('window load failed', { error: message(err) }));
  if (win.isMinimized()) win.restore();
  win.show();
  win.focus();
}

/** Applied to every webContents (window, child window, devtools) as soon as it exists. */
function lockDown(contents: WebContents): void {
  const guard = (e: Electron.Event, url: string) => {
    const d = navigationDecision(url, state.appOrigin);
    if (d === 'allow') return;
    e.preventDefault();
    if (d === 'external') void shell.openExternal(url);
    else log.warn('navigation denied', { url });
  };
  contents.on('will-navigate', (e) => guard(e, e.url));
  contents.on('will-redirect', (e) => guard(e, e.url));
  contents.on('will-attach-webview', (e) => e.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    const d = windowOpenDecision(url, state.appOrigin);
    if (d === 'allow') {
      return { action: 'allow', overrideBrowserWindowOptions: windowOptions(paths.preload, { version: app.getVersion() }) };
    }
    if (d === 'external') void shell.openExternal(url);
    else log.warn('window.open denied', { url });
    return { action: 'deny' };
  });
}

// ---------- IPC ----------

function registerIpc(server: Server): void {
  const handlers: IpcHandlers = {
    'porthole:get-owner-token': () => server.mintOwnerToken(),
    'porthole:copy-to-clipboard': (text) => clipboard.writeText(text),
    'porthole:notify': ({ title, body }) => notify(title, body ?? ''),
  };
  for (const channel of Object.values(IPC)) {
    ipcMain.handle(channel, (event, ...args: unknown[]) => {
      const check = checkInvoke(channel, event.senderFrame?.url, args, state.appOrigin);
      if (!check.ok) {
        log.warn('ipc refused', { channel, reason: check.reason });
        throw new Error(check.message);
      }
      return dispatch(handlers, check);
    });
  }
}

// ---------- notifications ----------

function notify(title: string, body: string, sessionId?: string, request?: JoinNotification['request']): void {
  if (!Notification.isSupported()) return;
  // Allow / Deny buttons where the platform shows them (macOS, Windows); elsewhere a click
  // opens the session, where the panel's toast offers the same two buttons.
  const n = new Notification(request ? { title, body, actions: request.actions.map((text) => ({ type: 'button' as const, text })) } : { title, body });
  state.notifications.add(n); // keep a reference, or a click may arrive after GC
  n.on('click', () => showWindow(sessionId ? sessionPageUrl(state.appUrl, sessionId) : undefined));
  n.on('close', () => {
    state.notifications.delete(n);
    if (request) state.requestNotes.delete(request.requestId);
  });
  if (request && sessionId) {
    state.requestNotes.set(request.requestId, n);
    n.on('action', (_event, index) => {
      const grant = grantOfAction(index);
      if (grant !== null) answerControl(sessionId, request.requestId, grant);
    });
  }
  n.show();
}

/** The owner's answer from a notification or the tray; a lapsed request is no error. */
function answerControl(sessionId: string, requestId: string, grant: boolean | 'take-back'): void {
  try {
    if (grant === 'take-back') state.server?.control.takeBack(sessionId, requestId);
    else state.server?.control.answer(sessionId, requestId, grant);
  } catch (err) {
    log.info('control answer not applied', { error: message(err) });
  }
}

// ---------- tray ----------

function toMenu(items: readonly TrayItem[]): MenuItemConstructorOptions[] {
  return items.map((it) => {
    const action = it.action;
    const out: MenuItemConstructorOptions = { type: it.submenu ? 'submenu' : (it.type ?? 'normal') };
    if (it.label !== undefined) out.label = it.label;
    if (it.enabled !== undefined) out.enabled = it.enabled;
    if (it.submenu) out.submenu = toMenu(it.submenu);
    if (action) out.click = () => void runTrayAction(action);
    return out;
  });
}

function refreshTray(): void {
  state.trayTimer = null;
  if (!state.tray || state.tray.isDestroyed()) return;
  const items = trayTemplate(state.sessions, { viewers: state.viewers });
  state.tray.setToolTip(trayTooltip(state.sessions));
  if (sameTemplate(items, state.trayItems)) return;
  state.trayItems = items;
  state.tray.setContextMenu(Menu.buildFromTemplate(toMenu(items)));
}

function scheduleTrayRefresh(): void {
  state.trayTimer ??= setTimeout(refreshTray, TRAY_REFRESH_MS);
}

function createTray(): void {
  try {
    const image = nativeImage.createFromPath(paths.trayIcon);
    if (process.platform === 'darwin') image.setTemplateImage(true);
    state.tray = new Tray(image);
  } catch (err) {
    log.warn('no tray on this desktop; closing the window will quit', { error: message(err) });
    return;
  }
  if (process.platform === 'win32') state.tray.on('click', () => showWindow());
  refreshTray();
}

async function runTrayAction(action: TrayAction): Promise<void> {
  const server = state.server;
  if (!server) return;
  try {
    switch (action.type) {
      case 'open-session':
        return showWindow(sessionPageUrl(state.appUrl, action.sessionId));
      case 'copy-link': {
        const { url } = server.shares.create(action.sessionId, action.mode);
        clipboard.writeText(url);
        return notify('Porthole', `${action.mode === 'control' ? 'Control' : 'View'} link copied to the clipboard.`);
      }
      case 'answer-control':
        return answerControl(action.sessionId, action.requestId, action.grant);
      case 'take-back':
        return answerControl(action.sessionId, action.requestId, 'take-back');
      case 'end-session':
      case 'remove-session':
        return await server.sessions.remove(action.sessionId);
      case 'new-session': {
        const s = await server.sessions.create({});
        return showWindow(sessionPageUrl(state.appUrl, s.id));
      }
      case 'open-app':
        return showWindow(appPageUrl(state.appUrl));
      case 'quit':
        return app.quit();
    }
  } catch (err) {
    dialog.showErrorBox('Porthole', message(err));
  }
}

function onServerEvent(e: ServerEvent): void {
  state.sessions = applySessionEvent(state.sessions, e);
  state.viewers = applyViewerEvent(state.viewers, e);
  scheduleTrayRefresh();
  const r = onJoinEvent(state.join, e);
  state.join = r.state;
  if (r.notify) notify(r.notify.title, r.notify.body, r.notify.sessionId, r.notify.request);
  const resolved = resolvedRequest(e);
  if (resolved) state.requestNotes.get(resolved)?.close();
}

// ---------- start and quit ----------

async function startServer(): Promise<Server | null> {
  const choice = await choosePort(DEFAULT_DESKTOP_PORT, (p) => isPortFree(p));
  const response = choice.kind === 'alternative' ? (await dialog.showMessageBox(portInUseDialog(choice))).response : undefined;
  const outcome = portOutcome(choice, response);
  if (outcome.action === 'quit') return null;
  let server: Server | null = null;
  try {
    const runtime = await loadRuntime();
    server = await Server.create({
      pty: runtime.pty,
      runtime: runtime.info,
      port: outcome.port,
      host: '127.0.0.1',
      dataDir: app.getPath('userData'),
      auth: true,
      rendererDir: paths.rendererDir,
      logger: log,
    });
    await server.listen();
    return server;
  } catch (err) {
    await server?.close().catch(() => undefined);
    await dialog.showMessageBox(startFailedDialog(message(err)));
    return null;
  }
}

/** macOS from the Dock: commands are looked up with the login shell's PATH (platform/login-env.ts). */
async function adoptLoginPath(): Promise<void> {
  const probe = loginPathProbe(process.platform, processDefaultShell());
  if (!probe) return;
  const out = await new Promise<string>((resolve) => {
    const env = childEnv(process.env, undefined);
    execFile(probe.file, probe.args, { timeout: probe.timeoutMs, env, maxBuffer: 256 * 1024 }, (_err, stdout) => resolve(String(stdout ?? '')));
  });
  const loginPath = parseLoginPath(out);
  if (loginPath) process.env.PATH = mergePath(loginPath, process.env.PATH);
  else log.warn('the login shell did not report its PATH; commands are looked up with the app\'s', { shell: probe.file });
}

async function start(): Promise<void> {
  if (process.platform === 'win32') app.setAppUserModelId(APP_ID);
  await adoptLoginPath();
  session.defaultSession.setPermissionRequestHandler((_wc, permission, callback, details) =>
    callback(permissionDecision(permission, details.requestingUrl, state.appOrigin)),
  );
  session.defaultSession.setPermissionCheckHandler((_wc, permission, requestingOrigin) =>
    permissionDecision(permission, requestingOrigin, state.appOrigin),
  );
  const server = await startServer();
  if (!server) {
    state.closed = true;
    app.quit();
    return;
  }
  state.server = server;
  state.appUrl = server.url;
  state.appOrigin = new URL(server.url).origin;
  log.info('desktop server listening', { url: server.url });
  state.sessions = server.sessions.list();
  state.join = initialJoinState(state.sessions);
  server.onEvent((e) => onServerEvent(e));
  registerIpc(server);
  createTray();
  createWindow(appPageUrl(state.appUrl));
}

async function shutdown(): Promise<void> {
  if (state.shuttingDown) return; // a signal and a confirmed question can both ask for it
  state.shuttingDown = true;
  const server = state.server;
  if (server) {
    const deadline = new Promise<void>((resolve) => setTimeout(resolve, SHUTDOWN_DEADLINE_MS).unref());
    await Promise.race([server.close().catch((err: unknown) => log.error('server close failed', { error: message(err) })), deadline]);
  }
  state.tray?.destroy();
  state.tray = null;
  state.closed = true;
  state.quitting = true;
  app.quit();
}

function quitState(): QuitState {
  const running = state.sessions.filter((s) => s.status === 'running').length;
  return { runningSessions: running, asking: state.asking, shuttingDown: state.shuttingDown, closed: state.closed };
}

function onBeforeQuit(e: Electron.Event): void {
  const q = quitState();
  const running = q.runningSessions;
  const d = quitDecision(q);
  if (d === 'proceed') {
    state.quitting = true;
    return;
  }
  e.preventDefault();
  if (d === 'wait') return;
  if (d === 'shutdown') {
    void shutdown();
    return;
  }
  state.asking = true;
  void showBox(quitDialog(running)).then(({ response }) => {
    state.asking = false;
    if (quitConfirmed(response)) void shutdown();
  });
}

/** A signal, or the OS ending the user's session: shut down without asking (nobody may be there). */
function onSignal(signal: string): void {
  const d = quitDecision(quitState(), { interactive: false });
  log.info('signal received', { signal, action: d });
  if (d === 'shutdown') void shutdown();
  else if (d === 'proceed') app.quit();
}

app.enableSandbox(); // every renderer sandboxed, whatever options a future window passes

if (!app.requestSingleInstanceLock()) {
  // Another Porthole owns the port and the data dir; it was told (second-instance) to show itself.
  app.quit();
} else {
  app.on('second-instance', () => showWindow());
  app.on('activate', () => showWindow()); // macOS: dock icon clicked
  app.on('web-contents-created', (_e, contents) => lockDown(contents));
  app.on('window-all-closed', () => {
    // The tray keeps the app (and remote viewers' sessions) alive; quitting goes via before-quit.
  });
  app.on('before-quit', onBeforeQuit);
  app
    .whenReady()
    .then(() => {
      // Registered once ready, i.e. after Electron has set up its own POSIX shutdown-signal
      // handling (which only calls app.quit(), and so would put the question on screen):
      // a signal runs the contract's shutdown directly.
      for (const sig of SHUTDOWN_SIGNALS) process.on(sig, () => onSignal(sig));
      // macOS logout, Linux/macOS shutdown: a question would hold up the logout (system-end.ts).
      wireSystemEnd(process.platform, { powerMonitor }, onSignal);
      return start();
    })
    .catch((err: unknown) => {
      log.error('desktop start failed', { error: message(err) });
      dialog.showErrorBox('Porthole', message(err));
      state.closed = true;
      app.quit();
    });
}
