// Which origin a link (owner link, share url) is built on, so that a link Porthole prints or
// hands to the share dialog opens for the person it is meant for (contract section 9):
// --public-url if set; else the Host the request came through, when that Host is allowed;
// else the listen address, with a wildcard bind (0.0.0.0, [::]) replaced by a reachable
// address of this machine, because no browser anywhere can open `http://0.0.0.0:PORT`.
import { networkInterfaces, type NetworkInterfaceInfo } from 'node:os';
import { isLoopbackName, reachOf } from '../../../common/reach.js';

export { isLoopbackName, reachOf };

export const WILDCARD_HOSTS: ReadonlySet<string> = new Set(['0.0.0.0', '::', '[::]', '::0', '0:0:0:0:0:0:0:0']);

/** `0.0.0.0` / `::`: bound to every interface. */
export function isWildcardHost(host: string): boolean {
  return WILDCARD_HOSTS.has(host.toLowerCase());
}

/** An IP literal in a URL: IPv6 in brackets. */
export function hostForUrl(host: string): string {
  return host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
}

/**
 * Addresses of this machine that another one may reach: not internal, not link-local,
 * IPv4 first (what people type and what phones on Wi-Fi reach most often). `family`
 * limits the list to what a bind can serve (`0.0.0.0` is IPv4 only).
 */
export function reachableAddresses(
  family: 'any' | 'ipv4' = 'any',
  interfaces: NodeJS.Dict<NetworkInterfaceInfo[]> = networkInterfaces(),
): string[] {
  const v4: string[] = [];
  const v6: string[] = [];
  for (const list of Object.values(interfaces)) {
    for (const a of list ?? []) {
      if (a.internal) continue;
      if (a.family === 'IPv4') {
        if (!a.address.startsWith('169.254.')) v4.push(a.address);
      } else if (family === 'any' && !/^fe[89ab]/i.test(a.address)) {
        v6.push(a.address);
      }
    }
  }
  return [...v4, ...v6];
}

/** `host[:port]` as a browser sends it in Host; anything else (paths, spaces, userinfo) is not. */
const HOST_HEADER = /^(?:\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+)(?::\d{1,5})?$/;

export interface LinkBaseOptions {
  scheme: 'http' | 'https';
  /** The address passed to listen (`--host`). */
  listenHost: string;
  /** The real port, after listen. */
  port: number;
  /** `--public-url` (an origin), if set. */
  publicUrl?: string;
  /** Whether the server accepts requests with this Host header (the DNS-rebinding guard). */
  hostAllowed(hostHeader: string): boolean;
  /** Reachable addresses of this machine; injectable for tests. */
  addresses?: () => string[];
}

/**
 * Builds link origins. One instance per listening server; cheap to call per request.
 */
export class LinkBase {
  constructor(private readonly opts: LinkBaseOptions) {}

  /** The origin links use when no request says otherwise (the printed owner link). */
  defaultOrigin(): string {
    if (this.opts.publicUrl) return this.opts.publicUrl.replace(/\/+$/, '');
    return `${this.opts.scheme}://${hostForUrl(this.listenName())}:${this.opts.port}`;
  }

  /** The origin for links handed out in answer to a request that came with this Host. */
  forRequest(hostHeader: string | undefined): string {
    if (this.opts.publicUrl) return this.defaultOrigin();
    const h = hostHeader?.trim();
    if (h && HOST_HEADER.test(h) && this.opts.hostAllowed(h)) {
      const name = h.replace(/:\d+$/, '').replace(/^\[|\]$/g, '');
      // A wildcard name never makes a link; a loopback one only when no other address serves:
      // the panel opened on 127.0.0.1 still gives links the LAN can open.
      if (!isWildcardHost(name) && !(isLoopbackName(name) && !isLoopbackName(this.listenName()))) {
        return `${this.opts.scheme}://${h}`;
      }
    }
    return this.defaultOrigin();
  }

  /** Whether every link this server builds by default opens on this machine only. */
  localOnly(): boolean {
    return reachOf(this.defaultOrigin()) === 'local';
  }

  /** The listen address as a name others can use: wildcard binds become a reachable address. */
  listenName(): string {
    const host = this.opts.listenHost;
    if (!isWildcardHost(host)) return host;
    const family = host.includes(':') ? 'any' : 'ipv4';
    const found = this.opts.addresses ? this.opts.addresses() : reachableAddresses(family);
    return found[0] ?? '127.0.0.1';
  }

  /** Every address a wildcard bind serves others on (for serve's output). */
  otherAddresses(): string[] {
    const host = this.opts.listenHost;
    if (!isWildcardHost(host)) return [];
    const found = this.opts.addresses ? this.opts.addresses() : reachableAddresses(host.includes(':') ? 'any' : 'ipv4');
    return found.slice(1).map((a) => `${this.opts.scheme}://${hostForUrl(a)}:${this.opts.port}`);
  }
}
