// Contract section 7: which runtime answers. /health names it, `porthole --version` prints it,
// and a server under Bun never loads node-pty (its native module is nowhere in the process).
import { spawnSync } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import type { HealthResponse } from '../../common/protocol.js';
import { VERSION } from '../../common/version.js';
import { ROOT } from '../helpers/build-main.js';
import { portholeCommand, runtimeExecutable, type TestRuntime } from '../helpers/runtimes.js';
import { makeTempDir, startServer, testRuntime } from '../helpers/server.js';
import { startServerChild } from '../helpers/server-process.js';

const cli = testRuntime() ?? 'node';
/** The single binary is Bun inside. */
const expected: TestRuntime = cli === 'node' ? 'node' : 'bun';

describe(`runtime (${expected})`, () => {
  it('GET /health says which runtime answers', async () => {
    const ts = await startServer();
    const { body } = await ts.json<HealthResponse>('/health');
    expect(body.runtime?.name).toBe(expected);
    const version = spawnSync(runtimeExecutable(expected), ['--version'], { encoding: 'utf8' }).stdout.trim().replace(/^v/, '');
    expect(body.runtime?.version).toBe(version);
  });

  it('porthole --version prints porthole <version> (<runtime> <version>)', () => {
    const cmd = portholeCommand(['--version'], cli);
    const r = spawnSync(cmd.file, cmd.args, { cwd: ROOT, encoding: 'utf8' });
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`^porthole ${VERSION.replace(/\./g, '\\.')} \\(${expected} \\d+\\.\\d+\\.\\d+\\)\\n$`));
  });

  it('loads node-pty under Node only: a Bun server has no node-pty in its memory map', async () => {
    const child = await startServerChild(cli, await makeTempDir(), {});
    try {
      const res = await fetch(`${child.url}/api/sessions`, {
        method: 'POST',
        headers: { authorization: `Bearer ${child.ownerToken}`, 'content-type': 'application/json' },
        body: JSON.stringify({ command: ['sh', '-c', 'echo hi; sleep 5'] }),
      });
      expect(res.status).toBe(201);
      const maps = await readFile(`/proc/${child.child.pid}/maps`, 'utf8');
      expect(/node-pty|pty\.node/.test(maps)).toBe(expected === 'node');
    } finally {
      await child.close();
    }
  });
});
