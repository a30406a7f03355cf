// The one gate every browser-reachable request passes before anything else happens: plain
// HTTP (express routes, the bare-http fast path, pages, uploads) and the WebSocket upgrade
// alike (contract section 9). Three checks, in order:
//   1. Host (DNS rebinding): while the server listens on loopback only, the Host must be a
//      loopback address, `localhost` / `*.localhost`, --public-url's host or an --allow-host.
//      A rebinding page reaches 127.0.0.1 under its own name, so its Host gives it away: 421.
//   2. Origin: present and not ours (own origin, its loopback aliases, --public-url,
//      --allow-origin) = another site's page is asking: 403 origin_forbidden.
//   3. Fetch metadata: browsers omit Origin on no-cors GETs (`<img>`, `<script>`), but they
//      send `Sec-Fetch-Site`. A cross-site or same-site (another port of 127.0.0.1 is "same
//      site") subresource request is refused too, so `<script src=/api/fs/file?...>` under
//      --no-auth cannot pull a file into another page. Top-level navigations (a share link
//      clicked in a chat) stay allowed: they cannot read the answer.
// A request without Origin and without fetch metadata is not from a browser page: allowed
// (tokens decide). Names other than the trusted hosts are never matched against the Host
// header, so a rebinding page cannot make its own origin look like ours.
import { isIP } from 'node:net';
import type { ErrorCode } from '../../../common/errors.js';
import { isLoopbackName } from '../../../common/reach.js';

export interface OriginPolicyOptions {
  /** http(s)://HOST:PORT the server listens on. */
  ownUrl: string;
  publicUrl?: string;
  allowOrigins?: string[];
  /** --allow-host: more Host names accepted while listening on loopback only. */
  allowHosts?: string[];
}

/** The request headers the gate reads (node's IncomingHttpHeaders fits). */
export interface GateHeaders {
  origin?: string;
  host?: string;
  'sec-fetch-site'?: string;
  'sec-fetch-mode'?: string;
}

const LOOPBACK_NAMES = new Set(['localhost', '127.0.0.1', '[::1]']);
const WILDCARD_HOSTS = new Set(['0.0.0.0', '[::]', '::']);

/** The host name of a Host header (`name:port`, `[v6]:port`), lower-cased, brackets kept off. */
export function hostnameOf(hostHeader: string): string {
  const h = hostHeader.trim().toLowerCase();
  if (h.startsWith('[')) {
    const end = h.indexOf(']');
    return end === -1 ? h : h.slice(1, end);
  }
  const colon = h.lastIndexOf(':');
  // More than one colon without brackets is a bare IPv6 literal (not valid in Host, but harmless).
  if (colon !== -1 && h.indexOf(':') === colon) return h.slice(0, colon).replace(/\.$/, '');
  return h.replace(/\.$/, '');
}

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
  private readonly ownHost: string;
  /** Listening on a loopback address only: the Host check applies. */
  readonly loopbackOnly: boolean;
  /** Host names trusted besides the loopback ones: --public-url's and each --allow-host. */
  private readonly extraHosts = new Set<string>();

  constructor(opts: OriginPolicyOptions) {
    this.own = new URL(opts.ownUrl);
    this.ownHost = this.own.hostname.toLowerCase();
    for (const o of [opts.ownUrl, opts.publicUrl, ...(opts.allowOrigins ?? [])]) {
      const n = o ? normaliseOrigin(o) : null;
      if (n) this.allowed.add(n);
    }
    const host = this.ownHost;
    this.loopbackOnly = isLoopbackName(host);
    if (this.loopbackOnly || WILDCARD_HOSTS.has(host)) {
      for (const name of LOOPBACK_NAMES) {
        const n = normaliseOrigin(`${this.own.protocol}//${name}:${this.own.port || (this.own.protocol === 'https:' ? 443 : 80)}`);
        if (n) this.allowed.add(n);
      }
    }
    if (opts.publicUrl) {
      try {
        this.extraHosts.add(hostnameOf(new URL(opts.publicUrl).host));
      } catch {
        // config.ts validated it; an unparsable one simply adds no host.
      }
    }
    for (const h of opts.allowHosts ?? []) this.extraHosts.add(hostnameOf(h));
  }

  /** Whether a Host header names us (a loopback name, --public-url's host, an --allow-host;
   *  on a wildcard bind also any IP literal, since the LAN reaches us by address). */
  trustsHost(hostHeader: string): boolean {
    const name = hostnameOf(hostHeader);
    if (isLoopbackName(name) || this.extraHosts.has(name)) return true;
    return WILDCARD_HOSTS.has(this.ownHost) && isIP(name) !== 0;
  }

  /** The Host check (421): only while listening on loopback only; no Host (HTTP/1.0) passes. */
  allowsHost(hostHeader: string | undefined): boolean {
    if (!this.loopbackOnly || hostHeader === undefined) return true;
    return this.trustsHost(hostHeader);
  }

  /** `origin` is the request's Origin header (absent = not a cross-origin browser request). */
  allows(origin: string | undefined, hostHeader: string | undefined): boolean {
    if (origin === undefined) return true;
    const n = normaliseOrigin(origin);
    if (n === null) return false;
    if (this.allowed.has(n)) return true;
    // Reached by a name we trust (foo.localhost, an --allow-host, a LAN IP on a wildcard
    // bind): our own page under that name sends Origin = our scheme + that Host.
    if (hostHeader && this.trustsHost(hostHeader)) {
      return n === normaliseOrigin(`${this.own.protocol}//${hostHeader}`);
    }
    return false;
  }

  /** The whole gate: null = go on, else the code to refuse with (before anything happens). */
  screen(headers: GateHeaders): Extract<ErrorCode, 'host_not_allowed' | 'origin_forbidden'> | null {
    if (!this.allowsHost(headers.host)) return 'host_not_allowed';
    if (!this.allows(headers.origin, headers.host)) return 'origin_forbidden';
    if (headers.origin === undefined) {
      const site = headers['sec-fetch-site'];
      if ((site === 'cross-site' || site === 'same-site') && headers['sec-fetch-mode'] !== 'navigate') return 'origin_forbidden';
    }
    return null;
  }
}
