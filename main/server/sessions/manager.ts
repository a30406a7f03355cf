// The registry of sessions: validates and launches them, lists and renames them, ends them, and
// reports session.* events. It is what the http and ws layers (and Server) hold.
import { PortholeError } from '../../../common/errors.js';
import { DEFAULT_RECORDING_CAP_BYTES, DEFAULT_SCROLLBACK_LINES, KILL_GRACE_MS } from '../../../common/flow.js';
import type { CreateSessionBody, ServerEvent, Session } from '../../../common/protocol.js';
import { newId } from '../ids.js';
import type { Logger } from '../log.js';
import type { PtyPort } from '../pty/port.js';
import { processDefaultShell } from '../platform/shell.js';
import { childEnv, cwdPath, deriveName, resolveCommand, resolveCwd } from './launch.js';
import { ScreenHost } from './screen-host.js';
import { PtySession } from './session.js';
import type { SessionHandle } from './types.js';

export interface SessionManagerOptions {
  /** Where `<id>.cast` recordings go. Either this or `dataDir` (anything with a recordingsDir). */
  recordingsDir?: string;
  dataDir?: { readonly recordingsDir: string };
  scrollback?: number; // default DEFAULT_SCROLLBACK_LINES
  recordingCapBytes?: number; // default DEFAULT_RECORDING_CAP_BYTES
  /** The user's choice (config.json `shell`): a program, or argv; default processDefaultShell(). */
  shell?: string | readonly string[];
  logger: Logger;
  /** This runtime's PTY, chosen where the server is assembled (runtime.ts): never imported here. */
  pty: PtyPort;
  /** false = --no-record: no session writes a recording. Default true. */
  record?: boolean;
  /** keepRecordings: removing a session leaves its recording on disk. Default false. */
  keepRecordings?: boolean;
  /** SIGHUP -> SIGKILL grace when ending a group; default KILL_GRACE_MS. */
  killGraceMs?: number;
  /** Bound of exited sessions' whole final screens together; default EXITED_FINAL_MAX_BYTES. */
  exitedFinalMaxBytes?: number;
}

/**
 * The user's login shell, as each OS's terminal opens it (platform/shell.ts: $SHELL or the
 * passwd entry on Linux, `zsh -l` style on macOS, PowerShell or %ComSpec% on Windows).
 * Kept for callers that want just the program.
 */
export function loginShell(): string {
  return processDefaultShell().file;
}

/** The user's choice taken literally (a string is one program, no arguments), else the OS default. */
function shellCommand(choice: string | readonly string[] | undefined): readonly string[] {
  if (typeof choice === 'string' && choice !== '') return [choice];
  if (Array.isArray(choice) && choice.length > 0 && choice[0] !== '') return [...(choice as readonly string[])];
  const d = processDefaultShell();
  return [d.file, ...d.args];
}

/** What the whole-screen finals of exited sessions may hold together (see boundExited). */
export const EXITED_FINAL_MAX_BYTES = 32 * 1024 * 1024;

export class SessionManager {
  private readonly sessions = new Map<string, PtySession>();
  private readonly listeners = new Set<(e: ServerEvent) => void>();
  private readonly recordingsDir: string;
  private readonly scrollback: number;
  private readonly capBytes: number;
  private readonly shell: string;
  /** What a session runs when the request names no command. */
  private readonly defaultCommand: readonly string[];
  private readonly logger: Logger;
  private readonly pty: PtyPort;
  private readonly graceMs: number;
  private readonly screens: ScreenHost;
  private listCache: Session[] | undefined;
  private readonly record: boolean;
  private readonly keepRecordings: boolean;
  private closed = false;
  private readonly exitedFinalMaxBytes: number;

  constructor(opts: SessionManagerOptions) {
    const dir = opts.recordingsDir ?? opts.dataDir?.recordingsDir;
    if (!dir) throw new TypeError('SessionManager: recordingsDir (or dataDir.recordingsDir) is required');
    this.recordingsDir = dir;
    this.scrollback = opts.scrollback ?? DEFAULT_SCROLLBACK_LINES;
    this.capBytes = opts.recordingCapBytes ?? DEFAULT_RECORDING_CAP_BYTES;
    this.defaultCommand = shellCommand(opts.shell);
    this.shell = this.defaultCommand[0];
    this.logger = opts.logger.child({ component: 'sessions' });
    this.pty = opts.pty;
    this.graceMs = opts.killGraceMs ?? KILL_GRACE_MS;
    this.record = opts.record ?? true;
    this.keepRecordings = opts.keepRecordings ?? false;
    this.screens = new ScreenHost(this.logger);
    this.exitedFinalMaxBytes = opts.exitedFinalMaxBytes ?? EXITED_FINAL_MAX_BYTES;
  }

