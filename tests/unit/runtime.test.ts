// runtime.ts: the one place that tells the runtimes apart, and what it refuses.
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../common/errors.js';
import { describeRuntime, detectRuntime, loadRuntime } from '../../main/server/runtime.js';

describe('runtime', () => {
  it('detects Node here, and describes it as --version prints it', () => {
    expect(detectRuntime()).toEqual({ name: 'node', version: process.versions.node });
    expect(describeRuntime({ name: 'bun', version: '1.4.5' })).toBe('bun 1.4.5');
  });

  it('refuses Bun on Windows with a UsageError that names the fix, before any PTY is loaded', async () => {
    const err = await loadRuntime({ name: 'bun', version: '1.4.5' }, 'win32').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UsageError);
    expect((err as Error).message).toMatch(/Windows/);
  });

  it('gives Node the node-pty adapter', async () => {
    const rt = await loadRuntime({ name: 'node', version: process.versions.node }, 'linux');
    expect(typeof rt.pty.spawn).toBe('function');
  });
});
