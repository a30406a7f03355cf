// A seeded fuzzer for a running Porthole server (tests/integration/fuzz.test.ts, `npm run fuzz`):
// random and almost-valid HTTP requests (odd methods, bad percent-encoding, wrong types, huge
// fields, bad UTF-8, raw malformed request lines) and WebSocket episodes (frames before auth,
// garbage tokens, random text and binary frames up to and past the 1 MiB limit). It records
// what would be a bug: any 5xx, a 4xx without the error shape, a dropped connection without an
// answer. Traffic goes to the server's own 127.0.0.1 address only, and every loop is bounded
// by the deadline. The same seed gives the same sequence of requests.
import { Socket } from 'node:net';
import WebSocket from 'ws';

/** mulberry32: small, fast, and the same sequence for a seed on every machine. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface FuzzTarget {
  url: string; // http://127.0.0.1:PORT
  ownerToken: string;
  viewToken: string; // a view share of a witness session
  /** Sessions the fuzzer may type into, resize and delete (its own). */
  ownSessions: string[];
  /** Sessions the fuzzer must not change: only read-only and refused requests reach them. */
  witnessSessions: string[];
  /** An empty folder for uploads and mkdir; nothing else on disk is written. */
  scratchDir: string;
}

export interface FuzzProblem {
  what: string;
  status?: number;
  body?: string;
}

export interface FuzzCounts {
  requests: number;
  rawRequests: number;
  wsEpisodes: number;
  frames: number;
  frameBytes: number;
  byStatus: Record<string, number>;
  closeCodes: Record<string, number>;
  fiveXX: number;
  problems: FuzzProblem[];
}

type Rand = () => number;
/** encodeURIComponent, but a lone surrogate (which it refuses) becomes a bad escape instead. */
const enc = (s: string): string => {
  try {
    return encodeURIComponent(s);
  } catch {
    return '%ED%A0%80';
  }
};
const pick = <T>(r: Rand, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)];
const int = (r: Rand, lo: number, hi: number): number => lo + Math.floor(r() * (hi - lo + 1));

const METHODS = ['GET', 'GET', 'GET', 'POST', 'POST', 'POST', 'PATCH', 'DELETE', 'PUT', 'HEAD', 'OPTIONS', 'PROPFIND', 'TRACE'] as const;
const BAD_SEGMENTS = ['%zz', '%', '%E0%A4%A', '%C0%AF', '%00', '%FF%FE', '..%2f..%2f', '%2e%2e', 'a%20b', '\u00e9', '\u{1F600}', 'x'.repeat(3000), '%25zz', ''];

function randomString(r: Rand, max: number): string {
  const n = int(r, 0, max);
  const kinds = ['ascii', 'unicode', 'control', 'json'] as const;
  const kind = pick(r, kinds);
  let s = '';
  for (let i = 0; i < n; i++) {
    if (kind === 'ascii') s += String.fromCharCode(int(r, 32, 126));
    else if (kind === 'unicode') s += String.fromCodePoint(pick(r, [0xe9, 0x4e2d, 0x1f600, 0x202e, 0xfeff, 0xd800 + int(r, 0, 0x7ff), 0x10ffff]));
    else if (kind === 'control') s += String.fromCharCode(int(r, 0, 31));
    else s += pick(r, ['{', '}', '[', ']', '"', ':', ',', '\\', 'null', '1e999']);
  }
  return s;
}

function randomValue(r: Rand, depth = 0): unknown {
  const k = int(r, 0, depth > 3 ? 5 : 8);
  switch (k) {
    case 0:
      return null;
    case 1:
      return r() < 0.5;
    case 2:
      return pick(r, [0, -1, 1.5, 1e308, -1e308, 2 ** 53 + 1, 80, 24, 1001, 501, NaN]);
    case 3:
      return randomString(r, 40);
    case 4:
      return 'A'.repeat(int(r, 0, 1) ? 200_000 : 300);
    case 5:
      return pick(r, ['view', 'control', 'owner', 'admin', '', 'cat', '/tmp', '/no/such']);
    case 6:
      return Array.from({ length: int(r, 0, 4) }, () => randomValue(r, depth + 1));
    default: {
      const o: Record<string, unknown> = {};
      for (let i = int(r, 0, 4); i > 0; i--) o[pick(r, ['command', 'cwd', 'name', 'cols', 'rows', 'env', 'data', 'mode', 'expiresIn', 'label', 'password', 'grant', 'maxViewers', '__proto__', 'constructor', randomString(r, 8)])] = randomValue(r, depth + 1);
      return o;
    }
  }
}

