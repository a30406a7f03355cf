// Who is asking: turns a bearer token (HTTP header or the WebSocket auth message) into a
// Principal, and decides what that principal may do. Shared by the HTTP routes and the
// WebSocket layer so both apply exactly the same rules.
import { PortholeError } from '../../../common/errors.js';
import { deriveName } from '../sessions/launch.js';
import type { Session, SharedSession, ShareMode, TokenClaims, ViewMode } from '../../../common/protocol.js';

export type Principal =
  | { role: 'owner'; jti: string | null; exp: number | null }
  | { role: 'share'; sid: string; mode: ShareMode; jti: string; exp: number };

/** The owner under --no-auth: no token, so nothing to revoke or expire. */
export const ANONYMOUS_OWNER: Principal = Object.freeze({ role: 'owner', jti: null, exp: null });

export interface AuthenticatorOptions {
  /** false = --no-auth: every request acts as the owner. */
  authRequired: boolean;
  /** Verifies signature, alg, expiry and revocation; throws PortholeError (401 codes). */
  verify(token: string): TokenClaims;
}

// RFC 6750 b64token; a JWT is three base64url parts.
const BEARER = /^Bearer[ ]+([A-Za-z0-9\-._~+/]+=*)\s*$/i;
const TOKEN_MAX_LENGTH = 8192;

export class Authenticator {
  readonly authRequired: boolean;
  private readonly verify: (token: string) => TokenClaims;

  constructor(opts: AuthenticatorOptions) {
    this.authRequired = opts.authRequired;
    this.verify = opts.verify;
  }

  /** From an `Authorization` header value; missing = 401 unauthorized. */
  fromHeader(header: string | undefined): Principal {
    if (!this.authRequired) return ANONYMOUS_OWNER;
    if (header === undefined || header === '') throw new PortholeError('unauthorized');
    const m = BEARER.exec(header);
    if (!m) throw new PortholeError('invalid_token');
    return this.fromToken(m[1]);
  }

  /** From a raw token string. */
  fromToken(token: string): Principal {
    if (!this.authRequired) return ANONYMOUS_OWNER;
    if (typeof token !== 'string' || token.length === 0 || token.length > TOKEN_MAX_LENGTH) {
      throw new PortholeError('invalid_token');
    }
    let claims: TokenClaims;
    try {
      claims = this.verify(token);
    } catch (err) {
      if (err instanceof PortholeError) throw err;
      throw new PortholeError('invalid_token');
    }
    if (claims.role === 'owner') return { role: 'owner', jti: claims.jti, exp: claims.exp };
    return { role: 'share', sid: claims.sid, mode: claims.mode, jti: claims.jti, exp: claims.exp };
  }
}

/** Owner-only routes: a share token is valid but not allowed. */
export function requireOwner(p: Principal): void {
  if (p.role !== 'owner') throw new PortholeError('forbidden', 'This route is for the owner only');
}

/** Reading a session (info, snapshot, watching): the owner or a share of that session. */
export function requireRead(p: Principal, sessionId: string): void {
  if (p.role === 'owner') return;
  if (p.sid !== sessionId) throw new PortholeError('forbidden', 'This link is for another session');
}

/** Typing into a session: the owner or a control share of that session. */
export function requireWrite(p: Principal, sessionId: string): void {
  requireRead(p, sessionId);
  if (p.role === 'share' && p.mode !== 'control') throw new PortholeError('read_only');
}

export function viewModeOf(p: Principal): ViewMode {
  return p.role === 'owner' ? 'owner' : p.mode;
}

/** What this principal may see of a session: a share link gets no command, cwd or pid, and
 *  a name derived from the command (`mysql -pSECRET`) shrinks to the program's (`mysql`); a
 *  name the owner chose is kept. */
export function sessionFor(p: Principal, s: Session): Session | SharedSession {
  if (p.role === 'owner') return s;
  const { command, cwd: _cwd, pid: _pid, ...shared } = s;
  if (command.length > 1 && s.name === deriveName(command)) shared.name = deriveName(command.slice(0, 1));
  return shared;
}

/** ISO time of the principal's expiry, or null when it has none (--no-auth). */
export function expiresAtOf(p: Principal): string | null {
  return p.exp === null ? null : new Date(p.exp * 1000).toISOString();
}
