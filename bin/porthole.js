#!/usr/bin/env node
// The `porthole` command: the compiled CLI lives in dist/ (built by `npm install` / `npm run build`).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const entry = new URL('../dist/main/cli/index.js', import.meta.url);
if (!existsSync(fileURLToPath(entry))) {
  process.stderr.write('porthole: not built yet; run `npm run build` in the porthole folder first\n');
  process.exit(2);
}
await import(entry.href);