/** A body that is nearly right for some route: valid shapes with one field made wrong. */
function almostValidBody(r: Rand, t: FuzzTarget): unknown {
  const valid: Array<Record<string, unknown>> = [
    { command: pick(r, [['true'], ['sh', '-c', 'exit 3'], ['no-such-cmd-fuzz']]), cwd: t.scratchDir, cols: 80, rows: 24 },
    { name: 'fuzz' },
    { cols: int(r, 1, 300), rows: int(r, 1, 100) },
    { data: 'x' },
    { mode: pick(r, ['view', 'control']), expiresIn: int(r, 1, 100_000), label: 'fuzz' },
    { password: randomString(r, 20) },
    { grant: r() < 0.5 },
  ];
  const body = { ...pick(r, valid) };
  const keys = Object.keys(body);
  const op = int(r, 0, 4);
  if (op === 0 && keys.length) body[pick(r, keys)] = randomValue(r);
  else if (op === 1) body[randomString(r, 6) || 'extra'] = randomValue(r);
  else if (op === 2 && keys.length) delete body[pick(r, keys)];
  return body;
}

function randomPath(r: Rand, t: FuzzTarget): string {
  const any = [...t.ownSessions, ...t.witnessSessions];
  const id = (): string => {
    const k = int(r, 0, 5);
    if (k <= 1 && any.length) return pick(r, any);
    if (k === 2) return pick(r, BAD_SEGMENTS);
    if (k === 3) return 'A'.repeat(22);
    if (k === 4) return enc(randomString(r, 30));
    return randomString(r, 10).replace(/[/?#\s]/g, '');
  };
  const q = (): string => {
    const k = int(r, 0, 6);
    if (k === 0) return '';
    if (k === 1) return `?path=${pick(r, [encodeURIComponent(t.scratchDir), '%zz', 'relative', encodeURIComponent('/no/such/dir'), encodeURIComponent(t.scratchDir + '/nope')])}`;
    if (k === 2) return `?dir=${encodeURIComponent(pick(r, [t.scratchDir, 'rel', '/no/such']))}&name=${pick(r, ['f.txt', '%zz', 'n'.repeat(int(r, 200, 300)), '..', '.', 'a%2Fb', encodeURIComponent('é'.repeat(130))])}${r() < 0.3 ? '&overwrite=1' : ''}`;
    if (k === 3) return `?${randomString(r, 30)}`;
    if (k === 4) return '?download=maybe&path=' + encodeURIComponent(t.scratchDir);
    if (k === 5) return `?path=${encodeURIComponent(t.scratchDir + '/d' + int(r, 0, 5))}`;
    return '?a=%zz&a=1&a[]=2';
  };
  const templates: Array<() => string> = [
    () => '/health',
    () => '/',
    () => `/s/${id()}`,
    () => `/assets/${pick(r, BAD_SEGMENTS)}`,
    () => '/api/sessions',
    () => `/api/sessions/${id()}`,
    () => `/api/sessions/${id()}/${pick(r, ['input', 'resize', 'snapshot', 'recording', 'shares', 'viewers', 'cwd', 'ws', 'nope'])}`,
    () => `/api/sessions/${id()}/control-requests/${id()}`,
    () => `/api/shares/${id()}`,
    () => `/api/auth/${pick(r, ['config', 'login', 'me', 'logout', 'nope'])}`,
    () => `/api/events${q()}`,
    () => `/api/fs${pick(r, ['', '/file', '/upload', '/mkdir', '/nope'])}${q()}`,
    () => `/${pick(r, BAD_SEGMENTS)}`,
    () => `/api/${randomString(r, 20).replace(/[?#\s]/g, '')}`,
  ];
  return pick(r, templates)();
}

/** Which requests would change a witness session (or the fuzzer's own credentials): not sent. */
function harmsWitness(method: string, path: string, token: string | null, t: FuzzTarget): boolean {
  if (token !== t.ownerToken && token !== t.viewToken) return false; // refused anyway
  if (token === t.ownerToken && /\/api\/auth\/logout/.test(path)) return true;
  if (method === 'GET' || method === 'HEAD') return false;
  return t.witnessSessions.some((w) => path.includes(w)) || /^\/api\/shares\//.test(path);
}

function isErrorShape(text: string): boolean {
  try {
    const b = JSON.parse(text) as { error?: { code?: unknown; message?: unknown } };
    return typeof b.error?.code === 'string' && typeof b.error.message === 'string';
  } catch {
    return false;
  }
}

function note(c: FuzzCounts, status: number, what: string, body: string, method: string): void {
  c.byStatus[status] = (c.byStatus[status] ?? 0) + 1;
  if (status >= 500) {
    c.fiveXX++;
    c.problems.push({ what, status, body: body.slice(0, 300) });
  } else if (status >= 400 && method !== 'HEAD' && !isErrorShape(body)) {
    c.problems.push({ what: `${what}: a ${status} without the error shape`, status, body: body.slice(0, 300) });
  }
}

async function httpOnce(r: Rand, t: FuzzTarget, c: FuzzCounts, created: string[]): Promise<void> {
  const method = pick(r, METHODS);
  const path = randomPath(r, t);
  const token = pick(r, [t.ownerToken, t.ownerToken, t.viewToken, null, 'garbage', `${t.ownerToken.slice(0, -3)}abc`, 'eyJhbGciOiJub25lIn0.e30.']);
  if (harmsWitness(method, path, token, t)) return;
  const headers: Record<string, string> = {};
  if (token !== null) headers.authorization = r() < 0.9 ? `Bearer ${token}` : pick(r, [token, `Basic ${token}`, 'Bearer', 'Bearer  x y']);
  let body: string | Uint8Array | undefined;
  if (method !== 'GET' && method !== 'HEAD' && r() < 0.85) {
    const k = int(r, 0, 5);
    if (k <= 2) body = JSON.stringify(almostValidBody(r, t));
    else if (k === 3) body = JSON.stringify(randomValue(r));
    else if (k === 4) body = new Uint8Array([0x7b, 0x22, 0xff, 0xfe, 0xc0, 0x22, 0x3a, 0x31, 0x7d]); // {"\xff\xfe\xc0":1}
    else body = randomString(r, 200);
    headers['content-type'] = pick(r, ['application/json', 'application/json', 'application/json; charset=utf-16', 'text/plain', 'application/octet-stream', 'application/json; charset=latin1']);
  }
  if (r() < 0.1) headers['x-long'] = 'h'.repeat(int(r, 100, 8000));
  if (r() < 0.05) headers.origin = pick(r, ['http://evil.example', 'null', t.url]);
  const what = `${method} ${path.slice(0, 120)}`;
  c.requests++;
  try {
    const res = await fetch(t.url + path, { method, headers, body: body as BodyInit | undefined, redirect: 'manual', signal: AbortSignal.timeout(10_000) });
    // /api/events answers 200 and stays open: read no further than the headers.
    if (res.headers.get('content-type')?.startsWith('text/event-stream')) {
      await res.body?.cancel();
      c.byStatus[res.status] = (c.byStatus[res.status] ?? 0) + 1;
      return;
    }
    const text = await res.text();
    note(c, res.status, what, text, method);
    if (res.status === 201 && method === 'POST' && path === '/api/sessions') {
      const id = (JSON.parse(text) as { id?: string }).id;
      if (id) created.push(id);
    }
  } catch (err) {
    // fetch refuses some inputs itself (bad header bytes, forbidden methods): not the server's.
    if (err instanceof TypeError && !/fetch failed/.test(err.message)) return;
    const cause = (err as { cause?: { code?: string } }).cause?.code;
    c.problems.push({ what: `${what}: no answer (${cause ?? (err as Error).message})` });
  }
}

/** Requests no well-behaved client library sends: bad bytes in the request line and headers. */
async function rawOnce(r: Rand, t: FuzzTarget, c: FuzzCounts): Promise<void> {
  const { port } = new URL(t.url);
  const lines = [
    Buffer.from(`GET /s/\xff\xfe%zz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n`, 'latin1'),
    Buffer.from(`GET /api/sessions/${pick(r, BAD_SEGMENTS)} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${t.ownerToken}\r\nConnection: close\r\n\r\n`, 'utf8'),
    Buffer.from(`POST /api/sessions HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${t.ownerToken}\r\nContent-Type: application/json\r\nContent-Length: 5\r\nConnection: close\r\n\r\n{"a":`, 'utf8'),
    Buffer.from(`GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Bad: a\x00b\r\nConnection: close\r\n\r\n`, 'latin1'),
    Buffer.from(`BREW /coffee HTCPCP/1.0\r\n\r\n`, 'latin1'),
    Buffer.from(`GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: -1\r\nConnection: close\r\n\r\n`, 'latin1'),
    Buffer.from(`GET /${'a'.repeat(int(r, 9000, 20000))} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n`, 'latin1'),
    Buffer.from(`POST /api/auth/login HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\nContent-Type: application/json\r\nConnection: close\r\n\r\nzz\r\n`, 'latin1'),
  ];
  const req = pick(r, lines);
  c.rawRequests++;
  const answer = await new Promise<string>((resolve) => {
    const sock = new Socket();
    let buf = '';
    const done = (): void => {
      clearTimeout(timer);
      sock.destroy();
      resolve(buf);
    };
    const timer = setTimeout(done, 5000);
    sock.on('data', (d) => (buf += d.toString('latin1')));
    sock.on('end', done);
    sock.on('close', done);
    sock.on('error', done);
    sock.connect(Number(port), '127.0.0.1', () => sock.end(req));
  });
  const m = /^HTTP\/1\.[01] (\d{3})/.exec(answer);
  if (!m) return; // the server may just close a request it cannot parse at all
  const status = Number(m[1]);
  const text = answer.slice(answer.indexOf('\r\n\r\n') + 4);
  note(c, status, `raw ${req.subarray(0, 40).toString('latin1').split('\r\n')[0]}`, text, 'RAW');
}

function randomFrame(r: Rand, sessionOk: boolean): { data: Buffer | string; binary: boolean } {
  const k = int(r, 0, 9);
  if (k === 0) return { data: '{"type":"ping"}', binary: false };
  if (k === 1) return { data: JSON.stringify({ type: 'resize', cols: randomValue(r), rows: randomValue(r) }), binary: false };
  if (k === 2) return { data: JSON.stringify({ type: pick(r, ['auth', 'request_control', 'input', 'resize', 'nope', '']), token: pick(r, ['x', 5, null]), extra: randomValue(r) }), binary: false };
  if (k === 3) return { data: randomString(r, 300), binary: false };
  if (k === 4) return { data: JSON.stringify(randomValue(r)), binary: false };
  if (k === 5) return { data: Buffer.from([0xff, 0xfe, 0x80, 0xc0]), binary: false }; // invalid UTF-8 text: 1007
  if (k === 6 && sessionOk) return { data: Buffer.from(`echo fuzz-${int(r, 0, 1e6)}\n`), binary: true };
  if (k === 7) return { data: Buffer.alloc(int(r, 1, 70_000), int(r, 0, 255)), binary: true };
  // Up to and a little past the 1 MiB frame limit (past it: 1009).
  const n = r() < 0.8 ? int(r, 1024, 1024 * 1024) : int(r, 1024 * 1024 + 1, 2 * 1024 * 1024);
  return { data: Buffer.alloc(n, 0x61), binary: r() < 0.7 };
}

async function wsOnce(r: Rand, t: FuzzTarget, c: FuzzCounts, created: string[]): Promise<void> {
  const own = [...t.ownSessions, ...created];
  const toWitness = r() < 0.4 || own.length === 0;
  const sid = toWitness ? pick(r, t.witnessSessions) : pick(r, own);
  const path = r() < 0.1 ? `/api/sessions/${pick(r, BAD_SEGMENTS)}/ws` : `/api/sessions/${sid}/ws`;
  // Typing tokens reach the fuzzer's own sessions only; a witness sees view or bad tokens.
  const token = toWitness ? pick(r, [t.viewToken, 'garbage', null, '']) : pick(r, [t.ownerToken, t.viewToken, 'garbage', null]);
  c.wsEpisodes++;
  const ws = new WebSocket(t.url.replace(/^http/, 'ws') + path, { maxPayload: 64 * 1024 * 1024, headers: r() < 0.05 ? { origin: 'http://evil.example' } : {} });
  const closed = new Promise<number>((resolve) => {
    ws.on('close', (code) => resolve(code));
    ws.on('error', () => {});
    ws.on('unexpected-response', (_req, res) => {
      const status = res.statusCode ?? 0;
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString()));
      res.on('end', () => {
        note(c, status, `upgrade ${path.slice(0, 80)}`, body, 'GET');
        resolve(-status);
      });
    });
  });
  const opened = await Promise.race([new Promise<boolean>((res) => ws.once('open', () => res(true))), closed.then(() => false)]);
  if (opened) {
    const before = int(r, 0, 2);
    const after = int(r, 0, 8);
    const send = (f: { data: Buffer | string; binary: boolean }): void => {
      if (ws.readyState !== WebSocket.OPEN) return;
      c.frames++;
      c.frameBytes += typeof f.data === 'string' ? Buffer.byteLength(f.data) : f.data.length;
      ws.send(f.data, { binary: f.binary });
    };
    for (let i = 0; i < before; i++) send(randomFrame(r, false));
    if (token !== null) send({ data: JSON.stringify({ type: 'auth', token }), binary: false });
    for (let i = 0; i < after; i++) {
      send(randomFrame(r, !toWitness));
      if (r() < 0.3) await new Promise((res) => setTimeout(res, int(r, 0, 30)));
    }
    await new Promise((res) => setTimeout(res, int(r, 0, 100)));
    if (ws.readyState === WebSocket.OPEN) ws.close(1000);
  }
  const code = await Promise.race([closed, new Promise<number>((res) => setTimeout(() => res(0), 5000))]);
  if (code === 0) ws.terminate();
  c.closeCodes[code] = (c.closeCodes[code] ?? 0) + 1;
  if (code === 1011) c.problems.push({ what: `ws ${path.slice(0, 80)}: closed 1011 (server error)` });
}

