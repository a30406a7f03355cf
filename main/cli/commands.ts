// The `porthole` command table and dispatcher: argv -> one command's run(), and its result or
// error -> an exit code (through exit.ts). A command is an entry here; modules load lazily, so
// `porthole ls` never pulls in the server and `porthole serve` never pulls in the client.
import { EXIT, UsageError } from '../../common/errors.js';
import { VERSION } from '../../common/version.js';
import { describeRuntime } from '../server/runtime.js';
import type { AssetSource } from '../server/http/assets.js';
import { boolFlag, formatHelp, parseCommandArgs, stringFlag, suggest, type FlagSpec } from './args.js';
import { reportError } from './exit.js';

/** The process surface a command may touch; tests pass fakes. */
export interface CliContext {
  stdin: NodeJS.ReadableStream & { isTTY?: boolean; setRawMode?(mode: boolean): unknown };
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  env: NodeJS.ProcessEnv;
  /** Ends the process (serve's hard shutdown timer); tests replace it. */
  exit(code: number): void;
  /** Where serve's pages come from; unset = dist/renderer on disk (the binary passes its own). */
  assets?: AssetSource;
}

export interface Command {
  name: string;
  /** One line for `porthole --help`. */
  summary: string;
  /** argv after the command name; resolves to the exit code. Throw UsageError for mistakes. */
  run(argv: string[], ctx: CliContext): Promise<number>;
}

// ---- client commands (run, attach, ls, share): their flags, mapped onto their options ----

const CLIENT_FLAGS: FlagSpec = {
  url: { type: 'string', valueName: 'URL', description: 'the server (default: PORTHOLE_URL, else the running serve of the data dir, else http://127.0.0.1:4022)' },
  'data-dir': { type: 'string', valueName: 'DIR', description: 'data dir whose secret makes the owner token and whose server.json finds the server (default: PORTHOLE_DATA_DIR)' },
};

function clientCommand(
  name: string,
  usage: string,
  summary: string,
  flags: FlagSpec,
  positionals: number | 'any',
  run: (values: ReturnType<typeof parseCommandArgs>, client: { url?: string; dataDir?: string }) => Promise<number>,
): Command {
  const spec = { ...flags, ...CLIENT_FLAGS };
  return {
    name,
    summary,
    async run(argv, ctx) {
      const parsed = parseCommandArgs(name, argv, spec, positionals);
      if (boolFlag(parsed.values, 'help')) {
        ctx.stdout.write(formatHelp(usage, summary, spec));
        return EXIT.ok;
      }
      const client: { url?: string; dataDir?: string } = {};
      const url = stringFlag(parsed.values, 'url');
      const dataDir = stringFlag(parsed.values, 'data-dir');
      if (url !== undefined) client.url = url;
      if (dataDir !== undefined) client.dataDir = dataDir;
      return run(parsed, client);
    },
  };
}

function onePositional(name: string, what: string, positionals: string[]): string {
  if (positionals.length !== 1) throw new UsageError(`porthole ${name} needs ${what}; see \`porthole ${name} --help\``);
  return positionals[0];
}

