// The soak (`npm run soak -- --minutes N`): a real `porthole serve` on 127.0.0.1, and for N
// minutes sessions created and deleted, owner and share viewers joining and leaving, shares
// created and revoked, output bursts and typed input, event streams opened and dropped. At the
// end, with every session deleted and every client gone: no child process of the server left,
// its open fds back near where they started, its RSS reported (and bounded), and it still
// answers. Bounded loops only; all traffic to the server's own loopback address.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { rng } from '../helpers/fuzz.js';
import { ROOT } from '../helpers/build-main.js';

const MINUTES = Number(process.env.SOAK_MINUTES ?? 2);
const SEED = Number(process.env.SOAK_SEED ?? 7);

const dataDir = mkdtempSync(join(tmpdir(), 'porthole-soak-'));
let child: ChildProcess | undefined;
afterAll(() => {
  if (child && child.exitCode === null) child.kill('SIGKILL');
  rmSync(dataDir, { recursive: true, force: true });
});

function rssKiB(pid: number): number {
  const m = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) : 0;
}
function fdCount(pid: number): number {
  return readdirSync(`/proc/${pid}/fd`).length;
}
/** Every live descendant of pid (from /proc/<pid>/stat parent links). */
function descendants(pid: number): number[] {
  const parent = new Map<number, number>();
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = readFileSync(`/proc/${d}/stat`, 'utf8');
      const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (rest[0] !== 'Z') parent.set(Number(d), Number(rest[1]));
    } catch {
      // gone meanwhile
    }
  }
  const out: number[] = [];
  const walk = (p: number): void => {
    for (const [c, pp] of parent) if (pp === p) (out.push(c), walk(c));
  };
  walk(pid);
  return out;
}

async function startServe(): Promise<{ url: string; token: string; pid: number }> {
  const env: NodeJS.ProcessEnv = { ...process.env, PORTHOLE_LOG_LEVEL: 'warn' };
  for (const k of Object.keys(env)) if (k.startsWith('PORTHOLE_') && k !== 'PORTHOLE_LOG_LEVEL') delete env[k];
  child = spawn(process.execPath, ['bin/porthole.js', 'serve', '--port', '0', '--data-dir', dataDir], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'inherit'] });
  const rl = createInterface({ input: child.stdout! });
  let url = '';
  let token = '';
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('serve did not start in 15 s')), 15_000);
    rl.on('line', (l) => {
      const u = /^Porthole listening on (\S+)/.exec(l);
      if (u) url = u[1];
      const t = /#token=(\S+)$/.exec(l);
      if (t) token = t[1];
      if (url && token) {
        clearTimeout(timer);
        resolve();
      }
    });
  });
  return { url, token, pid: child.pid! };
}

