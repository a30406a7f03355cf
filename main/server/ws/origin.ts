// Which browser origins may open a WebSocket: the server's own origin, --public-url and each
// --allow-origin. Loopback aliases (localhost / 127.0.0.1 / [::1]) of a loopback or wildcard
// bind are the same server. Names other than those are never matched against the Host
// header, so a DNS-rebinding page cannot make its own origin look like ours.
import { isIP } from 'node:net';

export interface OriginPolicyOptions {
  /** http(s)://HOST:PORT the server listens on. */
  ownUrl: string;
  publicUrl?: string;
  allowOrigins?: string[];
}

const LOOPBACK_NAMES = new Set(['localhost', '127.0.0.1', '[::1]']);
const WILDCARD_HOSTS = new Set(['0.0.0.0', '[::]']);

/** Normalise to `scheme://host[:port]` (default ports dropped), or null if not an origin. */
export function normaliseOrigin(value: string): string | null {
  try {
    const u = new URL(value);
    if (u.protocol !== 'http:' && u.protocol !== 'https:') return null;
    return u.origin.toLowerCase();
  } catch {
    return null;
  }
}

export class OriginPolicy {
  private readonly allowed = new Set<string>();
  private readonly own: URL;

  constructor(opts: OriginPolicyOptions) {
    this.own = new URL(opts.ownUrl);
    for (const o of [opts.ownUrl, opts.publicUrl, ...(opts.allowOrigins ?? [])]) {
      const n = o ? normaliseOrigin(o) : null;
      if (n) this.allowed.add(n);
    }
    const host = this.own.hostname.toLowerCase();
    if (LOOPBACK_NAMES.has(host) || WILDCARD_HOSTS.has(host) || host.startsWith('127.')) {
      for (const name of LOOPBACK_NAMES) {
        const n = normaliseOrigin(`${this.own.protocol}//${name}:${this.own.port || (this.own.protocol === 'https:' ? 443 : 80)}`);
        if (n) this.allowed.add(n);
      }
    }
  }

  /** `origin` is the request's Origin header (absent = not a browser: allowed). */
  allows(origin: string | undefined, hostHeader: string | undefined): boolean {
    if (origin === undefined) return true;
    const n = normaliseOrigin(origin);
    if (n === null) return false;
    if (this.allowed.has(n)) return true;
    // Bound to every interface: a browser on the LAN reaches us by an IP literal; accept
    // Origin == our scheme + the Host it used, but only for IP literals (no DNS names).
    if (WILDCARD_HOSTS.has(this.own.hostname.toLowerCase()) && hostHeader) {
      const hostOnly = hostHeader.replace(/:\d+$/, '').replace(/^\[|\]$/g, '');
      if (isIP(hostOnly) !== 0 && n === normaliseOrigin(`${this.own.protocol}//${hostHeader}`)) return true;
    }
    return false;
  }
}
