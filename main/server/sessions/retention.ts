// recordingRetention (contract section 9): recordings older than the retention are deleted
// at start and then once a day, so a server that runs for months does not fill the disk with
// casts nobody asked to keep. The timer is unref'd and released by dispose(), and a recording
// still being written (its session is known to the server) is never touched.
import { promises as fsp } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from '../log.js';

export const RETENTION_SWEEP_MS = 24 * 60 * 60 * 1000;

/** Deletes `*.cast` files in `dir` whose last write is older than `maxAgeMs`; returns how many. */
export async function pruneRecordings(dir: string, maxAgeMs: number, isLive: (id: string) => boolean, now: number = Date.now()): Promise<number> {
  let names: string[];
  try {
    names = await fsp.readdir(dir);
  } catch {
    return 0; // no recordings yet
  }
  let removed = 0;
  for (const name of names) {
    if (!name.endsWith('.cast') || isLive(name.slice(0, -5))) continue;
    const file = join(dir, name);
    try {
      const st = await fsp.lstat(file);
      if (!st.isFile() || now - st.mtimeMs <= maxAgeMs) continue;
      await fsp.rm(file, { force: true });
      removed++;
    } catch {
      // gone meanwhile, or not ours to read: leave it
    }
  }
  return removed;
}

export class RecordingJanitor {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;

  constructor(
    private readonly opts: { dir: string; maxAgeMs: number; isLive: (id: string) => boolean; logger: Logger; intervalMs?: number },
  ) {}

  /** Prunes now, then every interval. */
  start(): Promise<void> {
    this.timer ??= setInterval(() => void this.sweep(), this.opts.intervalMs ?? RETENTION_SWEEP_MS);
    this.timer.unref();
    return this.sweep();
  }

  sweep(): Promise<void> {
    this.running ??= pruneRecordings(this.opts.dir, this.opts.maxAgeMs, this.opts.isLive)
      .then((n) => {
        if (n > 0) this.opts.logger.info('old recordings deleted', { count: n, retentionSeconds: Math.round(this.opts.maxAgeMs / 1000) });
      })
      .catch((err: unknown) => this.opts.logger.warn('recording retention sweep failed', { err }))
      .finally(() => (this.running = undefined));
    return this.running;
  }

  async dispose(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.running;
  }
}
