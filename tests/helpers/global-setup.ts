// Once before any test file: build main/ into dist/. The screen worker runs from its compiled
// entry file (Node 20 cannot start a .ts worker; see screen-host.ts), and the tests that spawn
// `porthole serve` under Node or Bun run dist/ too. The single binary of the "binary" project
// is built by that project's own setup (binary-setup.ts).
import { buildMain } from './build-main.js';

export default function setup(): void {
  buildMain();
}
