// The one answer to "who is this client?" (contract section 9, --trust-proxy). Behind a
// reverse proxy every socket comes from the proxy, so the login limiter would lock everyone
// out together and the logs would name the proxy. X-Forwarded-For fixes that, but anyone can
// send it: it is read only for requests whose socket peer is a hop the owner said to trust,
// and only as far back as trusted hops go. Default: trust nobody, so a spoofed header sent
// straight to the server changes nothing.
import { isIP } from 'node:net';
import { UsageError } from '../../../common/errors.js';

/** Trust none (default), the nearest N hops, or hops at these addresses / CIDR ranges. */
export type TrustProxy = { kind: 'none' } | { kind: 'hops'; hops: number } | { kind: 'addresses'; ranges: AddressRange[] };

export interface AddressRange {
  family: 4 | 6;
  /** The network, as a 32- or 128-bit number. */
  base: bigint;
  bits: number;
  text: string;
}

export const TRUST_NONE: TrustProxy = { kind: 'none' };
/** More hops than this is a typo, not a proxy chain. */
const MAX_HOPS = 32;
const MAX_RANGES = 64;

/** `::ffff:1.2.3.4` and `1.2.3.4` are the same client. */
export function normaliseAddress(address: string): string {
  const a = address.trim().replace(/^\[|\]$/g, '').toLowerCase();
  const m = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(a);
  return m ? m[1] : a;
}

function toBigInt(address: string): { family: 4 | 6; value: bigint } | null {
  const a = normaliseAddress(address).replace(/%.*$/, '');
  const fam = isIP(a);
  if (fam === 4) {
    return { family: 4, value: a.split('.').reduce((acc, part) => (acc << 8n) | BigInt(Number(part)), 0n) };
  }
  if (fam !== 6) return null;
  let text = a;
  // An embedded IPv4 tail (::ffff:1.2.3.4 was handled above; others like 64:ff9b::1.2.3.4).
  const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (v4) {
    const n = Number(toBigInt(v4[1])!.value);
    text = text.slice(0, -v4[1].length) + `${(n >>> 16).toString(16)}:${(n & 0xffff).toString(16)}`;
  }
  const [head, tail] = text.split('::');
  const h = head ? head.split(':') : [];
  const t = tail !== undefined ? (tail ? tail.split(':') : []) : [];
  const groups = tail !== undefined ? [...h, ...Array<string>(8 - h.length - t.length).fill('0'), ...t] : h;
  if (groups.length !== 8) return null;
  return { family: 6, value: groups.reduce((acc, g) => (acc << 16n) | BigInt(parseInt(g || '0', 16)), 0n) };
}

function parseRange(text: string): AddressRange {
  const [addr, bitsText, extra] = text.trim().split('/');
  const parsed = extra === undefined ? toBigInt(addr) : null;
  if (!parsed) throw new UsageError(`--trust-proxy ${JSON.stringify(text)}: expected a hop count, an IP address or a CIDR range like 10.0.0.0/8`);
  const max = parsed.family === 4 ? 32 : 128;
  const bits = bitsText === undefined ? max : /^\d{1,3}$/.test(bitsText) ? Number(bitsText) : NaN;
  if (!(bits >= 0 && bits <= max)) throw new UsageError(`--trust-proxy ${JSON.stringify(text)}: the prefix length must be 0..${max}`);
  const shift = BigInt(max - bits);
  return { family: parsed.family, base: (parsed.value >> shift) << shift, bits, text: text.trim() };
}

/** `--trust-proxy HOPS|ADDR[,ADDR...]` (or `trustProxy` in config.json): a UsageError names it. */
export function parseTrustProxy(text: string | number | undefined): TrustProxy {
  if (text === undefined) return TRUST_NONE;
  const s = String(text).trim();
  if (/^\d+$/.test(s)) {
    const hops = Number(s);
    if (hops > MAX_HOPS) throw new UsageError(`--trust-proxy ${s}: at most ${MAX_HOPS} hops`);
    return hops === 0 ? TRUST_NONE : { kind: 'hops', hops };
  }
  const parts = s.split(',').map((p) => p.trim()).filter(Boolean);
  if (parts.length === 0) throw new UsageError('--trust-proxy is empty: pass a hop count (1) or the proxy\'s address (127.0.0.1)');
  if (parts.length > MAX_RANGES) throw new UsageError(`--trust-proxy: at most ${MAX_RANGES} addresses`);
  return { kind: 'addresses', ranges: parts.map(parseRange) };
}

function trusted(address: string, ranges: readonly AddressRange[]): boolean {
  const a = toBigInt(address);
  if (!a) return false;
  return ranges.some((r) => {
    if (r.family !== a.family) return false;
    const shift = BigInt((r.family === 4 ? 32 : 128) - r.bits);
    return (a.value >> shift) << shift === r.base;
  });
}

/** The X-Forwarded-For entries, oldest (the claimed client) first. */
function forwardedChain(header: string | string[] | undefined): string[] {
  if (header === undefined) return [];
  const joined = Array.isArray(header) ? header.join(',') : header;
  return joined
    .split(',')
    .map((p) => normaliseAddress(p.replace(/^"|"$/g, '')))
    .filter((p) => p !== '');
}

/**
 * The client's address: the socket peer, unless it is a trusted hop, in which case the
 * X-Forwarded-For entry before it (and so on while hops are trusted). An entry that is not an
 * IP address ends the walk: a proxy never writes one, so it is a client's invention.
 */
export function clientAddress(remote: string | undefined, forwardedFor: string | string[] | undefined, trust: TrustProxy): string {
  const peer = remote ? normaliseAddress(remote) : 'unknown';
  if (trust.kind === 'none' || forwardedFor === undefined) return peer;
  const chain = [...forwardedChain(forwardedFor), peer];
  let i = chain.length - 1;
  if (trust.kind === 'hops') {
    for (let hop = 0; hop < trust.hops && i > 0; hop++) {
      if (isIP(chain[i - 1]) === 0) break;
      i--;
    }
    return chain[i];
  }
  while (i > 0 && trusted(chain[i], trust.ranges) && isIP(chain[i - 1]) !== 0) i--;
  return chain[i];
}

/** What the request-handling layers need: a request in, its client address out. */
export interface RequestLike {
  /** Bun leaves it null on a request answered before its body was read (an upload refused mid-body). */
  socket: { remoteAddress?: string | undefined } | null;
  headers: NodeJS.Dict<string | string[]>;
}

export function clientAddressOf(req: RequestLike, trust: TrustProxy): string {
  return clientAddress(req.socket?.remoteAddress, req.headers['x-forwarded-for'], trust);
}
