// /api/fs and the session's current cwd against a real server on port 0, a real shell in a
// real PTY and a real TCP client: mkdir's statuses, the cwd following `cd` (and a foreground
// job's own cwd), a cut-off upload leaving no temp file, and a big folder's streamed listing.
// Every case runs twice: in this process under Node, and against `porthole serve` under Bun.
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync, existsSync, readFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import type { TestRuntime } from '../helpers/runtimes.js';
import { startTarget, type ServerTarget as FsTarget } from '../helpers/serve-child.js';
import { makeTempDir } from '../helpers/server.js';
import { smallDisk } from '../helpers/small-disk.js';

const RUNTIMES: TestRuntime[] = ['node', 'bun'];
// Each Bun case starts `porthole serve` first: on a shared 2-core machine that alone can take 20 s.
vi.setConfig({ testTimeout: 90_000 });
const q = (p: string): string => encodeURIComponent(p);

const canMount = ((): boolean => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'porthole-mount-'));
  const undo = smallDisk(dir);
  undo?.();
  rmSync(dir, { recursive: true, force: true });
  return undo !== null;
})();

async function share(ts: FsTarget, sessionId: string): Promise<string> {
  const r = await ts.json<{ token: string }>(`/api/sessions/${sessionId}/shares`, { body: { mode: 'control' } });
  return r.body.token;
}

async function pollCwd(ts: FsTarget, id: string, want: string, timeoutMs = 10_000): Promise<{ cwd: string; source: string }> {
  const deadline = Date.now() + timeoutMs;
  let last: { cwd: string; source: string } | undefined;
  while (Date.now() < deadline) {
    const r = await ts.json<{ cwd: string; source: string }>(`/api/sessions/${id}/cwd`);
    expect(r.status).toBe(200);
    last = r.body;
    if (last.cwd === want) return last;
    await new Promise((res) => setTimeout(res, 50));
  }
  throw new Error(`cwd never became ${want}; last ${JSON.stringify(last)}`);
}

/** Sends the head and part of a body declared longer, then cuts the connection. */
async function brokenUpload(ts: FsTarget, dir: string, name: string, declared: number, sent: number, whileOpen: () => Promise<void>): Promise<void> {
  const sock = net.connect(ts.port, '127.0.0.1');
  await new Promise<void>((res, rej) => sock.once('connect', res).once('error', rej));
  sock.on('error', () => {});
  sock.write(
    `POST /api/fs/upload?dir=${q(dir)}&name=${q(name)} HTTP/1.1\r\nHost: 127.0.0.1:${ts.port}\r\n` +
      `Authorization: Bearer ${ts.ownerToken}\r\nContent-Type: application/octet-stream\r\nContent-Length: ${declared}\r\n\r\n`,
  );
  sock.write(Buffer.alloc(sent, 0x61));
  await whileOpen();
  sock.destroy();
}

