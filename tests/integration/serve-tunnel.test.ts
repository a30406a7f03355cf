// `serve --tunnel cloudflared|tailscale` with stand-in programs on PATH that print what the
// real ones print and forward TCP like a tunnel would (tests/fixtures/tunnels/standin.mjs).
// Checked: `Public URL:` on stdout, links and the owner link on it, a visitor through the
// "tunnel" opens the link (HTTP and WebSocket with the tunnel's Origin), a foreign Origin is
// refused, the program is stopped on exit (no orphan), and a missing or failing program is
// exit 2 with one line.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { buildMain, ROOT } from '../helpers/build-main.js';
import { processAlive, until } from '../helpers/server.js';
import { childScope } from '../helpers/subprocess.js';
import { portholeCommand } from '../helpers/runtimes.js';

/** spawn(...cliArgv(args)): `porthole ARGS` under the runtime the suite runs (helpers/runtimes.ts). */
const cliArgv = (args: string[]): [string, string[]] => {
  const c = portholeCommand(args);
  return [c.file, c.args];
};

const STANDINS = join(ROOT, 'tests', 'fixtures', 'tunnels');
const { tmp, track } = childScope('porthole-tunnel-');
beforeAll(() => buildMain());

/** PATH with the stand-ins (or without them) and node, and nothing else of the machine's. */
function env(extra: NodeJS.ProcessEnv, withStandins = true): NodeJS.ProcessEnv {
  const base: NodeJS.ProcessEnv = { HOME: tmp(), PORTHOLE_LOG_LEVEL: 'warn' };
  const path = [withStandins ? STANDINS : undefined, dirname(process.execPath), '/usr/bin', '/bin'].filter(Boolean).join(':');
  return { ...base, PATH: path, ...extra };
}

interface Started {
  child: ChildProcess;
  lines: string[];
  stderr: () => string;
  exited: Promise<number | null>;
}

async function serve(args: string[], e: NodeJS.ProcessEnv, want = 3): Promise<Started> {
  const child = spawn(...cliArgv(['serve', '--port', '0', '--data-dir', tmp(), ...args]), { cwd: ROOT, env: e, stdio: ['ignore', 'pipe', 'pipe'] });
  track(child);
  let err = '';
  child.stderr!.on('data', (c: Buffer) => (err += c.toString()));
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  const lines: string[] = [];
  createInterface({ input: child.stdout! }).on('line', (l) => lines.push(l));
  await Promise.race([until(() => lines.length >= want, 20_000, `${want} stdout lines`), exited.then(() => undefined)]);
  return { child, lines, stderr: () => err, exited };
}

