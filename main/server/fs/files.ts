// File-system access for the owner (contract section 3, /api/fs): listing, reading and atomic
// uploads, with OS errors turned into the API's codes. Share tokens never reach this module.
import { constants as FS, type ReadStream } from 'node:fs';
import { lstat, link, mkdir, open, rename, stat, unlink } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { PortholeError } from '../../../common/errors.js';
import { newId } from '../ids.js';
import { pathFor, type Platform } from '../platform/env.js';
import { fileNameProblem, isAbsolutePath, namesWindowsDevice } from '../platform/paths.js';

// The listing's shapes are schemas in common/ (the panel validates what it gets with them).
export type { DirEntry, DirListing, EntryType } from '../../../common/protocol.js';
import type { DirEntry, DirListing, EntryType } from '../../../common/protocol.js';

/** Default cap on one upload (the contract's 100 MiB). */
export const DEFAULT_UPLOAD_MAX_BYTES = 100 * 1024 * 1024;

/**
 * Map a Node fs error to the API's error, worded so a person knows what to change; anything
 * unexpected stays a 500. `access` says whether the server was reading or writing.
 */
export function fsError(err: unknown, what: string, access: 'read' | 'write' = 'read'): PortholeError | unknown {
  if (err instanceof PortholeError) return err;
  const code = (err as NodeJS.ErrnoException | null)?.code;
  if (code === 'ENOENT' || code === 'ENOTDIR') return new PortholeError('not_found', `${what} does not exist`);
  if (code === 'EACCES' || code === 'EPERM') {
    return new PortholeError('forbidden', `Permission denied: the server's user may not ${access === 'read' ? 'read' : 'write to'} ${what}`);
  }
  if (code === 'EROFS') return new PortholeError('forbidden', `${what} is on a read-only file system`);
  if (code === 'EEXIST') return new PortholeError('conflict', `${what} already exists`);
  if (code === 'EISDIR') return new PortholeError('validation_failed', `${what} is a folder`);
  if (code === 'ENOSPC' || code === 'EDQUOT') return new PortholeError('disk_full', `No space left on the disk that holds ${what}`);
  if (code === 'ENAMETOOLONG') return new PortholeError('validation_failed', `The name is too long: ${what}`);
  return err;
}

/**
 * Paths must be absolute by the platform's own rules (platform/paths.ts: `/...`; on Windows
 * `C:\...`, `C:/...` or `\\server\share\...`); they are normalised so `..` cannot hide what is asked for.
 */
export function absolutePath(p: string | undefined, fallback: string = os.homedir(), platform: Platform = process.platform): string {
  if (p === undefined || p === '') return fallback;
  if (p.includes('\0')) throw new PortholeError('validation_failed', 'The path contains a NUL byte');
  if (!isAbsolutePath(platform, p)) throw new PortholeError('path_not_absolute', `The path must be absolute: ${p}`);
  if (namesWindowsDevice(platform, p)) throw new PortholeError('validation_failed', `The path names a Windows device, not a file: ${p}`);
  return pathFor(platform).resolve(p);
}

const MIME: Record<string, string> = {
  '.txt': 'text/plain; charset=utf-8', '.md': 'text/markdown; charset=utf-8', '.log': 'text/plain; charset=utf-8',
  '.json': 'application/json', '.js': 'text/javascript', '.mjs': 'text/javascript', '.ts': 'text/plain; charset=utf-8',
  '.html': 'text/plain; charset=utf-8', // never rendered as a page from our origin
  '.css': 'text/css', '.csv': 'text/csv', '.xml': 'application/xml', '.yml': 'text/plain; charset=utf-8',
  '.yaml': 'text/plain; charset=utf-8', '.sh': 'text/plain; charset=utf-8', '.py': 'text/plain; charset=utf-8',
  '.png': 'image/png', '.jpg': 'image/jpeg', '.jpeg': 'image/jpeg', '.gif': 'image/gif', '.webp': 'image/webp',
  '.svg': 'image/svg+xml', '.pdf': 'application/pdf', '.zip': 'application/zip', '.gz': 'application/gzip',
  '.tar': 'application/x-tar', '.cast': 'application/x-asciicast', '.mp4': 'video/mp4', '.mp3': 'audio/mpeg',
};

