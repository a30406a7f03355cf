// Issue 8 point 9, the smaller ones: an unusable --tls-key / --tls-cert is a user mistake
// (exit 2, one line naming the flag and the file, no OpenSSL text); and production builds carry
// no source maps, so none is served beside the pages.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { buildMain, ROOT } from '../helpers/build-main.js';
import { ensureRendererBuilt, RENDERER_DIR } from '../e2e/harness.js';
import { startServer } from '../helpers/server.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
function tmp(): string {
  const d = mkdtempSync(join(tmpdir(), 'porthole-misc-'));
  dirs.push(d);
  return d;
}

function serve(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, ['bin/porthole.js', 'serve', '--port', '0', '--data-dir', tmp(), ...args], {
    cwd: ROOT,
    env: { PATH: process.env.PATH, HOME: tmp() },
    encoding: 'utf8',
    timeout: 20_000,
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('unusable TLS files: exit 2, one line naming the flag', () => {
  beforeAll(() => buildMain());

  it('a broken PEM key, a key that is a certificate, a key of another certificate, a broken certificate', () => {
    const d = tmp();
    const make = (name: string) =>
      execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', join(d, `${name}.key`), '-out', join(d, `${name}.crt`), '-days', '1', '-subj', '/CN=localhost'], { stdio: 'ignore' });
    make('a');
    make('b');
    const cert = join(d, 'a.crt');
    const key = readFileSync(join(d, 'a.key'), 'utf8');
    writeFileSync(join(d, 'cut.key'), key.slice(0, 200) + '\n-----END PRIVATE KEY-----\n');
    writeFileSync(join(d, 'junk.crt'), '-----BEGIN CERTIFICATE-----\nnot base64!\n-----END CERTIFICATE-----\n');
    for (const [args, flag, file] of [
      [['--tls-cert', cert, '--tls-key', join(d, 'cut.key')], '--tls-key', 'cut.key'],
      [['--tls-cert', cert, '--tls-key', cert], '--tls-key', 'a.crt'],
      [['--tls-cert', cert, '--tls-key', join(d, 'b.key')], '--tls-key', 'b.key'],
      [['--tls-cert', join(d, 'junk.crt'), '--tls-key', join(d, 'a.key')], '--tls-cert', 'junk.crt'],
    ] as const) {
      const r = serve([...args]);
      expect(r.status, r.stderr).toBe(2);
      expect(r.stdout).toBe('');
      const lines = r.stderr.trim().split('\n');
      expect(lines, r.stderr).toHaveLength(1);
      expect(lines[0]).toContain(`${flag} ${join(d, file)}`);
      expect(r.stderr).not.toMatch(/ERR_OSSL|error:[0-9A-F]{8}|routines/);
    }
  }, 60_000);
});

describe('source maps are neither built nor served', () => {
  it('dist/renderer has no .map files and GET of one is 404', async () => {
    ensureRendererBuilt();
    const assets = readdirSync(join(RENDERER_DIR, 'assets'));
    const script = assets.find((f) => f.endsWith('.js'));
    expect(script).toBeDefined();
    expect(assets.filter((f) => f.endsWith('.map'))).toEqual([]);
    expect(readFileSync(join(RENDERER_DIR, 'assets', script!), 'utf8')).not.toContain('sourceMappingURL');
    const ts = await startServer({ rendererDir: RENDERER_DIR });
    expect((await ts.api(`/assets/${script}.map`, { token: null })).status).toBe(404);
  }, 120_000);
});
