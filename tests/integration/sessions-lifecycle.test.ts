// How sessions end (session.ts, manager.ts, pty/process-group.ts) and start badly (launch.ts):
// exit codes as a shell reports them (signal n = 128 + n), DELETE taking the whole process
// group with it, 400s that name the bad cwd or command; and after each, the server and the
// other sessions carry on.
import { chmod, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ServerEvent, Session } from '../../common/protocol.js';
import { connectWs, makeTempDir, processAlive, startServer, type TestServer, type TestSocket } from '../helpers/server.js';

/** Live (non-zombie) processes whose process group is `pgid`, per /proc. */
async function groupMembers(pgid: number): Promise<number[]> {
  const out: number[] = [];
  for (const name of await readdir('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const stat = await readFile(`/proc/${name}/stat`, 'utf8').catch(() => '');
    const [state, , pgrp] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (Number(pgrp) === pgid && state !== 'Z' && state !== 'X') out.push(Number(name));
  }
  return out;
}

async function waitExited(ts: TestServer, id: string): Promise<Session> {
  await expect.poll(async () => (await ts.json<Session>(`/api/sessions/${id}`)).body.status, { timeout: 10_000 }).toBe('exited');
  return (await ts.json<Session>(`/api/sessions/${id}`)).body;
}

/** A `cat` session with an open viewer, to prove the server still serves other sessions. */
async function bystander(ts: TestServer): Promise<() => Promise<void>> {
  const cat = await ts.createSession({ command: ['cat'] });
  const sock: TestSocket = connectWs(ts, cat.id);
  await sock.waitForText('ready');
  let n = 0;
  return async () => {
    const health = await ts.json<{ status: string }>('/health');
    expect(health).toMatchObject({ status: 200, body: { status: 'ok' } });
    const word = `still-echoing-${++n}`;
    sock.ws.send(Buffer.from(`${word}\n`));
    await sock.waitForOutput(`${word}\r\n${word}`); // the tty's echo, then cat's
  };
}

describe('session lifecycle', () => {
  it('reports exit codes as a shell does, signals as 128 + n, to the API, events and viewers', async () => {
    const ts = await startServer();
    const check = await bystander(ts);
    const events: ServerEvent[] = [];
    ts.server.onEvent((e) => events.push(e));
    const cases: Array<[string, number]> = [
      ['echo bye; exit 0', 0],
      ['exit 7', 7],
      ['kill -TERM $$', 128 + 15],
      ['kill -KILL $$', 128 + 9],
      ['kill -HUP $$', 128 + 1],
    ];
    for (const [script, code] of cases) {
      const s = await ts.createSession({ command: ['sh', '-c', script] });
      const done = await waitExited(ts, s.id);
      expect(done.exitCode, script).toBe(code);
      const exited = events.find((e) => e.type === 'session.exited' && e.session.id === s.id);
      expect(exited && exited.type === 'session.exited' && exited.session.exitCode, script).toBe(code);
      // A viewer joining after the end gets the final screen, `exit`, then close 1000.
      const late = connectWs(ts, s.id);
      expect((await late.closed).code, script).toBe(1000);
      expect(late.texts.map((m) => m.type), script).toEqual(expect.arrayContaining(['ready', 'exit']));
      expect(late.texts.find((m) => m.type === 'exit'), script).toEqual({ type: 'exit', exitCode: code });
      // Writes and resizes to an exited session are refused, not lost silently.
      expect((await ts.json(`/api/sessions/${s.id}/input`, { body: { data: 'x' } })).status).toBe(409);
      expect((await ts.json(`/api/sessions/${s.id}/resize`, { body: { cols: 90, rows: 20 } })).status).toBe(409);
      await check();
    }
    // The final screen outlives the process.
    const first = (await ts.json<Session[]>('/api/sessions')).body.find((x) => x.command[2] === 'echo bye; exit 0');
    expect(await (await ts.api(`/api/sessions/${first!.id}/snapshot`)).text()).toContain('bye');
    expect((await ts.json<{ sessions: { exited: number; running: number } }>('/health')).body.sessions).toEqual({ exited: cases.length, running: 1 });
  }, 30_000);

  it('DELETE ends the whole process group, children and grandchildren, then forgets the session', async () => {
    const ts = await startServer();
    const check = await bystander(ts);
    const events: ServerEvent[] = [];
    ts.server.onEvent((e) => events.push(e));
    // sh, a background sleep, a foreground sleep, and a grandchild under a subshell.
    const s = await ts.createSession({ command: ['sh', '-c', 'sleep 1000 & (sleep 1001 & wait) & sleep 1002'] });
    await expect.poll(() => groupMembers(s.pid), { timeout: 5000 }).toHaveLength(5);
    const members = await groupMembers(s.pid);
    const viewer = connectWs(ts, s.id);
    await viewer.waitForText('ready');

    expect((await ts.api(`/api/sessions/${s.id}`, { method: 'DELETE' })).status).toBe(204);
    for (const pid of members) expect(await processAlive(pid), `pid ${pid}`).toBe(false);
    expect(await groupMembers(s.pid)).toEqual([]);
    expect((await viewer.closed).code).toBe(1000);
    expect((await ts.json(`/api/sessions/${s.id}`)).status).toBe(404);
    expect((await ts.json<Session[]>('/api/sessions')).body.map((x) => x.id)).not.toContain(s.id);
    expect(events.some((e) => e.type === 'session.removed' && e.sessionId === s.id)).toBe(true);
    expect((await ts.json(`/api/sessions/${s.id}`, { method: 'DELETE' })).status).toBe(404);
    await check();
  });

  it('DELETE also ends a group that ignores SIGHUP (SIGKILL after the grace period)', async () => {
    const ts = await startServer();
    const check = await bystander(ts);
    const s = await ts.createSession({ command: ['sh', '-c', "trap '' HUP; sleep 1000 & sleep 1001"] });
    await expect.poll(() => groupMembers(s.pid), { timeout: 5000 }).toHaveLength(3);
    const members = await groupMembers(s.pid);
    const t0 = Date.now();
    expect((await ts.api(`/api/sessions/${s.id}`, { method: 'DELETE' })).status).toBe(204);
    expect(Date.now() - t0).toBeLessThan(10_000);
    for (const pid of members) expect(await processAlive(pid), `pid ${pid}`).toBe(false);
    await check();
  });

  it('refuses cwds and commands that cannot work with a 400 naming them, and carries on', async () => {
    // Complements http-validation.test.ts (missing cwd, missing command, command as a string).
    const ts = await startServer();
    const check = await bystander(ts);
    const dir = await makeTempDir();
    const plainFile = join(dir, 'not-a-dir.txt');
    await writeFile(plainFile, 'x');
    const notExecutable = join(dir, 'script.sh');
    await writeFile(notExecutable, '#!/bin/sh\necho hi\n');
    await chmod(notExecutable, 0o644);
    const bad: Array<[Record<string, unknown>, string, string]> = [
      [{ command: ['cat'], cwd: plainFile }, 'cwd_not_found', plainFile],
      [{ command: [notExecutable], cwd: tmpdir() }, 'command_not_found', notExecutable],
      [{ command: ['./no-such-tool'], cwd: dir }, 'command_not_found', './no-such-tool'],
      [{ command: [dir], cwd: tmpdir() }, 'command_not_found', dir], // a directory is not a command
      [{ command: 'cat /etc/passwd' }, 'validation_failed', 'command'],
      [{ command: ['cat'], cwd: '/no/such/dir/at/all' }, 'cwd_not_found', '/no/such/dir/at/all'],
    ];
    const before = (await ts.json<Session[]>('/api/sessions')).body.length;
    for (const [body, code, named] of bad) {
      const r = await ts.json<{ error: { code: string; message: string } }>('/api/sessions', { body });
      expect(r.status, JSON.stringify(body)).toBe(400);
      expect(r.body.error.code, JSON.stringify(body)).toBe(code);
      expect(r.body.error.message, JSON.stringify(body)).toContain(named);
      await check();
    }
    // Nothing was half-created.
    expect((await ts.json<Session[]>('/api/sessions')).body).toHaveLength(before);
    expect((await readdir(join(ts.dataDir, 'recordings'))).length).toBe(before);
  });
});
