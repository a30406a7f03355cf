// The data dir: the one place Porthole keeps state on disk (secret, config.json, revoked
// token ids, recordings/). Every write goes through writeFileAtomic, so a crash or a
// `kill -9` mid-write leaves either the old file or the new one, never half of one.
import { randomBytes } from 'node:crypto';
import { constants as FS, promises as fsp } from 'node:fs';
import { homedir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { z } from 'zod';
import { UsageError } from '../../common/errors.js';
import { dataDirFor, secretProtection } from './platform/dirs.js';
import type { Platform } from './platform/env.js';
import { isInside } from './platform/paths.js';
import { renameWithRetry } from './platform/rename.js';

export const SECRET_BYTES = 32;
export const CONFIG_FILE = 'config.json';
export const SECRET_FILE = 'secret';
export const RECORDINGS_DIR = 'recordings';
/** Temp files older than this at open are leftovers of a killed writer and are removed. */
const STALE_TEMP_MS = 60_000;
const TEMP_PATTERN = /^\..+\.[0-9a-f]{12}\.tmp$/;

/** A bcrypt hash as bcryptjs writes it: $2a$/$2b$/$2y$, cost, 53 chars of salt + hash. */
export const BCRYPT_HASH_PATTERN = /^\$2[aby]\$\d{2}\$[./A-Za-z0-9]{53}$/;

const originField = z.url({ protocol: /^https?$/ });

/** config.json: strict, so a typo in a field name is an error, not a silent default. The
 *  names are those of ServerOptions where they overlap. */
export const PortholeConfigSchema = z.strictObject({
  passwordHash: z.string().regex(BCRYPT_HASH_PATTERN, 'must be a bcrypt hash (set it with `porthole passwd`)').optional(),
  port: z.int().min(0).max(65535).optional(),
  host: z.string().min(1).max(255).optional(),
  publicUrl: originField.optional(),
  allowOrigins: z.array(originField).max(64).optional(),
  allowHosts: z.array(z.string().min(1).max(253)).max(64).optional(),
  // Caps (contract section 9); defaults in common/flow.ts DEFAULT_LIMITS.
  maxSessions: z.int().min(1).max(100_000).optional(),
  maxSharesPerSession: z.int().min(1).max(1_000_000).optional(),
  maxEventStreams: z.int().min(1).max(100_000).optional(),
  maxSockets: z.int().min(1).max(1_000_000).optional(),
  scrollback: z.int().min(0).max(1_000_000).optional(),
  recordingCapBytes: z.int().min(0).optional(),
  /** A program (run with no arguments) or an argv, e.g. ["/bin/zsh", "-l"] or ["pwsh.exe", "-NoLogo"]. */
  shell: z.union([z.string().min(1).max(4096), z.array(z.string().min(1).max(4096)).min(1).max(64)]).optional(),
  /** false: like --no-record. */
  record: z.boolean().optional(),
  /** Removing a session leaves its recording on disk. */
  keepRecordings: z.boolean().optional(),
  /** Recordings older than this DURATION (90s, 30m, 2h, 7d) are deleted at start and daily. */
  recordingRetention: z.string().regex(/^\d{1,9}[smhd]$/, 'must be a duration like 7d, 12h or 30m').optional(),
  /** Like --trust-proxy: a hop count, or addresses / CIDR ranges separated by commas. */
  trustProxy: z.union([z.int().min(0).max(32), z.string().min(1).max(4096)]).optional(),
});
export type PortholeConfig = z.infer<typeof PortholeConfigSchema>;

/** The headless default: XDG on Linux and macOS, %APPDATA%\porthole on Windows (platform/dirs.ts). */
export function defaultDataDir(env: NodeJS.ProcessEnv = process.env, platform: Platform = process.platform): string {
  return dataDirFor(platform, env, homedir());
}

/** The data dir a command uses: --data-dir, else PORTHOLE_DATA_DIR, else the default. */
export function dataDirFrom(flag: string | undefined, env: NodeJS.ProcessEnv): string {
  const dir = flag ?? (env.PORTHOLE_DATA_DIR || undefined) ?? defaultDataDir(env);
  if (dir === '') throw new UsageError('--data-dir is empty: pass a directory');
  return resolve(dir);
}

/** One line naming the problem with a path, for UsageError messages. */
function fsProblem(err: unknown): string {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  switch (code) {
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'ENOTDIR':
      return 'a path component is not a directory';
    case 'EROFS':
      return 'read-only file system';
    case 'ENOSPC':
      return 'no space left on device';
    case 'EEXIST':
      return 'exists and is not a directory';
    default:
      return code ?? (err instanceof Error ? err.message : String(err));
  }
}

function dataDirError(dir: string, err: unknown): UsageError {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  const fix = code === 'EEXIST' || code === 'ENOTDIR' ? 'pass --data-dir DIR naming a directory' : 'fix its permissions or pass --data-dir DIR';
  return new UsageError(`data dir ${dir} is not usable (${fsProblem(err)}): ${fix}`);
}

/**
 * Write a file so that readers (and a crash) see either the old or the new content:
 * temp file in the same directory (same file system, so rename is atomic), fsync, rename,
 * then fsync the directory so the rename itself survives a power cut.
 */
export async function writeFileAtomic(path: string, data: string | Uint8Array, mode = 0o600): Promise<void> {
  const dir = dirname(path);
  const tmp = join(dir, `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
  const fh = await fsp.open(tmp, 'wx', mode);
  try {
    await fh.writeFile(data);
    // open() applies the umask; chmod makes the mode exact (0600 means 0600). On Windows modes
    // only set the read-only attribute (0600 leaves it off); the ACL protects it (platform/dirs.ts).
    await fh.chmod(mode);
    await fh.sync();
  } catch (err) {
    await fh.close().catch(() => {});
    await fsp.rm(tmp, { force: true });
    throw err;
  }
  await fh.close();
  try {
    await renameWithRetry(process.platform, fsp.rename, tmp, path); // Windows: a scanner may hold the target a moment
  } catch (err) {
    await fsp.rm(tmp, { force: true });
    throw err;
  }
  await syncDir(dir);
}

async function syncDir(dir: string): Promise<void> {
  // Best effort: some file systems refuse fsync on a directory, and Windows cannot open one
  // this way at all (EISDIR; NTFS journals the rename itself); the data is safe anyway.
  try {
    const dh = await fsp.open(dir, 'r');
    try {
      await dh.sync();
    } finally {
      await dh.close();
    }
  } catch {
    /* ignore */
  }
}

/** Parse and validate config text; errors name the file and the field. */
export function parseConfig(text: string, file: string): PortholeConfig {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new UsageError(`${file} is not valid JSON (${(err as Error).message}): fix or delete it`);
  }
  const parsed = PortholeConfigSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue.path.length > 0 ? issue.path.join('.') : '(top level)';
    throw new UsageError(`${file}: ${where}: ${issue.message}`);
  }
  return parsed.data;
}

export class DataDir {
  readonly dir: string;
  readonly recordingsDir: string;
  readonly secret: Buffer;
  readonly configPath: string;

  private constructor(dir: string, secret: Buffer) {
    this.dir = dir;
    this.recordingsDir = join(dir, RECORDINGS_DIR);
    this.configPath = join(dir, CONFIG_FILE);
    this.secret = secret;
  }

  /** Create (0700) or open the dir, its recordings/ and its secret (0600). Any file-system
   *  problem is a UsageError that says what to change. */
  static async open(dirPath: string): Promise<DataDir> {
    const dir = resolve(dirPath);
    try {
      await fsp.mkdir(dir, { recursive: true, mode: 0o700 });
      const st = await fsp.stat(dir);
      if (!st.isDirectory()) throw Object.assign(new Error('not a directory'), { code: 'ENOTDIR' });
      await fsp.access(dir, FS.R_OK | FS.W_OK | FS.X_OK);
      await fsp.mkdir(join(dir, RECORDINGS_DIR), { recursive: true, mode: 0o700 });
      await removeStaleTemps(dir);
    } catch (err) {
      throw dataDirError(dir, err);
    }
    const secret = await loadOrCreateSecret(dir);
    return new DataDir(dir, secret);
  }

  /** config.json, validated; a missing file is an empty config. */
  async readConfig(): Promise<PortholeConfig> {
    let text: string;
    try {
      text = await fsp.readFile(this.configPath, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return {};
      throw new UsageError(`cannot read ${this.configPath} (${fsProblem(err)}): fix its permissions`);
    }
    return parseConfig(text, this.configPath);
  }

  /** Validate, then replace config.json atomically (0600: it holds the password hash). */
  async writeConfig(config: PortholeConfig): Promise<void> {
    const valid = PortholeConfigSchema.parse(config);
    await this.writeAtomic(CONFIG_FILE, JSON.stringify(valid, null, 2) + '\n', 0o600);
  }

  /** Read-modify-write of config.json (for `porthole passwd`). */
  async updateConfig(change: (c: PortholeConfig) => PortholeConfig): Promise<PortholeConfig> {
    const next = change(await this.readConfig());
    await this.writeConfig(next);
    return next;
  }

  /** Atomic write of a file directly inside the data dir (or a subdir like recordings/). */
  async writeAtomic(name: string, data: string | Uint8Array, mode = 0o600): Promise<void> {
    const target = resolve(this.dir, name);
    if (target === this.dir || !isInside(process.platform, this.dir, target)) throw new Error(`writeAtomic: ${name} is outside the data dir`);
    try {
      await writeFileAtomic(target, data, mode);
    } catch (err) {
      throw new UsageError(`cannot write ${target} (${fsProblem(err)}): fix the data dir's permissions or pass --data-dir DIR`);
    }
  }
}

