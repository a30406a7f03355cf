// Which files a command name may mean on each OS (launch.ts checks exactly these, then spawns
// the first that may run). The Windows rules (PATHEXT, `;`, case-insensitive Path) only run
// for real on Windows, so they are pinned here as data.
import { describe, expect, it } from 'vitest';
import { commandCandidates } from '../../main/server/platform/command.js';
import { envValue, pathDirs } from '../../main/server/platform/env.js';

describe('commandCandidates: posix', () => {
  it('a bare name: each PATH entry in order, an empty entry meaning the cwd', () => {
    expect(commandCandidates('linux', 'vim', { PATH: '/usr/local/bin:/usr/bin::' }, '/work')).toEqual({
      explicit: false,
      files: ['/usr/local/bin/vim', '/usr/bin/vim', '/work/vim', '/work/vim'],
    });
  });

  it('no PATH: the execvp default', () => {
    expect(commandCandidates('darwin', 'ls', {}, '/w').files).toEqual(['/usr/local/bin/ls', '/usr/bin/ls', '/bin/ls']);
  });

  it('a name with a slash is a path from the cwd; a backslash is just a character', () => {
    expect(commandCandidates('linux', './run.sh', { PATH: '/bin' }, '/w')).toEqual({ explicit: true, files: ['/w/run.sh'] });
    expect(commandCandidates('linux', 'a\\b', { PATH: '/bin' }, '/w')).toEqual({ explicit: false, files: ['/bin/a\\b'] });
  });
});

describe('commandCandidates: win32', () => {
  const env = { Path: 'C:\\Windows\\system32;"C:\\Program Files\\Git\\cmd";;relative\\bin', PATHEXT: '.COM;.EXE;.BAT;.CMD' };

  it('a bare name gets each PATHEXT extension in each absolute Path entry (quotes stripped)', () => {
    expect(commandCandidates('win32', 'git', env, 'C:\\Users\\me')).toEqual({
      explicit: false,
      files: [
        'C:\\Windows\\system32\\git.com',
        'C:\\Windows\\system32\\git.exe',
        'C:\\Windows\\system32\\git.bat',
        'C:\\Windows\\system32\\git.cmd',
        'C:\\Program Files\\Git\\cmd\\git.com',
        'C:\\Program Files\\Git\\cmd\\git.exe',
        'C:\\Program Files\\Git\\cmd\\git.bat',
        'C:\\Program Files\\Git\\cmd\\git.cmd',
      ],
    });
  });

  it('a name that already has a PATHEXT extension is looked up as it is (any case)', () => {
    expect(commandCandidates('win32', 'pwsh.EXE', { PATH: 'C:\\ps' }, 'C:\\').files).toEqual(['C:\\ps\\pwsh.EXE']);
  });

  it('the current directory is never searched first (unlike cmd.exe)', () => {
    const files = commandCandidates('win32', 'git', { PATH: 'C:\\bin' }, 'C:\\Users\\me\\Downloads').files;
    expect(files.some((f) => f.startsWith('C:\\Users\\me\\Downloads'))).toBe(false);
  });

  it('a name with \\ or / is a path (from the cwd), with PATHEXT tried when it has no extension', () => {
    expect(commandCandidates('win32', '.\\build.cmd', {}, 'C:\\src')).toEqual({ explicit: true, files: ['C:\\src\\build.cmd'] });
    expect(commandCandidates('win32', 'C:/tools/rg', { PATHEXT: '.EXE' }, 'C:\\src')).toEqual({ explicit: true, files: ['C:\\tools\\rg.exe'] });
  });

  it('no or a broken PATHEXT: the Windows default', () => {
    expect(commandCandidates('win32', 'x', { PATH: 'C:\\b', PATHEXT: ';;junk' }, 'C:\\').files).toEqual(['C:\\b\\x.com', 'C:\\b\\x.exe', 'C:\\b\\x.bat', 'C:\\b\\x.cmd']);
  });
});

describe('env', () => {
  it('Windows variable names are case-insensitive, POSIX ones are not', () => {
    expect(envValue('win32', { Path: 'a' }, 'PATH')).toBe('a');
    expect(envValue('win32', { PATH: 'b', Path: 'a' }, 'PATH')).toBe('b');
    expect(envValue('linux', { Path: 'a' }, 'PATH')).toBeUndefined();
  });

  it('PATH entries: `;` on Windows, `:` elsewhere', () => {
    expect(pathDirs('win32', { PATH: 'C:\\a; C:\\b ;' }, '')).toEqual(['C:\\a', 'C:\\b']);
    expect(pathDirs('linux', { PATH: '/a:/b' }, '')).toEqual(['/a', '/b']);
  });
});
