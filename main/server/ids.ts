// Random, url-safe identifiers for sessions, shares and token ids (>= 96 bits, contract section 3).
import { randomBytes } from 'node:crypto';

/** 16 random bytes (128 bits) as base64url: 22 characters, safe in paths and fragments. */
export function newId(): string {
  return randomBytes(16).toString('base64url');
}

export const ID_PATTERN = /^[A-Za-z0-9_-]{16,64}$/;
