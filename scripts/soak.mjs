#!/usr/bin/env node
// `npm run soak -- --minutes N`: viewers, shares and sessions churning against a real
// `porthole serve` on 127.0.0.1 for N minutes (default 2), then RSS, open fds and child processes
// of the server checked (tests/soak/churn.soak.ts). Not part of `npm test`: it runs as long as
// asked. The run stops by itself.
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
      '--minutes': { env: 'SOAK_MINUTES', valid: /^\d+(\.\d+)?$/, positive: true },
      '--seed': { env: 'SOAK_SEED', valid: /^\d+$/ },
    },
    'usage: npm run soak -- [--minutes N] [--seed S]',
  ),
};
const r = spawnSync('npx', ['vitest', 'run', '--config', join(ROOT, 'tests/soak/vitest.soak.config.ts')], { cwd: ROOT, env, stdio: 'inherit' });
process.exit(r.status ?? 1);
