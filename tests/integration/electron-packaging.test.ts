// Packages the desktop app for Linux (`electron-builder --linux dir`) from the real
// electron-builder.yml, against a stand-in Electron (a folder with a fake `electron`
// executable: electronDist), offline, and checks what a user's machine would get: the app in
// resources/app.asar, node-pty's prebuilt native files unpacked beside it, no dev dependencies, and
// every import of the packaged JavaScript resolvable inside the archive.
import { execFile, execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '../..');
const require = createRequire(import.meta.url);
const yaml = require('js-yaml') as { load(text: string): unknown };
const asar = require('@electron/asar') as {
  listPackage(archive: string): string[];
  statFile(archive: string, file: string): { unpacked?: boolean };
  extractFile(archive: string, file: string): Buffer;
};

let work = '';
let appDir = '';
let archive = '';
let listing: Set<string> = new Set();
let log = '';
/** The project's package.json as it was before packaging (see the guard in afterAll). */
let projectPackageJson = '';

/** dist/ is built by `npm ci` (prepare) in CI; build the two layers this test needs if not. */
function ensureBuilt(): void {
  const tsc = path.join(ROOT, 'node_modules/.bin/tsc');
  if (!existsSync(path.join(ROOT, 'dist/main/electron/main.js'))) {
    try {
      execFileSync(tsc, ['-p', 'tsconfig.main.json'], { cwd: ROOT, stdio: 'pipe' });
    } catch {
      // type errors elsewhere still emit; the assertions below say what is missing
    }
  }
  if (!existsSync(path.join(ROOT, 'dist/preload/index.cjs'))) {
    execFileSync(tsc, ['-p', 'tsconfig.preload.json'], { cwd: ROOT, stdio: 'pipe' });
  }
}

beforeAll(async () => {
  projectPackageJson = readFileSync(path.join(ROOT, 'package.json'), 'utf8');
  ensureBuilt();
  work = mkdtempSync(path.join(tmpdir(), 'porthole-pack-'));
  // The stand-in Electron: what the linux packager copies and renames (electron -> porthole).
  const fake = path.join(work, 'electron-dist');
  mkdirSync(path.join(fake, 'locales'), { recursive: true });
  mkdirSync(path.join(fake, 'resources'), { recursive: true });
  writeFileSync(path.join(fake, 'electron'), '#!/bin/sh\necho "stand-in electron"\n');
  chmodSync(path.join(fake, 'electron'), 0o755);
  writeFileSync(path.join(fake, 'locales', 'en-US.pak'), 'stand-in');
  writeFileSync(path.join(fake, 'chrome-sandbox'), 'stand-in');

  const config = yaml.load(readFileSync(path.join(ROOT, 'electron-builder.yml'), 'utf8')) as Record<string, unknown>;
  const out = path.join(work, 'out');
  const overridden = {
    ...config,
    electronDist: fake,
    directories: { ...(config.directories as object), output: out },
    electronFuses: null, // the fuses are flipped in the real Electron binary; the stand-in has none
    linux: { ...(config.linux as object), target: ['dir'] },
  };
  const configPath = path.join(work, 'electron-builder.json');
  writeFileSync(configPath, JSON.stringify(overridden, null, 1));

  const cli = path.join(ROOT, 'node_modules/electron-builder/cli.js');
  // Drop the test runner's variables: electron-builder goes quiet when it sees them, and with
  // VITEST set it hard-links the project's files into its output instead of copying them
  // (builder-util fs.js), so the output would share inodes with the project.
  const env: NodeJS.ProcessEnv = { ELECTRON_BUILDER_OFFLINE: 'true', CSC_IDENTITY_AUTO_DISCOVERY: 'false', USE_HARD_LINKS: 'false' };
  for (const [k, v] of Object.entries(process.env)) if (!/^(VITEST|JEST_)/.test(k) && !(k in env)) env[k] = v;
  const r = await promisify(execFile)(process.execPath, [cli, '--linux', 'dir', '--x64', '--config', configPath, '--projectDir', ROOT], {
    cwd: ROOT,
    env,
    maxBuffer: 16 * 1024 * 1024,
    timeout: 110_000,
  });
  log = r.stdout + r.stderr;
  appDir = path.join(out, 'linux-unpacked');
  archive = path.join(appDir, 'resources', 'app.asar');
  listing = new Set(asar.listPackage(archive));
}, 120_000);

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
  // Packaging must never touch the project; if it did, put package.json back and say so.
  const now = readFileSync(path.join(ROOT, 'package.json'), 'utf8');
  if (projectPackageJson && now !== projectPackageJson) {
    writeFileSync(path.join(ROOT, 'package.json'), projectPackageJson);
    throw new Error('electron-builder changed the project package.json (restored it)');
  }
});

