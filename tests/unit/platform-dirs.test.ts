// Where the data dir goes on each OS, and which mechanism protects the secret there.
import { describe, expect, it } from 'vitest';
import { clientDataDirCandidates, dataDirFor, desktopDataDirFor, secretProtection } from '../../main/server/platform/dirs.js';
import { defaultDataDir } from '../../main/server/datadir.js';
import os from 'node:os';

describe('dataDirFor', () => {
  it('linux: $XDG_CONFIG_HOME/porthole, else ~/.config/porthole; a relative XDG is ignored', () => {
    expect(dataDirFor('linux', { XDG_CONFIG_HOME: '/x/cfg' }, '/home/a')).toBe('/x/cfg/porthole');
    expect(dataDirFor('linux', { XDG_CONFIG_HOME: 'rel' }, '/home/a')).toBe('/home/a/.config/porthole');
    expect(dataDirFor('linux', {}, '/home/a')).toBe('/home/a/.config/porthole');
  });

  it('darwin: XDG as well (the contract\'s headless default); the desktop app uses userData', () => {
    expect(dataDirFor('darwin', {}, '/Users/a')).toBe('/Users/a/.config/porthole');
    expect(dataDirFor('darwin', { XDG_CONFIG_HOME: '/Users/a/cfg' }, '/Users/a')).toBe('/Users/a/cfg/porthole');
  });

  it('win32: %APPDATA%\\porthole (any spelling of the name), else under the profile; XDG ignored', () => {
    expect(dataDirFor('win32', { APPDATA: 'C:\\Users\\a\\AppData\\Roaming' }, 'C:\\Users\\a')).toBe('C:\\Users\\a\\AppData\\Roaming\\porthole');
    expect(dataDirFor('win32', { AppData: 'D:\\Profiles\\a\\Roaming' }, 'C:\\Users\\a')).toBe('D:\\Profiles\\a\\Roaming\\porthole');
    expect(dataDirFor('win32', { APPDATA: 'relative' }, 'C:\\Users\\a')).toBe('C:\\Users\\a\\AppData\\Roaming\\porthole');
    expect(dataDirFor('win32', { XDG_CONFIG_HOME: 'C:\\cfg' }, 'C:\\Users\\a')).toBe('C:\\Users\\a\\AppData\\Roaming\\porthole');
  });

  it('the server\'s default is the same function with process.platform', () => {
    expect(defaultDataDir({ XDG_CONFIG_HOME: '/x', APPDATA: 'C:\\r' })).toBe(dataDirFor(process.platform, { XDG_CONFIG_HOME: '/x', APPDATA: 'C:\\r' }, os.homedir()));
  });
});

describe('secretProtection', () => {
  it('mode bits on POSIX, the profile ACL on Windows', () => {
    expect(secretProtection('linux')).toBe('mode');
    expect(secretProtection('darwin')).toBe('mode');
    expect(secretProtection('win32')).toBe('acl');
  });
});

describe('the desktop app\'s data dir, and where client commands look', () => {
  it('desktop: userData, which is the headless default on Linux and Windows', () => {
    expect(desktopDataDirFor('linux', {}, '/home/a')).toBe('/home/a/.config/porthole');
    expect(desktopDataDirFor('win32', { APPDATA: 'C:\\Users\\a\\AppData\\Roaming' }, 'C:\\Users\\a')).toBe('C:\\Users\\a\\AppData\\Roaming\\porthole');
    expect(desktopDataDirFor('darwin', {}, '/Users/a')).toBe('/Users/a/Library/Application Support/porthole');
  });

  it('clients: one place on Linux and Windows; on macOS the XDG dir, then the desktop app\'s', () => {
    expect(clientDataDirCandidates('linux', {}, '/home/a')).toEqual(['/home/a/.config/porthole']);
    expect(clientDataDirCandidates('win32', { APPDATA: 'C:\\R' }, 'C:\\Users\\a')).toEqual(['C:\\R\\porthole']);
    expect(clientDataDirCandidates('darwin', {}, '/Users/a')).toEqual(['/Users/a/.config/porthole', '/Users/a/Library/Application Support/porthole']);
  });
});