export function guessContentType(file: string): string {
  return MIME[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
}

export interface OpenedFile {
  stream: ReadStream;
  size: number;
  contentType: string;
  name: string;
}

export async function openFile(file: string): Promise<OpenedFile> {
  try {
    const s = await stat(file);
    if (!s.isFile()) throw new PortholeError('validation_failed', `Not a regular file: ${file}`);
    // Open before answering so a permission error is a 403, not a broken stream.
    const handle = await open(file, FS.O_RDONLY);
    const stream = handle.createReadStream();
    return { stream, size: s.size, contentType: guessContentType(file), name: path.basename(file) };
  } catch (err) {
    throw fsError(err, file);
  }
}

/** A file name, not a path: no separators, no `.`/`..`, no NUL; on Windows no device name either. */
export function validFileName(name: string, platform: Platform = process.platform): string {
  if (!name || name === '.' || name === '..' || /[/\\\0]/.test(name) || Buffer.byteLength(name) > 255) {
    throw new PortholeError('validation_failed', `Not a valid file name: ${JSON.stringify(name)}`);
  }
  const problem = fileNameProblem(platform, name);
  if (problem) throw new PortholeError('validation_failed', `Not a valid file name: ${JSON.stringify(name)} ${problem}`);
  return name;
}

export interface UploadOptions {
  overwrite: boolean;
  maxBytes: number;
  /** The request's Content-Length, when it has one: a body that ends short is a broken upload. */
  expectedBytes?: number;
}

/** Uploads in flight write to `.porthole-upload.<id>` in the target folder. */
export const UPLOAD_TEMP_PREFIX = '.porthole-upload.';

/** Creates one folder; its parent must exist (mkdir -p is not offered: a typo would make a tree). */
export async function makeDir(dir: string): Promise<{ path: string }> {
  try {
    await mkdir(dir, { mode: 0o777 });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException | null)?.code;
    if (code === 'ENOENT') throw new PortholeError('not_found', `The parent folder ${path.dirname(dir)} does not exist`);
    throw fsError(err, dir, 'write');
  }
  return { path: dir };
}

/** Write the body to a temp file beside the target, fsync, then move it into place in one step. */
export async function uploadFile(dir: string, name: string, body: Readable, opts: UploadOptions): Promise<{ path: string; size: number }> {
  validFileName(name);
  try {
    const s = await stat(dir);
    if (!s.isDirectory()) throw new PortholeError('validation_failed', `Not a directory: ${dir}`);
  } catch (err) {
    throw fsError(err, dir, 'write');
  }
  const target = path.join(dir, name);
  if (!opts.overwrite) {
    const exists = await lstat(target).then(() => true, () => false);
    if (exists) throw new PortholeError('conflict', `${target} already exists (add &overwrite=1 to replace it)`);
  }
  // Short and fixed-length, so any name the target may have (255 bytes) fits the temp name too.
  const tmp = path.join(dir, `${UPLOAD_TEMP_PREFIX}${newId()}`);
  let size = 0;
  // True while waiting for the next chunk: an error then came from the request (the client
  // went away), not from the disk (ENOSPC while writing must stay disk_full).
  let reading = false;
  try {
    const handle = await open(tmp, 'wx', 0o644);
    try {
      reading = true;
      for await (const chunk of body as AsyncIterable<Buffer>) {
        reading = false;
        size += chunk.length;
        if (size > opts.maxBytes) throw new PortholeError('payload_too_large', `Uploads are limited to ${opts.maxBytes} bytes`);
        await handle.write(chunk);
        reading = true;
      }
      reading = false;
      // A client that went away mid-body can end the stream without an error: never keep
      // a truncated file in place of the one that was sent.
      if (opts.expectedBytes !== undefined && size !== opts.expectedBytes) {
        throw new PortholeError('upload_incomplete', `The upload ended after ${size} of ${opts.expectedBytes} bytes`);
      }
      await handle.sync();
    } finally {
      await handle.close();
    }
    if (opts.overwrite) await rename(tmp, target);
    else {
      // link() fails with EEXIST if the name appeared meanwhile: never clobber silently.
      await link(tmp, target);
      await unlink(tmp);
    }
  } catch (err) {
    await unlink(tmp).catch(() => {});
    // The client went away mid-body (Node: ECONNRESET "aborted"): a broken upload, not a fault.
    if (reading && !(err instanceof PortholeError)) {
      throw new PortholeError('upload_incomplete', `The upload of ${target} was cut off after ${size} bytes`);
    }
    throw fsError(err, target, 'write');
  }
  return { path: target, size };
}

