// The owner password: only ever a bcrypt hash at rest (config.json), and PORTHOLE_PASSWORD
// is hashed at start and kept in memory only. bcryptjs is pure JS, so no native build, and
// its async API yields to the event loop while hashing.
import bcrypt from 'bcryptjs';
import { BCRYPT_HASH_PATTERN } from '../datadir.js';

/** ~50-100 ms per hash on a laptop: slow for guessing, fine for a login. */
export const BCRYPT_COST = 10;
/** bcrypt ignores everything past 72 bytes; refuse longer passwords rather than silently
 *  accept any string that shares the first 72 bytes. */
export const PASSWORD_MAX_BYTES = 72;

/** Why a candidate password cannot be set, or null if it can. */
export function passwordProblem(password: string): string | null {
  if (password.length === 0) return 'the password is empty';
  if (Buffer.byteLength(password, 'utf8') > PASSWORD_MAX_BYTES) {
    return `the password is longer than ${PASSWORD_MAX_BYTES} bytes (bcrypt would ignore the rest)`;
  }
  return null;
}

export async function hashPassword(password: string, cost: number = BCRYPT_COST): Promise<string> {
  return bcrypt.hash(password, cost);
}

/** bcryptjs compares the hashes in constant time. */
export async function verifyPassword(password: string, hash: string): Promise<boolean> {
  if (!BCRYPT_HASH_PATTERN.test(hash)) return false;
  return bcrypt.compare(password, hash);
}

export function isBcryptHash(text: string): boolean {
  return BCRYPT_HASH_PATTERN.test(text);
}

/** How a check compares: bcrypt-pool.ts runs it off the server's thread. */
export type CompareFn = (password: string, hash: string) => Promise<boolean>;

export interface PasswordCheckOptions {
  /** Default: bcryptjs on this thread (fine for the CLI; the server hands in its pool). */
  compare?: CompareFn;
  /** PORTHOLE_PASSWORD, if set: wins over the stored hash for this run. */
  password?: string;
  /** The stored hash, read on each login so `porthole passwd` takes effect without a
   *  restart (e.g. () => dataDir.readConfig().then((c) => c.passwordHash)). */
  readHash?: () => Promise<string | undefined>;
}

/** Checks login attempts against the one owner password. */
export class PasswordCheck {
  private readonly memoryHash: string | undefined;
  private readonly readHash: () => Promise<string | undefined>;
  private readonly compare: CompareFn;
  /** Compared against when no password is set, so "no password" and "wrong password" take
   *  the same time. */
  private static dummy: Promise<string> | undefined;

  private constructor(memoryHash: string | undefined, readHash: () => Promise<string | undefined>, compare: CompareFn) {
    this.memoryHash = memoryHash;
    this.readHash = readHash;
    this.compare = compare;
  }

  static async create(opts: PasswordCheckOptions = {}): Promise<PasswordCheck> {
    const memoryHash = opts.password !== undefined && opts.password !== '' ? await hashPassword(opts.password) : undefined;
    return new PasswordCheck(memoryHash, opts.readHash ?? (async () => undefined), opts.compare ?? verifyPassword);
  }

  /** Whether password login is possible at all (`/api/auth/config` passwordLogin). */
  async isConfigured(): Promise<boolean> {
    return (await this.currentHash()) !== undefined;
  }

  async verify(password: string): Promise<boolean> {
    const hash = await this.currentHash();
    if (hash === undefined) {
      PasswordCheck.dummy ??= hashPassword('porthole-no-password-set');
      await this.compare(password, await PasswordCheck.dummy);
      return false;
    }
    return BCRYPT_HASH_PATTERN.test(hash) ? this.compare(password, hash) : false;
  }

  private async currentHash(): Promise<string | undefined> {
    if (this.memoryHash !== undefined) return this.memoryHash;
    const stored = await this.readHash();
    return stored !== undefined && isBcryptHash(stored) ? stored : undefined;
  }
}
