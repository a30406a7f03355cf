// Once before any test file: build main/ into dist/. The screen worker runs from its compiled
// entry file (Node 20 cannot start a .ts worker; see screen-host.ts), and the tests that spawn
// `porthole serve` under Node or Bun run dist/ too. With PORTHOLE_TEST_RUNTIME=binary the CLI
// suites run the single binary instead: it is built once here and copied alone into a temp dir
// (tests/helpers/binary.ts), and its path reaches the test processes as PORTHOLE_TEST_BINARY.
import { buildLoneBinary } from './binary.js';
import { buildMain } from './build-main.js';

export default function setup(): (() => void) | void {
  buildMain();
  if (process.env.PORTHOLE_TEST_RUNTIME === 'binary' && !process.env.PORTHOLE_TEST_BINARY) {
    const bin = buildLoneBinary();
    process.env.PORTHOLE_TEST_BINARY = bin.exe;
    return () => bin.dispose();
  }
}
