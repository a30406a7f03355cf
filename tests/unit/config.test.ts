import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { UsageError } from '../../common/errors.js';
import { DEFAULT_RECORDING_CAP_BYTES, DEFAULT_SCROLLBACK_LINES } from '../../common/flow.js';
import { isLoopbackHost, parseOrigin, resolveDataDirPath, resolveServeOptions, type ServeFlags } from '../../main/server/config.js';
import type { PortholeConfig } from '../../main/server/datadir.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const resolveWith = (flags: ServeFlags, env: NodeJS.ProcessEnv = {}, config: PortholeConfig = {}) =>
  resolveServeOptions({ flags, env, config, dataDir: '/data' });

describe('resolveServeOptions', () => {
  it('defaults', async () => {
    expect(await resolveWith({})).toEqual({
      port: 4022,
      host: '127.0.0.1',
      dataDir: '/data',
      auth: true,
      scrollback: DEFAULT_SCROLLBACK_LINES,
      recordingCapBytes: DEFAULT_RECORDING_CAP_BYTES,
    });
  });

  it('flags beat env, env beats config.json', async () => {
    const config: PortholeConfig = { port: 1111, host: '127.0.0.2', publicUrl: 'https://config.example', scrollback: 5, shell: '/bin/zsh' };
    const env = { PORTHOLE_PORT: '2222', PORTHOLE_HOST: '127.0.0.3', PORTHOLE_PUBLIC_URL: 'https://env.example' };
    const fromConfig = await resolveWith({}, {}, config);
    expect(fromConfig).toMatchObject({ port: 1111, host: '127.0.0.2', publicUrl: 'https://config.example', scrollback: 5, shell: '/bin/zsh' });
    const fromEnv = await resolveWith({}, env, config);
    expect(fromEnv).toMatchObject({ port: 2222, host: '127.0.0.3', publicUrl: 'https://env.example' });
    const fromFlags = await resolveWith({ port: '3333', host: '127.0.0.4', publicUrl: 'https://flag.example/', scrollback: '7' }, env, config);
    expect(fromFlags).toMatchObject({ port: 3333, host: '127.0.0.4', publicUrl: 'https://flag.example', scrollback: 7 });
    // port 0 from a flag is kept (not mistaken for "unset")
    expect((await resolveWith({ port: '0' }, env, config)).port).toBe(0);
  });

  it('allow-origin flags replace the config list; origins are normalised', async () => {
    const config: PortholeConfig = { allowOrigins: ['https://a.example'] };
    expect((await resolveWith({}, {}, config)).allowOrigins).toEqual(['https://a.example']);
    expect((await resolveWith({ allowOrigin: ['https://B.example:443', 'http://c.example:8080'] }, {}, config)).allowOrigins).toEqual([
      'https://b.example',
      'http://c.example:8080',
    ]);
  });

  it('allow-host: flags replace allowHosts from config.json; names only, lower-cased', async () => {
    expect((await resolveWith({}, {}, { allowHosts: ['Box.LAN'] })).allowHosts).toEqual(['box.lan']);
    expect((await resolveWith({ allowHost: ['porthole.lan', '[fd00::1]'] }, {}, { allowHosts: ['box.lan'] })).allowHosts).toEqual(['porthole.lan', 'fd00::1']);
    await expect(resolveWith({ allowHost: ['http://x.lan'] })).rejects.toThrow(/--allow-host "http:\/\/x.lan": expected a host name/);
    await expect(resolveWith({ allowHost: ['x.lan:8080'] })).rejects.toThrow(UsageError);
    await expect(resolveWith({}, {}, { allowHosts: ['a b'] })).rejects.toThrow(/allowHosts in config.json/);
  });

  it('PORTHOLE_PASSWORD is passed on for in-memory hashing, and checked', async () => {
    expect((await resolveWith({}, { PORTHOLE_PASSWORD: 's3cret' })).password).toBe('s3cret');
    expect((await resolveWith({}, { PORTHOLE_PASSWORD: '' })).password).toBeUndefined();
    await expect(resolveWith({}, { PORTHOLE_PASSWORD: 'x'.repeat(73) })).rejects.toThrow(/PORTHOLE_PASSWORD.*72 bytes/);
  });

  it('refuses --no-auth on a non-loopback host unless told it is insecure', async () => {
    await expect(resolveWith({ noAuth: true, host: '0.0.0.0' })).rejects.toThrow(UsageError);
    await expect(resolveWith({ noAuth: true }, { PORTHOLE_HOST: '192.168.1.5' })).rejects.toThrow(/--i-know-this-is-insecure/);
    expect((await resolveWith({ noAuth: true, host: '0.0.0.0', insecure: true })).auth).toBe(false);
    expect((await resolveWith({ noAuth: true, host: '::1' })).auth).toBe(false);
    expect((await resolveWith({ noAuth: true })).auth).toBe(false);
  });

  it('TLS: both or neither, and readable', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'porthole-config-'));
    dirs.push(dir);
    writeFileSync(join(dir, 'c.pem'), 'cert');
    writeFileSync(join(dir, 'k.pem'), 'key');
    await expect(resolveWith({ tlsCert: join(dir, 'c.pem') })).rejects.toThrow(/both or neither/);
    await expect(resolveWith({ tlsCert: join(dir, 'c.pem'), tlsKey: join(dir, 'missing.pem') })).rejects.toThrow(/--tls-key .* cannot be read/);
    await expect(resolveWith({ tlsCert: dir, tlsKey: join(dir, 'k.pem') })).rejects.toThrow(/--tls-cert/);
    expect((await resolveWith({ tlsCert: join(dir, 'c.pem'), tlsKey: join(dir, 'k.pem') })).tls).toEqual({
      cert: join(dir, 'c.pem'),
      key: join(dir, 'k.pem'),
    });
  });

  it('bad values are one-line UsageErrors naming their source', async () => {
    await expect(resolveWith({ port: '65536' })).rejects.toThrow(/^--port "65536"/);
    await expect(resolveWith({ port: 'http' })).rejects.toThrow(UsageError);
    await expect(resolveWith({}, { PORTHOLE_PORT: 'x' })).rejects.toThrow(/^PORTHOLE_PORT/);
    await expect(resolveWith({ host: 'http://x' })).rejects.toThrow(/--host/);
    await expect(resolveWith({ scrollback: '-1' })).rejects.toThrow(/--scrollback/);
    await expect(resolveWith({ publicUrl: 'not a url' })).rejects.toThrow(/--public-url/);
  });
});

describe('helpers', () => {
  it('isLoopbackHost', () => {
    for (const h of ['127.0.0.1', '127.1.2.3', 'localhost', '::1', '[::1]', '::ffff:127.0.0.1']) expect(isLoopbackHost(h)).toBe(true);
    for (const h of ['0.0.0.0', '::', '192.168.0.1', 'example.com', '128.0.0.1']) expect(isLoopbackHost(h)).toBe(false);
  });

  it('parseOrigin', () => {
    expect(parseOrigin('HTTPS://Example.com:443/', 'x')).toBe('https://example.com');
    expect(() => parseOrigin('https://u:p@example.com', 'x')).toThrow(/origin only/);
  });

  it('resolveDataDirPath: flag, then PORTHOLE_DATA_DIR, then the default', () => {
    expect(resolveDataDirPath('/a', { PORTHOLE_DATA_DIR: '/b' })).toBe('/a');
    expect(resolveDataDirPath(undefined, { PORTHOLE_DATA_DIR: '/b' })).toBe('/b');
    expect(resolveDataDirPath(undefined, { XDG_CONFIG_HOME: '/c' })).toBe('/c/porthole');
  });
});
