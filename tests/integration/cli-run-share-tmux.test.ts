// `porthole run --share view -- top` in a real terminal (tmux): top's first screen wipes the
// link printed above it, so the link is also in the terminal's title while attached, and is
// printed again on detach. (Issue 12: the link hid itself.)
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildMain, ROOT } from '../helpers/build-main.js';
import { makeTempDir, startServer, until } from '../helpers/server.js';

const TMUX = ['/usr/bin/tmux', '/usr/local/bin/tmux'].find((p) => existsSync(p));
const TOP = ['/usr/bin/top', '/bin/top'].find((p) => existsSync(p));
beforeAll(() => buildMain());
const q = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

describe.skipIf(!TMUX || !TOP)('run --share view -- top', () => {
  it('keeps the link in the title while top runs, and prints it again on detach', async () => {
    const ts = await startServer();
    const dir = await makeTempDir();
    const sock = join(dir, 'tmux.sock');
    const tmux = (...args: string[]) => spawnSync(TMUX!, ['-S', sock, '-f', '/dev/null', ...args], { encoding: 'utf8' });
    const run = `${q(process.execPath)} ${q(join(ROOT, 'bin/porthole.js'))} run --url ${ts.url} --data-dir ${q(ts.dataDir)} --share view -- top`;
    expect(tmux('new-session', '-d', '-x', '100', '-y', '30', '-s', 'p', `env -u TMUX ${run}; sleep 30`).status).toBe(0);
    try {
      const pane = () => tmux('capture-pane', '-p', '-t', 'p').stdout;
      const title = () => tmux('display-message', '-p', '-t', 'p', '#{pane_title}').stdout.trim();
      // top's screen is up (its header), and the link line above it is gone from the screen...
      await until(() => /load average/.test(pane()), 15_000, "top's first screen");
      // ...but the title holds it.
      await until(() => /^porthole view link: http:\/\/127\.0\.0\.1:\d+\/s\/[\w-]+#ey/.test(title()), 10_000, 'the link in the title');
      const url = title().replace(/^porthole view link: /, '');
      const shares = await ts.json<Array<{ id: string }>>(`/api/sessions/${new URL(url).pathname.split('/')[2]}/shares`);
      expect(shares.body).toHaveLength(1);
      // Detach: the link is printed again where it stays.
      tmux('send-keys', '-t', 'p', 'C-]', 'd');
      await until(() => pane().includes('detached;'), 10_000, 'the detach').catch((e: Error) => {
        throw new Error(`${e.message}; the pane shows:\n${pane()}`);
      });
      await until(() => pane().replace(/\n/g, '').includes(`porthole: view link: ${url}`), 5000, 'the link after detach');
      expect(title()).not.toContain('porthole view link');
    } finally {
      tmux('kill-server');
    }
  }, 60_000);
});
