// `porthole passwd`: sets the owner password. Prompted twice without echo on a terminal, or
// one line from stdin with --stdin (for scripts). Only the bcrypt hash reaches config.json,
// written atomically; the plaintext never touches the disk, argv or the environment.
import { EXIT, UsageError } from '../../common/errors.js';
import { hashPassword, passwordProblem } from '../server/auth/passwords.js';
import { resolveDataDirPath } from '../server/config.js';
import { DataDir } from '../server/datadir.js';
import { boolFlag, formatHelp, parseCommandArgs, stringFlag, type FlagSpec } from './args.js';
import type { CliContext } from './commands.js';

export const PASSWD_FLAGS: FlagSpec = {
  stdin: { type: 'boolean', description: 'read the password from the first line of stdin (no prompt)' },
  'data-dir': { type: 'string', valueName: 'DIR', description: 'data dir whose config.json gets the hash' },
};
const USAGE = 'porthole passwd [--stdin] [--data-dir DIR]';
const SUMMARY = 'Set the owner password used by POST /api/auth/login. Stores only a bcrypt hash in config.json.';

/** Prompt rounds before giving up on mismatched or empty entries. */
export const PROMPT_ATTEMPTS = 3;
/** A password line longer than this is not a password: refuse rather than buffer it. */
const STDIN_MAX_BYTES = 64 * 1024;

type Input = CliContext['stdin'];

/** The first line of stdin (without its line ending), or everything up to EOF. */
export function readFirstLine(input: Input): Promise<string> {
  return new Promise((resolve, reject) => {
    let buf = '';
    const finish = (err?: Error) => {
      input.off('data', onData);
      input.off('end', onEnd);
      input.off('error', onError);
      input.pause();
      if (err) reject(err);
      else resolve(buf.replace(/\r?\n[\s\S]*$/, '').replace(/\r$/, ''));
    };
    const onData = (chunk: Buffer | string) => {
      buf += chunk.toString();
      if (buf.includes('\n')) finish();
      else if (buf.length > STDIN_MAX_BYTES) finish(new UsageError('stdin has no line break in its first 64 KiB: pipe one line with the password'));
    };
    const onEnd = () => finish();
    const onError = (err: Error) => finish(err);
    input.on('data', onData);
    input.on('end', onEnd);
    input.on('error', onError);
    input.resume();
  });
}

/** Reads one line from a TTY in raw mode, echoing nothing. Ctrl-C/Ctrl-D abort. */
export function promptHidden(prompt: string, input: Input, output: NodeJS.WritableStream): Promise<string> {
  return new Promise((resolve, reject) => {
    // Echo off before the prompt shows: someone who types as soon as they see it must not have
    // the password echoed (CI caught it: the retry's prompt came before raw mode, and a password
    // typed on it appeared on the screen).
    input.setRawMode?.(true);
    output.write(prompt);
    let text = '';
    const finish = (err?: Error) => {
      input.off('data', onData);
      input.setRawMode?.(false);
      input.pause();
      output.write('\n');
      if (err) reject(err);
      else resolve(text);
    };
    const onData = (chunk: Buffer | string) => {
      for (const ch of chunk.toString()) {
        if (ch === '\r' || ch === '\n') return finish();
        if (ch === '\u0003' || (ch === '\u0004' && text === '')) return finish(new UsageError('cancelled; the password is unchanged'));
        if (ch === '\u007f' || ch === '\b') text = [...text].slice(0, -1).join('');
        else if (ch >= ' ') text += ch;
      }
    };
    input.on('data', onData);
    input.resume();
  });
}

async function promptTwice(ctx: CliContext): Promise<string> {
  for (let attempt = 1; attempt <= PROMPT_ATTEMPTS; attempt++) {
    const first = await promptHidden('New owner password: ', ctx.stdin, ctx.stderr);
    const problem = passwordProblem(first);
    if (problem) {
      ctx.stderr.write(`porthole: ${problem}; try again\n`);
      continue;
    }
    const second = await promptHidden('Repeat it: ', ctx.stdin, ctx.stderr);
    if (first === second) return first;
    ctx.stderr.write('porthole: the two passwords differ; try again\n');
  }
  throw new UsageError(`no matching password after ${PROMPT_ATTEMPTS} tries; the password is unchanged`);
}

export async function passwdMain(argv: string[], ctx: CliContext): Promise<number> {
  const { values } = parseCommandArgs('passwd', argv, PASSWD_FLAGS);
  if (boolFlag(values, 'help')) {
    ctx.stdout.write(formatHelp(USAGE, SUMMARY, PASSWD_FLAGS));
    return EXIT.ok;
  }
  // Open the data dir first: an unusable one should fail before the user types anything.
  const dataDir = await DataDir.open(resolveDataDirPath(stringFlag(values, 'data-dir'), ctx.env));
  await dataDir.readConfig(); // a broken config.json is reported now, not after the prompt

  let password: string;
  if (boolFlag(values, 'stdin')) {
    password = await readFirstLine(ctx.stdin);
    const problem = passwordProblem(password);
    if (problem) throw new UsageError(`${problem} (read from stdin): nothing changed`);
  } else if (ctx.stdin.isTTY && typeof ctx.stdin.setRawMode === 'function') {
    password = await promptTwice(ctx);
  } else {
    throw new UsageError('stdin is not a terminal, so there is nobody to prompt: pass --stdin to read the password from it');
  }

  const passwordHash = await hashPassword(password);
  await dataDir.updateConfig((c) => ({ ...c, passwordHash }));
  ctx.stderr.write(`porthole: password set (bcrypt hash in ${dataDir.configPath}); a running server uses it from the next login\n`);
  return EXIT.ok;
}
