// One running (or exited) terminal session: the PTY, its output batching and broadcast, the
// off-thread screen, the recording, and the orderly end (drain, final screen, exit to viewers).
import path from 'node:path';
import { OUTPUT_BATCH_MAX_BYTES, OUTPUT_BATCH_MS, KILL_GRACE_MS } from '../../../common/flow.js';
import type { ServerEvent, Session } from '../../../common/protocol.js';
import type { Logger } from '../log.js';
import { endSessionTreeOf, sessionTreeGone, type GroupEnding } from '../pty/process-group.js';
import type { PtyExit, PtyPort, PtyProcess } from '../pty/port.js';
import { OutputPacer } from './output-pacer.js';
import { OutputRing } from './output-ring.js';
import { Recording, RECORDING_BACKLOG_MAX_BYTES, RECORDING_BACKLOG_RESUME_BYTES } from './recording.js';
import type { ScreenHost } from './screen-host.js';
import { Screen, SCREEN_BACKLOG_MAX_BYTES, SCREEN_BACKLOG_RESUME_BYTES, type Redraw, type ScreenText } from './screen.js';
import type { SessionHandle, ViewerHandle, ViewerSink } from './types.js';
import { ViewerSet, type AttachOptions } from './viewer.js';

/** session.updated for lastOutputAt goes out at most this often (never per output chunk). */
export const OUTPUT_EVENT_THROTTLE_MS = 1000;
/** How long end() waits for the exit to be finalized after the group is gone or SIGKILLed. */
const EXIT_WAIT_MS = 2000;
const EMPTY = Buffer.alloc(0);

export interface SessionSpec {
  id: string;
  name: string;
  command: string[]; // as the caller gave it
  file: string; // resolved executable
  cwd: string;
  env: Record<string, string>;
  cols: number;
  rows: number;
}

export interface SessionDeps {
  pty: PtyPort;
  /** The worker that hosts every session's screen. */
  screens: ScreenHost;
  recordingsDir: string;
  scrollback: number;
  recordingCapBytes: number;
  /** false = --no-record: the session writes no recording. */
  record?: boolean;
  shell: string;
  logger: Logger;
  emit(e: ServerEvent): void;
}

export class PtySession implements SessionHandle {
  readonly id: string;
  name: string;
  private readonly command: string[];
  private readonly cwd: string;
  private readonly pid: number;
  private readonly createdAt = new Date();
  private cols: number;
  private rows: number;
  private lastOutputAt: number | null = null;
  private lastOutputEventAt = 0;
  private status: 'running' | 'exited' = 'running';
  private exitCode: number | null = null;
  private title: string | undefined;

  private readonly proc: PtyProcess;
  /**
   * Opened on the first output or the first read (redraw, snapshot, preview, final screen): a
   * session removed before printing never costs the worker a terminal (~6 ms of its CPU per
   * create + delete: benchmarks/results/perf-lifecycle.md). Exact: an empty xterm resized N
   * times serializes like a fresh one at the final size. `noScreen`: no worker could start.
   */
  private screen: Screen | undefined;
  private noScreen = false;
  private readonly recording: Recording;
  private readonly viewers: ViewerSet;
  private readonly log: Logger;
  /** The last RESUME_KEEP_BYTES of output, for clients that resume after a drop. */
  private readonly ring = new OutputRing();
  /** Output offset of the last resize: bytes before it cannot be replayed at the new size. */
  private resizedAt = 0;

  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private batchTimer: NodeJS.Timeout | undefined;
  private paused = false;
  /** Light output goes at once, heavy output (or a viewer behind) in OUTPUT_BATCH_MS batches. */
  private readonly pacer = new OutputPacer();

  private exiting = false;
  private final: ScreenText | undefined;
  private finalWaiters: Array<(r: Redraw) => void> = [];
  private ending: GroupEnding | undefined;
  /** end({ forget: true }): the session is being removed, so nobody will see a final screen. */
  private forgetting = false;
  private resolveExited!: () => void;
  /** Resolves once the session has exited and its recording is closed. */
  readonly exited: Promise<void> = new Promise((r) => (this.resolveExited = r));

