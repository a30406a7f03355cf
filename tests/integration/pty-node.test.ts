// The PtyPort contract (tests/helpers/pty-contract.ts) against the node-pty adapter.
import { describe, it } from 'vitest';
import { nodePtyPort } from '../../main/server/pty/node-pty.js';
import { PTY_CASES } from '../helpers/pty-contract.js';

describe('PtyPort contract: node-pty', () => {
  for (const c of PTY_CASES) it(c.name, () => c.run(nodePtyPort), 30_000);
});
