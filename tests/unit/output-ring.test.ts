// OutputRing against a model (all output concatenated): what it returns for an offset is
// exactly the model's tail, it never holds more than its capacity, and it holds at least
// the capacity once that much was printed.
import { describe, expect, it } from 'vitest';
import { OutputRing, RESUME_KEEP_BYTES } from '../../main/server/sessions/output-ring.js';

function rng(seed: number): () => number {
  let x = seed;
  return () => ((x = (x * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
}

describe('OutputRing', () => {
  it('returns exactly the missed bytes for every held offset, across growth and wrap', () => {
    const cap = 1000;
    const ring = new OutputRing(cap);
    const rand = rng(7);
    let model = Buffer.alloc(0);
    for (let i = 0; i < 400; i++) {
      const n = Math.floor(rand() * (i % 50 === 0 ? 2500 : 120));
      const chunk = Buffer.from(Array.from({ length: n }, () => Math.floor(rand() * 256)));
      ring.append(chunk);
      model = Buffer.concat([model, chunk]);
      expect(ring.end).toBe(model.length);
      expect(ring.allocated).toBeLessThanOrEqual(cap);
      expect(ring.held).toBe(Math.min(cap, model.length));
      for (const back of [0, 1, 17, Math.floor(ring.held / 2), ring.held]) {
        const off = model.length - back;
        expect(ring.since(off)?.equals(model.subarray(off))).toBe(true);
      }
      if (model.length > cap) expect(ring.since(model.length - cap - 1)).toBeNull();
    }
  });

  it('answers null for garbage offsets instead of throwing', () => {
    const ring = new OutputRing(64);
    ring.append(Buffer.from('hello'));
    for (const bad of [-1, 6, 1.5, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 60]) expect(ring.since(bad)).toBeNull();
    expect(ring.since(5)?.length).toBe(0);
    expect(ring.since(0)?.toString()).toBe('hello');
  });

  it('keeps at least 1 MiB and never allocates more, however much is printed', () => {
    const ring = new OutputRing();
    const chunk = Buffer.alloc(300 * 1024, 0x61);
    for (let i = 0; i < 10; i++) ring.append(chunk);
    expect(ring.held).toBe(RESUME_KEEP_BYTES);
    expect(ring.allocated).toBe(RESUME_KEEP_BYTES);
    expect(ring.since(ring.end - RESUME_KEEP_BYTES)?.length).toBe(RESUME_KEEP_BYTES);
  });

  it('costs little for a quiet session', () => {
    const ring = new OutputRing();
    ring.append(Buffer.from('$ '));
    expect(ring.allocated).toBeLessThanOrEqual(16 * 1024);
  });
});