// Append new commands here; keep `summary` to one line.
export const COMMANDS: readonly Command[] = [
  {
    name: 'serve',
    summary: 'run the server headless (no desktop app)',
    run: async (argv, ctx) => (await import('./serve.js')).serveMain(argv, ctx),
  },
  {
    name: 'passwd',
    summary: 'set the owner password (stores only a bcrypt hash)',
    run: async (argv, ctx) => (await import('./passwd.js')).passwdMain(argv, ctx),
  },
  clientCommand(
    'run',
    'porthole run [--name N] [--share view|control] -- CMD [ARG...]',
    'start CMD as a new session and attach this terminal to it',
    {
      name: { type: 'string', valueName: 'N', description: 'session name' },
      share: { type: 'string', valueName: 'MODE', description: 'also print a view or control link on stderr' },
    },
    'any',
    async ({ values, positionals }, client) =>
      (await import('./run.js')).run({ ...client, command: positionals, name: stringFlag(values, 'name'), share: stringFlag(values, 'share') }),
  ),
  clientCommand('attach', 'porthole attach ID', 'attach this terminal to a running session', {}, 1, async ({ positionals }, client) =>
    (await import('./attach.js')).attach({ ...client, id: onePositional('attach', 'a session ID', positionals) }),
  ),
  clientCommand(
    'ls',
    'porthole ls [--json]',
    'list sessions',
    { json: { type: 'boolean', description: 'print the raw JSON array' } },
    0,
    async ({ values }, client) => (await import('./ls.js')).ls({ ...client, json: boolFlag(values, 'json') }),
  ),
  clientCommand(
    'share',
    'porthole share ID [--mode view|control] [--expires DURATION] [--label TEXT] [--max-viewers N]',
    'print a new share link for a session',
    {
      mode: { type: 'string', valueName: 'MODE', description: 'view (default) or control' },
      expires: { type: 'string', valueName: 'DURATION', description: 'lifetime like 90s, 30m, 2h, 7d (default 24h)' },
      label: { type: 'string', valueName: 'TEXT', description: 'a note shown in the share list' },
      'max-viewers': { type: 'string', valueName: 'N', description: 'at most N people at once through the link (1..1000)' },
    },
    1,
    async ({ values, positionals }, client) =>
      (await import('./share.js')).share({
        ...client,
        id: onePositional('share', 'a session ID', positionals),
        mode: stringFlag(values, 'mode'),
        expires: stringFlag(values, 'expires'),
        label: stringFlag(values, 'label'),
        maxViewers: stringFlag(values, 'max-viewers'),
      }),
  ),
  clientCommand(
    'links',
    'porthole links ID [--json]',
    "list a session's share links (never their tokens)",
    { json: { type: 'boolean', description: 'print the raw JSON array' } },
    1,
    async ({ values, positionals }, client) =>
      (await import('./links.js')).links({ ...client, id: onePositional('links', 'a session ID', positionals), json: boolFlag(values, 'json') }),
  ),
  clientCommand('revoke', 'porthole revoke SHAREID', 'revoke a share link at once (its viewers are cut off)', {}, 1, async ({ positionals }, client) =>
    (await import('./links.js')).revoke({ ...client, shareId: onePositional('revoke', 'a share ID (`porthole links ID` lists them)', positionals) }),
  ),
];

/** This process as a CliContext: what bin/porthole.js and the single binary hand dispatch(). */
export function processContext(): CliContext {
  return { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr, env: process.env, exit: (code) => process.exit(code) };
}

export function mainHelp(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length)) + 2;
  return [
    'usage: porthole <command> [flags]',
    '',
    'Share a terminal with a link.',
    '',
    'commands:',
    ...COMMANDS.map((c) => `  ${c.name.padEnd(width)}${c.summary}`),
    '',
    'flags: --help (also after a command), --version',
    'Run `porthole <command> --help` for its flags.',
  ].join('\n') + '\n';
}

/** Runs `porthole ARGV...` and returns the exit code; never throws. */
export async function dispatch(argv: readonly string[], ctx: CliContext): Promise<number> {
  try {
    const [first, ...rest] = argv;
    if (first === undefined || first === '--help' || first === '-h' || first === 'help') {
      if (first === 'help' && rest[0] !== undefined) return await dispatch([rest[0], '--help'], ctx);
      // No command at all is a mistake: the help goes to stderr with exit 2.
      (first === undefined ? ctx.stderr : ctx.stdout).write(mainHelp());
      return first === undefined ? EXIT.usage : EXIT.ok;
    }
    if (first === '--version' || first === '-v' || first === '-V') {
      ctx.stdout.write(`porthole ${VERSION} (${describeRuntime()})\n`);
      return EXIT.ok;
    }
    const command = COMMANDS.find((c) => c.name === first);
    if (!command) {
      const what = first.startsWith('-') ? `unknown flag ${first}` : `unknown command ${JSON.stringify(first)}`;
      const near = first.startsWith('-') ? undefined : suggest(first, COMMANDS.map((c) => c.name));
      if (near) throw new UsageError(`${what} (did you mean ${near}?); see \`porthole --help\``);
      throw new UsageError(`${what}; commands: ${COMMANDS.map((c) => c.name).join(', ')} (see \`porthole --help\`)`);
    }
    return await command.run(rest, ctx);
  } catch (err) {
    return reportError(err, ctx.stderr, ctx.env);
  }
}
