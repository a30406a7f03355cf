// Exited sessions stay listed until deleted (`porthole run` never deletes them): their memory
// is bounded. The resume ring goes on exit; the newest final screens stay whole (scrollback,
// colours) within exitedFinalMaxBytes together, older ones keep their visible text only.
import { tmpdir } from 'node:os';
import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../main/server/log.js';
import { loadRuntime } from '../../main/server/runtime.js';
import { SessionManager } from '../../main/server/sessions/manager.js';
import { makeTempDir } from '../helpers/server.js';

type Inner = { finalBytes: number; ring: { allocated: number }; snapshot(): Promise<string> };

describe('exited sessions are bounded', () => {
  it('frees the ring on exit and keeps whole finals only for the newest, within the bound', async () => {
    const { pty } = await loadRuntime();
    const BOUND = 100 * 1024;
    const m = new SessionManager({ recordingsDir: await makeTempDir(), logger: silentLogger, pty, exitedFinalMaxBytes: BOUND, scrollback: 5000 });
    const ids: string[] = [];
    for (let i = 0; i < 6; i++) {
      const s = await m.create({ command: ['sh', '-c', `seq 1 4000 | sed 's/^/\\x1b[3${i}mline /'; echo "the end of ${i}"`], cwd: tmpdir() });
      ids.push(s.id);
      await (m.get(s.id) as unknown as { exited: Promise<void> }).exited;
    }
    await new Promise((r) => setTimeout(r, 50));
    const inner = ids.map((id) => m.get(id) as unknown as Inner);
    const sizes = inner.map((s) => s.finalBytes);
    const whole = Math.max(...sizes);
    expect(whole).toBeGreaterThan(BOUND / 6); // a whole final (scrollback) is big here
    // Newest first: whole while they fit in the bound, then text only (24 rows of text).
    expect(sizes.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(BOUND + 6 * 24 * 81 * 4);
    expect(sizes[5]).toBe(whole);
    expect(sizes[0]).toBeLessThan(24 * 81 * 4);
    for (const s of inner) expect(s.ring.allocated).toBe(0);
    // The compacted one still shows its last screen.
    expect(await inner[0].snapshot()).toContain('the end of 0');
    await m.closeAll();
  }, 60_000);
});
