// files.ts against a real temp directory: listings, errors mapped to API codes, atomic uploads.
import { mkdtempSync, writeFileSync, mkdirSync, chmodSync, readFileSync, readdirSync, symlinkSync, rmSync } from 'node:fs';
import { EventEmitter } from 'node:events';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { PortholeError } from '../../common/errors.js';
import { absolutePath, fsError, guessContentType, makeDir, openFile, uploadFile, validFileName } from '../../main/server/fs/files.js';
import { compareEntries, listDir, LISTING_BATCH, sortKey, streamListing } from '../../main/server/fs/listing.js';

const root = mkdtempSync(path.join(os.tmpdir(), 'porthole-fs-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (err) {
    if (err instanceof PortholeError) return err.code;
    throw err;
  }
  return 'ok';
}

describe('absolutePath', () => {
  it('rejects relative paths and NUL bytes', () => {
    expect(() => absolutePath('etc/passwd')).toThrow(/absolute/);
    expect(() => absolutePath('/tmp/a\0b')).toThrow(/NUL/);
  });
  it('defaults to home and normalises ..', () => {
    expect(absolutePath(undefined)).toBe(os.homedir());
    expect(absolutePath('/a/b/../c')).toBe('/a/c');
  });
});

describe('listDir', () => {
  it('lists folders first with types, sizes and times', async () => {
    const dir = path.join(root, 'list');
    mkdirSync(path.join(dir, 'sub'), { recursive: true });
    writeFileSync(path.join(dir, 'a.txt'), 'hello');
    symlinkSync('a.txt', path.join(dir, 'link'));
    const out = await listDir(dir);
    expect(out.path).toBe(dir);
    expect(out.parent).toBe(root);
    expect(out.entries.map((e) => [e.name, e.type])).toEqual([['sub', 'dir'], ['a.txt', 'file'], ['link', 'symlink']]);
    expect(out.entries[1].size).toBe(5);
    expect(Date.parse(out.entries[1].mtime)).not.toBeNaN();
    expect((await listDir('/')).parent).toBeNull();
  });
  it('maps missing to not_found and a file to validation_failed', async () => {
    expect(await codeOf(listDir(path.join(root, 'nope')))).toBe('not_found');
    writeFileSync(path.join(root, 'f'), 'x');
    expect(await codeOf(listDir(path.join(root, 'f')))).toBe('validation_failed');
  });
  it.skipIf(process.getuid?.() === 0)('maps unreadable to forbidden', async () => {
    const dir = path.join(root, 'locked');
    mkdirSync(dir);
    chmodSync(dir, 0o000);
    expect(await codeOf(listDir(dir))).toBe('forbidden');
    chmodSync(dir, 0o700);
  });
});

describe('openFile', () => {
  it('streams bytes with a guessed type', async () => {
    const f = path.join(root, 'data.json');
    writeFileSync(f, '{"a":1}');
    const opened = await openFile(f);
    expect(opened.contentType).toBe('application/json');
    expect(opened.size).toBe(7);
    const chunks: Buffer[] = [];
    for await (const c of opened.stream) chunks.push(c as Buffer);
    expect(Buffer.concat(chunks).toString()).toBe('{"a":1}');
  });
  it('never serves html as a page and falls back to octet-stream', () => {
    expect(guessContentType('/x/evil.html')).toMatch(/^text\/plain/);
    expect(guessContentType('/x/blob.bin')).toBe('application/octet-stream');
  });
  it('maps a missing file and a directory', async () => {
    expect(await codeOf(openFile(path.join(root, 'missing')))).toBe('not_found');
    expect(await codeOf(openFile(root))).toBe('validation_failed');
  });
});

describe('uploadFile', () => {
  it('writes atomically and leaves no temp file', async () => {
    const dir = path.join(root, 'up');
    mkdirSync(dir);
    const out = await uploadFile(dir, 'x.bin', Readable.from([Buffer.from('abc'), Buffer.from('def')]), { overwrite: false, maxBytes: 100 });
    expect(out).toEqual({ path: path.join(dir, 'x.bin'), size: 6 });
    expect(readFileSync(out.path, 'utf8')).toBe('abcdef');
    expect(readdirSync(dir)).toEqual(['x.bin']);
  });
  it('refuses to clobber unless asked, then replaces', async () => {
    const dir = path.join(root, 'up2');
    mkdirSync(dir);
    writeFileSync(path.join(dir, 'x'), 'old');
    expect(await codeOf(uploadFile(dir, 'x', Readable.from([Buffer.from('new')]), { overwrite: false, maxBytes: 100 }))).toBe('conflict');
    expect(readFileSync(path.join(dir, 'x'), 'utf8')).toBe('old');
    await uploadFile(dir, 'x', Readable.from([Buffer.from('new')]), { overwrite: true, maxBytes: 100 });
    expect(readFileSync(path.join(dir, 'x'), 'utf8')).toBe('new');
    expect(readdirSync(dir)).toEqual(['x']);
  });
  it('stops past the size cap with 413 and cleans up', async () => {
    const dir = path.join(root, 'up3');
    mkdirSync(dir);
    expect(await codeOf(uploadFile(dir, 'big', Readable.from([Buffer.alloc(60), Buffer.alloc(60)]), { overwrite: false, maxBytes: 100 }))).toBe('payload_too_large');
    expect(readdirSync(dir)).toEqual([]);
  });
  it('rejects names that are paths', () => {
    for (const bad of ['', '.', '..', 'a/b', 'a\\b', 'a\0b']) expect(() => validFileName(bad)).toThrow(PortholeError);
  });
  it('maps a missing folder to not_found', async () => {
    expect(await codeOf(uploadFile(path.join(root, 'none'), 'x', Readable.from([]), { overwrite: false, maxBytes: 1 }))).toBe('not_found');
  });
});