describe('electron-builder --linux dir (stand-in Electron, offline)', () => {
  it('renames the executable to porthole and keeps Electron beside app.asar', () => {
    expect(statSync(path.join(appDir, 'porthole')).mode & 0o111).not.toBe(0);
    expect(existsSync(path.join(appDir, 'locales', 'en-US.pak'))).toBe(true);
    expect(existsSync(archive)).toBe(true);
    expect(log).toContain('npmRebuild is set to false');
  });

  it('puts package.json "main", the preload, the pages and the icons in app.asar', () => {
    const pkg = JSON.parse(asar.extractFile(archive, 'package.json').toString('utf8')) as { main: string; type: string };
    expect(pkg.main).toBe('dist/main/electron/main.js');
    expect(pkg.type).toBe('module');
    expect(listing.has('/dist/main/electron/main.js')).toBe(true);
    expect(listing.has('/dist/main/server/server.js')).toBe(true);
    expect(listing.has('/dist/preload/index.cjs')).toBe(true);
    expect(listing.has('/resources/icons/tray.png')).toBe(true);
    expect(listing.has('/resources/icons/trayTemplate@2x.png')).toBe(true);
    if (existsSync(path.join(ROOT, 'dist/renderer/index.html'))) expect(listing.has('/dist/renderer/index.html')).toBe(true);
  });

  it('unpacks node-pty: the prebuilt .node file of this machine lives under app.asar.unpacked', () => {
    const node = `node_modules/@lydell/node-pty-${process.platform}-${process.arch}/pty.node`;
    expect(listing.has(`/${node}`)).toBe(true);
    expect(asar.statFile(archive, node).unpacked).toBe(true);
    expect(statSync(path.join(appDir, 'resources', 'app.asar.unpacked', node)).size).toBeGreaterThan(1000);
    // node-pty runs its own files by path (spawn-helper, the Windows worker): unpacked too
    expect(existsSync(path.join(appDir, 'resources/app.asar.unpacked/node_modules/@lydell/node-pty/index.js'))).toBe(true);
    expect(existsSync(path.join(appDir, 'resources/app.asar.unpacked/node_modules/@lydell/node-pty/worker/conoutSocketWorker.js'))).toBe(true);
  });

  it('ships production dependencies only, without sources, source maps or node-pty build leftovers', () => {
    for (const dep of ['express', 'ws', 'zod', 'jsonwebtoken', 'bcryptjs', '@xterm/headless']) {
      expect(listing.has(`/node_modules/${dep}/package.json`), dep).toBe(true);
    }
    // koffi binds malloc_trim for headless Node only (platform/malloc-trim.ts): not in the app
    for (const dev of ['electron', 'electron-builder', 'vite', 'vitest', 'typescript', 'playwright-core', 'koffi', '@koromix']) {
      expect(listing.has(`/node_modules/${dev}`), dev).toBe(false);
    }
    const files = [...listing];
    expect(files.filter((f) => f.startsWith('/dist/') && f.endsWith('.map'))).toEqual([]);
    expect(files.filter((f) => /^\/(main|common|preload|renderer|tests|benchmarks)\//.test(f))).toEqual([]);
    // the prebuilt node-pty only: no compiled-on-install node-pty with its sources and leftovers
    expect(files.filter((f) => f.startsWith('/node_modules/node-pty/') || f.includes('/obj.target/'))).toEqual([]);
    const ptyLeftovers = files.filter((f) => f.startsWith('/node_modules/@lydell/') && /(\.test\.js|\.map|\.pdb|\.mk|Makefile|\.gypi|\.cc)$/.test(f));
    expect(ptyLeftovers).toEqual([]);
  });

  it('every import in the packaged JavaScript resolves inside the archive', () => {
    const missing: string[] = [];
    const js = [...listing].filter((f) => f.startsWith('/dist/main/') && f.endsWith('.js'));
    expect(js.length).toBeGreaterThan(10);
    for (const file of js) {
      const text = asar.extractFile(archive, file.slice(1)).toString('utf8');
      for (const m of text.matchAll(/(?:^|\n)\s*(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g)) {
        const spec = m[1] ?? m[2]!;
        if (spec.startsWith('node:') || spec === 'electron') continue;
        if (spec.startsWith('.')) {
          const target = path.posix.join(path.posix.dirname(file), spec);
          if (!listing.has(target)) missing.push(`${file} -> ${spec}`);
        } else {
          const pkg = spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0]!;
          if (!listing.has(`/node_modules/${pkg}`) && !isBuiltin(pkg)) missing.push(`${file} -> ${spec}`);
        }
      }
    }
    expect(missing).toEqual([]);
  });
});

function isBuiltin(name: string): boolean {
  return require('node:module').builtinModules.includes(name) as boolean;
}
