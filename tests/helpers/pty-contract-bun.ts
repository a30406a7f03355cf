// Runs the PtyPort contract (pty-contract.ts) against Bun's adapter inside a Bun process and
// prints one JSON line per case: tests/integration/pty-bun.test.ts starts it with the bun
// devDependency and turns each line into a test.
import { bunPtyPort } from '../../main/server/pty/bun.js';
import { PTY_CASES } from './pty-contract.js';

for (const c of PTY_CASES) {
  const start = Date.now();
  try {
    await c.run(bunPtyPort);
    console.log(JSON.stringify({ name: c.name, ok: true, ms: Date.now() - start }));
  } catch (err) {
    console.log(JSON.stringify({ name: c.name, ok: false, ms: Date.now() - start, error: err instanceof Error ? (err.stack ?? err.message) : String(err) }));
  }
}
