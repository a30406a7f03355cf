// What a valid token may reach: the owner everything, a share token exactly one session, and
// typing only through a control share. 401 vs 403: the token is fine here, the request is not.
import { PortholeError } from '../../../common/errors.js';
import type { TokenClaims } from '../../../common/protocol.js';

/** Throws PortholeError forbidden (another session, or owner-only) or read_only (typing
 *  through a view link). */
export function assertCanAccessSession(claims: TokenClaims, sessionId: string, needControl: boolean): void {
  if (claims.role === 'owner') return;
  if (claims.sid !== sessionId) throw new PortholeError('forbidden', 'This link is for another session');
  if (needControl && claims.mode !== 'control') throw new PortholeError('read_only');
}

/** Owner-only actions (listing sessions, files, shares). */
export function assertOwner(claims: TokenClaims): void {
  if (claims.role !== 'owner') throw new PortholeError('forbidden', 'This is for the owner only');
}
