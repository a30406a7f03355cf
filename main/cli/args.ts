// Strict flag parsing for every `porthole` command: node:util parseArgs (strict) for the
// syntax, zod for the values. Any mistake becomes a UsageError whose one line names the flag
// and what to write instead, so the user never sees a stack trace for a typo.
import { parseArgs } from 'node:util';
import type { z } from 'zod';
import { UsageError } from '../../common/errors.js';

export interface FlagDef {
  type: 'string' | 'boolean';
  multiple?: boolean;
  short?: string;
  /** Shown in --help, e.g. `N` for `--port N`. */
  valueName?: string;
  description: string;
}
export type FlagSpec = Record<string, FlagDef>;

/** What parseArgs hands back for a spec: strings, booleans or repeated strings. */
export type FlagValues = Record<string, string | boolean | string[] | undefined>;

export interface ParsedArgs {
  values: FlagValues;
  positionals: string[];
}

/** The flags every command takes. */
export const HELP_FLAG: FlagSpec = {
  help: { type: 'boolean', short: 'h', description: 'show this help' },
};

/**
 * Parse argv for `porthole <command>`. `positionals` is how many bare arguments the command
 * takes ('any' for `run -- CMD ...`). Throws UsageError with one line.
 */
export function parseCommandArgs(
  command: string,
  argv: readonly string[],
  spec: FlagSpec,
  positionals: number | 'any' = 0,
): ParsedArgs {
  const options: Record<string, { type: 'string' | 'boolean'; multiple?: boolean; short?: string }> = {};
  for (const [name, def] of Object.entries({ ...spec, ...HELP_FLAG })) {
    options[name] = { type: def.type, ...(def.multiple ? { multiple: true } : {}), ...(def.short ? { short: def.short } : {}) };
  }
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({ args: [...argv], options, strict: true, allowPositionals: positionals !== 0 });
  } catch (err) {
    // IDs are base64url: one made before ids.ts stopped drawing a leading '-' reads as a flag.
    const dash = positionals !== 0 && (err as { code?: string }).code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' ? ' (an argument that starts with - goes after --)' : '';
    throw new UsageError(`${describeParseError(err, spec)}${dash}; see \`porthole ${command} --help\``);
  }
  const values = parsed.values as FlagValues;
  if (values.help !== true && typeof positionals === 'number' && parsed.positionals.length > positionals) {
    const extra = parsed.positionals[positionals];
    throw new UsageError(`unexpected argument ${JSON.stringify(extra)}; see \`porthole ${command} --help\``);
  }
  return { values, positionals: parsed.positionals };
}

/** parseArgs' messages are long and mention its own API; boil them down to one line. */
function describeParseError(err: unknown, spec: FlagSpec): string {
  const e = err as { code?: string; message?: string };
  const msg = e.message ?? String(err);
  const quoted = /'([^']+)'/.exec(msg)?.[1];
  switch (e.code) {
    case 'ERR_PARSE_ARGS_UNKNOWN_OPTION': {
      const flag = quoted ?? msg;
      const hint = suggest(flag, Object.keys(spec));
      return `unknown flag ${flag}${hint ? ` (did you mean --${hint}?)` : ''}`;
    }
    case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE': {
      const flag = (quoted ?? '').split(/[ ,]/)[0] || 'a flag';
      if (/argument missing/.test(msg)) return `${flag} needs a value`;
      if (/does not take an argument/.test(msg)) return `${flag} takes no value`;
      return `bad value for ${flag}`;
    }
    case 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL':
      return `unexpected argument ${quoted ? JSON.stringify(quoted) : ''}`.trim();
    default:
      return msg.split('\n')[0];
  }
}

/** The known flag (or command) closest to a mistyped one (edit distance <= 2), if any. */
export function suggest(flag: string, known: string[]): string | undefined {
  const name = flag.replace(/^-+/, '').split('=')[0];
  let best: string | undefined;
  let bestDist = 3;
  for (const k of known) {
    const d = editDistance(name, k);
    if (d < bestDist) {
      best = k;
      bestDist = d;
    }
  }
  return best;
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return row[b.length];
}

/** Validate one flag's value with zod; a failure is a one-line UsageError naming the flag. */
export function flagValue<T>(flag: string, schema: z.ZodType<T>, value: unknown, expected: string): T {
  const r = schema.safeParse(value);
  if (!r.success) throw new UsageError(`--${flag} ${JSON.stringify(value)}: expected ${expected}`);
  return r.data;
}

export function stringFlag(values: FlagValues, name: string): string | undefined {
  const v = values[name];
  return typeof v === 'string' ? v : undefined;
}

export function boolFlag(values: FlagValues, name: string): boolean {
  return values[name] === true;
}

export function listFlag(values: FlagValues, name: string): string[] | undefined {
  const v = values[name];
  return Array.isArray(v) ? v : undefined;
}

/** `--help` text: usage line, summary and the flags, aligned. */
export function formatHelp(usage: string, summary: string, spec: FlagSpec, footer?: string): string {
  const rows = Object.entries({ ...spec, ...HELP_FLAG }).map(([name, def]) => {
    const left = `${def.short ? `-${def.short}, ` : '    '}--${name}${def.type === 'string' ? ` ${def.valueName ?? 'VALUE'}` : ''}`;
    return [left, def.description + (def.multiple ? ' (repeatable)' : '')] as const;
  });
  const width = Math.max(...rows.map(([l]) => l.length)) + 2;
  const lines = [`usage: ${usage}`, '', summary, '', 'flags:', ...rows.map(([l, d]) => `  ${l.padEnd(width)}${d}`)];
  if (footer) lines.push('', footer);
  return lines.join('\n') + '\n';
}