describe('soak', () => {
  it(`churns sessions, viewers and shares for ${MINUTES} min without leaking fds, processes or memory`, async () => {
    const { url, token, pid } = await startServe();
    const auth = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
    const api = async (path: string, init: { method?: string; body?: unknown } = {}): Promise<{ status: number; body: unknown }> => {
      const res = await fetch(url + path, { method: init.method ?? (init.body ? 'POST' : 'GET'), headers: auth, body: init.body ? JSON.stringify(init.body) : undefined });
      const text = await res.text();
      return { status: res.status, body: text ? (JSON.parse(text) as unknown) : undefined };
    };
    const r = rng(SEED);
    const counts = { sessions: 0, deleted: 0, viewers: 0, shares: 0, revoked: 0, events: 0, unexpected: [] as string[] };
    const expect2xx = (what: string, status: number): void => {
      if (status < 200 || status >= 300) counts.unexpected.push(`${what}: ${status}`);
    };
    await new Promise((res) => setTimeout(res, 1000));
    const start = { rss: rssKiB(pid), fds: fdCount(pid) };
    // RSS is compared from the end of a warm-up (the first quarter): memory that the allocator
    // keeps after its first peak (glibc arenas of the screen worker and the libuv threads) is a
    // plateau, not a leak; what grows after it, with the same churn, is.
    const warmUpEnd = Date.now() + (MINUTES * 60_000) / 4;
    let warm: number | undefined;

    const live: Array<{ id: string; sockets: WebSocket[]; shares: Array<{ id: string; token: string }> }> = [];
    const streams: AbortController[] = [];
    const openViewer = (id: string, tok: string): WebSocket => {
      // A share link may have expired (4401 at auth, 4403 once open): expected, not a fault.
      const ok = tok === token ? [1000, 1001, 1005, 1006, 4404] : [1000, 1001, 1005, 1006, 4401, 4403, 4404];
      const ws = new WebSocket(`${url.replace(/^http/, 'ws')}/api/sessions/${id}/ws`);
      ws.on('open', () => ws.send(JSON.stringify({ type: 'auth', token: tok })));
      ws.on('error', () => {});
      ws.on('close', (code) => {
        if (!ok.includes(code)) counts.unexpected.push(`viewer closed ${code}`);
      });
      counts.viewers++;
      return ws;
    };

    const deadline = Date.now() + MINUTES * 60_000;
    while (Date.now() < deadline) {
      if (warm === undefined && Date.now() > warmUpEnd) warm = rssKiB(pid);
      const k = r();
      if ((k < 0.2 && live.length < 12) || live.length === 0) {
        const cmd = r() < 0.5 ? ['sh', '-c', 'seq 1 20000; exec cat'] : ['cat'];
        const res = await api('/api/sessions', { body: { command: cmd, cwd: tmpdir(), cols: 80 + Math.floor(r() * 40), rows: 24 } });
        expect2xx('create', res.status);
        if (res.status === 201) (live.push({ id: (res.body as { id: string }).id, sockets: [], shares: [] }), counts.sessions++);
      } else if (k < 0.4) {
        const s = live[Math.floor(r() * live.length)];
        if (s.sockets.length < 6) s.sockets.push(openViewer(s.id, s.shares.length && r() < 0.5 ? s.shares[0].token : token));
      } else if (k < 0.5) {
        const s = live[Math.floor(r() * live.length)];
        const ws = s.sockets.splice(Math.floor(r() * s.sockets.length), 1)[0];
        if (ws) r() < 0.5 ? ws.close(1000) : ws.terminate();
      } else if (k < 0.6) {
        const s = live[Math.floor(r() * live.length)];
        const res = await api(`/api/sessions/${s.id}/shares`, { body: { mode: r() < 0.5 ? 'view' : 'control', expiresIn: 2 + Math.floor(r() * 60) } });
        expect2xx('share', res.status);
        if (res.status === 201) (s.shares.push(res.body as { id: string; token: string }), counts.shares++);
      } else if (k < 0.67) {
        const s = live[Math.floor(r() * live.length)];
        const sh = s.shares.shift();
        if (sh) {
          const res = await api(`/api/shares/${sh.id}`, { method: 'DELETE' });
          if (res.status !== 204 && res.status !== 404) counts.unexpected.push(`revoke: ${res.status}`); // 404: it had expired
          counts.revoked++;
        }
      } else if (k < 0.8) {
        const s = live[Math.floor(r() * live.length)];
        const res = await api(`/api/sessions/${s.id}/input`, { body: { data: r() < 0.3 ? 'x'.repeat(30_000) + '\n' : `line ${Math.floor(r() * 1e6)}\n` } });
        if (res.status !== 204 && res.status !== 409) counts.unexpected.push(`input: ${res.status}`);
      } else if (k < 0.85) {
        const ac = new AbortController();
        streams.push(ac);
        counts.events++;
        void fetch(`${url}/api/events`, { headers: auth, signal: ac.signal }).then((res) => res.body?.cancel(), () => {});
        if (streams.length > 5) streams.shift()!.abort();
      } else if (k < 0.95) {
        const s = live.splice(Math.floor(r() * live.length), 1)[0];
        const res = await api(`/api/sessions/${s.id}`, { method: 'DELETE' });
        expect2xx('delete', res.status);
        counts.deleted++;
        for (const ws of s.sockets) ws.terminate();
      } else {
        const res = await api('/api/sessions');
        expect2xx('list', res.status);
        await fetch(`${url}/api/sessions/${live[0]?.id}/snapshot`, { headers: auth }).then((x) => x.text(), () => '');
      }
      await new Promise((res) => setTimeout(res, Math.floor(r() * 40)));
    }

    // Wind down: every client gone, every session deleted.
    for (const ac of streams) ac.abort();
    for (const s of live.splice(0)) {
      for (const ws of s.sockets) ws.terminate();
      expect2xx('final delete', (await api(`/api/sessions/${s.id}`, { method: 'DELETE' })).status);
    }
    await new Promise((res) => setTimeout(res, 4000)); // the screen worker's idle stop, sockets' close
    const after = { rss: rssKiB(pid), fds: fdCount(pid), children: descendants(pid) };
    const health = (await api('/health')).body as { status: string; sessions: { running: number; exited: number } };
    console.log(
      `soak: ${JSON.stringify({ minutes: MINUTES, ...counts, unexpected: counts.unexpected.slice(0, 10), rssMiB: { start: Math.round(start.rss / 1024), afterWarmUp: Math.round((warm ?? 0) / 1024), end: Math.round(after.rss / 1024) }, fds: { start: start.fds, end: after.fds }, childrenAfter: after.children.length })}`,
    );
    expect(counts.unexpected).toEqual([]);
    expect(health.status).toBe('ok');
    expect(health.sessions).toEqual({ running: 0, exited: 0 });
    expect(after.children).toEqual([]);
    expect(after.fds).toBeLessThanOrEqual(start.fds + 5);
    // Generous: a leak per session or viewer grows with the churn, well past this.
    expect(after.rss).toBeLessThan((warm ?? start.rss) + 64 * 1024);

    child!.kill('SIGTERM');
    const code = await new Promise<number | null>((res) => child!.once('exit', (c) => res(c)));
    expect(code).toBe(0);
  });
});
