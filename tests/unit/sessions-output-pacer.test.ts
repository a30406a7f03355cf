// The output pacer (sessions/output-pacer.ts): light output goes at once, however close
// together; heavy output is batched until a batch comes out light. Clock passed in: no timers.
import { describe, expect, it } from 'vitest';
import { OUTPUT_BATCH_MS, OUTPUT_QUIET_MAX_BYTES, OUTPUT_QUIET_MAX_FLUSHES } from '../../common/flow.js';
import { OUTPUT_SLOW_MIN_VIEWERS, OUTPUT_SLOW_SENDS, OutputPacer } from '../../main/server/sessions/output-pacer.js';

describe('OutputPacer', () => {
  it('sends echoes typed back to back at once, every one (the old rule held each for the window)', () => {
    const p = new OutputPacer();
    // 200 one-byte echoes as close as the pacer allows: OUTPUT_QUIET_MAX_FLUSHES per window.
    let now = 1000;
    let sent = 0;
    for (let i = 0; i < 200; i++, now += OUTPUT_BATCH_MS / OUTPUT_QUIET_MAX_FLUSHES) if (p.sendNow(now, 1)) sent++;
    expect(sent).toBe(200);
  });

  it('batches once a window holds too many sends or too many bytes, and stays heavy through a flood', () => {
    const p = new OutputPacer();
    const now = 1000;
    for (let i = 0; i < OUTPUT_QUIET_MAX_FLUSHES; i++) expect(p.sendNow(now, 10)).toBe(true);
    expect(p.sendNow(now, 10)).toBe(false);
    // A later window: still heavy, because no light batch has gone out since.
    expect(p.sendNow(now + 10 * OUTPUT_BATCH_MS, 10)).toBe(false);
    // A flood's batches are heavy: it stays batched.
    p.batchSent(now + 11 * OUTPUT_BATCH_MS, 64 * 1024, 16);
    expect(p.sendNow(now + 12 * OUTPUT_BATCH_MS, 4096)).toBe(false);
    // The flood ended: the last batch is light, and the next echo goes at once.
    p.batchSent(now + 13 * OUTPUT_BATCH_MS, 20, 1);
    expect(p.sendNow(now + 13 * OUTPUT_BATCH_MS + 1, 1)).toBe(true);

    const q = new OutputPacer();
    expect(q.sendNow(now, OUTPUT_QUIET_MAX_BYTES - 1)).toBe(true);
    expect(q.sendNow(now + 1, 2)).toBe(false); // bytes in the window past the mark
  });

  it('a large first read goes at once, the reads right after it are batched', () => {
    const p = new OutputPacer();
    expect(p.sendNow(0, 4095)).toBe(true);
    expect(p.sendNow(0.2, 4095)).toBe(true);
    expect(p.sendNow(0.4, 4095)).toBe(false);
  });

  it('stays heavy after a light batch while sends are slow, and ends the spell once they are quick', () => {
    const p = new OutputPacer();
    let now = 1000;
    for (let i = 0; i < OUTPUT_QUIET_MAX_FLUSHES; i++) p.sendNow(now, 10);
    expect(p.sendNow(now, 10)).toBe(false);
    // A broadcast to many viewers blocked the loop past a window: the program stalled on a full
    // PTY, so the batch after it is small. That is us being slow, not the flood ending.
    p.sent(5 * OUTPUT_BATCH_MS, 1000);
    now += 6 * OUTPUT_BATCH_MS;
    p.batchSent(now, 4095, 1);
    expect(p.sendNow(now + 0.5, 4095)).toBe(false);
    // The sends are quick again (the flood is over): the next light batch ends the spell.
    p.sent(0, 1000);
    now += OUTPUT_BATCH_MS;
    p.batchSent(now, 20, 1);
    expect(p.sendNow(now + 1, 1)).toBe(true);
  });

  it('batches once sends in a row outlast a window, where every read would start a fresh window', () => {
    const p = new OutputPacer();
    let now = 0;
    for (let i = 0; i < OUTPUT_SLOW_SENDS; i++) {
      expect(p.sendNow(now, 4095)).toBe(true);
      p.sent(3 * OUTPUT_BATCH_MS, 1000); // a broadcast to many viewers
      now += 3 * OUTPUT_BATCH_MS + 0.1;
    }
    expect(p.sendNow(now, 4095)).toBe(false);
  });

  it('slow sends to few viewers (preempted, GC) never batch: the fan-out is not why', () => {
    const p = new OutputPacer();
    let now = 0;
    for (let i = 0; i < 10; i++) {
      expect(p.sendNow(now, 1)).toBe(true);
      p.sent(3 * OUTPUT_BATCH_MS, OUTPUT_SLOW_MIN_VIEWERS - 1);
      now += 3 * OUTPUT_BATCH_MS + 0.1;
    }
  });

  it('one slow send alone (a GC pause, the thread preempted) leaves the next echo instant', () => {
    const p = new OutputPacer();
    expect(p.sendNow(0, 1)).toBe(true);
    p.sent(3 * OUTPUT_BATCH_MS, 1000);
    expect(p.sendNow(20, 1)).toBe(true);
    p.sent(0, 1000);
    expect(p.sendNow(40, 1)).toBe(true);
  });
});

