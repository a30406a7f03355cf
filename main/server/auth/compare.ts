// Constant-time comparison for secrets (tokens, keys): the time taken must not tell an
// attacker how many leading characters were right, nor the secret's length.
import { createHash, timingSafeEqual } from 'node:crypto';

/** True when a and b are equal. Both are hashed first, so inputs of different lengths take
 *  the same time as equal-length ones (timingSafeEqual alone throws on a length mismatch). */
export function safeEqual(a: string | Uint8Array, b: string | Uint8Array): boolean {
  const da = createHash('sha256').update(a).digest();
  const db = createHash('sha256').update(b).digest();
  return timingSafeEqual(da, db);
}
