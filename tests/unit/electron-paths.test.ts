import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { APP_ID, desktopPaths, PRELOAD_REL } from '../../main/electron/paths.js';

const ROOT = path.resolve(import.meta.dirname, '../..');

describe('desktopPaths', () => {
  it('finds preload, pages and icons from the app root (folder or app.asar)', () => {
    const p = desktopPaths('/opt/Porthole/resources/app.asar', 'linux');
    expect(p.preload).toBe('/opt/Porthole/resources/app.asar/dist/preload/index.cjs');
    expect(p.rendererDir).toBe('/opt/Porthole/resources/app.asar/dist/renderer');
    expect(p.trayIcon).toBe('/opt/Porthole/resources/app.asar/resources/icons/tray.png');
    expect(desktopPaths('/a', 'darwin').trayIcon).toBe('/a/resources/icons/trayTemplate.png');
    expect(desktopPaths('/a', 'win32').trayIcon).toBe('/a/resources/icons/tray-32.png');
  });

  it('every runtime icon it names exists (with its @2x where Electron looks for one)', () => {
    for (const platform of ['linux', 'darwin', 'win32'] as const) {
      const p = desktopPaths(ROOT, platform);
      expect(existsSync(p.trayIcon), p.trayIcon).toBe(true);
      expect(existsSync(p.windowIcon), p.windowIcon).toBe(true);
    }
    expect(existsSync(path.join(ROOT, 'resources/icons/trayTemplate@2x.png'))).toBe(true);
    expect(existsSync(path.join(ROOT, 'resources/icons/tray@2x.png'))).toBe(true);
  });

  it('agrees with tsconfig.preload.json (outDir + .cts source) and package.json main', () => {
    const ts = JSON.parse(readFileSync(path.join(ROOT, 'tsconfig.preload.json'), 'utf8')) as { compilerOptions: { outDir: string } };
    expect(path.join(ts.compilerOptions.outDir, 'index.cjs')).toBe(PRELOAD_REL);
    expect(existsSync(path.join(ROOT, 'preload/index.cts'))).toBe(true);
    const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { main: string; scripts: Record<string, string> };
    expect(pkg.main).toBe('dist/main/electron/main.js');
    expect(pkg.scripts.build).toContain('build:preload');
  });

  it('APP_ID matches electron-builder.yml', () => {
    const yml = readFileSync(path.join(ROOT, 'electron-builder.yml'), 'utf8');
    expect(yml).toMatch(new RegExp(`^appId: ${APP_ID.replace(/\./g, '\\.')}$`, 'm'));
  });
});