async function waitUntil(check: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out: ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe.each(RUNTIMES)('under %s', (runtime) => {
  const start = (): Promise<FsTarget> => startTarget(runtime);

  describe('POST /api/fs/mkdir', () => {
    it('201 {path}, 409 when it exists, 404 without a parent, 400 for a relative path', async () => {
      const ts = await start();
      const dir = await makeTempDir();
      const made = await ts.json<{ path: string }>(`/api/fs/mkdir?path=${q(path.join(dir, 'new'))}`, { method: 'POST' });
      expect(made).toMatchObject({ status: 201, body: { path: path.join(dir, 'new') } });
      expect(existsSync(path.join(dir, 'new'))).toBe(true);
      const again = await ts.json<{ error: { code: string } }>(`/api/fs/mkdir?path=${q(path.join(dir, 'new'))}`, { method: 'POST' });
      expect([again.status, again.body.error.code]).toEqual([409, 'conflict']);
      const orphan = await ts.json<{ error: { code: string; message: string } }>(`/api/fs/mkdir?path=${q(path.join(dir, 'no', 'such'))}`, { method: 'POST' });
      expect([orphan.status, orphan.body.error.code]).toEqual([404, 'not_found']);
      expect(orphan.body.error.message).toContain('parent');
      const relative = await ts.json<{ error: { code: string } }>(`/api/fs/mkdir?path=relative/dir`, { method: 'POST' });
      expect([relative.status, relative.body.error.code]).toEqual([400, 'path_not_absolute']);
      const missing = await ts.json(`/api/fs/mkdir`, { method: 'POST' });
      expect(missing.status).toBe(400);
    });

    it('is owner-only: a share token gets 403 and nothing is made', async () => {
      const ts = await start();
      const dir = await makeTempDir();
      const s = await ts.createSession({ cwd: dir });
      const token = await share(ts, s.id);
      const r = await ts.json(`/api/fs/mkdir?path=${q(path.join(dir, 'x'))}`, { method: 'POST', token });
      expect(r.status).toBe(403);
      expect(existsSync(path.join(dir, 'x'))).toBe(false);
    });
  });

  describe('GET /api/sessions/:id/cwd', () => {
    it.skipIf(process.platform !== 'linux')('follows `cd` in a real shell, and a foreground job in another folder', async () => {
      const ts = await start();
      const dir = await makeTempDir();
      mkdirSync(path.join(dir, 'sub', 'deeper'), { recursive: true });
      const s = await ts.createSession({ command: ['/bin/sh'], cwd: dir, env: { PS1: '$ ' } });
      expect(await pollCwd(ts, s.id, dir)).toMatchObject({ source: 'foreground' });
      await ts.api(`/api/sessions/${s.id}/input`, { body: { data: 'cd sub\n' } });
      expect(await pollCwd(ts, s.id, path.join(dir, 'sub'))).toEqual({ cwd: path.join(dir, 'sub'), source: 'foreground' });
      // A foreground program started elsewhere: the Files view shows where that program is.
      await ts.api(`/api/sessions/${s.id}/input`, { body: { data: '(cd deeper && exec sleep 30)\n' } });
      expect(await pollCwd(ts, s.id, path.join(dir, 'sub', 'deeper'))).toMatchObject({ source: 'foreground' });
      await ts.api(`/api/sessions/${s.id}/input`, { body: { data: '\x03' } });
      await pollCwd(ts, s.id, path.join(dir, 'sub'));
    });

    it('is owner-only: a share token of that very session gets 403; an unknown id 404', async () => {
      const ts = await start();
      const s = await ts.createSession();
      const token = await share(ts, s.id);
      expect((await ts.json(`/api/sessions/${s.id}/cwd`, { token })).status).toBe(403);
      expect((await ts.json(`/api/sessions/${s.id}/cwd`, { token: null })).status).toBe(401);
      expect((await ts.json(`/api/sessions/AAAAAAAAAAAAAAAAAAAAAAAA/cwd`)).status).toBe(404);
    });
  });

  describe('POST /api/fs/upload', () => {
    it.skipIf(!canMount)('a full disk is 507 disk_full with a message that says so, and the partial temp file is removed', async () => {
      const ts = await start();
      const dir = await makeTempDir();
      const undo = smallDisk(dir)!;
      try {
        const r = await ts.json<{ error: { code: string; message: string } }>(`/api/fs/upload?dir=${q(dir)}&name=big.bin`, {
          body: Buffer.alloc(1024 * 1024, 1).toString('latin1'), headers: { 'content-type': 'application/octet-stream' },
        });
        expect([r.status, r.body.error.code]).toEqual([507, 'disk_full']);
        expect(r.body.error.message).toContain('No space left');
        expect(readdirSync(dir)).toEqual([]);
      } finally {
        undo();
      }
    });

    it('a connection cut mid-body leaves neither the file nor a temp file, and the server goes on', async () => {
      const ts = await start();
      const dir = await makeTempDir();
      await brokenUpload(ts, dir, 'big.bin', 4 * 1024 * 1024, 256 * 1024, () =>
        // The temp file exists while the body streams in: the cut happens mid-write.
        waitUntil(() => readdirSync(dir).some((n) => n.startsWith('.porthole-upload.')), 'the temp file to appear'),
      );
      await waitUntil(() => readdirSync(dir).length === 0, 'the temp file to be removed');
      expect(readdirSync(dir)).toEqual([]);
      // The same name uploads fine afterwards.
      const ok = await ts.json<{ size: number }>(`/api/fs/upload?dir=${q(dir)}&name=big.bin`, {
        body: 'complete', headers: { 'content-type': 'application/octet-stream' },
      });
      expect(ok).toMatchObject({ status: 201, body: { size: 8 } });
      expect(readFileSync(path.join(dir, 'big.bin'), 'utf8')).toBe('complete');
      expect(readdirSync(dir)).toEqual(['big.bin']);
    });

    it('a cut-off overwrite keeps the old file intact', async () => {
      const ts = await start();
      const dir = await makeTempDir();
      writeFileSync(path.join(dir, 'keep.txt'), 'old contents');
      await brokenUpload(ts, dir, 'keep.txt&overwrite=1', 1024 * 1024, 64 * 1024, () =>
        waitUntil(() => readdirSync(dir).some((n) => n.startsWith('.porthole-upload.')), 'the temp file to appear'),
      );
      await waitUntil(() => readdirSync(dir).length === 1, 'the temp file to be removed');
      expect(readFileSync(path.join(dir, 'keep.txt'), 'utf8')).toBe('old contents');
    });

    it('409 for an existing name unless overwrite=1; 413 before any byte when Content-Length is over the cap', async () => {
      const ts = await start();
      const dir = await makeTempDir();
      writeFileSync(path.join(dir, 'a.txt'), 'one');
      const headers = { 'content-type': 'application/octet-stream' };
      expect((await ts.json(`/api/fs/upload?dir=${q(dir)}&name=a.txt`, { body: 'two', headers })).status).toBe(409);
      expect((await ts.json(`/api/fs/upload?dir=${q(dir)}&name=a.txt&overwrite=1`, { body: 'two', headers })).status).toBe(201);
      expect(readFileSync(path.join(dir, 'a.txt'), 'utf8')).toBe('two');
      const big = await ts.json<{ error: { code: string } }>(`/api/fs/upload?dir=${q(dir)}&name=big`, {
        body: 'x', headers: { ...headers, 'content-length': String(200 * 1024 * 1024) },
      }).catch(() => null);
      if (big) expect(big.status).toBe(413);
      expect(readdirSync(dir)).toEqual(['a.txt']);
    });
  });

  describe('GET /api/fs (streamed listing)', () => {
    it('lists 10,000 entries, folders first, numeric order, with the upload limit; hidden files included', async () => {
      const ts = await start();
      const dir = await makeTempDir();
      for (let i = 0; i < 10_000; i++) writeFileSync(path.join(dir, `f${i}.txt`), 'x'.repeat(i % 7));
      mkdirSync(path.join(dir, 'zdir'));
      writeFileSync(path.join(dir, '.hidden'), '');
      const r = await ts.json<{ path: string; parent: string; uploadMaxBytes: number; entries: Array<{ name: string; type: string; size: number; mtime: string }> }>(`/api/fs?path=${q(dir)}`);
      expect(r.status).toBe(200);
      expect(r.headers.get('content-type')).toMatch(/^application\/json/);
      expect(r.body.path).toBe(dir);
      expect(r.body.parent).toBe(path.dirname(dir));
      expect(r.body.uploadMaxBytes).toBe(100 * 1024 * 1024);
      expect(r.body.entries).toHaveLength(10_002);
      expect(r.body.entries[0]).toMatchObject({ name: 'zdir', type: 'dir' });
      expect(r.body.entries[1].name).toBe('.hidden');
      expect(r.body.entries.slice(2, 5).map((e) => e.name)).toEqual(['f0.txt', 'f1.txt', 'f2.txt']);
      expect(r.body.entries.find((e) => e.name === 'f13.txt')).toMatchObject({ type: 'file', size: 6 });
    }, 120_000);

    it('a missing folder is a 404 JSON error, not a broken stream', async () => {
      const ts = await start();
      const r = await ts.json<{ error: { code: string } }>(`/api/fs?path=${q('/no/such/folder')}`);
      expect([r.status, r.body.error.code]).toEqual([404, 'not_found']);
    });
  });
});
