// A program's terminal queries get exactly one answer, from the server's own screen, whoever
// watches (contract: one terminal per session). With no viewer a program that asks for the
// cursor position used to wait forever; socket clients (the CLI, scripts) never answer.
import { tmpdir } from 'node:os';
import * as pty from '@lydell/node-pty';
import { describe, expect, it } from 'vitest';
import type { Session } from '../../common/protocol.js';
import { portholeCommand } from '../helpers/runtimes.js';
import { QueryReplyFilter, oscColorReply, TERMINAL_COLORS } from '../../common/terminal-queries.js';
import { connectWs, startServer, type TestServer } from '../helpers/server.js';

const PROGRAM = ['node', new URL('../helpers/query-program.mjs', import.meta.url).pathname];

async function replies(ts: TestServer, id: string): Promise<string> {
  await expect.poll(async () => (await ts.api(`/api/sessions/${id}/snapshot`)).text(), { timeout: 10_000 }).toContain('QUERIES-SENT');
  // Whatever would answer has seen the queries by now; give a second answer time to arrive.
  await new Promise((r) => setTimeout(r, 500));
  expect((await ts.api(`/api/sessions/${id}/input`, { body: { data: 'done' } })).status).toBe(204);
  await expect.poll(async () => (await ts.api(`/api/sessions/${id}/snapshot`)).text(), { timeout: 10_000 }).toContain('REPLIES');
  return /REPLIES \S+ \S+ \S+/.exec(await (await ts.api(`/api/sessions/${id}/snapshot`)).text())![0];
}

describe('terminal queries', () => {
  it('are answered once by the server when nobody watches', async () => {
    const ts = await startServer();
    const s = await ts.createSession({ command: PROGRAM });
    expect(await replies(ts, s.id)).toBe('REPLIES cpr=1 da=1 osc=1');
  });

  it('are answered once with socket viewers attached (owner, view, control)', async () => {
    const ts = await startServer();
    const s = await ts.createSession({ command: ['sh', '-c', `sleep 1; exec ${PROGRAM.join(' ')}`] });
    const control = (await ts.json<{ token: string }>(`/api/sessions/${s.id}/shares`, { body: { mode: 'control' } })).body.token;
    const view = (await ts.json<{ token: string }>(`/api/sessions/${s.id}/shares`, { body: { mode: 'view' } })).body.token;
    for (const token of [undefined, control, view]) await connectWs(ts, s.id, { token }).waitForText('ready');
    expect(await replies(ts, s.id)).toBe('REPLIES cpr=1 da=1 osc=1');
  });

  it('are answered once with `porthole attach` in a terminal that answers them too', async () => {
    const ts = await startServer();
    const s = await ts.createSession({ command: ['sh', '-c', `read go; exec ${PROGRAM.join(' ')}`] });
    const cmd = portholeCommand(['attach', s.id, '--url', ts.url, '--data-dir', ts.dataDir]);
    // This test is the attached CLI's terminal: like a real one, it answers what it is asked.
    const term = pty.spawn(cmd.file, cmd.args, { name: 'xterm-256color', cols: 80, rows: 24, cwd: tmpdir(), env: { ...process.env, TERM: 'xterm-256color' } });
    let seen = '';
    term.onData((d) => {
      seen += d;
      if (d.includes('\x1b[6n')) term.write('\x1b[7;9R');
      if (d.includes('\x1b[c')) term.write('\x1b[?62;22c');
      if (d.includes('\x1b]11;?')) term.write('\x1b]11;rgb:ffff/ffff/ffff\x1b\\');
    });
    try {
      await expect.poll(async () => (await ts.json<Session>(`/api/sessions/${s.id}`)).body.viewers, { timeout: 10_000 }).toBe(1);
      expect((await ts.api(`/api/sessions/${s.id}/input`, { body: { data: 'go\n' } })).status).toBe(204);
      expect(await replies(ts, s.id)).toBe('REPLIES cpr=1 da=1 osc=1');
      expect(seen).toContain('\x1b[6n'); // the CLI's terminal was asked, and answered
    } finally {
      term.kill();
    }
  });

  it('the colour answer reports the pages\' theme', () => {
    expect(oscColorReply(11)).toBe(`\x1b]11;rgb:0d0d/1111/1717\x1b\\`);
    expect(TERMINAL_COLORS.background).toBe('#0d1117');
  });
});

describe('QueryReplyFilter (an attached CLI strips its own terminal\'s answers)', () => {
  it('strips exactly the answers to queries it passed on, even split across chunks', () => {
    const f = new QueryReplyFilter();
    f.noteOutput('prompt \x1b[');
    f.noteOutput('6n\x1b[c\x1b]11;?\x1b\\');
    expect(f.filterInput('\x1b[12;3R\x1b[?62;22c\x1b]11;rgb:0000/0000/0000\x1b\\ls\r')).toBe('ls\r');
    // Nothing pending now: a Shift+F3 (CSI 1;2R) or a typed escape passes through.
    expect(f.filterInput('\x1b[1;2Rx')).toBe('\x1b[1;2Rx');
  });
  it('strips one answer per query', () => {
    const f = new QueryReplyFilter();
    f.noteOutput('\x1b[6n');
    expect(f.filterInput('\x1b[1;1R\x1b[1;1R')).toBe('\x1b[1;1R');
  });
});
