// Why this exists: main.ts runs from dist/main/electron/ in development and from inside
// resources/app.asar when packaged; every file it needs (preload, pages, icons) is found
// from the app's root here, in one tested place that matches tsconfig.preload.json and
// electron-builder.yml.
import path from 'node:path';

/** Where the build puts the preload (tsconfig.preload.json: preload/index.cts → .cjs). */
export const PRELOAD_REL = path.join('dist', 'preload', 'index.cjs');
/** Where `vite build` puts the pages the server serves. */
export const RENDERER_REL = path.join('dist', 'renderer');
/** Runtime icons shipped inside the app (build/ holds the packaging icons). */
export const ICONS_REL = path.join('resources', 'icons');

export interface DesktopPaths {
  preload: string;
  rendererDir: string;
  windowIcon: string;
  trayIcon: string;
}

/**
 * `appRoot` is app.getAppPath(): the project folder under `electron .`, `.../app.asar` when
 * packaged. macOS wants a black "Template" image for the menu bar (it recolours it); other
 * systems get the coloured icon. Electron picks the @2x file next to it on HiDPI screens.
 */
export function desktopPaths(appRoot: string, platform: NodeJS.Platform): DesktopPaths {
  const icons = path.join(appRoot, ICONS_REL);
  return {
    preload: path.join(appRoot, PRELOAD_REL),
    rendererDir: path.join(appRoot, RENDERER_REL),
    windowIcon: path.join(icons, 'icon-256.png'),
    trayIcon: path.join(icons, platform === 'darwin' ? 'trayTemplate.png' : platform === 'win32' ? 'tray-32.png' : 'tray.png'),
  };
}

/** Must equal electron-builder.yml's appId (Windows notifications are attributed to it). */
export const APP_ID = 'dev.porthole.desktop';