  constructor(spec: SessionSpec, private readonly deps: SessionDeps) {
    this.id = spec.id;
    this.name = spec.name;
    this.command = spec.command;
    this.cwd = spec.cwd;
    this.cols = spec.cols;
    this.rows = spec.rows;
    this.log = deps.logger.child({ sessionId: spec.id });
    this.recording = new Recording({
      file: path.join(deps.recordingsDir, `${spec.id}.cast`),
      cols: spec.cols,
      rows: spec.rows,
      capBytes: deps.recordingCapBytes,
      term: spec.env.TERM ?? 'xterm-256color',
      shell: deps.shell,
      logger: this.log,
      disabled: deps.record === false,
      onBacklogLow: () => this.maybeResume(),
    });
    this.viewers = new ViewerSet({
      redraw: (done, visible) => this.redraw(done, visible),
      dims: () => ({ cols: this.cols, rows: this.rows }),
      title: () => this.title,
      ended: () => (this.status === 'exited' ? { exitCode: this.exitCode } : undefined),
      onCountChange: () => this.emitUpdated(),
      offset: () => this.ring.end,
      since: (offset) => (offset < this.resizedAt ? null : this.ring.since(offset)),
    });
    try {
      this.proc = deps.pty.spawn(spec.file, spec.command.slice(1), {
        cwd: spec.cwd,
        env: spec.env,
        cols: spec.cols,
        rows: spec.rows,
      });
    } catch (err) {
      void this.recording.close();
      throw err;
    }
    this.pid = this.proc.pid;
    this.proc.onData((d) => this.onData(d));
    this.proc.onExit((e) => void this.onExit(e));
  }

  /** Cheaper than info().status: /health counts every session on each request. */
  get running(): boolean {
    return this.status === 'running';
  }

  info(): Session {
    return {
      id: this.id,
      name: this.name,
      command: [...this.command],
      cwd: this.cwd,
      pid: this.pid,
      status: this.status,
      exitCode: this.exitCode,
      cols: this.cols,
      rows: this.rows,
      createdAt: this.createdAt.toISOString(),
      lastOutputAt: this.lastOutputAt === null ? null : new Date(this.lastOutputAt).toISOString(),
      viewers: this.viewers.size,
    };
  }

  attach(sink: ViewerSink, opts?: AttachOptions): ViewerHandle {
    return this.viewers.attach(sink, opts);
  }

  write(data: string | Uint8Array): void {
    if (this.status !== 'running' || this.exiting) return;
    this.proc.write(data); // input goes to the PTY only: never to the recording or a log
  }

  inputBacklog(): number {
    return this.status === 'running' ? (this.proc.inputBacklog ?? 0) : 0;
  }

  resize(cols: number, rows: number): void {
    if (this.status !== 'running' || this.exiting) return;
    if (cols === this.cols && rows === this.rows) return;
    this.flush(); // output produced at the old size reaches screen and viewers first
    this.resizedAt = this.ring.end;
    this.cols = cols;
    this.rows = rows;
    this.proc.resize(cols, rows);
    this.screen?.resize(cols, rows); // an unopened screen opens at the new size
    this.recording.resize(cols, rows);
    this.viewers.broadcastText({ type: 'resize', cols, rows });
    this.emitUpdated();
  }

  async snapshot(): Promise<string> {
    if (this.final) return this.final.text;
    if (this.exiting) {
      await this.exited;
      return (this.final as ScreenText | undefined)?.text ?? '';
    }
    this.flush();
    return (await this.screenText()).text;
  }

  /** The visible rows with their styles, for a share link's first paint; undefined once the
   *  session has ended (the page then explains that instead). */
  async previewJson(): Promise<string | undefined> {
    if (this.final || this.exiting) return undefined;
    this.flush();
    return this.openedScreen()?.previewJson();
  }

  recordingPath(): string {
    return this.recording.file;
  }

  /** Stops the recording and deletes its file (a session being removed; Recording.discard). */
  discardRecording(): Promise<void> {
    return this.recording.discard();
  }

  flushRecording(): Promise<void> {
    this.flush();
    return this.recording.flushed();
  }

  /**
   * Ends the process tree (POSIX: the group, SIGHUP, SIGKILL after KILL_GRACE_MS; Windows:
   * taskkill /T /F and the ConPTY close) and resolves once the session
   * has exited and its recording is closed; bounded even if the child will not die.
   * `forget`: the session is about to be removed, so its final screen is not built (the
   * worker's serialization of screen and scrollback, a round trip the DELETE would wait for).
   */
  async end(graceMs: number = KILL_GRACE_MS, opts: { forget?: boolean } = {}): Promise<void> {
    if (opts.forget) this.forgetting = true;
    if (this.status === 'exited') return this.exited;
    // The whole tree, as this OS allows (platform/session-tree.ts); on Windows through the PTY's kill().
    this.ending ??= endSessionTreeOf(this.pid, () => this.proc.kill(), graceMs);
    await this.ending.done;
    let timer: NodeJS.Timeout | undefined;
    const timedOut = await Promise.race([
      this.exited.then(() => false),
      new Promise<boolean>((r) => (timer = setTimeout(() => r(true), EXIT_WAIT_MS))),
    ]);
    clearTimeout(timer);
    if (timedOut) {
      this.log.warn('session did not report its exit after SIGKILL; closing it anyway', { pid: this.pid });
      await this.finalize(null);
    }
  }

