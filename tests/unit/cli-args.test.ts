import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { PortholeError, UsageError } from '../../common/errors.js';
import { parseCommandArgs, type FlagSpec } from '../../main/cli/args.js';
import { dispatch, type CliContext } from '../../main/cli/commands.js';
import { exitCodeOf, errorLine } from '../../main/cli/exit.js';
import { buildMain, ROOT } from '../helpers/build-main.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function fakeCtx(env: NodeJS.ProcessEnv = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const sink = (into: string[]) => {
    const s = new PassThrough();
    s.on('data', (c: Buffer) => into.push(c.toString()));
    return s;
  };
  const ctx: CliContext = { stdin: new PassThrough(), stdout: sink(out), stderr: sink(err), env, exit: () => {} };
  return { ctx, out: () => out.join(''), err: () => err.join('') };
}

const SPEC: FlagSpec = {
  port: { type: 'string', description: 'p' },
  verbose: { type: 'boolean', description: 'v' },
  tag: { type: 'string', multiple: true, description: 't' },
};

describe('parseCommandArgs', () => {
  it('parses strings, booleans, repeatables and positionals', () => {
    expect(parseCommandArgs('x', ['--port', '5', '--verbose', '--tag', 'a', '--tag=b'], SPEC).values).toMatchObject({ port: '5', verbose: true, tag: ['a', 'b'] });
    expect(parseCommandArgs('x', ['--', 'ls', '-la'], SPEC, 'any').positionals).toEqual(['ls', '-la']);
  });

  it('turns every mistake into a one-line UsageError', () => {
    const cases: [string[], RegExp][] = [
      [['--prot', '5'], /^unknown flag --prot \(did you mean --port\?\); see `porthole x --help`$/],
      [['--zzzzzz'], /^unknown flag --zzzzzz; see/],
      [['--port'], /^--port needs a value/],
      [['--verbose=yes'], /^--verbose takes no value/],
      [['stray'], /^unexpected argument "stray"/],
    ];
    for (const [argv, re] of cases) {
      let caught: unknown;
      try {
        parseCommandArgs('x', argv, SPEC);
      } catch (e) {
        caught = e;
      }
      expect(caught).toBeInstanceOf(UsageError);
      expect((caught as Error).message).toMatch(re);
      expect((caught as Error).message).not.toContain('\n');
    }
  });

  it('an ID that starts with - reads as flags; the error says to put it after --, which works', () => {
    expect(() => parseCommandArgs('revoke', ['-mXyZ'], SPEC, 1)).toThrow(/^unknown flag .*\(an argument that starts with - goes after --\); see `porthole revoke --help`$/);
    expect(parseCommandArgs('revoke', ['--', '-mXyZ'], SPEC, 1).positionals).toEqual(['-mXyZ']);
  });
});

describe('exit codes', () => {
  it('UsageError 2, 4xx PortholeError 2, 5xx and faults 1', () => {
    expect(exitCodeOf(new UsageError('x'))).toBe(2);
    expect(exitCodeOf(new PortholeError('session_not_found'))).toBe(2);
    expect(exitCodeOf(new PortholeError('internal'))).toBe(1);
    expect(exitCodeOf(new TypeError('boom'))).toBe(1);
    expect(errorLine(new Error('a\nb'))).toBe('unexpected error: a');
  });
});

describe('dispatch', () => {
  it('--version and --help go to stdout with exit 0', async () => {
    const v = fakeCtx();
    expect(await dispatch(['--version'], v.ctx)).toBe(0);
    expect(v.out()).toMatch(/^porthole \d+\.\d+\.\d+ \(node \d+\.\d+\.\d+\)\n$/); // contract section 7: the runtime too
    const h = fakeCtx();
    expect(await dispatch(['--help'], h.ctx)).toBe(0);
    expect(h.out()).toContain('serve');
    const sh = fakeCtx();
    expect(await dispatch(['serve', '--help'], sh.ctx)).toBe(0);
    expect(sh.out()).toContain('--allow-origin ORIGIN');
    expect(sh.out()).toContain('PORTHOLE_PASSWORD');
  });

  it('no command, unknown command, bad flags: exit 2 and one line on stderr', async () => {
    const none = fakeCtx();
    expect(await dispatch([], none.ctx)).toBe(2);
    expect(none.out()).toBe('');
    for (const argv of [['frobnicate'], ['serve', '--prot', '1'], ['serve', '--port', 'abc'], ['serve', '--port', '70000'], ['passwd', '--nope'], ['ls', 'extra'], ['share']]) {
      const f = fakeCtx({ XDG_CONFIG_HOME: '/nonexistent-for-test' });
      expect(await dispatch(argv, f.ctx)).toBe(2);
      expect(f.err()).toMatch(/^porthole: [^\n]+\n$/);
      expect(f.out()).toBe('');
    }
  });

  it('a bad flag fails before the data dir is created', async () => {
    const root = mkdtempSync(join(tmpdir(), 'porthole-cli-'));
    dirs.push(root);
    const f = fakeCtx();
    expect(await dispatch(['serve', '--data-dir', join(root, 'dd'), '--port', '-1'], f.ctx)).toBe(2);
    expect(existsSync(join(root, 'dd'))).toBe(false);
  });
});

describe('the real binary', () => {
  beforeAll(() => buildMain());

  it('prints one line and no stack trace for a user mistake', () => {
    const r = spawnSync(process.execPath, ['bin/porthole.js', 'serve', '--no-auth', '--host', '0.0.0.0'], { cwd: ROOT, encoding: 'utf8' });
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/--no-auth/);
    expect(r.stderr).not.toMatch(/\bat .*\.js:\d+/);
  });
});
