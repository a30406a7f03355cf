// Random, url-safe identifiers for sessions, shares and token ids (>= 96 bits, contract section 3).
import { randomBytes } from 'node:crypto';

/** 16 random bytes (128 bits) as base64url: 22 characters, safe in paths and fragments. Never
 *  with a leading '-': `porthole revoke -Xy…` would parse the id as flags (1 id in 64 did, and
 *  CI failed on one). Drawn again rather than patched, so the rest stay uniform. */
export function newId(): string {
  for (;;) {
    const id = randomBytes(16).toString('base64url');
    if (id[0] !== '-') return id;
  }
}

export const ID_PATTERN = /^[A-Za-z0-9_-]{16,64}$/;
