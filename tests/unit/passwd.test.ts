import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import bcrypt from 'bcryptjs';
import { spawn as ptySpawn } from '@lydell/node-pty';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { buildMain, ROOT } from '../helpers/build-main.js';

const dirs: string[] = [];
function tmp(): string {
  const d = mkdtempSync(join(tmpdir(), 'porthole-passwd-'));
  dirs.push(d);
  return d;
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
beforeAll(() => buildMain());

function passwd(args: string[], input: string | undefined) {
  return spawnSync(process.execPath, ['bin/porthole.js', 'passwd', ...args], {
    cwd: ROOT,
    input,
    encoding: 'utf8',
    env: { ...process.env, PORTHOLE_PASSWORD: '' },
  });
}

describe('porthole passwd', () => {
  it('--stdin stores a bcrypt hash of the first line, never the plaintext, and keeps other settings', () => {
    const dir = tmp();
    writeFileSync(join(dir, 'config.json'), JSON.stringify({ port: 5555 }));
    const r = passwd(['--stdin', '--data-dir', dir], 'correct horse battery\nignored second line\n');
    expect(r.status).toBe(0);
    expect(r.stdout).toBe('');
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    const text = readFileSync(join(dir, 'config.json'), 'utf8');
    const config = JSON.parse(text) as { passwordHash: string; port: number };
    expect(config.port).toBe(5555);
    expect(config.passwordHash).toMatch(/^\$2[aby]\$10\$/);
    expect(bcrypt.compareSync('correct horse battery', config.passwordHash)).toBe(true);
    for (const name of readdirSync(dir)) {
      const p = join(dir, name);
      if (statSync(p).isFile()) expect(readFileSync(p).includes('correct horse')).toBe(false);
    }
    expect(statSync(join(dir, 'config.json')).mode & 0o777).toBe(0o600);
    expect(readdirSync(dir).filter((n) => n.endsWith('.tmp'))).toEqual([]);
  });

  it('accepts a last line without a newline (and CRLF)', () => {
    const dir = tmp();
    expect(passwd(['--stdin', '--data-dir', dir], 'pw-no-newline').status).toBe(0);
    expect(bcrypt.compareSync('pw-no-newline', (JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8')) as { passwordHash: string }).passwordHash)).toBe(true);
    expect(passwd(['--stdin', '--data-dir', dir], 'crlf\r\n').status).toBe(0);
    expect(bcrypt.compareSync('crlf', (JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8')) as { passwordHash: string }).passwordHash)).toBe(true);
  });

  it('refuses an empty password, a non-TTY without --stdin, and a broken config: exit 2, nothing written', () => {
    const dir = tmp();
    for (const [args, input] of [
      [['--stdin', '--data-dir', dir], '\n'],
      [['--data-dir', dir], 'pw\n'],
    ] as const) {
      const r = passwd([...args], input);
      expect(r.status).toBe(2);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
    }
    expect(readdirSync(dir)).not.toContain('config.json');
    writeFileSync(join(dir, 'config.json'), '{"port": "x"}');
    const r = passwd(['--stdin', '--data-dir', dir], 'pw\n');
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('config.json: port:');
    expect(readFileSync(join(dir, 'config.json'), 'utf8')).toBe('{"port": "x"}');
  });

  it('on a terminal: prompts twice without echo, retries a mismatch, stores the hash', async () => {
    const dir = tmp();
    const term = ptySpawn(process.execPath, ['bin/porthole.js', 'passwd', '--data-dir', dir], {
      cwd: ROOT,
      cols: 100,
      rows: 20,
      env: { ...process.env, PORTHOLE_PASSWORD: '' } as Record<string, string>,
    });
    let screen = '';
    const waiters: Array<[string, number, () => void]> = [];
    term.onData((d) => {
      screen += d;
      for (const w of [...waiters]) {
        if (screen.split(w[0]).length - 1 >= w[1]) {
          waiters.splice(waiters.indexOf(w), 1);
          w[2]();
        }
      }
    });
    const exited = new Promise<number>((r) => term.onExit((e) => r(e.exitCode)));
    // Resolves when `text` has appeared `times` times in the output.
    const seen = (text: string, times = 1) =>
      new Promise<void>((resolve, reject) => {
        if (screen.split(text).length - 1 >= times) return resolve();
        const t = setTimeout(() => reject(new Error(`never saw ${text} x${times}: ${JSON.stringify(screen)}`)), 10_000);
        waiters.push([text, times, () => (clearTimeout(t), resolve())]);
      });
    await seen('New owner password: ');
    term.write('first-try\r');
    await seen('Repeat it: ');
    term.write('mismatch\r');
    await seen('differ');
    await seen('New owner password: ', 2);
    term.write('tty-secret-x\x7f\r'); // a backspace edits the hidden entry
    await seen('Repeat it: ', 2);
    term.write('tty-secret-\r');
    expect(await exited).toBe(0);
    expect(screen).not.toContain('first-try');
    expect(screen).not.toContain('tty-secret');
    const { passwordHash } = JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8')) as { passwordHash: string };
    expect(bcrypt.compareSync('tty-secret-', passwordHash)).toBe(true);
  });
});
