// defaultShell decides what every new session runs on each OS; the branches for macOS and
// Windows cannot run here, so each is pinned against injected probes (no real files needed).
import { describe, expect, it } from 'vitest';
import { defaultShell, nodeShellProbe, passwdFileShell, processDefaultShell, type ShellProbe } from '../../main/server/platform/shell.js';

function probe(files: string[], passwd?: string): ShellProbe & { asked: string[] } {
  const asked: string[] = [];
  const known = new Set(files.map((f) => f.toLowerCase()));
  return {
    asked,
    passwdShell: () => passwd,
    isFile: (f) => {
      asked.push(f);
      return known.has(f.toLowerCase());
    },
  };
}

describe('defaultShell: linux', () => {
  it('$SHELL, else the passwd entry, else /bin/sh; no arguments', () => {
    expect(defaultShell('linux', { SHELL: '/usr/bin/fish' }, probe([], '/bin/bash'))).toEqual({ file: '/usr/bin/fish', args: [] });
    expect(defaultShell('linux', {}, probe([], '/bin/bash'))).toEqual({ file: '/bin/bash', args: [] });
    expect(defaultShell('linux', { SHELL: '' }, probe([]))).toEqual({ file: '/bin/sh', args: [] });
  });

  it('a passwd shell that is not an absolute path (Bun says "unknown") is no shell', () => {
    expect(defaultShell('linux', {}, probe([], 'unknown'))).toEqual({ file: '/bin/sh', args: [] });
    expect(defaultShell('darwin', {}, probe([], 'unknown'))).toEqual({ file: '/bin/zsh', args: ['-l'] });
  });

  it('reads the shell from /etc/passwd by uid', () => {
    const file = 'root:x:0:0:root:/root:/bin/bash\nbob:x:1000:1000:Bob,,,:/home/bob:/usr/bin/zsh\nnoshell:x:7:7::/:\n';
    expect(passwdFileShell(file, 1000)).toBe('/usr/bin/zsh');
    expect(passwdFileShell(file, 0)).toBe('/bin/bash');
    expect(passwdFileShell(file, 7)).toBeUndefined();
    expect(passwdFileShell(file, 42)).toBeUndefined();
    if (process.platform === 'linux') expect(nodeShellProbe.passwdShell()).toMatch(/^\//);
  });

  it('is what this machine runs (the same function with process.platform)', () => {
    if (process.platform !== 'linux') return;
    const d = processDefaultShell();
    expect(d.args).toEqual([]);
    expect(d.file).toBe(process.env.SHELL || d.file);
  });
});

describe('defaultShell: darwin', () => {
  it('the login shell started as a login shell, like Terminal.app', () => {
    expect(defaultShell('darwin', { SHELL: '/bin/zsh' }, probe([]))).toEqual({ file: '/bin/zsh', args: ['-l'] });
    expect(defaultShell('darwin', {}, probe([], '/opt/homebrew/bin/fish'))).toEqual({ file: '/opt/homebrew/bin/fish', args: ['-l'] });
    expect(defaultShell('darwin', {}, probe([]))).toEqual({ file: '/bin/zsh', args: ['-l'] });
  });
});

describe('defaultShell: win32', () => {
  const PATH = 'C:\\Windows\\system32;C:\\Windows;C:\\Program Files\\PowerShell\\7;C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\';
  const base = { Path: PATH, SystemRoot: 'C:\\Windows', ComSpec: 'C:\\Windows\\system32\\cmd.exe' };

  it('pwsh.exe found on PATH comes first (Path spelt as Windows spells it)', () => {
    const p = probe(['C:\\Program Files\\PowerShell\\7\\pwsh.exe', 'C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe']);
    expect(defaultShell('win32', base, p)).toEqual({ file: 'C:\\Program Files\\PowerShell\\7\\pwsh.exe', args: [] });
  });

  it('else powershell.exe on PATH, else in its fixed place under %SystemRoot%', () => {
    const onPath = probe(['C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe']);
    expect(defaultShell('win32', base, onPath).file).toBe('C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe');
    const offPath = probe(['D:\\Win\\System32\\WindowsPowerShell\\v1.0\\powershell.exe']);
    expect(defaultShell('win32', { PATH: 'C:\\tools', SystemRoot: 'D:\\Win' }, offPath)).toEqual({
      file: 'D:\\Win\\System32\\WindowsPowerShell\\v1.0\\powershell.exe',
      args: [],
    });
  });

  it('else %ComSpec%, else cmd.exe under %SystemRoot%', () => {
    expect(defaultShell('win32', base, probe([]))).toEqual({ file: 'C:\\Windows\\system32\\cmd.exe', args: [] });
    expect(defaultShell('win32', { SystemRoot: 'C:\\Windows' }, probe([]))).toEqual({ file: 'C:\\Windows\\System32\\cmd.exe', args: [] });
    expect(defaultShell('win32', {}, probe([])).file).toBe('C:\\Windows\\System32\\cmd.exe');
  });

  it('never searches relative PATH entries (they would pick a pwsh.exe from the current folder)', () => {
    const p = probe(['pwsh.exe', 'tools\\pwsh.exe']);
    expect(defaultShell('win32', { PATH: '.;tools;;', ComSpec: 'C:\\Windows\\system32\\cmd.exe' }, p).file).toBe('C:\\Windows\\system32\\cmd.exe');
    expect(p.asked.every((f) => /^[A-Z]:\\/.test(f))).toBe(true);
  });

  it('ignores $SHELL and the passwd probe (an MSYS $SHELL is not a Windows program)', () => {
    expect(defaultShell('win32', { ...base, SHELL: '/usr/bin/bash' }, probe([], '/bin/bash')).file).toBe('C:\\Windows\\system32\\cmd.exe');
  });
});

describe('config.json `shell`', () => {
  it('is a program or a non-empty argv of non-empty strings; anything else names the field', async () => {
    const { parseConfig } = await import('../../main/server/datadir.js');
    expect(parseConfig('{"shell":"/bin/zsh"}', 'c.json').shell).toBe('/bin/zsh');
    expect(parseConfig('{"shell":["pwsh.exe","-NoLogo"]}', 'c.json').shell).toEqual(['pwsh.exe', '-NoLogo']);
    for (const bad of ['[]', '[""]', '""', '42']) expect(() => parseConfig(`{"shell":${bad}}`, 'c.json'), bad).toThrow(/c\.json: shell/);
  });
});
