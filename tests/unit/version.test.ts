// The version is stamped into the code by the build (scripts/version.mjs -> common/version.ts),
// never read from package.json at run time: a compiled binary or a copied dist/ has no
// package.json beside it and would report 0.0.0.
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VERSION } from '../../common/version.js';
import { loadRuntime } from '../../main/server/runtime.js';
import { buildMain, ROOT } from '../helpers/build-main.js';

const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
let copy = '';

beforeAll(() => {
  buildMain();
  // dist/ alone, far from any package.json: what a binary or an unpacked copy sees
  copy = mkdtempSync(join(tmpdir(), 'porthole-version-'));
  cpSync(join(ROOT, 'dist/common'), join(copy, 'common'), { recursive: true });
  cpSync(join(ROOT, 'dist/main'), join(copy, 'main'), { recursive: true });
});
afterAll(() => rmSync(copy, { recursive: true, force: true }));

describe('the build-time version', () => {
  it('common/version.ts matches package.json (scripts/version.mjs --check)', () => {
    expect(VERSION).toBe(pkg.version);
    expect(() => execFileSync(process.execPath, [join(ROOT, 'scripts/version.mjs'), '--check'], { stdio: 'pipe' })).not.toThrow();
  });

  it('--version says it with no package.json anywhere above the code', () => {
    const r = spawnSync(process.execPath, [join(copy, 'main/cli/index.js'), '--version'], { cwd: copy, encoding: 'utf8' });
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`^porthole ${VERSION.replace(/\./g, '\\.')}\\b`));
  });

  it('/health says it from a server whose code has no package.json beside it', async () => {
    const { Server } = (await import(join(copy, 'main/server/server.js'))) as typeof import('../../main/server/server.js');
    const dataDir = mkdtempSync(join(tmpdir(), 'porthole-version-data-'));
    const runtime = await loadRuntime(); // the copy has no node_modules: the PTY comes from here
    const server = await Server.create({ port: 0, host: '127.0.0.1', dataDir, auth: false, pty: runtime.pty, runtime: runtime.info });
    try {
      const { url } = await server.listen();
      const health = (await (await fetch(`${url}/health`)).json()) as { version: string };
      expect(health.version).toBe(pkg.version);
    } finally {
      await server.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
