import { defineConfig } from 'vitest/config';

/**
 * The contract-level files, run a second time against the server under Bun (a child process:
 * tests/helpers/server-process.ts): HTTP API and auth, the WebSocket protocol, sessions
 * lifecycle / redraw / recordings / backpressure, shutdown, `porthole serve`, /api/fs, the CLI
 * in a TTY (passwd, run, attach), and the pages (docs/runtimes.md).
 * The rest (CLI clients, Electron, unit tests, options only the in-process Server takes) is
 * runtime-independent or reaches into the Server, and runs once, under Node.
 */
export const BUN_FILES = [
  'tests/integration/http-api.test.ts',
  'tests/integration/http-auth.test.ts',
  'tests/integration/http-validation.test.ts',
  'tests/integration/http-fast-path.test.ts',
  'tests/integration/http-fast-path-writes.test.ts',
  'tests/integration/http-preview.test.ts',
  'tests/integration/ws.test.ts',
  'tests/integration/sessions-lifecycle.test.ts',
  'tests/integration/sessions-redraw.test.ts',
  'tests/integration/sessions-lazy-screen.test.ts',
  'tests/integration/sessions-recording.test.ts',
  'tests/integration/sessions-backpressure.test.ts',
  'tests/integration/shutdown.test.ts',
  'tests/integration/memory-settle.test.ts',
  'tests/integration/serve-cli.test.ts',
  'tests/integration/runtime.test.ts',
  'tests/integration/http-fs.test.ts',
  'tests/integration/recording-options.test.ts',
  'tests/integration/cli-tty.test.ts',
  'tests/e2e/viewer.test.ts',
  'tests/e2e/first-screen.test.ts',
  'tests/e2e/panel.test.ts',
];

/**
 * The same files again against the single binary (dist/bin/porthole, built from the current
 * sources by the project's setup and copied alone into an empty temp dir; docs/install.md), with
 * the CLI suites on top: every `porthole` they start is that one file.
 */
export const BINARY_FILES = [...new Set([...BUN_FILES, 'tests/integration/cli-discovery.test.ts', 'tests/integration/cli-tty.test.ts', 'tests/integration/serve-tunnel.test.ts'])];

export default defineConfig({
  test: {
    globalSetup: ['tests/helpers/global-setup.ts'],
    // node-pty and real servers: separate processes keep native handles apart.
    pool: 'forks',
    testTimeout: 20_000,
    hookTimeout: 30_000,
    // expect.poll's default (1 s) measures the machine's load more than the code: a state that
    // does arrive may take longer on a busy 2-core CI box. Polls still fail on what never comes.
    expect: { poll: { timeout: 10_000, interval: 50 } },
    projects: [
      { extends: true, test: { name: 'node', include: ['tests/**/*.test.ts'] } },
      { extends: true, test: { name: 'bun', include: BUN_FILES, env: { PORTHOLE_TEST_RUNTIME: 'bun' } } },
      {
        extends: true,
        test: { name: 'binary', include: BINARY_FILES, env: { PORTHOLE_TEST_RUNTIME: 'binary' }, globalSetup: ['tests/helpers/binary-setup.ts'] },
      },
    ],
  },
});
