// Folder listings with a bounded cost (GET /api/fs). A folder can hold 100,000 entries: the
// old listing started one lstat per entry at once and built the whole answer in memory. Here
// the names come from one readdir pass (with their d_type, so folders sort first without a
// stat), then entries are stat'ed LISTING_BATCH at a time and each batch is written to the
// response as soon as it is ready, waiting for the socket to drain. Memory is the names plus
// one batch; at most LISTING_BATCH stats are in flight; a client that goes away stops the work.
// The answer is still one JSON document of the contract's shape (docs/api.md: "Listings").
import type { Dirent } from 'node:fs';
import { lstat, opendir, stat } from 'node:fs/promises';
import path from 'node:path';
import { PortholeError } from '../../../common/errors.js';
import { parentOf as platformParentOf } from '../platform/paths.js';
import { fsError, type DirEntry, type DirListing, type EntryType } from './files.js';

/** Entries stat'ed (and written) per step; also the bound on stats in flight. */
export const LISTING_BATCH = 256;

interface Named {
  name: string;
  type: EntryType;
}

function typeOfDirent(d: Dirent): EntryType | null {
  if (d.isSymbolicLink()) return 'symlink';
  if (d.isDirectory()) return 'dir';
  if (d.isFile()) return 'file';
  if (d.isFIFO() || d.isSocket() || d.isBlockDevice() || d.isCharacterDevice()) return 'other';
  return null; // DT_UNKNOWN: this file system does not say; lstat tells.
}

function typeOfStats(s: { isFile(): boolean; isDirectory(): boolean; isSymbolicLink(): boolean }): EntryType {
  if (s.isSymbolicLink()) return 'symlink';
  if (s.isDirectory()) return 'dir';
  if (s.isFile()) return 'file';
  return 'other';
}

// Numeric so file2 sorts before file10, as file managers do; one collator, made once.
const collator = new Intl.Collator(undefined, { numeric: true });

/** Folders first, then by name. */
export function compareEntries(a: Named, b: Named): number {
  return Number(b.type === 'dir') - Number(a.type === 'dir') || collator.compare(a.name, b.name);
}

async function inBatches<T, R>(items: readonly T[], fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = [];
  for (let i = 0; i < items.length; i += LISTING_BATCH) out.push(...(await Promise.all(items.slice(i, i + LISTING_BATCH).map(fn))));
  return out;
}

/** Checks `dir` is a readable folder and reads its names and types, sorted. */
export async function readSortedNames(dir: string): Promise<Named[]> {
  const named: Named[] = [];
  const unknown: Named[] = [];
  try {
    const s = await stat(dir);
    if (!s.isDirectory()) throw new PortholeError('validation_failed', `Not a folder: ${dir}`);
    for await (const d of await opendir(dir, { bufferSize: 128 })) {
      const type = typeOfDirent(d);
      const entry = { name: d.name, type: type ?? 'other' };
      named.push(entry);
      if (type === null) unknown.push(entry);
    }
  } catch (err) {
    throw fsError(err, dir);
  }
  await inBatches(unknown, async (e) => {
    e.type = await lstat(path.join(dir, e.name)).then(typeOfStats, () => 'other' as const);
  });
  return named.sort(compareEntries);
}

async function statEntry(dir: string, e: Named): Promise<DirEntry> {
  try {
    const s = await lstat(path.join(dir, e.name));
    return { name: e.name, type: typeOfStats(s), size: s.size, mtime: s.mtime.toISOString() };
  } catch {
    // Vanished between readdir and lstat, or unreadable: still list the name.
    return { name: e.name, type: e.type, size: 0, mtime: new Date(0).toISOString() };
  }
}

/** The sorted entries of `dir`, LISTING_BATCH at a time (the caller pulls the next batch). */
export async function* listEntries(dir: string, names?: Named[]): AsyncGenerator<DirEntry[]> {
  const all = names ?? (await readSortedNames(dir));
  for (let i = 0; i < all.length; i += LISTING_BATCH) {
    yield await Promise.all(all.slice(i, i + LISTING_BATCH).map((e) => statEntry(dir, e)));
  }
}

/** null at the top; on Windows a drive root's parent is `/`, the drive list (platform/paths.ts). */
export function parentOf(dir: string): string | null {
  return platformParentOf(process.platform, dir);
}

/** The whole listing in memory: for callers that need an object (tests, small folders). */
export async function listDir(dir: string): Promise<DirListing> {
  const entries: DirEntry[] = [];
  for await (const batch of listEntries(dir)) entries.push(...batch);
  return { path: dir, parent: parentOf(dir), entries };
}

/** The part of an HTTP response the streamed listing needs. */
export interface ListingSink {
  readonly destroyed: boolean;
  write(chunk: string): boolean;
  end(chunk: string): void;
  once(event: 'drain' | 'close', listener: () => void): unknown;
  removeListener(event: 'drain' | 'close', listener: () => void): unknown;
}

function drained(sink: ListingSink): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      sink.removeListener('drain', done);
      sink.removeListener('close', done);
      resolve();
    };
    sink.once('drain', done);
    sink.once('close', done);
  });
}

/**
 * Writes `{path, parent, ...extra, entries:[...]}` batch by batch. Throws (before anything is
 * written) for a folder that is missing or unreadable; `start` is called once that is known,
 * so the caller sets its status and headers only for a listing that will be sent.
 */
export async function streamListing(dir: string, sink: ListingSink, extra: Record<string, unknown>, start: () => void): Promise<void> {
  const names = await readSortedNames(dir);
  start();
  const head = { path: dir, parent: parentOf(dir), ...extra };
  let first = true;
  sink.write(`${JSON.stringify(head).slice(0, -1)},"entries":[`);
  for await (const batch of listEntries(dir, names)) {
    if (sink.destroyed) return;
    let text = first ? '' : ',';
    first = false;
    text += batch.map((e) => JSON.stringify(e)).join(',');
    if (!sink.write(text)) await drained(sink);
  }
  if (!sink.destroyed) sink.end(']}');
}
