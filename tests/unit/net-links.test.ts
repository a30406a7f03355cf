// Link building (contract section 9): public-url, else an allowed request Host, else the
// listen address, never a wildcard; and who can open the result.
import { describe, expect, it } from 'vitest';
import { reachOf } from '../../common/reach.js';
import { LinkBase, reachableAddresses } from '../../main/server/net/links.js';

const base = (over: Partial<ConstructorParameters<typeof LinkBase>[0]> = {}) =>
  new LinkBase({ scheme: 'http', listenHost: '127.0.0.1', port: 4022, hostAllowed: () => true, addresses: () => ['192.168.1.20', '10.0.0.5'], ...over });

describe('LinkBase', () => {
  it('uses --public-url over everything, whatever Host the request had', () => {
    const b = base({ publicUrl: 'https://term.example.com/' });
    expect(b.defaultOrigin()).toBe('https://term.example.com');
    expect(b.forRequest('192.168.1.20:4022')).toBe('https://term.example.com');
    expect(b.localOnly()).toBe(false);
  });

  it('uses the request Host when it is allowed, else the listen address', () => {
    const allowed = new Set(['localhost:4022', 'box.lan:4022']);
    const b = base({ hostAllowed: (h) => allowed.has(h) });
    expect(b.forRequest('localhost:4022')).toBe('http://localhost:4022');
    expect(b.forRequest('box.lan:4022')).toBe('http://box.lan:4022');
    expect(b.forRequest('evil.example:4022')).toBe('http://127.0.0.1:4022');
    expect(b.forRequest('a b/c')).toBe('http://127.0.0.1:4022');
    expect(b.forRequest(undefined)).toBe('http://127.0.0.1:4022');
    expect(b.localOnly()).toBe(true);
  });

  it('never builds a link on 0.0.0.0 or [::]: a wildcard bind becomes a reachable address', () => {
    const v4 = base({ listenHost: '0.0.0.0' });
    expect(v4.defaultOrigin()).toBe('http://192.168.1.20:4022');
    expect(v4.forRequest('0.0.0.0:4022')).toBe('http://192.168.1.20:4022');
    expect(v4.otherAddresses()).toEqual(['http://10.0.0.5:4022']);
    expect(v4.localOnly()).toBe(false);
    const v6 = base({ listenHost: '::', addresses: () => ['fd00::2'] });
    expect(v6.defaultOrigin()).toBe('http://[fd00::2]:4022');
    expect(v6.forRequest('[::]:4022')).toBe('http://[fd00::2]:4022');
  });

  it('a panel opened on 127.0.0.1 of a wildcard bind still gets links others can open', () => {
    const b = base({ listenHost: '0.0.0.0' });
    expect(b.forRequest('127.0.0.1:4022')).toBe('http://192.168.1.20:4022');
    expect(b.forRequest('192.168.1.20:4022')).toBe('http://192.168.1.20:4022');
  });

  it('a wildcard bind on a machine with no network falls back to loopback, and says so', () => {
    const b = base({ listenHost: '0.0.0.0', addresses: () => [] });
    expect(b.defaultOrigin()).toBe('http://127.0.0.1:4022');
    expect(b.localOnly()).toBe(true);
  });
});

describe('reachableAddresses', () => {
  it('skips internal and link-local addresses, IPv4 first, IPv6 only when asked', () => {
    const ifs = {
      lo: [{ address: '127.0.0.1', family: 'IPv4', internal: true }, { address: '::1', family: 'IPv6', internal: true }],
      eth0: [
        { address: 'fe80::1', family: 'IPv6', internal: false },
        { address: 'fd00::2', family: 'IPv6', internal: false },
        { address: '169.254.3.3', family: 'IPv4', internal: false },
        { address: '192.0.2.2', family: 'IPv4', internal: false },
      ],
    } as unknown as Parameters<typeof reachableAddresses>[1];
    expect(reachableAddresses('any', ifs)).toEqual(['192.0.2.2', 'fd00::2']);
    expect(reachableAddresses('ipv4', ifs)).toEqual(['192.0.2.2']);
  });
});

describe('reachOf', () => {
  it.each([
    ['http://127.0.0.1:4022/s/x#t', 'local'],
    ['http://localhost:4022', 'local'],
    ['http://app.localhost:4022', 'local'],
    ['http://[::1]:4022', 'local'],
    ['http://0.0.0.0:4022', 'local'],
    ['http://192.168.1.20:4022', 'network'],
    ['http://10.1.2.3:4022', 'network'],
    ['http://172.20.0.1:4022', 'network'],
    ['http://100.101.102.103:4022', 'network'],
    ['http://[fd00::2]:4022', 'network'],
    ['http://box.local:4022', 'network'],
    ['http://nas:4022', 'network'],
    ['https://abc-def.trycloudflare.com', 'public'],
    ['https://203.0.113.9', 'public'],
    ['not a url', 'local'],
  ])('%s is %s', (url, want) => {
    expect(reachOf(url)).toBe(want);
  });
});
