// Owner and share tokens: JWTs signed with the data dir's secret, HS256 pinned (contract
// section 2). verify() is the single gate every request and socket goes through: signature,
// algorithm, expiry, claim shape and revocation, each failure mapped to a stable 401 code.
import jwt from 'jsonwebtoken';
import { PortholeError } from '../../../common/errors.js';
import {
  DEFAULT_OWNER_TOKEN_SECONDS,
  TokenClaimsSchema,
  type OwnerClaims,
  type ShareClaims,
  type ShareMode,
  type TokenClaims,
} from '../../../common/protocol.js';
import { newId } from '../ids.js';
import type { RevocationStore } from './revocations.js';

/** The only algorithm accepted, in signing and in verifying. */
export const TOKEN_ALGORITHM = 'HS256' as const;
/** Secrets shorter than this are refused: HS256 wants at least 256 bits of key. */
export const MIN_SECRET_BYTES = 32;

export interface MintedToken<C extends TokenClaims> {
  token: string;
  claims: C;
  /** ISO 8601 form of claims.exp. */
  expiresAt: string;
}

export interface TokenServiceOptions {
  /** Seconds since the epoch; injectable for tests. */
  now?: () => number;
}

export function isoFromSeconds(seconds: number): string {
  return new Date(seconds * 1000).toISOString();
}

export class TokenService {
  private readonly secret: Buffer;
  private readonly revocations: RevocationStore;
  private readonly now: () => number;

  constructor(secret: Buffer, revocations: RevocationStore, opts: TokenServiceOptions = {}) {
    if (secret.length < MIN_SECRET_BYTES) throw new Error(`TokenService: secret must be at least ${MIN_SECRET_BYTES} bytes`);
    this.secret = secret;
    this.revocations = revocations;
    this.now = opts.now ?? (() => Math.floor(Date.now() / 1000));
  }

  mintOwner(ttlSeconds: number = DEFAULT_OWNER_TOKEN_SECONDS): MintedToken<OwnerClaims> {
    const iat = this.now();
    const claims: OwnerClaims = { role: 'owner', jti: newId(), iat, exp: iat + positiveTtl(ttlSeconds) };
    return this.sign(claims);
  }

  /** A share token; its jti is the share's id, so revoking the share revokes the token. */
  mintShare(sid: string, mode: ShareMode, ttlSeconds: number, jti: string): MintedToken<ShareClaims> {
    const iat = this.now();
    const claims: ShareClaims = { role: 'share', sid, mode, jti, iat, exp: iat + positiveTtl(ttlSeconds) };
    return this.sign(claims);
  }

  /** The claims of a genuine, unexpired, unrevoked token; otherwise PortholeError
   *  invalid_token / token_expired / token_revoked. Scope (which session, which mode) is the
   *  caller's to check: see assertCanAccessSession. */
  verify(token: string): TokenClaims {
    if (typeof token !== 'string' || token.length === 0) throw new PortholeError('invalid_token');
    let payload: string | jwt.JwtPayload;
    try {
      // `algorithms` pins HS256: `none`, RS256-with-our-secret-as-public-key and the rest fail.
      // jws compares the HMAC in constant time.
      payload = jwt.verify(token, this.secret, { algorithms: [TOKEN_ALGORITHM], clockTimestamp: this.now() });
    } catch (err) {
      if (err instanceof jwt.TokenExpiredError) throw new PortholeError('token_expired');
      throw new PortholeError('invalid_token');
    }
    if (typeof payload === 'string') throw new PortholeError('invalid_token');
    const parsed = TokenClaimsSchema.safeParse(payload);
    if (!parsed.success) throw new PortholeError('invalid_token', 'The token does not carry Porthole claims');
    const claims = parsed.data as TokenClaims;
    // A time no Date can print (exp 9e15) would fail later as a 500: the token is simply bad.
    if (!saneTime(claims.exp) || !saneTime(claims.iat)) throw new PortholeError('invalid_token', 'The token carries an impossible time');
    if (this.revocations.has(claims.jti)) throw new PortholeError('token_revoked');
    return claims;
  }

  /** Stops the token at once (in memory, synchronously); the promise settles once the
   *  revocation is on disk, so it survives a restart. */
  revoke(jti: string, exp: number): Promise<void> {
    return this.revocations.add(jti, exp);
  }

  isRevoked(jti: string): boolean {
    return this.revocations.has(jti);
  }

  private sign<C extends TokenClaims>(claims: C): MintedToken<C> {
    // iat is in the payload already, so jsonwebtoken keeps it rather than adding its own.
    const token = jwt.sign({ ...claims }, this.secret, { algorithm: TOKEN_ALGORITHM });
    return { token, claims, expiresAt: isoFromSeconds(claims.exp) };
  }
}

/** The last second of year 9999: later times have no ISO 8601 form. */
export const MAX_TOKEN_TIME_SECONDS = 253_402_300_799;

function saneTime(seconds: number): boolean {
  return Number.isFinite(seconds) && seconds >= 0 && seconds <= MAX_TOKEN_TIME_SECONDS;
}

function positiveTtl(ttl: number): number {
  if (!Number.isFinite(ttl) || ttl < 1) throw new RangeError(`token lifetime must be at least 1 second, got ${ttl}`);
  return Math.floor(ttl);
}
