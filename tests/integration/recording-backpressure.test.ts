// Recording writes honour backpressure: when the disk does not keep up (here a FIFO that is
// read only when the test says so), the session pauses its PTY past RECORDING_BACKLOG_MAX_BYTES
// queued for the file and resumes it once the file stream drains, so memory stays bounded.
import { execFileSync } from 'node:child_process';
import { createReadStream } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../main/server/log.js';
import type { PtyPort, PtyProcess } from '../../main/server/pty/port.js';
import { RECORDING_BACKLOG_MAX_BYTES } from '../../main/server/sessions/recording.js';
import { ScreenHost } from '../../main/server/sessions/screen-host.js';
import { PtySession } from '../../main/server/sessions/session.js';
import { makeTempDir, until } from '../helpers/server.js';

/** A PTY the test drives: output on demand, pause/resume recorded. */
function fakePty(): { port: PtyPort; emit(d: Buffer): void; paused: () => boolean; pauses: number } {
  let data: (d: Buffer) => void = () => {};
  const state = { paused: false, pauses: 0 };
  const proc: PtyProcess = {
    pid: 999_999,
    onData: (l) => ((data = l), { dispose() {} }),
    onExit: () => ({ dispose() {} }),
    write() {},
    resize() {},
    kill() {},
    pause: () => ((state.paused = true), state.pauses++),
    resume: () => void (state.paused = false),
  };
  return {
    port: { spawn: () => proc },
    emit: (d) => data(d),
    paused: () => state.paused,
    get pauses() {
      return state.pauses;
    },
  };
}

describe('recording backpressure', () => {
  it('pauses the PTY while the recording cannot be written, resumes once it drains', async () => {
    const dir = await makeTempDir();
    const id = 'AAAAAAAAAAAAAAAAAAAAAA';
    const fifo = join(dir, `${id}.cast`);
    execFileSync('mkfifo', [fifo]);
    const pty = fakePty();
    const screens = new ScreenHost(silentLogger);
    const session = new PtySession(
      { id, name: 't', command: ['x'], file: '/bin/true', cwd: dir, env: {}, cols: 80, rows: 24 },
      { pty: pty.port, screens, recordingsDir: dir, scrollback: 100, recordingCapBytes: 1024 * 1024 * 1024, shell: '/bin/sh', logger: silentLogger, emit() {} },
    );
    // A reader that opens the FIFO (so the writer's open completes) and reads nothing yet.
    const reader = createReadStream(fifo);
    reader.pause();
    const chunk = Buffer.alloc(256 * 1024, 0x61);
    let sent = 0;
    const rec = (session as unknown as { recording: { backlog: number } }).recording;
    let peak = 0;
    while (!pty.paused() && sent < 64 * 1024 * 1024) {
      pty.emit(chunk);
      sent += chunk.length;
      peak = Math.max(peak, rec.backlog);
      await new Promise((r) => setImmediate(r));
    }
    expect(pty.paused()).toBe(true);
    expect(rec.backlog).toBeGreaterThan(RECORDING_BACKLOG_MAX_BYTES); // paused for the disk, not the parser
    // Bounded: the threshold plus what one output batch adds as JSON (escapes at most double it).
    expect(peak).toBeLessThan(RECORDING_BACKLOG_MAX_BYTES + 4 * chunk.length);
    expect(sent).toBeLessThan(64 * 1024 * 1024);
    // The disk catches up: the PTY resumes.
    reader.resume();
    reader.on('data', () => {});
    await until(() => !pty.paused(), 20_000, 'the PTY to resume');
    session.dispose();
    reader.destroy();
    await screens.dispose();
  }, 60_000);
});
