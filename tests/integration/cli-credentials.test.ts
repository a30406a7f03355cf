// Owner-credential resolution and the API client's error lines, against a stand-in HTTP server
// (the real server is exercised in cli-commands.test.ts).
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UsageError } from '../../common/errors.js';
import { ApiClient, parseServerUrl } from '../../main/cli/client/api.js';
import { CLIENT_TOKEN_TTL_SECONDS, connect, resolveOwnerCredential } from '../../main/cli/client/credentials.js';
import { RevocationStore } from '../../main/server/auth/revocations.js';
import { TokenService } from '../../main/server/auth/tokens.js';

let http: HttpServer;
let base: URL;
let authRequired = true;
let lastAuth: string | undefined;
const dirs: string[] = [];

function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'porthole-cli-'));
  dirs.push(d);
  return d;
}

beforeAll(async () => {
  http = createServer((req, res) => {
    lastAuth = req.headers.authorization;
    res.setHeader('content-type', 'application/json');
    if (req.url === '/api/auth/config') {
      res.end(JSON.stringify({ authRequired, passwordLogin: false }));
    } else if (req.url === '/api/sessions/nope') {
      res.statusCode = 404;
      res.end(JSON.stringify({ error: { code: 'session_not_found', message: 'No such session' } }));
    } else if (req.url === '/api/sessions') {
      res.statusCode = 401;
      res.end(JSON.stringify({ error: { code: 'invalid_token', message: 'bad' } }));
    } else {
      res.statusCode = 500;
      res.end('{}');
    }
  });
  await new Promise<void>((r) => http.listen(0, '127.0.0.1', r));
  base = parseServerUrl(`http://127.0.0.1:${(http.address() as AddressInfo).port}`);
});

afterAll(async () => {
  await new Promise((r) => http.close(r));
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe('owner credentials', () => {
  it('uses PORTHOLE_TOKEN when set, and sends it as a bearer header only', async () => {
    const api = await connect({ url: base.href, dataDir: tempDir() }, { env: { PORTHOLE_TOKEN: 'tok123' } });
    expect(api.tokenSource).toBe('env');
    await expect(api.listSessions()).rejects.toThrow(/PORTHOLE_TOKEN/);
    expect(lastAuth).toBe('Bearer tok123');
  });

  it('mints a short-lived owner token from the data dir secret', async () => {
    const dir = tempDir();
    const secret = randomBytes(32);
    writeFileSync(join(dir, 'secret'), secret, { mode: 0o600 });
    const cred = await resolveOwnerCredential({}, dir, base);
    expect(cred.source).toBe('datadir');
    const claims = new TokenService(secret, RevocationStore.memory()).verify(cred.token!);
    expect(claims.role).toBe('owner');
    expect(claims.exp - claims.iat).toBe(CLIENT_TOKEN_TTL_SECONDS);
  });

  it('a missing secret says to run porthole serve or set PORTHOLE_TOKEN', async () => {
    authRequired = true;
    const err = await resolveOwnerCredential({}, tempDir(), base).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UsageError);
    expect((err as Error).message).toMatch(/porthole serve/);
    expect((err as Error).message).toMatch(/PORTHOLE_TOKEN/);
  });

  it('a missing secret is fine when the server runs with --no-auth', async () => {
    authRequired = false;
    const cred = await resolveOwnerCredential({}, tempDir(), base);
    expect(cred).toEqual({ token: null, source: 'none' });
    authRequired = true;
  });

  it.runIf(process.getuid?.() !== 0)('an unreadable secret is a UsageError naming the file', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'secret'), randomBytes(32), { mode: 0o600 });
    chmodSync(join(dir, 'secret'), 0o000);
    await expect(resolveOwnerCredential({}, dir, base)).rejects.toThrow(/cannot read .*secret/);
  });

  it('no server: a UsageError that says how to start one', async () => {
    const probe = createServer();
    await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
    const port = (probe.address() as AddressInfo).port;
    await new Promise((r) => probe.close(r));
    const err = await resolveOwnerCredential({}, tempDir(), parseServerUrl(`http://127.0.0.1:${port}`)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UsageError);
    expect((err as Error).message).toMatch(/no Porthole server at .*`porthole serve`/);
  });
});

describe('api client errors', () => {
  const api = () => new ApiClient({ base, token: 't', tokenSource: 'datadir' });

  it('404 names the session and how to list them', async () => {
    await expect(api().getSession('nope')).rejects.toThrow(/no session nope: `porthole ls`/);
  });

  it('401 hints at the data dir', async () => {
    await expect(api().listSessions()).rejects.toThrow(/refused the owner token \(invalid_token: bad\).*--data-dir/);
  });

  it('rejects a --url that is not http(s) or carries credentials', () => {
    expect(() => parseServerUrl('ftp://x')).toThrow(UsageError);
    expect(() => parseServerUrl('not a url')).toThrow(UsageError);
    expect(() => parseServerUrl('http://u:p@host/')).toThrow(UsageError);
    expect(parseServerUrl('http://h:1/prefix').href).toBe('http://h:1/prefix/');
  });
});
