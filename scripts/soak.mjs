#!/usr/bin/env node
// `npm run soak -- --minutes N`: viewers, shares and sessions churning against a real
// `porthole serve` on 127.0.0.1 for N minutes (default 2), then RSS, open fds and child processes
// of the server checked (tests/soak/churn.soak.ts). Not part of `npm test`: it runs as long as
// asked. The run stops by itself.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const env = { ...process.env };
for (let i = 0; i < args.length; i++) {
  const [flag, inline] = args[i].split('=', 2);
  const value = inline ?? args[++i];
  if (flag === '--minutes' && /^\d+(\.\d+)?$/.test(value ?? '') && Number(value) > 0) env.SOAK_MINUTES = value;
  else if (flag === '--seed' && /^\d+$/.test(value ?? '')) env.SOAK_SEED = value;
  else {
    process.stderr.write('usage: npm run soak -- [--minutes N] [--seed S]\n');
    process.exit(2);
  }
}
const r = spawnSync('npx', ['vitest', 'run', '--config', join(ROOT, 'tests/soak/vitest.soak.config.ts')], { cwd: ROOT, env, stdio: 'inherit' });
process.exit(r.status ?? 1);