describe('uploads that end short, folders, errors a person can act on', () => {
  it('a body that ends before its Content-Length is upload_incomplete and leaves nothing', async () => {
    const dir = path.join(root, 'short');
    mkdirSync(dir);
    const p = uploadFile(dir, 'x', Readable.from([Buffer.from('abc')]), { overwrite: false, maxBytes: 100, expectedBytes: 10 });
    expect(await codeOf(p)).toBe('upload_incomplete');
    expect(readdirSync(dir)).toEqual([]);
  });
  it('makeDir: made, exists, no parent', async () => {
    const dir = path.join(root, 'mk');
    expect(await makeDir(dir)).toEqual({ path: dir });
    expect(await codeOf(makeDir(dir))).toBe('conflict');
    expect(await codeOf(makeDir(path.join(root, 'nope', 'x')))).toBe('not_found');
  });
  it('maps a full disk to disk_full and a write permission error to forbidden with a clear message', () => {
    const err = (code: string) => Object.assign(new Error(code), { code });
    expect((fsError(err('ENOSPC'), '/x') as PortholeError).code).toBe('disk_full');
    expect((fsError(err('EDQUOT'), '/x') as PortholeError).code).toBe('disk_full');
    const denied = fsError(err('EACCES'), '/srv', 'write') as PortholeError;
    expect([denied.code, denied.message]).toEqual(['forbidden', "Permission denied: the server's user may not write to /srv"]);
    expect((fsError(err('EROFS'), '/ro', 'write') as PortholeError).code).toBe('forbidden');
  });
});

describe('streamListing', () => {
  it('writes one JSON document, batch by batch, waiting for drain when the sink is full', async () => {
    const dir = path.join(root, 'stream');
    mkdirSync(dir);
    for (let i = 0; i < LISTING_BATCH * 2 + 5; i++) writeFileSync(path.join(dir, `n${i}`), '');
    mkdirSync(path.join(dir, 'd'));
    const sink = new EventEmitter() as EventEmitter & { destroyed: boolean; chunks: string[]; write(c: string): boolean; end(c: string): void };
    sink.destroyed = false;
    sink.chunks = [];
    let pending = 0;
    sink.write = (c: string) => {
      sink.chunks.push(c);
      pending++;
      setImmediate(() => {
        pending = 0;
        sink.emit('drain');
      });
      return false; // always "full": the writer must wait before each next batch
    };
    sink.end = (c: string) => void sink.chunks.push(c);
    let started = false;
    await streamListing(dir, sink, { uploadMaxBytes: 5 }, () => (started = true));
    expect(started).toBe(true);
    expect(pending).toBeLessThanOrEqual(1);
    expect(sink.chunks.length).toBe(1 + 3 + 1); // head, three batches, tail
    const body = JSON.parse(sink.chunks.join('')) as { path: string; uploadMaxBytes: number; entries: Array<{ name: string }> };
    expect(body.path).toBe(dir);
    expect(body.uploadMaxBytes).toBe(5);
    expect(body.entries).toHaveLength(LISTING_BATCH * 2 + 6);
    expect(body.entries.slice(0, 4).map((e) => e.name)).toEqual(['d', 'n0', 'n1', 'n2']);
  });
  it('throws before start() for a missing folder, so a 404 can still be sent', async () => {
    let started = false;
    const sink = Object.assign(new EventEmitter(), { destroyed: false, write: () => true, end: () => undefined });
    expect(await codeOf(streamListing(path.join(root, 'gone'), sink, {}, () => (started = true)))).toBe('not_found');
    expect(started).toBe(false);
  });
});

describe('listing order', () => {
  it('folders first, then case-insensitive with numbers as numbers, ties by exact name', () => {
    const named = (name: string, type: 'file' | 'dir' = 'file') => ({ name, type, key: sortKey(name) });
    const names = [named('file10'), named('File2'), named('zeta', 'dir'), named('file2'), named('Alpha', 'dir'), named('file02'), named('b')];
    expect(names.sort(compareEntries).map((e) => e.name)).toEqual(['Alpha', 'zeta', 'b', 'File2', 'file02', 'file2', 'file10']);
  });
});
