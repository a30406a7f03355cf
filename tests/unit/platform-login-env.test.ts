// The macOS desktop app takes its login shell's PATH (a Dock-started app has launchd's minimal
// one). The decision is pure; the probe itself is run here for real with this machine's shells,
// as the darwin branch would run it, to check the quoting and the parse end to end.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loginPathProbe, mergePath, parseLoginPath, LOGIN_PATH_MARKER } from '../../main/server/platform/login-env.js';

describe('loginPathProbe', () => {
  it('macOS only', () => {
    expect(loginPathProbe('linux', { file: '/bin/bash', args: [] })).toBeNull();
    expect(loginPathProbe('win32', { file: 'C:\\pwsh.exe', args: [] })).toBeNull();
    const p = loginPathProbe('darwin', { file: '/bin/zsh', args: ['-l'] })!;
    expect(p.file).toBe('/bin/zsh');
    expect(p.args.slice(0, 2)).toEqual(['-l', '-c']);
    expect(p.timeoutMs).toBeGreaterThan(0);
  });

  for (const shell of ['/bin/bash', '/bin/sh', '/usr/bin/zsh', '/bin/zsh']) {
    it.runIf(existsSync(shell))(`the probe's command answers with PATH when run by ${shell}`, async () => {
      const probe = loginPathProbe('darwin', { file: shell, args: ['-l'] })!;
      const out = await new Promise<string>((resolve, reject) =>
        execFile(probe.file, probe.args, { timeout: 10_000, env: { PATH: '/opt/x/bin:/usr/bin:/bin', HOME: '/nonexistent' } }, (err, stdout) =>
          err ? reject(err) : resolve(stdout),
        ),
      );
      expect(parseLoginPath(out)).toMatch(/\/usr\/bin/);
    });
  }
});

describe('parseLoginPath', () => {
  it('takes the marked line, whatever a profile printed around it', () => {
    expect(parseLoginPath(`Welcome!\n${LOGIN_PATH_MARKER}/opt/homebrew/bin:/usr/bin\nbye\n`)).toBe('/opt/homebrew/bin:/usr/bin');
  });

  it('refuses no answer, an empty or a nonsense one', () => {
    expect(parseLoginPath('')).toBeUndefined();
    expect(parseLoginPath(`${LOGIN_PATH_MARKER}\n`)).toBeUndefined();
    expect(parseLoginPath(`${LOGIN_PATH_MARKER}$env.PATH\n`)).toBeUndefined();
  });
});

describe('mergePath', () => {
  it('the login shell\'s order first, then what only ours had; no duplicates or empties', () => {
    expect(mergePath('/opt/homebrew/bin:/usr/bin:/bin', '/usr/bin:/bin:/usr/sbin::')).toBe('/opt/homebrew/bin:/usr/bin:/bin:/usr/sbin');
    expect(mergePath('/a', undefined)).toBe('/a');
  });
});
