// The one place the CLI decides exit codes and how a failure reads on stderr: a user mistake
// (UsageError, or a PortholeError the server answered with) is one line and exit 2; anything
// else is a fault, reported as one line with its name, exit 1. Never a stack trace, unless
// PORTHOLE_DEBUG is set.
import { EXIT, PortholeError, UsageError } from '../../common/errors.js';

export function exitCodeOf(err: unknown): number {
  if (err instanceof UsageError) return EXIT.usage;
  // 4xx: the request was wrong (no such session, bad token, not allowed): the user can fix it.
  if (err instanceof PortholeError) return err.status < 500 ? EXIT.usage : EXIT.failure;
  return EXIT.failure;
}

/** The single line printed for an error, without the `porthole: ` prefix. */
export function errorLine(err: unknown): string {
  if (err instanceof UsageError) return firstLine(err.message);
  // The code helps a user search for a refusal; 'internal' says nothing a user can act on.
  if (err instanceof PortholeError) return err.code === 'internal' ? firstLine(err.message) : `${firstLine(err.message)} (${err.code})`;
  if (err instanceof Error) {
    const code = (err as NodeJS.ErrnoException).code;
    return `unexpected error: ${firstLine(err.message)}${code ? ` (${code})` : ''}`;
  }
  return `unexpected error: ${String(err)}`;
}

function firstLine(text: string): string {
  return text.split('\n')[0].trim();
}

/** Prints the error's line on stderr and returns the exit code for it. */
export function reportError(err: unknown, stderr: { write(s: string): unknown } = process.stderr, env: NodeJS.ProcessEnv = process.env): number {
  stderr.write(`porthole: ${errorLine(err)}\n`);
  if (env.PORTHOLE_DEBUG && err instanceof Error && err.stack) stderr.write(err.stack + '\n');
  return exitCodeOf(err);
}