  private onData(d: Buffer): void {
    if (this.status === 'exited') return;
    const now = Date.now();
    this.lastOutputAt = now;
    this.pending.push(d);
    this.pendingBytes += d.length;
    // Light output (echoed keys, even back to back) goes out at once; heavy output, or any while
    // a viewer is behind, is coalesced for OUTPUT_BATCH_MS, so a flood travels in large frames.
    if (this.pendingBytes >= OUTPUT_BATCH_MAX_BYTES) this.flush();
    else if (!this.batchTimer) {
      if (!this.viewers.behind() && this.pacer.sendNow(now, this.pendingBytes)) this.flush();
      else this.batchTimer = setTimeout(() => this.flushBatch(), OUTPUT_BATCH_MS);
    }
    if (now - this.lastOutputEventAt >= OUTPUT_EVENT_THROTTLE_MS) {
      this.lastOutputEventAt = now;
      this.emitUpdated();
    }
  }

  /** Coalesced output goes out as one Buffer shared by every viewer, then to screen and recording. */
  private flush(): void {
    if (this.batchTimer) clearTimeout(this.batchTimer);
    this.batchTimer = undefined;
    if (this.pendingBytes === 0) return;
    const batch = this.pending.length === 1 ? this.pending[0] : Buffer.concat(this.pending, this.pendingBytes);
    this.pending = [];
    this.pendingBytes = 0;
    const start = Date.now();
    const viewers = this.viewers.size;
    this.viewers.broadcast(batch); // first: viewers never wait for the parser or the disk
    const screen = this.openedScreen(); // before the ring takes the batch: an opening screen replays the ring
    this.ring.append(batch);
    screen?.write(batch);
    this.recording.output(batch);
    this.pacer.sent(Date.now() - start, viewers);
    // Neither the parser nor the disk may fall behind without bound: past either backlog the
    // PTY is paused, and resumed once both are low (maybeResume).
    if (!this.paused && ((this.screen?.backlog ?? 0) > SCREEN_BACKLOG_MAX_BYTES || this.recording.backlog > RECORDING_BACKLOG_MAX_BYTES)) {
      this.paused = true;
      this.proc.pause();
    }
  }

  /** Bytes the final screen holds (its serialized state with scrollback), 0 while running. */
  get finalBytes(): number {
    return this.final?.data.length ?? 0;
  }

  /**
   * Keeps only the final visible screen (no scrollback, no colours): what late joiners then
   * get. SessionManager calls it for the oldest exited sessions past EXITED_FINAL_MAX_BYTES.
   */
  compactFinal(): void {
    const f = this.final;
    if (!f) return;
    const data = Buffer.from(f.text.split('\n').join('\r\n'), 'utf8');
    if (data.length < f.data.length) this.final = { ...f, data };
  }

  /** Resumes a paused PTY once the screen's and the recording's backlogs are both low. */
  private maybeResume(): void {
    if (!this.paused) return;
    if ((this.screen?.backlog ?? 0) >= SCREEN_BACKLOG_RESUME_BYTES || this.recording.backlog > RECORDING_BACKLOG_RESUME_BYTES) return;
    this.paused = false;
    this.proc.resume();
  }

  /** The batch window ran out: tells the pacer how heavy the batch was, then sends it. */
  private flushBatch(): void {
    this.pacer.batchSent(Date.now(), this.pendingBytes, this.pending.length);
    this.flush();
  }

  /**
   * The screen, opened now if it is not yet (or was lost with its worker), fed the output the
   * session still holds (none before the first output); undefined if no worker can start (the
   * host bounds restarts): redraws then fall back to live output only, as after a lost worker.
   */
  private openedScreen(): Screen | undefined {
    if (this.screen || this.noScreen || this.status === 'exited') return this.screen;
    try {
      this.screen = this.openScreen(this.cols, this.rows);
    } catch (err) {
      this.noScreen = true; // not retried on every batch: the session stays on live output
      this.log.error('screen worker not available: redraws fall back to live output only', { error: err instanceof Error ? err : String(err) });
      return undefined;
    }
    const held = this.ring.since(this.ring.start);
    if (held && held.length > 0) this.screen.write(held, { mute: true });
    return this.screen;
  }

