#!/usr/bin/env node
// `npm run fuzz -- --seconds N --seed S`: the seeded fuzz test (tests/integration/fuzz.test.ts)
// for longer than `npm test` runs it, or again with the seed a failure printed. Traffic goes to
// a server on 127.0.0.1 that the test starts and stops; the run ends by itself after N seconds.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const env = { ...process.env };
for (let i = 0; i < args.length; i++) {
  const [flag, inline] = args[i].split('=', 2);
  const value = inline ?? args[++i];
  if (flag === '--seconds' && /^\d+$/.test(value ?? '') && Number(value) > 0) env.FUZZ_SECONDS = value;
  else if (flag === '--seed' && /^\d+$/.test(value ?? '')) env.FUZZ_SEED = value;
  else {
    process.stderr.write('usage: npm run fuzz -- [--seconds N] [--seed S]   (N > 0 seconds, S a whole number)\n');
    process.exit(2);
  }
}
const r = spawnSync('npx', ['vitest', 'run', 'tests/integration/fuzz.test.ts'], { cwd: ROOT, env, stdio: 'inherit' });
process.exit(r.status ?? 1);
