// Recording options (contract section 9) on a real server: DELETE removes the recording unless
// keepRecordings; --no-record writes none; recordingRetention prunes old casts at start and
// on its timer, never a live session's; the header carries the first real size (a session
// made at 80x24 and resized before any output starts at the new size, not with an "r" event).
import { existsSync } from 'node:fs';
import { mkdir, readFile, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../main/server/log.js';
import { RecordingJanitor } from '../../main/server/sessions/retention.js';
import { connectWs, makeTempDir, sleep, startServer, until } from '../helpers/server.js';

const castFile = (dataDir: string, id: string) => join(dataDir, 'recordings', `${id}.cast`);

describe('recordings', () => {
  it('DELETE /api/sessions/:id deletes the recording', async () => {
    const ts = await startServer();
    const s = await ts.createSession();
    await until(() => existsSync(castFile(ts.dataDir, s.id)), 5000, 'the cast file');
    expect((await ts.api(`/api/sessions/${s.id}`, { method: 'DELETE' })).status).toBe(204);
    expect(existsSync(castFile(ts.dataDir, s.id))).toBe(false);
  });

  it('keepRecordings leaves it on disk, whole', async () => {
    const ts = await startServer({ keepRecordings: true });
    const s = await ts.createSession({ command: ['sh', '-c', 'echo kept-output'] });
    await expect.poll(async () => (await ts.json<{ status: string }>(`/api/sessions/${s.id}`)).body.status, { timeout: 10_000 }).toBe('exited');
    expect((await ts.api(`/api/sessions/${s.id}`, { method: 'DELETE' })).status).toBe(204);
    expect(await readFile(castFile(ts.dataDir, s.id), 'utf8')).toContain('kept-output');
  });

  it('--no-record writes no file, and GET /recording is 404', async () => {
    const ts = await startServer({ record: false });
    const s = await ts.createSession({ command: ['sh', '-c', 'echo hi; sleep 5'] });
    const sock = connectWs(ts, s.id);
    await sock.waitForText('ready');
    await sleep(200);
    expect(existsSync(castFile(ts.dataDir, s.id))).toBe(false);
    expect((await ts.api(`/api/sessions/${s.id}/recording`)).status).toBe(404);
  });

  it('recordingRetention deletes old recordings at start, keeps new ones', async () => {
    const dataDir = await makeTempDir();
    const dir = join(dataDir, 'recordings');
    await mkdir(dir, { recursive: true });
    const old = join(dir, 'AAAAAAAAAAAAAAAAAAAAAA.cast');
    const fresh = join(dir, 'BBBBBBBBBBBBBBBBBBBBBB.cast');
    const other = join(dir, 'notes.txt');
    for (const f of [old, fresh, other]) await writeFile(f, '{"version":2}\n');
    const twoDaysAgo = new Date(Date.now() - 2 * 86400_000);
    await utimes(old, twoDaysAgo, twoDaysAgo);
    await utimes(other, twoDaysAgo, twoDaysAgo);
    await startServer({ dataDir, recordingRetentionSeconds: 86400 });
    expect(existsSync(old)).toBe(false);
    expect(existsSync(fresh)).toBe(true);
    expect(existsSync(other)).toBe(true); // not a recording
  });

  it('the janitor sweeps on its timer, spares live sessions, and releases the timer', async () => {
    const dir = await makeTempDir();
    const live = join(dir, 'LIVE.cast');
    const dead = join(dir, 'DEAD.cast');
    const j = new RecordingJanitor({ dir, maxAgeMs: 1000, isLive: (id) => id === 'LIVE', logger: silentLogger, intervalMs: 50 });
    await j.start();
    for (const f of [live, dead]) {
      await writeFile(f, '');
      await utimes(f, new Date(Date.now() - 5000), new Date(Date.now() - 5000));
    }
    await until(() => !existsSync(dead), 5000, 'the timer sweep');
    expect(existsSync(live)).toBe(true);
    await j.dispose();
    await writeFile(dead, '');
    await utimes(dead, new Date(Date.now() - 5000), new Date(Date.now() - 5000));
    await sleep(200);
    expect(existsSync(dead)).toBe(true); // no sweep after dispose
  });

  it('the header carries the first real size; later resizes are "r" events', async () => {
    const ts = await startServer();
    const s = await ts.createSession({ command: ['cat'] }); // made at 80x24, like every client does
    expect((await ts.api(`/api/sessions/${s.id}/resize`, { body: { cols: 132, rows: 40 } })).status).toBe(204);
    expect((await ts.api(`/api/sessions/${s.id}/input`, { body: { data: 'one\n' } })).status).toBe(204);
    await sleep(150);
    expect((await ts.api(`/api/sessions/${s.id}/resize`, { body: { cols: 90, rows: 20 } })).status).toBe(204);
    expect((await ts.api(`/api/sessions/${s.id}/input`, { body: { data: 'two\n' } })).status).toBe(204);
    await expect.poll(async () => (await (await ts.api(`/api/sessions/${s.id}/recording`)).text()).includes('two'), { timeout: 10_000 }).toBe(true);
    const lines = (await (await ts.api(`/api/sessions/${s.id}/recording`)).text()).trim().split('\n').map((l) => JSON.parse(l) as unknown);
    expect(lines[0]).toMatchObject({ version: 2, width: 132, height: 40 });
    const events = lines.slice(1) as [number, string, string][];
    expect(events.filter((e) => e[1] === 'r').map((e) => e[2])).toEqual(['90x20']);
    expect(events[0][1]).toBe('o');
  });
});
