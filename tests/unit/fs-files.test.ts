// files.ts against a real temp directory: listings, errors mapped to API codes, atomic uploads.
import { mkdtempSync, writeFileSync, mkdirSync, chmodSync, readFileSync, readdirSync, symlinkSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { PortholeError } from '../../common/errors.js';
import { absolutePath, guessContentType, listDir, openFile, uploadFile, validFileName } from '../../main/server/fs/files.js';

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
