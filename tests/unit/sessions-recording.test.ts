// Recording (sessions/recording.ts) byte by byte: a UTF-8 character cut at an exact batch edge,
// the cap hit on an exact event, and close() semantics. A PTY cannot be made to split output
// at a chosen byte, so these are checked here rather than in the integration tests.
import { existsSync, readFileSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../main/server/log.js';
import {
  RECORDING_CAP_MARKER,
  RECORDING_HOLD_MAX_BATCHES,
  RECORDING_HOLD_MAX_BYTES,
  RECORDING_HOLD_MAX_MS,
  RECORDING_HOLD_QUIET_MS,
  Recording,
} from '../../main/server/sessions/recording.js';
import { makeTempDir, sleep, until } from '../helpers/server.js';

async function open(capBytes = 1 << 20): Promise<Recording> {
  const dir = await makeTempDir();
  return new Recording({ file: join(dir, 'nested', 'r.cast'), cols: 80, rows: 24, capBytes, term: 'xterm-256color', shell: '/bin/sh', logger: silentLogger });
}

async function lines(rec: Recording): Promise<unknown[]> {
  await rec.close();
  return (await readFile(rec.file, 'utf8')).trimEnd().split('\n').map((l) => JSON.parse(l) as unknown);
}

describe('Recording', () => {
  it('writes a v2 header and carries a character split across batches into the next event', async () => {
    const rec = await open();
    const kanji = Buffer.from('漢', 'utf8'); // 3 bytes
    rec.output(Buffer.concat([Buffer.from('a'), kanji.subarray(0, 1)]));
    rec.output(kanji.subarray(1, 2)); // still incomplete: no event at all
    rec.output(Buffer.concat([kanji.subarray(2), Buffer.from('b')]));
    rec.resize(100, 30);
    const [header, ...events] = await lines(rec);
    expect(header).toMatchObject({ version: 2, width: 80, height: 24, env: { TERM: 'xterm-256color', SHELL: '/bin/sh' } });
    expect(events).toEqual([
      [expect.any(Number), 'o', 'a'],
      [expect.any(Number), 'o', '漢b'],
      [expect.any(Number), 'r', '100x30'],
    ]);
    expect((await stat(rec.file)).mode & 0o777).toBe(0o600);
  });

  it('stops at the cap with exactly one marker and records nothing after it', async () => {
    const probe = await open();
    await probe.close();
    const headerLen = (await stat(probe.file)).size; // a recording with nothing but its header
    // Room for the header and two events whatever their timestamps (0 .. 0.999999 s), never three.
    const longest = Buffer.byteLength(JSON.stringify([0.123456, 'o', 'xxxxxxxxxx']) + '\n');
    const shortest = Buffer.byteLength(JSON.stringify([0, 'o', 'xxxxxxxxxx']) + '\n');
    expect(3 * shortest).toBeGreaterThan(2 * longest + 1);
    const rec = await open(headerLen + 2 * longest + 1);
    for (let i = 0; i < 5; i++) rec.output(Buffer.from('xxxxxxxxxx'));
    rec.resize(90, 20);
    rec.output(Buffer.from('after'));
    const [, ...events] = await lines(rec);
    expect(events.filter((e) => (e as unknown[])[1] === 'o')).toHaveLength(2);
    expect(events.at(-1)).toEqual([expect.any(Number), 'm', RECORDING_CAP_MARKER]);
    expect(events.filter((e) => (e as unknown[])[1] === 'm')).toHaveLength(1);
    expect(events).toHaveLength(3);
  });

  it('flushed() resolves once a small pending write is on disk (no drain event comes for it)', async () => {
    const rec = await open();
    rec.output(Buffer.from('small')); // far below the stream's high-water mark, still in flight
    const timeout = new Promise<string>((r) => setTimeout(() => r('timed out'), 2000).unref());
    expect(await Promise.race([rec.flushed().then(() => 'flushed'), timeout])).toBe('flushed');
    expect(await readFile(rec.file, 'utf8')).toContain('"small"');
    await rec.close();
  });

  it('close() is idempotent, flushes everything written, and later output is ignored', async () => {
    const rec = await open();
    rec.output(Buffer.from('one'));
    const a = rec.close();
    const b = rec.close();
    expect(a).toBe(b);
    await a;
    rec.output(Buffer.from('two'));
    rec.resize(10, 10);
    await rec.flushed();
    const text = await readFile(rec.file, 'utf8');
    expect(text).toContain('"one"');
    expect(text).not.toContain('two');
    expect(text.trimEnd().split('\n')).toHaveLength(2);
  });

  it('discard() right after the open leaves no file (the open completes, is closed, then unlinked)', async () => {
    for (let i = 0; i < 20; i++) {
      const rec = await open();
      rec.output(Buffer.from('lost'));
      const d = rec.discard();
      expect(rec.discard()).toBe(d);
      await d;
      await rec.close(); // the DELETE's own close after the exit: waits for the same close
      await expect(stat(rec.file)).rejects.toMatchObject({ code: 'ENOENT' });
    }
  });

  it('discard() after close() deletes the closed file', async () => {
    const rec = await open();
    rec.output(Buffer.from('one'));
    await rec.close();
    await rec.discard();
    await expect(stat(rec.file)).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('holds a burst off the disk until output is quiet, and each event keeps the time its output came', async () => {
    const rec = await open();
    // A burst: a batch every 5 ms for ~150 ms, never quiet for RECORDING_HOLD_QUIET_MS.
    const t0 = Date.now();
    for (let i = 0; i < 30; i++) {
      rec.output(Buffer.from(`b${i} `));
      await sleep(Math.min(5, RECORDING_HOLD_QUIET_MS / 4));
    }
    expect((await stat(rec.file)).size).toBe(0); // nothing encoded or written during the burst
    // Quiet: the timer writes it all, without flushed() or close().
    await until(() => readFileSync(rec.file, 'utf8').includes('"b29 "'), 5000, 'the held burst on disk');
    const [, ...events] = await lines(rec);
    expect(events.map((e) => (e as unknown[])[2]).join('')).toBe(Array.from({ length: 30 }, (_, i) => `b${i} `).join(''));
    const times = events.map((e) => (e as number[])[0]);
    expect(times).toEqual([...times].sort((a, b) => a - b));
    // The times span the burst (written at once, they would all be the same).
    expect(times.at(-1)! - times[0]!).toBeGreaterThan(((Date.now() - t0) / 1000) * 0.1);
    expect(times.at(-1)! - times[0]!).toBeGreaterThan(0.05);
  });

  it('output that never pauses is written once its oldest batch is RECORDING_HOLD_MAX_MS old, or at RECORDING_HOLD_MAX_BATCHES', async () => {
    const rec = await open();
    const t0 = Date.now();
    let n = 0;
    // A clock redrawn every few ms, never quiet for RECORDING_HOLD_QUIET_MS.
    const written = () => existsSync(rec.file) && readFileSync(rec.file, 'utf8').includes('"c0 "');
    while (!written()) {
      expect(Date.now() - t0, 'written while output still flows').toBeLessThan(RECORDING_HOLD_MAX_MS * 4);
      rec.output(Buffer.from(`c${n++} `));
      await sleep(Math.min(5, RECORDING_HOLD_QUIET_MS / 4));
    }
    expect(Date.now() - t0).toBeGreaterThanOrEqual(RECORDING_HOLD_MAX_MS - 5);
    await rec.flushed();
    // Many small batches at once: written at the count, not held until a timer.
    const before = (await stat(rec.file)).size;
    for (let i = 0; i < RECORDING_HOLD_MAX_BATCHES; i++) rec.output(Buffer.from('x'));
    expect(rec.backlog + (await stat(rec.file)).size).toBeGreaterThan(before + RECORDING_HOLD_MAX_BATCHES);
  });

  it('a resize, flushed() and the hold limit write what is held first, in order', async () => {
    const rec = await open(4 * RECORDING_HOLD_MAX_BYTES);
    rec.output(Buffer.from('first'));
    rec.resize(100, 30); // after output: an event, behind the held output
    rec.output(Buffer.from('second'));
    await rec.flushed();
    expect(await readFile(rec.file, 'utf8')).toContain('"second"');
    // Past the limit the held output is written at once, quiet or not.
    rec.output(Buffer.alloc(RECORDING_HOLD_MAX_BYTES, 0x61));
    expect(rec.backlog).toBeGreaterThan(RECORDING_HOLD_MAX_BYTES);
    const [header, ...events] = await lines(rec);
    expect(header).toMatchObject({ width: 80, height: 24 });
    expect(events.map((e) => (e as unknown[]).slice(1, 2).concat(String((e as unknown[])[2]).slice(0, 6)))).toEqual([
      ['o', 'first'],
      ['r', '100x30'],
      ['o', 'second'],
      ['o', 'aaaaaa'],
    ]);
  });
});
