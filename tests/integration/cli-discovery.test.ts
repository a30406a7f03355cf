// Client commands find the server (contract section 9) and manage links, run as a user runs
// them: the built `porthole` in subprocesses. serve writes server.json (0600 {url,pid}) and
// removes it on exit; ls/share/links/revoke find it through PORTHOLE_DATA_DIR or --data-dir
// alone; PORTHOLE_URL and --url beat it; a stale file is ignored. Shares are logged by id,
// created, joined and revoked, and never with their token.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { buildMain, ROOT } from '../helpers/build-main.js';
import { until } from '../helpers/server.js';
import { childScope } from '../helpers/subprocess.js';
import { portholeCommand } from '../helpers/runtimes.js';

const { tmp, track } = childScope('porthole-disc-');
beforeAll(() => buildMain());

function cleanEnv(extra: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, HOME: tmp(), XDG_CONFIG_HOME: '' };
  for (const k of Object.keys(env)) if (k.startsWith('PORTHOLE_')) delete env[k];
  return { ...env, ...extra };
}

function porthole(args: string[], env: NodeJS.ProcessEnv) {
  const cmd = portholeCommand(args);
  return spawnSync(cmd.file, cmd.args, { cwd: ROOT, env, encoding: 'utf8', timeout: 15_000 });
}

async function serve(env: NodeJS.ProcessEnv): Promise<{ child: ChildProcess; url: string; stderr: () => string; exited: Promise<number | null> }> {
  const cmd = portholeCommand(['serve']);
  const child = spawn(cmd.file, cmd.args, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  track(child);
  let err = '';
  child.stderr!.on('data', (c: Buffer) => (err += c.toString()));
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`serve did not start; stderr: ${err}`)), 15_000);
    createInterface({ input: child.stdout! }).on('line', (l) => {
      const m = /^Porthole listening on (\S+)$/.exec(l);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
  });
  return { child, url, stderr: () => err, exited };
}

describe('client commands find the server', () => {
  it('through server.json in PORTHOLE_DATA_DIR (the user who set PORTHOLE_PORT), removed on exit', async () => {
    const dataDir = tmp();
    const env = cleanEnv({ PORTHOLE_DATA_DIR: dataDir, PORTHOLE_PORT: '0', PORTHOLE_LOG_LEVEL: 'info' });
    const s = await serve(env);
    const file = join(dataDir, 'server.json');
    await until(() => existsSync(file), 5000, 'server.json');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const info = JSON.parse(readFileSync(file, 'utf8')) as { url: string; pid: number };
    expect(info).toEqual({ url: s.url, pid: s.child.pid });
    expect(s.url).not.toMatch(/:4022$/); // a free port, so the default URL would miss it

    const ls = porthole(['ls'], env);
    expect(ls.stderr).toBe('');
    expect(ls.status).toBe(0);
    expect(ls.stdout).toMatch(/^No sessions/);

    // --data-dir alone, without the environment variable, finds it too.
    const viaFlag = porthole(['ls', '--json', '--data-dir', dataDir], cleanEnv({}));
    expect(viaFlag.status).toBe(0);
    expect(JSON.parse(viaFlag.stdout)).toEqual([]);

    // PORTHOLE_URL and --url beat server.json.
    const wrong = 'http://127.0.0.1:9';
    expect(porthole(['ls'], { ...env, PORTHOLE_URL: wrong }).stderr).toContain(wrong);
    expect(porthole(['ls', '--url', wrong], env).stderr).toContain(wrong);

    s.child.kill('SIGTERM');
    expect(await s.exited).toBe(0);
    expect(existsSync(file)).toBe(false);
  });

  it('ignores a server.json whose process is gone', () => {
    const dataDir = tmp();
    writeFileSync(join(dataDir, 'server.json'), JSON.stringify({ url: 'http://127.0.0.1:9', pid: 2 ** 22 + 12345 }), { mode: 0o600 });
    const r = porthole(['ls', '--data-dir', dataDir, '--url', 'http://127.0.0.1:1'], cleanEnv({}));
    expect(r.stderr).toContain('127.0.0.1:1');
    const r2 = porthole(['ls', '--data-dir', dataDir], cleanEnv({}));
    expect(r2.status).toBe(2);
    expect(r2.stderr).not.toContain(':9');
  });
});

