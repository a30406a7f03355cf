// cwd.ts: the per-platform plan for a session's current cwd (pure, so linux, darwin and win32
// are all checked here on any machine), the parsers, and the plan runner's fallbacks.
import { describe, expect, it } from 'vitest';
import { cwdProbeFor, parseLsofCwd, parseTpgid, probeCwd, type CwdProbeDeps } from '../../main/server/fs/cwd.js';

const kinds = (p: NodeJS.Platform): string[] => cwdProbeFor(p).map((s) => s.kind);

describe('cwdProbeFor', () => {
  it('linux: the foreground process group, then the shell, then the start cwd', () => {
    expect(kinds('linux')).toEqual(['proc-foreground', 'proc-pid', 'start']);
  });
  it('darwin: lsof on the session process, then the start cwd', () => {
    const plan = cwdProbeFor('darwin');
    expect(plan.map((s) => s.kind)).toEqual(['lsof', 'start']);
    const lsof = plan[0];
    if (lsof.kind !== 'lsof') throw new Error('not lsof');
    expect([lsof.file, ...lsof.args(4242)]).toEqual(['lsof', '-a', '-d', 'cwd', '-p', '4242', '-Fn']);
  });
  it('win32 (and anything unknown): the start cwd only', () => {
    expect(kinds('win32')).toEqual(['start']);
    expect(kinds('aix')).toEqual(['start']);
  });
});

describe('parsers', () => {
  it('parseTpgid counts fields from the last parenthesis (comm may hold spaces and parens)', () => {
    expect(parseTpgid('1234 (bash) S 1 1234 1234 34816 5678 4194304 0 0')).toBe(5678);
    expect(parseTpgid('99 (my (odd) prog) R 1 99 99 34817 120 0')).toBe(120);
    expect(parseTpgid('99 (daemon) S 1 99 99 0 -1 0')).toBeNull();
    expect(parseTpgid('garbage')).toBeNull();
  });
  it('parseLsofCwd takes the n line', () => {
    expect(parseLsofCwd('p4242\nfcwd\nn/Users/me/src\n')).toBe('/Users/me/src');
    expect(parseLsofCwd('p4242\n')).toBeNull();
  });
});

function fakeDeps(files: Record<string, string>, links: Record<string, string>, run?: (f: string, a: string[]) => string): CwdProbeDeps & { calls: string[] } {
  const calls: string[] = [];
  const missing = (p: string): never => {
    throw Object.assign(new Error(`ENOENT ${p}`), { code: 'ENOENT' });
  };
  return {
    calls,
    readFile: async (p) => (calls.push(`read ${p}`), files[p] ?? missing(p)),
    readlink: async (p) => (calls.push(`link ${p}`), links[p] ?? missing(p)),
    run: async (f, a) => {
      calls.push(`run ${f} ${a.join(' ')}`);
      if (!run) throw Object.assign(new Error('spawn lsof ENOENT'), { code: 'ENOENT' });
      return run(f, a);
    },
  };
}

describe('probeCwd', () => {
  const stat = '100 (bash) S 1 100 100 34816 200 0';
  it('linux: the foreground job wins (vim opened in a subfolder)', async () => {
    const deps = fakeDeps({ '/proc/100/stat': stat }, { '/proc/200/cwd': '/home/me/sub', '/proc/100/cwd': '/home/me' });
    expect(await probeCwd(cwdProbeFor('linux'), 100, '/start', deps)).toEqual({ cwd: '/home/me/sub', source: 'foreground' });
  });
  it('linux: the group leader gone or unreadable, the shell answers; nothing readable, the start cwd', async () => {
    const deps = fakeDeps({ '/proc/100/stat': stat }, { '/proc/100/cwd': '/home/me' });
    expect(await probeCwd(cwdProbeFor('linux'), 100, '/start', deps)).toEqual({ cwd: '/home/me', source: 'process' });
    expect(await probeCwd(cwdProbeFor('linux'), 100, '/start', fakeDeps({}, {}))).toEqual({ cwd: '/start', source: 'start' });
  });
  it('linux: a deleted folder is not reported', async () => {
    const deps = fakeDeps({ '/proc/100/stat': stat }, { '/proc/200/cwd': '/tmp/gone (deleted)', '/proc/100/cwd': '/tmp/gone (deleted)' });
    expect(await probeCwd(cwdProbeFor('linux'), 100, '/start', deps)).toEqual({ cwd: '/start', source: 'start' });
  });
  it('darwin: lsof answers, and a missing lsof falls back to the start cwd', async () => {
    const ok = fakeDeps({}, {}, () => 'p100\nfcwd\nn/Users/me/proj\n');
    expect(await probeCwd(cwdProbeFor('darwin'), 100, '/start', ok)).toEqual({ cwd: '/Users/me/proj', source: 'process' });
    expect(ok.calls).toEqual(['run lsof -a -d cwd -p 100 -Fn']);
    expect(await probeCwd(cwdProbeFor('darwin'), 100, '/start', fakeDeps({}, {}))).toEqual({ cwd: '/start', source: 'start' });
  });
  it('win32: never touches the OS', async () => {
    const deps = fakeDeps({}, {});
    expect(await probeCwd(cwdProbeFor('win32'), 100, 'C:\\Users\\me', deps)).toEqual({ cwd: 'C:\\Users\\me', source: 'start' });
    expect(deps.calls).toEqual([]);
  });
});
