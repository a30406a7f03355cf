import { describe, expect, it } from 'vitest';
import { PasswordCheck, hashPassword, passwordProblem, verifyPassword } from '../../main/server/auth/passwords.js';

describe('passwords', () => {
  it('hashes with bcrypt and verifies', async () => {
    const hash = await hashPassword('correct horse', 4);
    expect(hash).toMatch(/^\$2[aby]\$04\$/);
    expect(await verifyPassword('correct horse', hash)).toBe(true);
    expect(await verifyPassword('wrong', hash)).toBe(false);
    expect(await verifyPassword('x', 'not a hash')).toBe(false);
  });

  it('refuses empty and over-72-byte passwords', () => {
    expect(passwordProblem('')).toMatch(/empty/);
    expect(passwordProblem('é'.repeat(37))).toMatch(/72 bytes/);
    expect(passwordProblem('fine')).toBeNull();
  });

  it('PasswordCheck: env password wins and is kept in memory; stored hash is re-read', async () => {
    let stored: string | undefined;
    const fromStore = await PasswordCheck.create({ readHash: async () => stored });
    expect(await fromStore.isConfigured()).toBe(false);
    expect(await fromStore.verify('anything')).toBe(false);
    stored = await hashPassword('stored', 4);
    expect(await fromStore.isConfigured()).toBe(true);
    expect(await fromStore.verify('stored')).toBe(true);

    const fromEnv = await PasswordCheck.create({ password: 'from-env', readHash: async () => stored });
    expect(await fromEnv.verify('from-env')).toBe(true);
    expect(await fromEnv.verify('stored')).toBe(false);
  });
});
