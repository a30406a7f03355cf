// The soak (churn.soak.ts) runs through `npm run soak` only, never in `npm test`
// (vitest.config.ts includes *.test.ts, and this file is not one).
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/soak/**/*.soak.ts'],
    globalSetup: ['tests/helpers/global-setup.ts'],
    pool: 'forks',
    testTimeout: 60 * 60 * 1000,
    hookTimeout: 60_000,
  },
});
