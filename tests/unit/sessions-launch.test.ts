// launch.ts decides everything before a PTY exists; its mistakes would be silent (a token leaked
// into every shell's environment, a different binary run than the one checked), so pin them.
import { chmod, mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PortholeError } from '../../common/errors.js';
import { childEnv, deriveName, resolveCommand, resolveCwd } from '../../main/server/sessions/launch.js';
import { makeTempDir } from '../helpers/server.js';

async function code(p: Promise<unknown>): Promise<string | undefined> {
  const err = await p.then(() => undefined, (e: unknown) => e);
  return err instanceof PortholeError ? err.code : undefined;
}

describe('launch', () => {
  it('keeps our own variables out of the child environment and sets terminal capabilities', () => {
    const env = childEnv(
      { PATH: '/bin', PORTHOLE_TOKEN: 'secret', PORTHOLE_PASSWORD: 'pw', ELECTRON_RUN_AS_NODE: '1', TERM: 'dumb', HOME: '/h', UNSET: undefined },
      { EXTRA: 'yes', TERM: 'screen' },
    );
    expect(env).toEqual({ PATH: '/bin', HOME: '/h', TERM: 'screen', COLORTERM: 'truecolor', EXTRA: 'yes' });
    expect(childEnv({}, undefined).TERM).toBe('xterm-256color');
  });

  it('on Windows our variables are kept out whatever their case (names are case-insensitive there)', () => {
    const base = { Path: 'C:\\bin', Porthole_Password: 'pw', porthole_token: 't', electron_run_as_node: '1' };
    expect(childEnv(base, undefined, 'win32')).toEqual({ Path: 'C:\\bin', TERM: 'xterm-256color', COLORTERM: 'truecolor' });
    expect(childEnv(base, undefined, 'linux')).toMatchObject({ Porthole_Password: 'pw' }); // another variable on Linux
  });

  it('resolves cwd from home for ~ and relative paths, and refuses files and missing dirs', async () => {
    const home = await makeTempDir();
    await mkdir(join(home, 'sub'));
    await writeFile(join(home, 'file'), '');
    expect(await resolveCwd(undefined, home)).toBe(home);
    expect(await resolveCwd('~', home)).toBe(home);
    expect(await resolveCwd('~/sub', home)).toBe(join(home, 'sub'));
    expect(await resolveCwd('sub', home)).toBe(join(home, 'sub'));
    expect(await code(resolveCwd('file', home))).toBe('cwd_not_found');
    expect(await code(resolveCwd('/no/such/place', home))).toBe('cwd_not_found');
  });

  it('resolves a command to the absolute path that will run, as execvp would', async () => {
    const dir = await makeTempDir();
    const a = join(dir, 'a');
    const b = join(dir, 'b');
    await mkdir(a);
    await mkdir(b);
    await writeFile(join(a, 'tool'), '#!/bin/sh\n');
    await chmod(join(a, 'tool'), 0o644); // not executable: skipped, like execvp does
    await writeFile(join(b, 'tool'), '#!/bin/sh\n');
    await chmod(join(b, 'tool'), 0o755);
    expect(await resolveCommand('tool', { PATH: `${a}:${b}` }, dir)).toBe(join(b, 'tool'));
    expect(await code(resolveCommand('tool', { PATH: a }, dir))).toBe('command_not_found');
    expect(await resolveCommand('./b/tool', { PATH: '/nowhere' }, dir)).toBe(join(b, 'tool'));
    expect(await code(resolveCommand('./a/tool', { PATH: '/nowhere' }, dir))).toBe('command_not_found');
    expect(await code(resolveCommand('./b', { PATH: '/nowhere' }, dir))).toBe('command_not_found'); // a directory
    expect(await code(resolveCommand('no-such-tool-here', { PATH: `${a}:${b}` }, dir))).toBe('command_not_found');
  });

  it('prefers the first candidate in PATH order though all are checked at once, and a reused answer is checked again', async () => {
    const dir = await makeTempDir();
    const dirs = ['a', 'b', 'c', 'd', 'e', 'f'].map((d) => join(dir, d));
    for (const d of dirs) await mkdir(d);
    for (const d of dirs.slice(2)) {
      await writeFile(join(d, 'tool'), '#!/bin/sh\n');
      await chmod(join(d, 'tool'), 0o755);
    }
    const env = { PATH: dirs.join(':') };
    expect(await resolveCommand('tool', env, dir)).toBe(join(dirs[2], 'tool'));
    // Within COMMAND_CACHE_MS the answer is reused only while its file may still run.
    await chmod(join(dirs[2], 'tool'), 0o644);
    expect(await resolveCommand('tool', env, dir)).toBe(join(dirs[3], 'tool'));
    await rm(join(dirs[3], 'tool'));
    expect(await resolveCommand('tool', env, dir)).toBe(join(dirs[4], 'tool'));
    for (const d of dirs.slice(4)) await rm(join(d, 'tool'));
    expect(await code(resolveCommand('tool', env, dir))).toBe('command_not_found');
  });

  it('derives a readable, bounded, control-character-free name', () => {
    expect(deriveName(['/usr/bin/vim', 'notes.md'])).toBe('vim notes.md');
    expect(deriveName([])).toBe('shell');
    expect(deriveName(['sh', '-c', 'a\nb\x1b[31m'])).toBe('sh -c a b [31m');
    expect(deriveName(['x', 'y'.repeat(1000)]).length).toBeLessThanOrEqual(128);
  });
});
