#!/usr/bin/env node
// `npm run fuzz -- --seconds N --seed S`: the seeded fuzz test (tests/integration/fuzz.test.ts)
// for longer than `npm test` runs it, or again with the seed a failure printed. Traffic goes to
// a server on 127.0.0.1 that the test starts and stops; the run ends by itself after N seconds.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { parseFlags } from './flags.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const env = {
  ...process.env,
  ...parseFlags(
    process.argv.slice(2),
    {
      '--seconds': { env: 'FUZZ_SECONDS', valid: /^\d+$/, positive: true },
      '--seed': { env: 'FUZZ_SEED', valid: /^\d+$/ },
    },
    'usage: npm run fuzz -- [--seconds N] [--seed S]   (N > 0 seconds, S a whole number)',
  ),
};
const r = spawnSync('npx', ['vitest', 'run', 'tests/integration/fuzz.test.ts'], { cwd: ROOT, env, stdio: 'inherit' });
process.exit(r.status ?? 1);
