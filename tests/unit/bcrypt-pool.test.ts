// The password thread: checks give bcrypt's answer, run off the main thread, are bounded
// (429 past the queue), the thread stops when idle, and close() releases it.
import bcrypt from 'bcryptjs';
import { describe, expect, it } from 'vitest';
import { PortholeError } from '../../common/errors.js';
import { BcryptPool } from '../../main/server/auth/bcrypt-pool.js';

const HASH = bcrypt.hashSync('right', 4);

describe('BcryptPool', () => {
  it('answers like bcrypt, off the main thread', async () => {
    const pool = new BcryptPool();
    try {
      expect(await pool.compare('right', HASH)).toBe(true);
      expect(await pool.compare('wrong', HASH)).toBe(false);
      expect(await pool.compare('right', 'not a hash')).toBe(false);
      expect(pool.threadRunning).toBe(true);
      // While a slow (cost 12) check runs in the thread, this thread keeps turning.
      const slow = bcrypt.hashSync('x', 12);
      let ticks = 0;
      const timer = setInterval(() => ticks++, 5);
      await pool.compare('y', slow);
      clearInterval(timer);
      expect(ticks).toBeGreaterThan(3);
    } finally {
      await pool.close();
    }
  });

  it('refuses past the queue bound with 429, and stops the thread when idle', async () => {
    const pool = new BcryptPool({ maxQueued: 2, idleMs: 50 });
    try {
      const run = [pool.compare('a', HASH), pool.compare('b', HASH), pool.compare('c', HASH)];
      const over = await pool.compare('d', HASH).catch((e: unknown) => e);
      expect(over).toBeInstanceOf(PortholeError);
      expect((over as PortholeError).code).toBe('rate_limited');
      expect(await Promise.all(run)).toEqual([false, false, false]);
      await new Promise((r) => setTimeout(r, 200));
      expect(pool.threadRunning).toBe(false);
      expect(await pool.compare('right', HASH)).toBe(true); // a fresh thread
    } finally {
      await pool.close();
    }
    expect(pool.threadRunning).toBe(false);
    await expect(pool.compare('right', HASH)).rejects.toThrow();
  });
});