export interface FuzzOptions {
  seed: number;
  seconds: number;
  /** Parallel request loops (default 3). */
  concurrency?: number;
}

/** Runs until the deadline; returns the counts. Sessions it created are deleted at the end. */
export async function fuzz(t: FuzzTarget, opts: FuzzOptions): Promise<FuzzCounts> {
  const c: FuzzCounts = { requests: 0, rawRequests: 0, wsEpisodes: 0, frames: 0, frameBytes: 0, byStatus: {}, closeCodes: {}, fiveXX: 0, problems: [] };
  const created: string[] = [];
  const deadline = Date.now() + opts.seconds * 1000;
  const loops = Array.from({ length: opts.concurrency ?? 3 }, async (_, i) => {
    const r = rng(opts.seed * 7919 + i);
    while (Date.now() < deadline) {
      const k = r();
      if (k < 0.7) await httpOnce(r, t, c, created);
      else if (k < 0.78) await rawOnce(r, t, c);
      else await wsOnce(r, t, c, created);
      // Bound what the fuzzer itself starts: its sessions are removed as they pile up.
      while (created.length > 10) {
        const id = created.shift()!;
        await fetch(`${t.url}/api/sessions/${id}`, { method: 'DELETE', headers: { authorization: `Bearer ${t.ownerToken}` } }).catch(() => {});
      }
    }
  });
  await Promise.all(loops);
  for (const id of created.splice(0)) {
    await fetch(`${t.url}/api/sessions/${id}`, { method: 'DELETE', headers: { authorization: `Bearer ${t.ownerToken}` } }).catch(() => {});
  }
  return c;
}
