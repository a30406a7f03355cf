import { spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { buildMain } from '../helpers/build-main.js';
import { pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { UsageError } from '../../common/errors.js';
import { DataDir, defaultDataDir, parseConfig, writeFileAtomic } from '../../main/server/datadir.js';

const dirs: string[] = [];
function tmp(): string {
  const d = mkdtempSync(join(tmpdir(), 'porthole-datadir-'));
  dirs.push(d);
  return d;
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const HASH = '$2b$10$' + 'a'.repeat(53);

describe('defaultDataDir', () => {
  it('uses XDG_CONFIG_HOME when absolute, else ~/.config', () => {
    expect(defaultDataDir({ XDG_CONFIG_HOME: '/x/cfg' })).toBe('/x/cfg/porthole');
    expect(defaultDataDir({ XDG_CONFIG_HOME: 'relative' })).toMatch(/\.config\/porthole$/);
    expect(defaultDataDir({})).toMatch(/\.config\/porthole$/);
  });
});

describe('DataDir', () => {
  it('creates the dir 0700, the secret 0600, recordings/; the secret is stable across opens', async () => {
    const dir = join(tmp(), 'nested', 'porthole');
    const a = await DataDir.open(dir);
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    expect(statSync(join(dir, 'secret')).mode & 0o777).toBe(0o600);
    expect(statSync(a.recordingsDir).isDirectory()).toBe(true);
    expect(a.secret.length).toBe(32);
    const b = await DataDir.open(dir);
    expect(b.secret.equals(a.secret)).toBe(true);
    expect(readdirSync(dir).filter((n) => n.endsWith('.tmp'))).toEqual([]);
  });

  it('two processes opening a fresh dir at once agree on one secret', async () => {
    const dir = join(tmp(), 'race');
    const opened = await Promise.all([DataDir.open(dir), DataDir.open(dir), DataDir.open(dir)]);
    for (const d of opened) expect(d.secret.equals(opened[0].secret)).toBe(true);
  });

  it('tightens a secret that others can read', async () => {
    const dir = tmp();
    await DataDir.open(dir);
    chmodSync(join(dir, 'secret'), 0o644);
    await DataDir.open(dir);
    expect(statSync(join(dir, 'secret')).mode & 0o777).toBe(0o600);
  });

  it('a data dir that is a file is a UsageError saying what to change', async () => {
    const file = join(tmp(), 'file');
    writeFileSync(file, 'x');
    await expect(DataDir.open(file)).rejects.toThrow(UsageError);
    await expect(DataDir.open(join(file, 'sub'))).rejects.toThrow(/--data-dir/);
  });

  it('a truncated secret is a UsageError, not a silently weaker key', async () => {
    const dir = tmp();
    writeFileSync(join(dir, 'secret'), 'short');
    await expect(DataDir.open(dir)).rejects.toThrow(/secret/);
  });

  it('reads and writes config.json (0600), missing = {}', async () => {
    const d = await DataDir.open(tmp());
    expect(await d.readConfig()).toEqual({});
    await d.writeConfig({ port: 5000, passwordHash: HASH, allowOrigins: ['https://a.example'] });
    expect(await d.readConfig()).toEqual({ port: 5000, passwordHash: HASH, allowOrigins: ['https://a.example'] });
    expect(statSync(d.configPath).mode & 0o777).toBe(0o600);
    await d.updateConfig((c) => ({ ...c, port: 6000 }));
    expect((await d.readConfig()).port).toBe(6000);
  });

  it('a bad config file is a UsageError naming the file and the problem', async () => {
    const d = await DataDir.open(tmp());
    writeFileSync(d.configPath, '{"port": "eighty"}');
    await expect(d.readConfig()).rejects.toThrow(new RegExp(`${d.configPath.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: port: `));
    writeFileSync(d.configPath, '{"prot": 1}');
    await expect(d.readConfig()).rejects.toThrow(/prot/);
    writeFileSync(d.configPath, '{not json');
    await expect(d.readConfig()).rejects.toThrow(/not valid JSON/);
    expect(() => parseConfig('{"passwordHash":"hunter2"}', 'c.json')).toThrow(/passwordHash.*bcrypt/);
  });

  it('writeAtomic refuses paths outside the dir', async () => {
    const d = await DataDir.open(tmp());
    await expect(d.writeAtomic('../evil', 'x')).rejects.toThrow(/outside/);
    await d.writeAtomic('recordings/r.cast', 'x', 0o644);
    expect(readFileSync(join(d.recordingsDir, 'r.cast'), 'utf8')).toBe('x');
  });

  it('an atomic write survives kill -9 of a writer looping writes: the file always parses', async () => {
    const dir = tmp();
    const target = join(dir, 'config.json');
    await writeFileAtomic(target, JSON.stringify({ n: -1 }));
    const mod = pathToFileURL(resolve(buildMain(), 'dist/main/server/datadir.js')).href;
    // A child that rewrites a large config as fast as it can (big enough that a non-atomic
    // write would often be caught half-done).
    const script = `
      const { writeFileAtomic } = await import(${JSON.stringify(mod)});
      const pad = 'x'.repeat(256 * 1024);
      process.stdout.write('ready\\n');
      for (let n = 0; ; n++) await writeFileAtomic(${JSON.stringify(target)}, JSON.stringify({ n, pad }));
    `;
    for (let round = 0; round < 3; round++) {
      const child = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
      await new Promise<void>((res) => child.stdout.once('data', () => res()));
      await new Promise((r) => setTimeout(r, 150 + round * 70));
      child.kill('SIGKILL');
      await new Promise((r) => child.once('exit', r));
      const parsed = JSON.parse(readFileSync(target, 'utf8')) as { n: number };
      expect(parsed.n).toBeGreaterThan(0); // the child really was looping
    }
  });
});
