// The user's choice of shell wins over the OS default (platform/shell.ts) for every Server,
// the desktop app's included: config.json `shell` in the data dir, as a program or an argv,
// read by Server.create when the options name none. Real server, real PTY.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Session } from '../../common/protocol.js';
import { processDefaultShell } from '../../main/server/platform/shell.js';
import { makeTempDir, startServer, sleep, type TestServer } from '../helpers/server.js';

async function defaultSession(ts: TestServer): Promise<Session> {
  const r = await ts.json<Session>('/api/sessions', { body: { cwd: ts.dataDir } });
  expect(r.status).toBe(201);
  return r.body;
}

async function screenHas(ts: TestServer, id: string, text: string): Promise<boolean> {
  for (const end = Date.now() + 10_000; Date.now() < end; await sleep(50)) {
    const res = await ts.api(`/api/sessions/${id}/snapshot`);
    if ((await res.text()).includes(text)) return true;
  }
  return false;
}

describe('the default command of a session', () => {
  it('is the OS default when nothing is configured (the same function, with process.platform)', async () => {
    const ts = await startServer();
    const d = processDefaultShell();
    expect((await defaultSession(ts)).command).toEqual([d.file, ...d.args]);
  });

  it('is config.json `shell` as an argv, taken as it is, when the options name none (the desktop app\'s path)', async () => {
    const dataDir = await makeTempDir();
    await writeFile(join(dataDir, 'config.json'), JSON.stringify({ shell: ['/bin/sh', '-c', 'echo configured-$((40+2)); exec cat'] }));
    const ts = await startServer({ dataDir });
    const s = await defaultSession(ts);
    expect(s.command).toEqual(['/bin/sh', '-c', 'echo configured-$((40+2)); exec cat']);
    expect(await screenHas(ts, s.id, 'configured-42')).toBe(true);
  });

  it('is config.json `shell` as one program (no arguments)', async () => {
    const dataDir = await makeTempDir();
    await writeFile(join(dataDir, 'config.json'), JSON.stringify({ shell: '/bin/sh' }));
    const ts = await startServer({ dataDir });
    expect((await defaultSession(ts)).command).toEqual(['/bin/sh']);
  });

  it('options.shell (porthole serve has put config and flags there) beats config.json', async () => {
    const dataDir = await makeTempDir();
    await writeFile(join(dataDir, 'config.json'), JSON.stringify({ shell: '/bin/sh' }));
    const ts = await startServer({ dataDir, shell: ['/bin/sh', '-i'] });
    expect((await defaultSession(ts)).command).toEqual(['/bin/sh', '-i']);
  });
});
