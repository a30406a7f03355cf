// Absolute paths, parents, containment and file names by each OS's rules: /api/fs, the data dir
// and the command lookup depend on them, and the Windows rules cannot be exercised here otherwise.
import { describe, expect, it } from 'vitest';
import { cwdFrom, fileNameProblem, isAbsolutePath, isDrivesPath, isInside, listDriveRoots, namesWindowsDevice, parentOf } from '../../main/server/platform/paths.js';

describe('isAbsolutePath', () => {
  it('linux and darwin: a leading slash, nothing else', () => {
    for (const platform of ['linux', 'darwin'] as const) {
      expect(isAbsolutePath(platform, '/home/a')).toBe(true);
      expect(isAbsolutePath(platform, '/')).toBe(true);
      expect(isAbsolutePath(platform, 'home/a')).toBe(false);
      expect(isAbsolutePath(platform, '~/a')).toBe(false);
      expect(isAbsolutePath(platform, 'C:\\Users')).toBe(false);
      expect(isAbsolutePath(platform, '')).toBe(false);
    }
  });

  it('win32: drive letters with either separator, and UNC shares', () => {
    for (const p of ['C:\\Users\\me', 'C:/Users/me', 'c:\\', 'Z:/', '\\\\server\\share', '\\\\server\\share\\dir\\f.txt', '//server/share/dir']) {
      expect(isAbsolutePath('win32', p), p).toBe(true);
    }
  });

  it('win32: refuses drive-relative, root-relative, bare UNC hosts and device paths', () => {
    for (const p of ['C:Users', 'C:', '\\Users', '/Users', '/', 'Users\\me', '\\\\server', '\\\\server\\', '\\\\.\\PhysicalDrive0', '\\\\?\\C:\\x', '//./pipe/x', '\\\\.\\pipe\\x']) {
      expect(isAbsolutePath('win32', p), p).toBe(false);
    }
  });
});

describe('the top of the tree and parents', () => {
  it('win32: / lists the drives, a drive root\'s parent is /, a UNC share root has none', () => {
    expect(isDrivesPath('win32', '/')).toBe(true);
    expect(isDrivesPath('win32', '\\')).toBe(true);
    expect(isDrivesPath('win32', undefined)).toBe(false); // no path is still home (the contract)
    expect(isDrivesPath('linux', '/')).toBe(false);
    expect(parentOf('win32', 'C:\\Users\\me')).toBe('C:\\Users');
    expect(parentOf('win32', 'C:\\Users')).toBe('C:\\');
    expect(parentOf('win32', 'C:\\')).toBe('/');
    expect(parentOf('win32', '\\\\srv\\share\\dir')).toBe('\\\\srv\\share\\');
    expect(parentOf('win32', '\\\\srv\\share\\')).toBeNull();
  });

  it('posix: / has no parent', () => {
    expect(parentOf('linux', '/home/a')).toBe('/home');
    expect(parentOf('linux', '/')).toBeNull();
    expect(parentOf('darwin', '/Users')).toBe('/');
  });

  it('lists the drive roots that exist, C: to Z:, never probing A: or B:', async () => {
    const asked: string[] = [];
    const roots = await listDriveRoots(async (r) => {
      asked.push(r);
      if (r === 'E:\\') throw new Error('not ready'); // an empty card reader
      return r === 'C:\\' || r === 'D:\\' || r === 'Z:\\';
    });
    expect(roots).toEqual(['C:\\', 'D:\\', 'Z:\\']);
    expect(asked).toHaveLength(24);
    expect(asked).not.toContain('A:\\');
  });
});

describe('isInside', () => {
  it('posix: by path segments, case-sensitive', () => {
    expect(isInside('linux', '/d', '/d/x')).toBe(true);
    expect(isInside('linux', '/d', '/d')).toBe(true);
    expect(isInside('linux', '/d', '/d2/x')).toBe(false);
    expect(isInside('linux', '/d', '/d/../e')).toBe(false);
    expect(isInside('linux', '/d', '/d/..x')).toBe(true); // a name starting with two dots
    expect(isInside('linux', '/D', '/d/x')).toBe(false);
  });

  it('win32: either separator, any case, not across drives', () => {
    expect(isInside('win32', 'C:\\Users\\me\\AppData\\Roaming\\porthole', 'C:\\Users\\me\\AppData\\Roaming\\porthole\\recordings\\a.cast')).toBe(true);
    expect(isInside('win32', 'C:\\data', 'c:/DATA/secret')).toBe(true);
    expect(isInside('win32', 'C:\\data', 'C:\\data2\\secret')).toBe(false);
    expect(isInside('win32', 'C:\\data', 'D:\\data\\secret')).toBe(false);
  });
});

describe('cwdFrom', () => {
  it('posix: ~, ~/x and relative paths from home', () => {
    expect(cwdFrom('linux', undefined, '/home/a')).toBe('/home/a');
    expect(cwdFrom('linux', '~', '/home/a')).toBe('/home/a');
    expect(cwdFrom('linux', '~/src', '/home/a')).toBe('/home/a/src');
    expect(cwdFrom('linux', 'src', '/home/a')).toBe('/home/a/src');
    expect(cwdFrom('linux', '/tmp', '/home/a')).toBe('/tmp');
    expect(cwdFrom('linux', '~\\src', '/home/a')).toBe('/home/a/~\\src'); // a backslash is a name character
  });

  it('win32: ~\\x too, and drive paths as given', () => {
    expect(cwdFrom('win32', '~\\src', 'C:\\Users\\me')).toBe('C:\\Users\\me\\src');
    expect(cwdFrom('win32', '~/src', 'C:\\Users\\me')).toBe('C:\\Users\\me\\src');
    expect(cwdFrom('win32', 'D:/work', 'C:\\Users\\me')).toBe('D:\\work');
    expect(cwdFrom('win32', 'src', 'C:\\Users\\me')).toBe('C:\\Users\\me\\src');
  });
});

describe('fileNameProblem', () => {
  it('posix leaves names to the caller\'s own checks', () => {
    expect(fileNameProblem('linux', 'CON')).toBeUndefined();
    expect(fileNameProblem('darwin', 'a:b?')).toBeUndefined();
  });

  it('win32 refuses device names, reserved characters and trailing dots or spaces', () => {
    for (const n of ['CON', 'con.txt', 'NUL', 'com1', 'LPT9.log', 'a<b', 'a:b', 'a"b', 'a|b', 'a?b', 'a*b', 'a\u0001b', 'name.', 'name ']) {
      expect(fileNameProblem('win32', n), n).toBeDefined();
    }
    for (const n of ['console.log', 'notes.txt', 'COM', 'a.b.c', '.gitignore']) expect(fileNameProblem('win32', n), n).toBeUndefined();
  });
});

describe('namesWindowsDevice', () => {
  it('win32: any segment that is a device name, with or without an extension, trailing dots or spaces', () => {
    for (const p of ['C:\\tmp\\CON', 'C:/x/nul.txt', '/assets/aux.js', '\\\\srv\\share\\COM1', 'C:\\a\\lpt3 .', 'prn']) {
      expect(namesWindowsDevice('win32', p), p).toBe(true);
    }
    for (const p of ['C:\\console\\x', '/assets/index-abc.js', 'C:\\COM\\x', 'C:\\nullable.txt']) expect(namesWindowsDevice('win32', p), p).toBe(false);
  });

  it('posix: never (those are ordinary names there)', () => {
    expect(namesWindowsDevice('linux', '/tmp/CON')).toBe(false);
    expect(namesWindowsDevice('darwin', '/tmp/nul.txt')).toBe(false);
  });
});
