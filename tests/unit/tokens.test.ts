import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes, createHmac } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { afterEach, describe, expect, it } from 'vitest';
import { PortholeError } from '../../common/errors.js';
import { RevocationStore } from '../../main/server/auth/revocations.js';
import { TokenService } from '../../main/server/auth/tokens.js';
import { assertCanAccessSession } from '../../main/server/auth/scope.js';
import { safeEqual } from '../../main/server/auth/compare.js';

const secret = randomBytes(32);
const dirs: string[] = [];
function tmp(): string {
  const d = mkdtempSync(join(tmpdir(), 'porthole-tokens-'));
  dirs.push(d);
  return d;
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    if (err instanceof PortholeError) return err.code;
    throw err;
  }
  return 'no error';
}

const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
function hand(header: object, payload: object, key: Buffer = secret): string {
  const head = `${b64(header)}.${b64(payload)}`;
  return `${head}.${createHmac('sha256', key).update(head).digest('base64url')}`;
}

describe('TokenService', () => {
  it('mints owner tokens with exactly the contract claims, 24 h by default', () => {
    const t = new TokenService(secret, RevocationStore.memory());
    const { token, claims, expiresAt } = t.mintOwner();
    expect(Object.keys(jwt.decode(token) as object).sort()).toEqual(['exp', 'iat', 'jti', 'role']);
    expect(claims.exp - claims.iat).toBe(24 * 3600);
    expect(expiresAt).toBe(new Date(claims.exp * 1000).toISOString());
    expect(jwt.decode(token, { complete: true })?.header.alg).toBe('HS256');
    expect(t.verify(token)).toEqual(claims);
  });

  it('mints share tokens with sid, mode and the share id as jti', () => {
    const t = new TokenService(secret, RevocationStore.memory());
    const { token, claims } = t.mintShare('sess1234567890abcdef', 'view', 60, 'share1234567890abcdef');
    expect(Object.keys(jwt.decode(token) as object).sort()).toEqual(['exp', 'iat', 'jti', 'mode', 'role', 'sid']);
    expect(t.verify(token)).toEqual({ ...claims, role: 'share', sid: 'sess1234567890abcdef', mode: 'view', jti: 'share1234567890abcdef' });
  });

  it('rejects garbage', () => {
    const t = new TokenService(secret, RevocationStore.memory());
    for (const bad of ['', 'x', 'a.b.c', 'eyJhbGciOiJIUzI1NiJ9..', '....']) expect(codeOf(() => t.verify(bad))).toBe('invalid_token');
  });

  it('rejects expired tokens as token_expired', () => {
    let now = 1_000_000;
    const t = new TokenService(secret, RevocationStore.memory({ now: () => now }), { now: () => now });
    const { token } = t.mintOwner(10);
    now += 11;
    expect(codeOf(() => t.verify(token))).toBe('token_expired');
  });

  it('rejects alg none and every other alg', () => {
    const t = new TokenService(secret, RevocationStore.memory());
    const now = Math.floor(Date.now() / 1000);
    const payload = { role: 'owner', jti: 'abcdefghijklmnopqrstuv', iat: now, exp: now + 60 };
    expect(codeOf(() => t.verify(`${b64({ alg: 'none', typ: 'JWT' })}.${b64(payload)}.`))).toBe('invalid_token');
    expect(codeOf(() => t.verify(jwt.sign(payload, secret, { algorithm: 'HS512' })))).toBe('invalid_token');
    expect(codeOf(() => t.verify(jwt.sign(payload, secret, { algorithm: 'HS384' })))).toBe('invalid_token');
    // a hand-made HS256 signature under a header that claims another alg
    expect(codeOf(() => t.verify(hand({ alg: 'HS512', typ: 'JWT' }, payload)))).toBe('invalid_token');
    // sanity: the same hand-made token with the right header passes
    expect(t.verify(hand({ alg: 'HS256', typ: 'JWT' }, payload)).role).toBe('owner');
  });

  it('rejects tokens signed with another secret', () => {
    const t = new TokenService(secret, RevocationStore.memory());
    const other = new TokenService(randomBytes(32), RevocationStore.memory());
    expect(codeOf(() => t.verify(other.mintOwner().token))).toBe('invalid_token');
  });

  it('rejects a genuine signature over the wrong claims shape', () => {
    const t = new TokenService(secret, RevocationStore.memory());
    const now = Math.floor(Date.now() / 1000);
    const shapes = [
      { role: 'admin', jti: 'abcdefghijklmnopqrstuv', iat: now, exp: now + 60 },
      { role: 'share', jti: 'abcdefghijklmnopqrstuv', mode: 'view', iat: now, exp: now + 60 },
      { role: 'share', sid: 's', jti: 'abcdefghijklmnopqrstuv', mode: 'write', iat: now, exp: now + 60 },
      { role: 'owner', iat: now, exp: now + 60 },
      { role: 'owner', jti: 'abcdefghijklmnopqrstuv', iat: now },
    ];
    for (const p of shapes) expect(codeOf(() => t.verify(hand({ alg: 'HS256', typ: 'JWT' }, p)))).toBe('invalid_token');
  });

  it('rejects revoked tokens, and the revocation survives a new TokenService on the same dir', async () => {
    const dir = tmp();
    const t1 = new TokenService(secret, await RevocationStore.open(dir));
    const a = t1.mintOwner();
    const b = t1.mintOwner();
    await t1.revoke(a.claims.jti, a.claims.exp);
    expect(codeOf(() => t1.verify(a.token))).toBe('token_revoked');
    expect(t1.verify(b.token).jti).toBe(b.claims.jti);
    const t2 = new TokenService(secret, await RevocationStore.open(dir));
    expect(codeOf(() => t2.verify(a.token))).toBe('token_revoked');
    expect(t2.verify(b.token).jti).toBe(b.claims.jti);
  });

  it('prunes revocations once their token has expired', async () => {
    let now = 2_000_000;
    const dir = tmp();
    const store = await RevocationStore.open(dir, { now: () => now });
    await store.add('old', now + 5);
    await store.add('new', now + 500);
    now += 10;
    await store.add('newer', now + 500);
    expect(store.size).toBe(2);
    const reopened = await RevocationStore.open(dir, { now: () => now });
    expect(reopened.has('old')).toBe(false);
    expect(reopened.has('new')).toBe(true);
    expect(reopened.size).toBe(2);
  });

  it('a share token for another session is still a valid token; scope is checked separately', () => {
    const t = new TokenService(secret, RevocationStore.memory());
    const view = t.verify(t.mintShare('sessionAAAAAAAAAAAAAAA', 'view', 60, 'shareAAAAAAAAAAAAAAAAA').token);
    const control = t.verify(t.mintShare('sessionAAAAAAAAAAAAAAA', 'control', 60, 'shareBBBBBBBBBBBBBBBBB').token);
    const owner = t.verify(t.mintOwner().token);
    expect(view.role).toBe('share');
    expect(codeOf(() => assertCanAccessSession(view, 'sessionBBBBBBBBBBBBBBB', false))).toBe('forbidden');
    expect(codeOf(() => assertCanAccessSession(view, 'sessionAAAAAAAAAAAAAAA', false))).toBe('no error');
    expect(codeOf(() => assertCanAccessSession(view, 'sessionAAAAAAAAAAAAAAA', true))).toBe('read_only');
    expect(codeOf(() => assertCanAccessSession(control, 'sessionAAAAAAAAAAAAAAA', true))).toBe('no error');
    expect(codeOf(() => assertCanAccessSession(control, 'sessionBBBBBBBBBBBBBBB', true))).toBe('forbidden');
    expect(codeOf(() => assertCanAccessSession(owner, 'anything', true))).toBe('no error');
  });

  it('refuses a short secret', () => {
    expect(() => new TokenService(randomBytes(8), RevocationStore.memory())).toThrow();
  });
});

describe('safeEqual', () => {
  it('compares any lengths without throwing', () => {
    expect(safeEqual('abc', 'abc')).toBe(true);
    expect(safeEqual('abc', 'abd')).toBe(false);
    expect(safeEqual('abc', 'abcd')).toBe(false);
    expect(safeEqual(Buffer.from('x'), 'x')).toBe(true);
  });
});
