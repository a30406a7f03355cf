// Hand-made bad tokens for auth tests: expired, alg none, signed with another secret.
import { randomBytes } from 'node:crypto';
import jwt from 'jsonwebtoken';

export function ownerClaims(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const now = Math.floor(Date.now() / 1000);
  return { role: 'owner', jti: randomBytes(12).toString('base64url'), iat: now, exp: now + 3600, ...overrides };
}

export function signWith(secret: Buffer, claims: Record<string, unknown>): string {
  return jwt.sign(claims, secret, { algorithm: 'HS256', noTimestamp: true });
}

export function expiredOwnerToken(secret: Buffer): string {
  const now = Math.floor(Date.now() / 1000);
  return signWith(secret, ownerClaims({ iat: now - 7200, exp: now - 3600 }));
}

export function algNoneToken(): string {
  const enc = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
  return `${enc({ alg: 'none', typ: 'JWT' })}.${enc(ownerClaims())}.`;
}

export function otherSecretToken(): string {
  return signWith(randomBytes(32), ownerClaims());
}
