import { describe, expect, it } from 'vitest';
import { DetachKeyFilter } from '../../main/cli/client/detach.js';

const b = (...xs: number[]) => Buffer.from(xs);

describe('DetachKeyFilter', () => {
  it('passes ordinary bytes through', () => {
    const f = new DetachKeyFilter();
    expect(f.push(Buffer.from('ls -l\r'))).toEqual({ forward: Buffer.from('ls -l\r'), detach: false });
  });

  it('detaches on Ctrl-] d and drops what follows', () => {
    const f = new DetachKeyFilter();
    const r = f.push(Buffer.from('ab\x1ddxyz'));
    expect(r.detach).toBe(true);
    expect(r.forward.toString()).toBe('ab');
  });

  it('detaches when the prefix and the key arrive in separate chunks', () => {
    const f = new DetachKeyFilter();
    expect(f.push(b(0x61, 0x1d))).toEqual({ forward: b(0x61), detach: false });
    expect(f.waiting).toBe(true);
    expect(f.push(b(0x64)).detach).toBe(true);
  });

  it('sends one literal Ctrl-] for Ctrl-] Ctrl-]', () => {
    const f = new DetachKeyFilter();
    expect(f.push(b(0x1d, 0x1d, 0x64))).toEqual({ forward: b(0x1d, 0x64), detach: false });
  });

  it('loses nothing when the prefix is followed by another key', () => {
    const f = new DetachKeyFilter();
    expect(f.push(b(0x1d, 0x78))).toEqual({ forward: b(0x1d, 0x78), detach: false });
    // Ctrl-\ (SIGQUIT in a shell) and Ctrl-C pass through untouched.
    expect(f.push(b(0x1c, 0x03))).toEqual({ forward: b(0x1c, 0x03), detach: false });
  });
});