describe('porthole links / revoke', () => {
  it('lists a session\'s links without tokens, revokes one; serve logs created, joined and revoked by id only', async () => {
    const dataDir = tmp();
    const env = cleanEnv({ PORTHOLE_DATA_DIR: dataDir, PORTHOLE_PORT: '0', PORTHOLE_LOG_LEVEL: 'info' });
    const s = await serve(env);
    // A session to share, through the API with a token the data dir mints (as the CLI does).
    const { mintOwnerToken } = await import('../../main/cli/client/mint.js');
    const owner = mintOwnerToken(readFileSync(join(dataDir, 'secret')), 300);
    const created = await fetch(`${s.url}/api/sessions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${owner}`, 'content-type': 'application/json' },
      body: JSON.stringify({ command: ['cat'], cwd: tmpdir(), name: 'pairing' }),
    });
    const session = (await created.json()) as { id: string };

    const shared = porthole(['share', 'pairing', '--label', 'Alice'], env);
    expect(shared.status, shared.stderr).toBe(0);
    const link = new URL(shared.stdout.trim());
    const token = link.hash.slice(1);

    // Someone opens it: "share joined".
    const ws = new WebSocket(`${s.url.replace('http', 'ws')}/api/sessions/${session.id}/ws`);
    await new Promise((r) => ws.once('open', r));
    ws.send(JSON.stringify({ type: 'auth', token }));
    await new Promise((r) => ws.once('message', r));

    const table = porthole(['links', session.id], env);
    expect(table.status, table.stderr).toBe(0);
    expect(table.stdout).toMatch(/^SHARE ID\s+MODE\s+VIEWERS\s+CREATED\s+EXPIRES IN\s+LABEL/);
    expect(table.stdout).toMatch(/view\s+\d+\s+\d+s ago\s+2[34]h\s+Alice/);
    expect(table.stdout).not.toContain(token);
    const json = JSON.parse(porthole(['links', 'pairing', '--json'], env).stdout) as Array<{ id: string; label: string }>;
    expect(json).toHaveLength(1);
    expect(json[0].label).toBe('Alice');
    expect(JSON.stringify(json)).not.toContain(token);

    const closed = new Promise<number>((r) => ws.once('close', (code) => r(code)));
    const revoked = porthole(['revoke', json[0].id], env);
    expect(revoked.status, revoked.stderr).toBe(0);
    expect(revoked.stdout).toContain(`Revoked link ${json[0].id}`);
    expect(await closed).toBe(4403);
    expect(porthole(['links', session.id], env).stdout).toMatch(/^No live links for pairing/);
    const again = porthole(['revoke', json[0].id], env);
    expect(again.status).toBe(2);
    expect(again.stderr).toMatch(/^porthole: no live link .*`porthole links ID`/);

    await until(() => s.stderr().includes('"share revoked"'), 5000, 'the revoke log line');
    const log = s.stderr();
    for (const msg of ['share created', 'share joined', 'share revoked']) {
      expect(log).toMatch(new RegExp(`"msg":"${msg}".*"shareId":"${json[0].id}"`));
    }
    expect(log).not.toContain(token);
  });
});

describe('what a new user tripped on', () => {
  it('`porthole sever` suggests serve; --expires 0s says why; no "(internal)" in user lines', () => {
    const env = cleanEnv({});
    const typo = porthole(['sever'], env);
    expect(typo.status).toBe(2);
    expect(typo.stderr).toBe('porthole: unknown command "sever" (did you mean serve?); see `porthole --help`\n');
    const zero = porthole(['share', 'x', '--expires', '0s'], env);
    expect(zero.status).toBe(2);
    expect(zero.stderr).toMatch(/^porthole: --expires "0s" would end the link at once: give at least 1s/);
    expect(zero.stderr).not.toContain('is not a duration');
  });
});

describe('serve says who can open its links', () => {
  it('on loopback: stderr says links open on this machine only and what fixes it', async () => {
    const s = await serve(cleanEnv({ PORTHOLE_DATA_DIR: tmp(), PORTHOLE_PORT: '0', PORTHOLE_LOG_LEVEL: 'warn' }));
    await until(() => s.stderr().includes('links open on this machine only'), 5000, 'the local-only line');
    expect(s.stderr()).toMatch(/links open on this machine only \(127\.0\.0\.1:\d+\): to share them, add --tunnel cloudflared .*--public-url URL .*--host 0\.0\.0\.0/);
  });

  it('on 0.0.0.0: the listening line and the owner link name a reachable address, never 0.0.0.0', async () => {
    const { reachableAddresses } = await import('../../main/server/net/links.js');
    const lan = reachableAddresses('ipv4')[0];
    const cmd = portholeCommand(['serve', '--host', '0.0.0.0', '--port', '0']);
    const child = spawn(cmd.file, cmd.args, {
      cwd: ROOT,
      env: cleanEnv({ PORTHOLE_DATA_DIR: tmp(), PORTHOLE_LOG_LEVEL: 'warn' }),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    track(child);
    const lines: string[] = [];
    createInterface({ input: child.stdout! }).on('line', (l) => lines.push(l));
    await until(() => lines.length >= 2, 15_000, 'two stdout lines');
    expect(lines.join('\n')).not.toContain('0.0.0.0');
    if (lan) {
      expect(lines[0]).toMatch(new RegExp(`^Porthole listening on http://${lan.replace(/\./g, '\\.')}:\\d+$`));
      expect(lines[1]).toMatch(new RegExp(`^Owner link: http://${lan.replace(/\./g, '\\.')}:\\d+/#token=`));
      // It opens from that address.
      const res = await fetch(new URL('/health', lines[0].slice('Porthole listening on '.length)));
      expect(res.status).toBe(200);
    }
  });
});
