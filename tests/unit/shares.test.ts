import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { PortholeError } from '../../common/errors.js';
import { RevocationStore } from '../../main/server/auth/revocations.js';
import { ShareRegistry, type ShareEndReason } from '../../main/server/auth/shares.js';
import { TokenService } from '../../main/server/auth/tokens.js';

let now = 1_700_000_000;
const clock = () => now;
const registries: ShareRegistry[] = [];
function setup(origin = 'http://127.0.0.1:4022') {
  const tokens = new TokenService(randomBytes(32), RevocationStore.memory({ now: clock }), { now: clock });
  const shares = new ShareRegistry({ tokens, publicOrigin: () => origin, now: clock });
  registries.push(shares);
  return { tokens, shares };
}
afterEach(() => {
  for (const r of registries.splice(0)) r.dispose();
});

function codeOf(fn: () => unknown): string {
  try {
    fn();
    return 'no error';
  } catch (err) {
    if (err instanceof PortholeError) return err.code;
    throw err;
  }
}

describe('ShareRegistry', () => {
  it('creates a share whose url carries the token in the fragment', () => {
    const { tokens, shares } = setup('https://tunnel.example/');
    const { share, token, url } = shares.create('sessAAAAAAAAAAAAAAAAAA', 'control', 3600, 'pairing');
    expect(url).toBe(`https://tunnel.example/s/sessAAAAAAAAAAAAAAAAAA#${token}`);
    expect(share).toMatchObject({ sessionId: 'sessAAAAAAAAAAAAAAAAAA', mode: 'control', label: 'pairing' });
    expect(share.expiresAt).toBe(new Date((now + 3600) * 1000).toISOString());
    expect(tokens.verify(token)).toMatchObject({ role: 'share', sid: 'sessAAAAAAAAAAAAAAAAAA', mode: 'control', jti: share.id });
  });

  it('lists a session\'s shares newest first, never with the token', () => {
    const { shares } = setup();
    const a = shares.create('s1', 'view', 60);
    const b = shares.create('s1', 'control', 60);
    shares.create('s2', 'view', 60);
    const list = shares.list('s1');
    expect(list.map((s) => s.id)).toEqual([b.share.id, a.share.id]);
    expect(JSON.stringify(list)).not.toContain(a.token);
    expect(a.share.label).toBeNull();
  });

  it('revoke stops the token at once and tells listeners; unknown id is share_not_found', () => {
    const { tokens, shares } = setup();
    const ended: [string, ShareEndReason][] = [];
    shares.onRevoked((s, reason) => ended.push([s.id, reason]));
    const { share, token } = shares.create('s1', 'view', 60);
    expect(shares.revoke(share.id).id).toBe(share.id);
    expect(codeOf(() => tokens.verify(token))).toBe('token_revoked');
    expect(ended).toEqual([[share.id, 'revoked']]);
    expect(codeOf(() => shares.revoke(share.id))).toBe('share_not_found');
    expect(codeOf(() => shares.revoke('nope'))).toBe('share_not_found');
    expect(shares.list('s1')).toEqual([]);
  });

  it('forgetSession drops and revokes every share of that session only', () => {
    const { tokens, shares } = setup();
    const ended: ShareEndReason[] = [];
    shares.onRevoked((_s, r) => ended.push(r));
    const a = shares.create('s1', 'view', 60);
    const b = shares.create('s1', 'control', 60);
    const c = shares.create('s2', 'view', 60);
    expect(shares.forgetSession('s1').map((s) => s.id).sort()).toEqual([a.share.id, b.share.id].sort());
    expect(codeOf(() => tokens.verify(a.token))).toBe('token_revoked');
    expect(codeOf(() => tokens.verify(b.token))).toBe('token_revoked');
    expect(tokens.verify(c.token).jti).toBe(c.share.id);
    expect(ended).toEqual(['session_removed', 'session_removed']);
  });

  it('onCreated fires; expired shares are pruned and reported', () => {
    const { shares } = setup();
    const created: string[] = [];
    const ended: ShareEndReason[] = [];
    const off = shares.onCreated((s) => created.push(s.id));
    shares.onRevoked((_s, r) => ended.push(r));
    const a = shares.create('s1', 'view', 10);
    off();
    shares.create('s1', 'view', 100);
    expect(created).toEqual([a.share.id]);
    now += 11;
    expect(shares.get(a.share.id)).toBeUndefined();
    expect(shares.list('s1')).toHaveLength(1);
    expect(ended).toEqual(['expired']);
  });

  it('rejects out-of-range lifetimes', () => {
    const { shares } = setup();
    expect(codeOf(() => shares.create('s1', 'view', 0))).toBe('validation_failed');
    expect(codeOf(() => shares.create('s1', 'view', 1.5))).toBe('validation_failed');
  });
});