  /** The visible screen once parsed; what an empty one says if no worker can start. */
  private screenText(): Promise<ScreenText> {
    const screen = this.openedScreen();
    return screen ? screen.text() : Promise.resolve({ text: '', data: EMPTY, cols: this.cols, rows: this.rows });
  }

  private openScreen(cols: number, rows: number): Screen {
    return new Screen({
      host: this.deps.screens,
      cols,
      rows,
      scrollback: this.deps.scrollback,
      onTitle: (title) => {
        this.title = title;
        this.viewers.broadcastText({ type: 'title', title });
      },
      // The one answer to a terminal query (common/terminal-queries.ts): straight to the PTY.
      onReply: (data) => this.write(data),
      onBacklogLow: () => this.maybeResume(),
      onLost: () => this.rebuildScreen(),
    });
  }

  /**
   * The screen worker died (a crash, not a stop): a fresh worker gets a new screen for this
   * session, fed the output the session still holds (its last RESUME_KEEP_BYTES, the resume
   * ring), parsed with query answers muted (the program had its answers). Exact when the ring
   * holds all output since the start and the size never changed (ring.start === 0, no resize);
   * otherwise the screen is what the last 1 MiB of output draws at the current size, and the
   * scrollback before it is gone. The host bounds restarts (ScreenHost), so a worker that keeps
   * dying leaves the session on live output only.
   */
  private rebuildScreen(): void {
    if (this.status === 'exited' || this.exiting) return; // the lost screen answers empty from now on
    this.screen = undefined;
    if (!this.openedScreen()) return; // which replayed the ring: the count alone is logged
    this.log.warn('screen worker lost; screen rebuilt from the output held', { bytes: this.ring.held, exact: this.ring.start === 0 && this.resizedAt === 0 });
  }

  /** `visible`: a late join, which may get the visible rows before the scrollback (Screen.redraw);
   *  an ended session's final state is already serialized and goes in one piece. */
  private redraw(done: (r: Redraw) => void, visible?: (r: Redraw) => void): void {
    const f = this.final;
    if (f) setImmediate(() => done({ cols: f.cols, rows: f.rows, data: f.data, tail: [] }));
    else if (this.exiting) this.finalWaiters.push(done);
    else {
      const screen = this.openedScreen();
      if (screen) screen.redraw(done, visible);
      else setImmediate(() => done({ cols: this.cols, rows: this.rows, data: EMPTY, tail: [] }));
    }
  }

  private async onExit(e: PtyExit): Promise<void> {
    // The leader is reaped; if the rest of its tree went with it, end() need not poll for that.
    if (this.ending && sessionTreeGone(this.pid)) this.ending.cancel();
    if (this.exiting) return;
    this.exiting = true;
    // The PtyPort has delivered every byte before reporting the exit (port.ts), so no waiting here.
    // A signal death is reported like a shell does: 128 + the signal number.
    await this.finalize(e.signal ? 128 + e.signal : e.exitCode);
  }

  private finalizing: Promise<void> | undefined;

  private finalize(exitCode: number | null): Promise<void> {
    this.finalizing ??= (async () => {
      this.exiting = true;
      this.flush();
      // Everything parsed: the last screen, kept for late joiners (none for a session being removed).
      this.final = this.forgetting ? { text: '', data: EMPTY, cols: this.cols, rows: this.rows } : await this.screenText();
      this.ring.release(); // no one resumes an exited session: its 1 MiB goes back
      this.screen?.dispose();
      this.status = 'exited';
      this.exitCode = exitCode;
      if (this.paused) this.proc.resume();
      const waiters = this.finalWaiters;
      this.finalWaiters = [];
      for (const done of waiters) this.redraw(done);
      this.viewers.end();
      this.deps.emit({ type: 'session.exited', session: this.info() });
      await this.recording.close();
      this.resolveExited();
    })();
    return this.finalizing;
  }

  /** Stops every timer and the worker; for closeAll after end(). */
  dispose(): void {
    if (this.batchTimer) clearTimeout(this.batchTimer);
    this.batchTimer = undefined;
    this.viewers.dispose();
    this.screen?.dispose();
  }

  private emitUpdated(): void {
    this.deps.emit({ type: 'session.updated', session: this.info() });
  }
}