function get(port: number, path: string, headers: Record<string, string>): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, headers }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('serve --tunnel', () => {
  it('cloudflared: Public URL on stdout, links on it, a visitor through the tunnel gets in, stopped on exit', async () => {
    const info = join(tmp(), 'standin.json');
    const s = await serve(['--tunnel', 'cloudflared'], env({ STANDIN_INFO: info }));
    expect(s.lines[0]).toMatch(/^Porthole listening on http:\/\/127\.0\.0\.1:\d+$/);
    const publicUrl = 'https://shy-dog-standin-42.trycloudflare.com';
    expect(s.lines[1]).toBe(`Public URL: ${publicUrl}`);
    expect(s.lines[2]).toMatch(new RegExp(`^Owner link: ${publicUrl.replace(/\./g, '\\.')}/#token=`));
    expect(s.stderr()).not.toContain('this machine only');
    const port = Number(/:(\d+)$/.exec(s.lines[0])![1]);
    const standin = JSON.parse(readFileSync(info, 'utf8')) as { pid: number; port: number; argv: string[] };
    expect(standin.argv).toEqual(['tunnel', '--url', `http://127.0.0.1:${port}`]);

    // The owner's token from the owner link; a share link made through the API is on the tunnel.
    const owner = s.lines[2].split('#token=')[1];
    const host = new URL(publicUrl).host;
    const sessions = await fetch(`http://127.0.0.1:${port}/api/sessions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${owner}`, 'content-type': 'application/json' },
      body: JSON.stringify({ command: ['cat'], cwd: tmpdir() }),
    });
    const session = (await sessions.json()) as { id: string };
    const shareRes = await fetch(`http://127.0.0.1:${port}/api/sessions/${session.id}/shares`, {
      method: 'POST',
      headers: { authorization: `Bearer ${owner}`, 'content-type': 'application/json' },
      body: JSON.stringify({ mode: 'control' }),
    });
    const share = (await shareRes.json()) as { url: string; token: string };
    expect(share.url.startsWith(`${publicUrl}/s/${session.id}#`)).toBe(true);

    // A visitor from elsewhere, through the stand-in's forwarder, with the tunnel's Host.
    const page = await get(standin.port, `/s/${session.id}`, { host });
    expect(page.status).toBe(200);
    const me = await get(standin.port, '/api/auth/me', { host, authorization: `Bearer ${share.token}`, origin: publicUrl });
    expect(JSON.parse(me.body)).toMatchObject({ role: 'share', mode: 'control' });
    const ws = new WebSocket(`ws://127.0.0.1:${standin.port}/api/sessions/${session.id}/ws`, { headers: { host }, origin: publicUrl });
    const got: string[] = [];
    ws.on('message', (d, bin) => got.push(bin ? (d as Buffer).toString() : ''));
    await new Promise((r) => ws.once('open', r));
    ws.send(JSON.stringify({ type: 'auth', token: share.token }));
    ws.send(Buffer.from('through-the-tunnel\n'));
    await until(() => got.join('').includes('through-the-tunnel'), 5000, 'the echo through the tunnel');
    ws.close();
    // A page on another site may not open a socket here.
    const foreign = new WebSocket(`ws://127.0.0.1:${standin.port}/api/sessions/${session.id}/ws`, { headers: { host }, origin: 'https://evil.example' });
    const status = await new Promise<number>((r) => foreign.once('unexpected-response', (_q, res) => r(res.statusCode ?? 0)));
    expect(status).toBe(403);

    s.child.kill('SIGTERM');
    expect(await s.exited).toBe(0);
    await until(() => !processAliveSync(standin.pid), 3000, 'the stand-in to stop');
    expect(await processAlive(standin.pid)).toBe(false);
    // Stopped on purpose: no "cloudflared stopped ... restart serve" warning.
    expect(s.stderr()).not.toContain('cloudflared stopped');
  });

  it('a tunnel that dies while serving: stderr says its links no longer open; serve goes on', async () => {
    const info = join(tmp(), 'standin.json');
    const s = await serve(['--tunnel', 'cloudflared'], env({ STANDIN_INFO: info }));
    const standin = JSON.parse(readFileSync(info, 'utf8')) as { pid: number };
    process.kill(standin.pid, 'SIGKILL');
    await until(() => s.stderr().includes('porthole: cloudflared stopped'), 5000, 'the warning');
    expect(s.stderr()).toMatch(/cloudflared stopped \(SIGKILL\): links on https:\/\/shy-dog-standin-42\.trycloudflare\.com no longer open/);
    const port = Number(/:(\d+)$/.exec(s.lines[0])![1]);
    expect((await fetch(`http://127.0.0.1:${port}/health`)).status).toBe(200);
    s.child.kill('SIGTERM');
    expect(await s.exited).toBe(0);
  });

  it('tailscale: runs `tailscale funnel PORT`, takes the ts.net URL, stops it on exit', async () => {
    const info = join(tmp(), 'standin.json');
    const s = await serve(['--tunnel', 'tailscale'], env({ STANDIN_INFO: info }));
    expect(s.lines[1]).toBe('Public URL: https://porthole-standin.tail9f3a.ts.net');
    expect(s.lines[2]).toMatch(/^Owner link: https:\/\/porthole-standin\.tail9f3a\.ts\.net\/#token=/);
    const standin = JSON.parse(readFileSync(info, 'utf8')) as { pid: number; argv: string[] };
    expect(standin.argv).toEqual(['funnel', /:(\d+)$/.exec(s.lines[0])![1]]);
    s.child.kill('SIGINT');
    expect(await s.exited).toBe(0);
    await until(() => !processAliveSync(standin.pid), 3000, 'the stand-in to stop');
  });

  it('a missing program: exit 2, one line saying to install it', () => {
    const r = spawnSync(...cliArgv(['serve', '--port', '0', '--data-dir', tmp(), '--tunnel', 'cloudflared']), {
      cwd: ROOT,
      env: env({}, false),
      encoding: 'utf8',
      timeout: 20_000,
    });
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^porthole: --tunnel cloudflared: cloudflared is not on PATH: install it \(https:\/\/[^)]+\) or drop --tunnel\n$/);
  });

  it.each([
    ['cloudflared', /failed to request quick Tunnel/],
    ['tailscale', /error: funnel not available/],
  ])('a failing %s: exit 2, one line with its reason, no orphan', (kind, reason) => {
    const r = spawnSync(...cliArgv(['serve', '--port', '0', '--data-dir', tmp(), '--tunnel', kind]), {
      cwd: ROOT,
      env: env({ STANDIN_MODE: 'fail' }),
      encoding: 'utf8',
      timeout: 20_000,
    });
    expect(r.status).toBe(2);
    expect(r.stderr.split('\n').filter(Boolean)).toHaveLength(1);
    expect(r.stderr).toMatch(new RegExp(`^porthole: --tunnel ${kind}: ${kind} exited \\(1\\) before giving a public URL: `));
    expect(r.stderr).toMatch(reason);
  });

  it('flag mistakes: an unknown tunnel, or with --public-url', () => {
    const run = (args: string[]) => spawnSync(...cliArgv(['serve', '--data-dir', tmp(), ...args]), { cwd: ROOT, env: env({}), encoding: 'utf8' });
    const bad = run(['--tunnel', 'ngrok']);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toBe('porthole: --tunnel "ngrok": expected cloudflared or tailscale\n');
    const both = run(['--tunnel', 'cloudflared', '--public-url', 'https://x.example']);
    expect(both.status).toBe(2);
    expect(both.stderr).toMatch(/^porthole: --tunnel cloudflared gives the public URL itself: drop --public-url/);
  });
});

function processAliveSync(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
