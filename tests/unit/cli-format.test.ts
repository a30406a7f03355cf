import { describe, expect, it } from 'vitest';
import type { Session } from '../../common/protocol.js';
import { formatAge, formatCommand, formatSessionTable, formatStatus } from '../../main/cli/client/format.js';

const now = Date.parse('2026-01-01T12:00:00Z');
function session(over: Partial<Session> = {}): Session {
  return {
    id: 'AAAAAAAAAAAAAAAAAAAAAA',
    name: 'bash',
    command: ['bash', '-l'],
    cwd: '/tmp',
    pid: 42,
    status: 'running',
    exitCode: null,
    cols: 80,
    rows: 24,
    createdAt: '2026-01-01T11:55:00Z',
    lastOutputAt: null,
    viewers: 2,
    ...over,
  };
}

describe('cli format', () => {
  it('formats ages in their largest unit', () => {
    expect(formatAge('2026-01-01T11:59:18Z', now)).toBe('42s');
    expect(formatAge('2026-01-01T11:55:00Z', now)).toBe('5m');
    expect(formatAge('2026-01-01T09:00:00Z', now)).toBe('3h');
    expect(formatAge('2025-12-30T12:00:00Z', now)).toBe('2d');
    expect(formatAge('nonsense', now)).toBe('?');
  });

  it('quotes command words a shell would split', () => {
    expect(formatCommand(['sh', '-c', "echo 'hi'; exit 7"])).toBe(`sh -c 'echo '\\''hi'\\''; exit 7'`);
    expect(formatCommand(['ls', '/tmp/a-b_c.txt'])).toBe('ls /tmp/a-b_c.txt');
  });

  it('shows exit codes in the status', () => {
    expect(formatStatus(session())).toBe('running');
    expect(formatStatus(session({ status: 'exited', exitCode: 7 }))).toBe('exited 7');
    expect(formatStatus(session({ status: 'exited', exitCode: null }))).toBe('exited (signal)');
  });

  it('lays out a table with a header and one row per session', () => {
    const out = formatSessionTable([session(), session({ id: 'BBBBBBBBBBBBBBBBBBBBBB', name: 'evil\x1b]0;x\x07', status: 'exited', exitCode: 0 })], now);
    const lines = out.trimEnd().split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(/^ID\s+NAME\s+STATUS\s+VIEWERS\s+AGE\s+COMMAND$/);
    expect(lines[1]).toMatch(/^AAAAAAAAAAAAAAAAAAAAAA\s+bash\s+running\s+2\s+5m\s+bash -l$/);
    expect(out).not.toContain('\x1b');
  });

  it('clips the command column to the terminal width', () => {
    const out = formatSessionTable([session({ command: ['x'.repeat(200)] })], now, 100);
    for (const line of out.trimEnd().split('\n')) expect(line.length).toBeLessThanOrEqual(100);
  });
});
