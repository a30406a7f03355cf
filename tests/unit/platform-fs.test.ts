// /api/fs's path decisions on each OS: what counts as absolute, how it is normalised, which
// upload names Windows refuses, and the drive list that is the top of a Windows file tree.
import { describe, expect, it } from 'vitest';
import { PortholeError } from '../../common/errors.js';
import { DirListingSchema } from '../../common/protocol.js';
import { driveListing } from '../../main/server/fs/drives.js';
import { absolutePath, validFileName } from '../../main/server/fs/files.js';
import { assetPath } from '../../main/server/http/assets.js';

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (err) {
    return err instanceof PortholeError ? err.code : 'other';
  }
  return undefined;
}

describe('absolutePath', () => {
  it('win32: drive and UNC paths pass, normalised with Windows rules; the rest is 400 path_not_absolute', () => {
    expect(absolutePath('C:/Users/me/../you', 'C:\\h', 'win32')).toBe('C:\\Users\\you');
    expect(absolutePath('c:\\', 'C:\\h', 'win32')).toBe('c:\\');
    expect(absolutePath('\\\\nas\\share\\a\\..\\b', 'C:\\h', 'win32')).toBe('\\\\nas\\share\\b');
    expect(absolutePath(undefined, 'C:\\Users\\me', 'win32')).toBe('C:\\Users\\me');
    for (const p of ['\\Users', '/Users', 'C:Users', 'Users', '\\\\.\\PhysicalDrive0']) {
      expect(codeOf(() => absolutePath(p, 'C:\\h', 'win32')), p).toBe('path_not_absolute');
    }
  });

  it('win32: a path through a device name (C:\\x\\CON) is refused: it would open the device', () => {
    expect(codeOf(() => absolutePath('C:\\x\\CON', 'C:\\h', 'win32'))).toBe('validation_failed');
    expect(codeOf(() => absolutePath('C:/x/nul.txt/y', 'C:\\h', 'win32'))).toBe('validation_failed');
    expect(absolutePath('/x/CON', '/h', 'linux')).toBe('/x/CON');
  });

  it('linux and darwin: a leading slash', () => {
    for (const platform of ['linux', 'darwin'] as const) {
      expect(absolutePath('/a/b/../c', '/h', platform)).toBe('/a/c');
      expect(codeOf(() => absolutePath('C:\\Users', '/h', platform))).toBe('path_not_absolute');
      expect(codeOf(() => absolutePath('a/b', '/h', platform))).toBe('path_not_absolute');
    }
  });

  it('a NUL byte is refused everywhere', () => {
    for (const platform of ['linux', 'darwin', 'win32'] as const) expect(codeOf(() => absolutePath('/a\0b', '/h', platform))).toBe('validation_failed');
  });
});

describe('validFileName', () => {
  it('win32 also refuses device names and what Windows cannot store', () => {
    for (const n of ['CON', 'nul.txt', 'a:b', 'x?', 'trailing.']) expect(codeOf(() => validFileName(n, 'win32')), n).toBe('validation_failed');
    expect(validFileName('report.pdf', 'win32')).toBe('report.pdf');
  });

  it('linux keeps accepting those names (they are ordinary there)', () => {
    for (const n of ['CON', 'a:b', 'x?', 'trailing.']) expect(validFileName(n, 'linux')).toBe(n);
  });
});

describe('driveListing', () => {
  it('is a listing of the drive roots at /, with no parent, in the API\'s shape', async () => {
    const listing = await driveListing(async (r) => r === 'C:\\' || r === 'D:\\');
    expect(DirListingSchema.parse(listing)).toEqual(listing);
    expect(listing.path).toBe('/');
    expect(listing.parent).toBeNull();
    expect(listing.entries.map((e) => [e.name, e.type])).toEqual([
      ['C:\\', 'dir'],
      ['D:\\', 'dir'],
    ]);
  });
});

describe('assetPath (public pages)', () => {
  it('win32: a device name or a `:` (alternate data stream) never reaches the disk', () => {
    for (const u of ['/assets/CON', '/assets/nul.js', '/COM1', '/index.html:secret', '/assets/x.js::$DATA']) expect(assetPath(u, 'win32'), u).toBeUndefined();
    expect(assetPath('/assets/index-abc.js', 'win32')).toBe('assets/index-abc.js');
  });

  it('linux: unchanged (those names are ordinary there)', () => {
    expect(assetPath('/assets/CON', 'linux')).toBe('assets/CON');
    expect(assetPath('/index.html', 'linux')).toBe('index.html');
  });
});
