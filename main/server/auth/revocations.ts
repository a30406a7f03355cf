// Revoked token ids (logout, revoked shares), kept until the token would have expired anyway.
// Persisted in the data dir so a logout stays a logout after a restart; checked synchronously
// on every request, so the set lives in memory and the file is only its durable copy.
import { promises as fsp } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { UsageError } from '../../../common/errors.js';
import { writeFileAtomic } from '../datadir.js';

export const REVOCATIONS_FILE = 'revocations.json';

const FileSchema = z.strictObject({
  version: z.literal(1),
  // jti -> exp (seconds since the epoch)
  revoked: z.record(z.string().min(1), z.number()),
});

export interface RevocationStoreOptions {
  /** Seconds since the epoch; injectable for tests. */
  now?: () => number;
}

const nowSeconds = () => Math.floor(Date.now() / 1000);

export class RevocationStore {
  private readonly revoked = new Map<string, number>();
  private readonly path: string | null;
  private readonly now: () => number;
  /** Writes are chained so the file always ends up holding the latest set. */
  private writing: Promise<void> = Promise.resolve();

  private constructor(path: string | null, opts: RevocationStoreOptions) {
    this.path = path;
    this.now = opts.now ?? nowSeconds;
  }

  /** A store backed by `<dir>/revocations.json`. A corrupt file is refused rather than
   *  ignored: ignoring it would quietly bring revoked tokens back to life. */
  static async open(dir: string, opts: RevocationStoreOptions = {}): Promise<RevocationStore> {
    const store = new RevocationStore(join(dir, REVOCATIONS_FILE), opts);
    let text: string | null = null;
    try {
      text = await fsp.readFile(store.path!, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') {
        throw new UsageError(`cannot read ${store.path} (${(err as NodeJS.ErrnoException).code}): fix its permissions`);
      }
    }
    if (text !== null) {
      let parsed: z.infer<typeof FileSchema>;
      try {
        parsed = FileSchema.parse(JSON.parse(text));
      } catch {
        throw new UsageError(
          `${store.path} is corrupt: delete it together with the secret file next to it (that signs everyone out)`,
        );
      }
      const now = store.now();
      for (const [jti, exp] of Object.entries(parsed.revoked)) if (exp > now) store.revoked.set(jti, exp);
    }
    return store;
  }

  /** A store that lives only as long as the process (tests, --no-auth). */
  static memory(opts: RevocationStoreOptions = {}): RevocationStore {
    return new RevocationStore(null, opts);
  }

  has(jti: string): boolean {
    const exp = this.revoked.get(jti);
    return exp !== undefined && exp > this.now();
  }

  get size(): number {
    return this.revoked.size;
  }

  /** Revoked in memory at once (before the first await); the returned promise settles
   *  when the file holds it too. */
  add(jti: string, exp: number): Promise<void> {
    if (exp <= this.now()) return Promise.resolve(); // expired already: nothing to remember
    this.revoked.set(jti, exp);
    this.prune();
    return this.persist();
  }

  /** Forget ids whose tokens have expired: they fail verification on their own now. */
  prune(): void {
    const now = this.now();
    for (const [jti, exp] of this.revoked) if (exp <= now) this.revoked.delete(jti);
  }

  /** Settles after every write started so far. */
  flush(): Promise<void> {
    return this.writing;
  }

  private persist(): Promise<void> {
    const path = this.path;
    if (path === null) return Promise.resolve();
    const run = async () => {
      // Serialise the state at write time, so a queued write carries every earlier add.
      const body = JSON.stringify({ version: 1, revoked: Object.fromEntries(this.revoked) });
      await writeFileAtomic(path, body + '\n', 0o600);
    };
    const next = this.writing.then(run, run);
    this.writing = next.catch(() => {});
    return next;
  }
}
