// Who can open a link: anyone, this machine's networks, or this machine alone. Shared by the
// server (serve's output), the share dialog (its warning) and the CLI, so all three say the
// same thing about the same URL. Pure string logic: common/ sees neither DOM nor Node.

export type LinkReach = 'public' | 'network' | 'local';

const V4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

function ipv4(host: string): number[] | null {
  const m = V4.exec(host);
  if (!m) return null;
  const parts = m.slice(1).map(Number);
  return parts.every((p) => p <= 255) ? parts : null;
}

/** 127.0.0.0/8, ::1, localhost, *.localhost: names no other machine reaches this one by. */
export function isLoopbackName(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  if (h === 'localhost' || h.endsWith('.localhost') || h === '::1' || h === '0:0:0:0:0:0:0:1') return true;
  const v4 = ipv4(h.startsWith('::ffff:') ? h.slice(7) : h);
  return v4 !== null && v4[0] === 127;
}

/** Who can open a link on this origin (or URL). */
export function reachOf(url: string): LinkReach {
  // scheme://[userinfo@]host[:port][/...]; no URL class here (common/ has no DOM or Node lib).
  const m = /^[a-z][a-z0-9+.-]*:\/\/(?:[^@/?#]*@)?(\[[^\]]*\]|[^:/?#]*)/i.exec(url.trim());
  if (!m || !m[1]) return 'local';
  const host = m[1].replace(/^\[|\]$/g, '').toLowerCase();
  if (isLoopbackName(host) || host === '0.0.0.0' || host === '::') return 'local';
  const v4 = ipv4(host);
  if (v4) {
    const [a, b] = v4;
    // RFC 1918, CGNAT (Tailscale's 100.64/10), link-local.
    if (a === 10 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168) || (a === 100 && b >= 64 && b <= 127) || (a === 169 && b === 254)) {
      return 'network';
    }
    return 'public';
  }
  if (host.includes(':')) return /^(f[cd]|fe[89ab])/.test(host) ? 'network' : 'public';
  // A DNS name: single labels and .local/.lan/.internal/.home.arpa live on a LAN.
  if (!host.includes('.') || /\.(local|lan|internal|home\.arpa)$/.test(host)) return 'network';
  return 'public';
}
