// Bun has no pseudo-terminal on Windows: the server refuses to start there with one clear line
// (contract section 7: never half-works), and starts everywhere else.
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../common/errors.js';
import { ptySupport } from '../../main/server/platform/runtime-support.js';
import { loadRuntime } from '../../main/server/runtime.js';

describe('ptySupport', () => {
  it('node everywhere; bun on linux and darwin only', () => {
    for (const p of ['linux', 'darwin', 'win32'] as const) expect(ptySupport('node', p)).toEqual({ ok: true });
    expect(ptySupport('bun', 'linux')).toEqual({ ok: true });
    expect(ptySupport('bun', 'darwin')).toEqual({ ok: true });
    const win = ptySupport('bun', 'win32');
    expect(win.ok).toBe(false);
    expect(!win.ok && win.reason).toMatch(/Windows.*npx porthole serve/);
  });

  it('loadRuntime refuses Bun on Windows with a UsageError (exit 2, one line) before loading any adapter', async () => {
    const err = await loadRuntime({ name: 'bun', version: '1.4.5' }, 'win32').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UsageError);
    expect((err as Error).message).not.toMatch(/\n/);
  });

  it('loadRuntime on this machine still gives node-pty under Node', async () => {
    const r = await loadRuntime({ name: 'node', version: process.versions.node }, process.platform);
    expect(typeof r.pty.spawn).toBe('function');
  });
});
