// --trust-proxy: X-Forwarded-For is read only from trusted hops, never from a client that
// sends it straight to the server.
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../common/errors.js';
import { clientAddress, parseTrustProxy, TRUST_NONE } from '../../main/server/net/client-address.js';

describe('parseTrustProxy', () => {
  it('takes hop counts, addresses and CIDR ranges; 0 and nothing mean trust none', () => {
    expect(parseTrustProxy(undefined)).toEqual(TRUST_NONE);
    expect(parseTrustProxy('0')).toEqual(TRUST_NONE);
    expect(parseTrustProxy(2)).toEqual({ kind: 'hops', hops: 2 });
    const t = parseTrustProxy('127.0.0.1, 10.0.0.0/8,fd00::/8');
    expect(t.kind).toBe('addresses');
  });
  it.each(['', 'nginx', '10.0.0.0/33', '1.2.3.4/8/9', '99', '::1/129'])('refuses %j with one line naming the flag', (text) => {
    expect(() => parseTrustProxy(text)).toThrow(UsageError);
    expect(() => parseTrustProxy(text)).toThrow(/--trust-proxy/);
  });
});

describe('clientAddress', () => {
  it('trusts nobody by default: a spoofed header changes nothing', () => {
    expect(clientAddress('203.0.113.7', '1.1.1.1', TRUST_NONE)).toBe('203.0.113.7');
    expect(clientAddress('::ffff:127.0.0.1', undefined, TRUST_NONE)).toBe('127.0.0.1');
  });

  it('with trusted addresses, walks back through trusted hops only', () => {
    const t = parseTrustProxy('127.0.0.1,10.0.0.0/8');
    // Through the proxy: the client nginx saw.
    expect(clientAddress('127.0.0.1', '198.51.100.4', t)).toBe('198.51.100.4');
    expect(clientAddress('::ffff:127.0.0.1', '198.51.100.4', t)).toBe('198.51.100.4');
    // A client that forges an entry before the proxy appends its own: the proxy's entry wins.
    expect(clientAddress('127.0.0.1', '6.6.6.6, 198.51.100.4', t)).toBe('198.51.100.4');
    // Two trusted hops (10.x then loopback).
    expect(clientAddress('127.0.0.1', ['198.51.100.4', '10.1.1.1'], t)).toBe('198.51.100.4');
    // Straight to the server from an untrusted peer: the header is ignored.
    expect(clientAddress('203.0.113.7', '1.1.1.1', t)).toBe('203.0.113.7');
    // Junk in the header ends the walk at the last address a proxy wrote.
    expect(clientAddress('127.0.0.1', 'not-an-ip', t)).toBe('127.0.0.1');
  });

  it('with a hop count, takes the entry that many hops back, never past the chain', () => {
    const one = parseTrustProxy('1');
    expect(clientAddress('127.0.0.1', '6.6.6.6, 198.51.100.4', one)).toBe('198.51.100.4');
    const two = parseTrustProxy('2');
    expect(clientAddress('127.0.0.1', '198.51.100.4, 10.1.1.1', two)).toBe('198.51.100.4');
    expect(clientAddress('127.0.0.1', '198.51.100.4', parseTrustProxy('5'))).toBe('198.51.100.4');
  });

  it('matches IPv6 ranges', () => {
    const t = parseTrustProxy('fd00::/8');
    expect(clientAddress('fd00::2', '2001:db8::9', t)).toBe('2001:db8::9');
    expect(clientAddress('2001:db8::1', '2001:db8::9', t)).toBe('2001:db8::1');
  });
});
