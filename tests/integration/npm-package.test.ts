// The path a user takes with the npm package: `npm pack`, `npm install ./porthole-*.tgz` into an
// empty project on a machine with no build tools (PATH holds node, npm, npx and sh only: no
// g++, make, python3 or cc, so nothing may compile on install), then `npx porthole serve`, a
// session through the API, and the pages with their headers. It also checks what the tarball
// holds: what runs and what users read, no tests, benchmarks, sources or source maps.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildMain, ROOT } from '../helpers/build-main.js';
import { sleep, until } from '../helpers/server.js';

const VERSION = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;

let work = '';
let project = '';
let packed: string[] = [];
let env: NodeJS.ProcessEnv = {};
let serve: ChildProcess | undefined;

/** A PATH with node, npm, npx and sh only: what a box without build tools offers. */
function barePath(dir: string): string {
  mkdirSync(dir);
  const nodeDir = dirname(process.execPath);
  for (const tool of ['node', 'npm', 'npx']) symlinkSync(join(nodeDir, tool), join(dir, tool));
  symlinkSync('/bin/sh', join(dir, 'sh'));
  return dir;
}

beforeAll(() => {
  // dist/ as `npm pack` would build it (prepare); built here under the same locks the other
  // test files take, and packed with --ignore-scripts so that no build rewrites dist/ under them.
  buildMain();
  execFileSync('flock', ['/tmp/porthole-build-renderer.lock', process.execPath, join(ROOT, 'tests/e2e/build-renderer.mjs')], { cwd: ROOT, stdio: 'pipe' });
  work = mkdtempSync(join(tmpdir(), 'porthole-npm-'));
  const out = execFileSync('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', work], { cwd: ROOT, encoding: 'utf8' });
  const info = (JSON.parse(out) as Array<{ filename: string; files: Array<{ path: string }> }>)[0]!;
  packed = info.files.map((f) => f.path);

  project = join(work, 'project');
  mkdirSync(project);
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'try-porthole', private: true }));
  env = { HOME: process.env.HOME, PATH: barePath(join(work, 'bin')), TMPDIR: tmpdir(), PORTHOLE_LOG_LEVEL: 'warn' };
  execFileSync('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error', join(work, basename(info.filename))], {
    cwd: project,
    env,
    stdio: 'pipe',
    timeout: 150_000,
  });
}, 180_000);

afterAll(async () => {
  if (serve?.pid) {
    try {
      process.kill(-serve.pid, 'SIGKILL'); // npx, its sh and porthole: one group of their own
    } catch {
      /* already gone */
    }
  }
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('the npm package', () => {
  it('holds what runs and what users read, nothing else', () => {
    expect(packed).toContain('bin/porthole.js');
    expect(packed).toContain('dist/main/cli/index.js');
    expect(packed).toContain('dist/main/server/server.js');
    expect(packed).toContain('dist/renderer/index.html');
    expect(packed).toContain('README.md');
    expect(packed).toContain('docs/cli.md');
    expect(packed.some((f) => /^dist\/renderer\/assets\/.+\.js\.br$/.test(f))).toBe(true);
    const stray = packed.filter((f) => /^(tests|benchmarks|main|common|renderer|preload|scripts|build|resources)\//.test(f) || /\.(map|ts)$/.test(f) || f.startsWith('dist/bin/') || f.startsWith('docs/screenshots/'));
    expect(stray).toEqual([]);
  });

  it('installs without a compiler: prebuilt node-pty, nothing built on install', () => {
    const nm = join(project, 'node_modules');
    expect(existsSync(join(nm, 'porthole/bin/porthole.js'))).toBe(true);
    expect(existsSync(join(nm, `@lydell/node-pty-${process.platform}-${process.arch}/pty.node`))).toBe(true);
    expect(existsSync(join(nm, 'node-pty'))).toBe(false);
    expect(existsSync(join(nm, 'electron'))).toBe(false);
  });

  it('`npx porthole serve` starts; a session runs; the pages come with their headers', async () => {
    const dataDir = join(work, 'data');
    serve = spawn('npx', ['porthole', 'serve', '--port', '0', '--data-dir', dataDir], { cwd: project, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    let stderr = '';
    serve.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
    const exited = new Promise<void>((r) => serve!.once('exit', () => r()));
    const lines: string[] = [];
    createInterface({ input: serve.stdout! }).on('line', (l) => lines.push(l));
    await until(() => lines.length >= 2 || serve!.exitCode !== null, 30_000);
    expect(lines.length, stderr).toBeGreaterThanOrEqual(2);
    const url = /^Porthole listening on (http:\/\/127\.0\.0\.1:\d+)$/.exec(lines[0]!)?.[1];
    const token = /#token=(.+)$/.exec(lines[1]!)?.[1];
    expect(url).toBeDefined();
    expect(token).toBeDefined();
    const auth = { authorization: `Bearer ${token}` };

    const health = (await (await fetch(`${url}/health`)).json()) as { version: string };
    expect(health.version).toBe(VERSION);

    const created = await fetch(`${url}/api/sessions`, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json' },
      body: JSON.stringify({ command: ['/bin/sh', '-c', 'echo pack-$((6*7)); exec cat'] }),
    });
    expect(created.status).toBe(201);
    const { id } = (await created.json()) as { id: string };
    let screen = '';
    for (let i = 0; i < 100 && !screen.includes('pack-42'); i++) {
      await sleep(100);
      screen = await (await fetch(`${url}/api/sessions/${id}/snapshot`, { headers: auth })).text();
    }
    expect(screen).toContain('pack-42');

    const page = await fetch(`${url}/s/${id}`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    expect(page.headers.get('x-content-type-options')).toBe('nosniff');
    const html = await page.text();
    const script = /src="(\/assets\/[^"]+\.js)"/.exec(html)?.[1];
    expect(script).toBeDefined();
    const asset = await fetch(`${url}${script}`, { headers: { 'accept-encoding': 'br' } });
    expect(asset.status).toBe(200);
    expect(asset.headers.get('content-encoding')).toBe('br');

    // Ctrl-C as a terminal sends it: SIGINT to the whole foreground group (npx runs porthole
    // under `sh -c`, which passes no signal on: a SIGTERM to npx alone would leave it running).
    process.kill(-serve.pid!, 'SIGINT');
    await exited;
    let down = false;
    for (let i = 0; i < 50 && !down; i++) {
      down = await fetch(`${url}/health`).then(() => false, () => true);
      if (!down) await sleep(100);
    }
    expect(down).toBe(true);
    expect(existsSync(join(dataDir, 'secret'))).toBe(true);
  }, 60_000);
});