async function removeStaleTemps(dir: string): Promise<void> {
  const now = Date.now();
  for (const name of await fsp.readdir(dir)) {
    if (!TEMP_PATTERN.test(name)) continue;
    const p = join(dir, name);
    const st = await fsp.stat(p).catch(() => null);
    if (st && now - st.mtimeMs > STALE_TEMP_MS) await fsp.rm(p, { force: true });
  }
}

/** The secret is created once; two processes starting together must agree on one, so the
 *  new file is linked into place (link fails if another process got there first). */
async function loadOrCreateSecret(dir: string): Promise<Buffer> {
  const path = join(dir, SECRET_FILE);
  const existing = await readSecret(path);
  if (existing) return existing;
  const tmp = join(dir, `.${SECRET_FILE}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    const fh = await fsp.open(tmp, 'wx', 0o600);
    try {
      await fh.writeFile(randomBytes(SECRET_BYTES));
      await fh.chmod(0o600);
      await fh.sync();
    } finally {
      await fh.close();
    }
    try {
      await fsp.link(tmp, path);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    await syncDir(dir);
  } catch (err) {
    throw dataDirError(dir, err);
  } finally {
    await fsp.rm(tmp, { force: true });
  }
  const created = await readSecret(path);
  if (!created) throw new UsageError(`cannot create ${path}: check the data dir or pass --data-dir DIR`);
  return created;
}

async function readSecret(path: string): Promise<Buffer | null> {
  let buf: Buffer;
  try {
    const st = await fsp.stat(path);
    // A secret others can read is no secret: tighten it rather than trust it silently. On
    // Windows the mode bits are made up (the ACL protects it): nothing to check there.
    if (secretProtection(process.platform) === 'mode' && (st.mode & 0o077) !== 0) await fsp.chmod(path, 0o600);
    buf = await fsp.readFile(path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new UsageError(`cannot read ${path} (${fsProblem(err)}): fix its permissions or pass --data-dir DIR`);
  }
  if (buf.length !== SECRET_BYTES) {
    throw new UsageError(`${path} is not a ${SECRET_BYTES}-byte secret: delete it (every issued token then stops working)`);
  }
  return buf;
}
