// The measurements that drive a browser (first-screen.measure.ts): vitest for its harness and
// browser lifecycle, but outside `npm test` (vitest.config.ts includes tests/ only). Run by
// `npm run bench` (run.mjs), or alone: npx vitest run --config benchmarks/vitest.measure.config.ts
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['benchmarks/**/*.measure.ts'],
    pool: 'forks',
    testTimeout: 120_000,
    hookTimeout: 60_000,
  },
});
