// The flag parser of `npm run fuzz` and `npm run soak`: each takes a few `--name value` (or
// `--name=value`) flags that become environment variables of the vitest run it starts.
// Anything else prints the usage and exits 2, so a typo never runs with the defaults.

/**
 * @param {string[]} argv the script's arguments
 * @param {Record<string, { env: string, valid: RegExp, positive?: boolean }>} flags --name ->
 *   the variable it sets, the pattern its value must match, and whether it must be above 0
 * @param {string} usage printed on a bad flag
 * @returns {Record<string, string>} the environment variables to set
 */
export function parseFlags(argv, flags, usage) {
  const env = {};
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].split('=', 2);
    const spec = flags[flag];
    const value = inline ?? argv[++i];
    if (!spec || value === undefined || !spec.valid.test(value) || (spec.positive && !(Number(value) > 0))) {
      process.stderr.write(`${usage}\n`);
      process.exit(2);
    }
    env[spec.env] = value;
  }
  return env;
}
