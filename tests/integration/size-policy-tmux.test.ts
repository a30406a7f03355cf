// The size policy end to end (contract section 9), with the CLI in a real terminal: tmux runs
// `porthole run -- sh` in a 90x25 window, and a panel-like owner socket joins at 120x46. The
// PTY follows whoever was active last; when the panel leaves, the CLI's 90x25 comes back; a
// view link never resizes it. (The issue: vim drew 46 rows into the 25-row terminal, and it
// stayed so after the panel left.)
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Session } from '../../common/protocol.js';
import { buildMain, ROOT } from '../helpers/build-main.js';
import { connectWs, makeTempDir, startServer, until, type TestServer } from '../helpers/server.js';

const TMUX = ['/usr/bin/tmux', '/usr/local/bin/tmux'].find((p) => existsSync(p));

beforeAll(() => buildMain());

const q = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

describe.skipIf(!TMUX)('size: the owner client active last wins', () => {
  it('CLI in tmux at 90x25, the panel at 120x46: latest wins, the CLI size returns when the panel leaves', async () => {
    const ts: TestServer = await startServer();
    const dir = await makeTempDir();
    const sock = join(dir, 'tmux.sock');
    const tmux = (...args: string[]) => spawnSync(TMUX!, ['-S', sock, '-f', '/dev/null', ...args], { encoding: 'utf8' });
    const run = `${q(process.execPath)} ${q(join(ROOT, 'bin/porthole.js'))} run --url ${ts.url} --data-dir ${q(ts.dataDir)} --name sized -- sh`;
    expect(tmux('new-session', '-d', '-x', '90', '-y', '25', '-s', 'p', `env -u TMUX PS1='$ ' ${run}`).status).toBe(0);
    try {
      const pane = () => tmux('capture-pane', '-p', '-t', 'p').stdout;
      // A wait that times out says what the CLI's terminal showed.
      const untilPane = (re: RegExp, what: string) =>
        until(() => re.test(pane()), 20_000, what).catch((err: Error) => {
          throw new Error(`${err.message}; the pane:\n${pane()}`);
        });
      const session = async (): Promise<Session | undefined> => (await ts.json<Session[]>('/api/sessions')).body.find((s) => s.name === 'sized');
      await until(() => pane().includes('detach with'), 20_000, 'the CLI to attach');
      let s = (await session())!;
      const size = async () => {
        s = (await ts.json<Session>(`/api/sessions/${s.id}`)).body;
        return `${s.cols}x${s.rows}`;
      };
      await expect.poll(size, { timeout: 10_000 }).toBe('90x25');

      // The panel opens the session and fits its pane: it is the latest, its size applies.
      const panel = connectWs(ts, s.id);
      await panel.waitForText('ready');
      panel.sendJson({ type: 'resize', cols: 120, rows: 46 });
      await expect.poll(size, { timeout: 10_000 }).toBe('120x46');

      // A view link cannot take the size.
      const share = await ts.json<{ token: string }>(`/api/sessions/${s.id}/shares`, { body: { mode: 'control' } });
      const viewer = connectWs(ts, s.id, { token: share.body.token });
      await viewer.waitForText('ready');
      viewer.sendJson({ type: 'resize', cols: 30, rows: 10 });
      await viewer.waitFor(() => viewer.texts.find((m) => m.type === 'error' && m.code === 'forbidden'), 'forbidden');
      expect(await size()).toBe('120x46');

      // Typing in the CLI makes it latest: the program sees 25 rows again.
      tmux('send-keys', '-t', 'p', 'stty size', 'Enter');
      await untilPane(/^25 90\s*$/m, 'stty size 25 90 in the CLI');
      expect(await size()).toBe('90x25');

      // The panel is focused again (it re-sends its size), then closed: 90x25 comes back.
      panel.sendJson({ type: 'resize', cols: 120, rows: 46 });
      await expect.poll(size, { timeout: 10_000 }).toBe('120x46');
      panel.ws.close();
      await expect.poll(size, { timeout: 10_000 }).toBe('90x25');
      tmux('send-keys', '-t', 'p', 'clear; stty size', 'Enter');
      await untilPane(/^25 90\s*$/m, 'stty size after the panel left');
      viewer.ws.close();
    } finally {
      tmux('kill-server');
    }
  }, 90_000);
});