  /** Throws PortholeError cwd_not_found / command_not_found (400) before anything is spawned. */
  async create(body: CreateSessionBody): Promise<Session> {
    if (this.closed) throw new PortholeError('server_stopping');
    const command = body.command && body.command.length > 0 ? [...body.command] : [...this.defaultCommand];
    const env = childEnv(process.env, body.env);
    // The cwd check and the command lookup at once; a bad cwd is reported first, as before.
    // (The lookup only needs the cwd's path, for relative PATH entries and ./commands.)
    const [cwdCheck, fileCheck] = await Promise.allSettled([resolveCwd(body.cwd), resolveCommand(command[0], env, cwdPath(body.cwd))]);
    if (cwdCheck.status === 'rejected') throw cwdCheck.reason;
    if (fileCheck.status === 'rejected') throw fileCheck.reason;
    const cwd = cwdCheck.value;
    const file = fileCheck.value;
    // (The recordings folder is made by the session's Recording, when it records.)
    // closeAll() may have run during the awaits above: it ends only the sessions it saw, and
    // has stopped the screen worker. Spawning now would leave a PTY nobody ends.
    if (this.closed) throw new PortholeError('server_stopping');
    const id = newId();
    const session = new PtySession(
      { id, name: body.name ?? deriveName(command), command, file, cwd, env, cols: body.cols ?? 80, rows: body.rows ?? 24 },
      {
        pty: this.pty,
        screens: this.screens,
        recordingsDir: this.recordingsDir,
        scrollback: this.scrollback,
        recordingCapBytes: this.capBytes,
        record: this.record,
        shell: this.shell,
        logger: this.logger,
        emit: (e) => this.emit(e),
      },
    );
    this.sessions.set(id, session);
    void session.exited.then(() => this.boundExited());
    const info = session.info();
    this.logger.info('session started', { sessionId: id, pid: info.pid, command: command[0] });
    this.emit({ type: 'session.created', session: info });
    return info;
  }

  /**
   * Exited sessions stay listed until deleted (`porthole run` never deletes them), each with its
   * final screen for late joiners. The newest keep it whole (scrollback and colours) while their
   * sum stays within EXITED_FINAL_MAX_BYTES; older ones keep the visible text only (rows x cols).
   * With their resume ring freed on exit, an exited session costs at most its share of that
   * bound plus a screen of text.
   */
  private boundExited(): void {
    let total = 0;
    for (const s of [...this.sessions.values()].reverse()) {
      if (s.running) continue;
      if (total + s.finalBytes > this.exitedFinalMaxBytes) s.compactFinal();
      total += s.finalBytes;
    }
  }

  get(id: string): SessionHandle | undefined {
    return this.sessions.get(id);
  }

  /**
   * Newest first. Kept between session events (every change that a client can see raises one;
   * lastOutputAt at most once a second), so a dashboard polling a busy server costs no rebuild.
   */
  list(): Session[] {
    this.listCache ??= [...this.sessions.values()].reverse().map((s) => s.info());
    return this.listCache;
  }

  rename(id: string, name: string): Session {
    const s = this.must(id);
    s.name = name;
    const info = s.info();
    this.emit({ type: 'session.updated', session: info });
    return info;
  }

  /** Ends the session if running (whole process group), forgets it. */
  async remove(id: string): Promise<void> {
    const s = this.must(id);
    // "End session" says removed: the recording goes too, unless keepRecordings (section 9),
    // deleted while the group ends rather than after it (answered once both are done).
    const discarded = this.keepRecordings
      ? undefined
      : s.discardRecording().catch((err: unknown) => this.logger.warn('could not delete a recording', { sessionId: id, err }));
    await s.end(this.graceMs, { forget: true });
    await discarded;
    s.dispose();
    if (this.sessions.delete(id)) this.emit({ type: 'session.removed', sessionId: id });
  }

  counts(): { running: number; exited: number } {
    let running = 0;
    let exited = 0;
    for (const s of this.sessions.values()) {
      if (s.running) running++;
      else exited++;
    }
    return { running, exited };
  }

  /**
   * Ends every running session's process group (SIGHUP, SIGKILL after the grace period), waits
   * for their exits and recordings, and stops every timer and worker: about the grace period at
   * worst, well inside the contract's 5 s. Sessions stay listed (as exited) until removed.
   */
  async closeAll(): Promise<void> {
    this.closed = true;
    const all = [...this.sessions.values()];
    await Promise.all(all.map((s) => s.end(this.graceMs).catch((err) => this.logger.error('ending a session failed', { err }))));
    for (const s of all) s.dispose();
    await this.screens.dispose();
  }

  /** The screen worker's share of a settle (memory-settle.ts): a full GC there too. */
  collectGarbage(): void {
    this.screens.collectGarbage();
  }

  onEvent(listener: (e: ServerEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private must(id: string): PtySession {
    const s = this.sessions.get(id);
    if (!s) throw new PortholeError('session_not_found');
    return s;
  }

  private emit(e: ServerEvent): void {
    this.listCache = undefined;
    for (const l of [...this.listeners]) {
      try {
        l(e);
      } catch (err) {
        this.logger.error('event listener failed', { err, event: e.type });
      }
    }
  }
}
