// How the client commands find the server that `porthole serve` started (contract section 9):
// serve writes `server.json` ({url, pid}, 0600) into its data dir while it runs and removes it
// on exit; a client reads it only while that pid is alive, so a crashed server's leftover
// file is ignored rather than trusted.
import { promises as fsp, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { hostForUrl, isWildcardHost } from './net/links.js';
import { writeFileAtomic } from './datadir.js';

export const SERVER_FILE = 'server.json';

export const ServerFileSchema = z.strictObject({
  url: z.url({ protocol: /^https?$/ }),
  pid: z.int().positive(),
});
export type ServerFile = z.infer<typeof ServerFileSchema>;

/** The URL a client on this machine uses: a wildcard bind is reached on loopback. */
export function localUrl(scheme: 'http' | 'https', host: string, port: number): string {
  const h = isWildcardHost(host) ? (host.includes(':') ? '::1' : '127.0.0.1') : host;
  return `${scheme}://${hostForUrl(h)}:${port}`;
}

export async function writeServerFile(dataDir: string, info: ServerFile): Promise<void> {
  await writeFileAtomic(join(dataDir, SERVER_FILE), JSON.stringify(info) + '\n', 0o600);
}

/** Removes server.json if it is still ours (another serve may have taken the data dir over). */
export async function removeServerFile(dataDir: string, pid: number = process.pid): Promise<void> {
  const file = join(dataDir, SERVER_FILE);
  const current = await readServerFileRaw(file);
  if (current && current.pid !== pid) return;
  await fsp.rm(file, { force: true });
}

/** The same, for a process about to exit at once (second signal, shutdown deadline). */
export function removeServerFileSync(dataDir: string, pid: number = process.pid): void {
  const file = join(dataDir, SERVER_FILE);
  try {
    const r = ServerFileSchema.safeParse(JSON.parse(readFileSync(file, 'utf8')));
    if (r.success && r.data.pid !== pid) return;
    rmSync(file, { force: true });
  } catch {
    /* gone already, or not ours to judge */
  }
}

/** Portable: on Windows Node answers kill(pid, 0) by opening the process (no signal is sent). */
function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: it exists but belongs to someone else; still alive.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function readServerFileRaw(file: string): Promise<ServerFile | undefined> {
  let text: string;
  try {
    text = await fsp.readFile(file, 'utf8');
  } catch {
    return undefined;
  }
  try {
    const r = ServerFileSchema.safeParse(JSON.parse(text));
    return r.success ? r.data : undefined;
  } catch {
    return undefined;
  }
}

/** The running server's entry in this data dir, or undefined (none, malformed, or its process is gone). */
export async function readLiveServerFile(dataDir: string): Promise<ServerFile | undefined> {
  const info = await readServerFileRaw(join(dataDir, SERVER_FILE));
  return info && pidAlive(info.pid) ? info : undefined;
}
