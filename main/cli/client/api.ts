// The client commands' HTTP client for the Porthole API: owner bearer token, zod-checked
// responses, and every failure a user can fix (no server, bad token, no such session)
// turned into a one-line UsageError instead of a stack trace.
import type { z } from 'zod';
import { PortholeError, UsageError } from '../../../common/errors.js';
import {
  AuthConfigResponseSchema,
  CreateShareResponseSchema,
  ErrorBodySchema,
  MeResponseSchema,
  SessionListSchema,
  SessionSchema,
  ShareListSchema,
  type ShareListItem,
  type AuthConfigResponse,
  type CreateSessionBody,
  type CreateShareBody,
  type CreateShareResponse,
  type MeResponse,
  type Session,
} from '../../../common/protocol.js';

/** The default server address of the client commands (contract section 1). */
export const DEFAULT_URL = 'http://127.0.0.1:4022';
/** One API request may take this long before the command gives up. */
export const REQUEST_TIMEOUT_MS = 15_000;

/** Where the owner credential came from: decides the hint printed when the server refuses it. */
export type TokenSource = 'env' | 'datadir' | 'none';

/** Parse and check `--url`: an http(s) origin, optionally with a path prefix (reverse proxy). */
export function parseServerUrl(text: string): URL {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new UsageError(`--url ${text} is not a URL; use e.g. ${DEFAULT_URL}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new UsageError(`--url must start with http:// or https:// (got ${url.protocol}//)`);
  }
  if (url.username || url.password || url.search || url.hash) {
    throw new UsageError('--url takes no credentials, query or fragment: set PORTHOLE_TOKEN for a token');
  }
  if (!url.pathname.endsWith('/')) url.pathname += '/';
  return url;
}

/** The error codes of a failed connection, looking through `cause` and AggregateError. */
function networkCodes(err: unknown, depth = 0): string[] {
  if (!err || typeof err !== 'object' || depth > 4) return [];
  const e = err as { code?: unknown; cause?: unknown; errors?: unknown };
  const out: string[] = typeof e.code === 'string' ? [e.code] : [];
  out.push(...networkCodes(e.cause, depth + 1));
  if (Array.isArray(e.errors)) for (const x of e.errors) out.push(...networkCodes(x, depth + 1));
  return out;
}

/** A failed connection (fetch or WebSocket) as the one line the user reads. */
export function connectError(base: URL, err: unknown): Error {
  const codes = networkCodes(err);
  const where = base.href.replace(/\/$/, '');
  if (codes.includes('ECONNREFUSED')) {
    return new UsageError(`no Porthole server at ${where}: start one with \`porthole serve\` (or pass --url)`);
  }
  if (codes.some((c) => c === 'ENOTFOUND' || c === 'EAI_AGAIN')) {
    return new UsageError(`cannot resolve the host of ${where}: check --url`);
  }
  if (codes.some((c) => /CERT|SSL|TLS|SIGNATURE/.test(c))) {
    return new UsageError(`the TLS certificate of ${where} is not trusted (${codes[0]}): set NODE_EXTRA_CA_CERTS to its CA file`);
  }
  if (codes.some((c) => c === 'ABORT_ERR' || c === 'ETIMEDOUT' || c === 'UND_ERR_CONNECT_TIMEOUT') || (err instanceof Error && err.name === 'TimeoutError')) {
    return new UsageError(`the server at ${where} did not answer in time: check --url and that \`porthole serve\` is running`);
  }
  const detail = codes[0] ?? (err instanceof Error ? err.message : String(err));
  return new UsageError(`cannot reach ${where} (${detail}): check --url and that \`porthole serve\` is running`);
}

/** An HTTP or upgrade refusal as the one line the user reads. */
export function refusalError(status: number, code: string, message: string, source: TokenSource, notFound?: string): Error {
  if (status === 401) {
    const hint =
      source === 'env'
        ? 'check PORTHOLE_TOKEN (unset it to use the data dir instead)'
        : source === 'datadir'
          ? 'is --data-dir the same as the server\'s? (or set PORTHOLE_TOKEN)'
          : 'set PORTHOLE_TOKEN, or pass the server\'s --data-dir';
    return new UsageError(`the server refused the owner token (${code}: ${message}); ${hint}`);
  }
  if (status === 403) {
    return new UsageError(`not allowed (${code}): ${message}; the client commands need an owner token`);
  }
  if (status === 404) return new UsageError(notFound ?? `not found (${code}): ${message}`);
  if (status === 429) return new UsageError(`the server is rate-limiting (${code}): try again later`);
  if (status >= 400 && status < 500) return new UsageError(`${message} (${code})`);
  return new PortholeError('internal', `the server failed (${status} ${code}): ${message}`);
}

export interface ApiClientOptions {
  base: URL;
  token: string | null;
  tokenSource: TokenSource;
  fetch?: typeof fetch;
}

export interface RequestOptions {
  /** The line shown when the server answers 404. */
  notFound?: string;
}

/** The owner's view of the HTTP API (contract section 3), for the client commands. */
export class ApiClient {
  readonly base: URL;
  readonly token: string | null;
  readonly tokenSource: TokenSource;
  private readonly fetchImpl: typeof fetch;

  constructor(opts: ApiClientOptions) {
    this.base = opts.base;
    this.token = opts.token;
    this.tokenSource = opts.tokenSource;
    this.fetchImpl = opts.fetch ?? fetch;
  }

  /** An API path (no leading slash) resolved against --url, keeping any path prefix. */
  resolve(path: string): URL {
    return new URL(path, this.base);
  }

  /** The WebSocket URL of a session's terminal stream. */
  wsUrl(sessionId: string): string {
    const url = this.resolve(`api/sessions/${encodeURIComponent(sessionId)}/ws`);
    url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
    return url.href;
  }

  async request(method: string, path: string, body?: unknown, opts: RequestOptions = {}): Promise<unknown> {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (this.token) headers.authorization = `Bearer ${this.token}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    let res: Response;
    try {
      res = await this.fetchImpl(this.resolve(path), {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
        redirect: 'error',
      });
    } catch (err) {
      throw connectError(this.base, err);
    }
    const text = await res.text().catch(() => '');
    if (!res.ok) {
      let code = `http_${res.status}`;
      let message = res.statusText || 'request failed';
      try {
        const parsed = ErrorBodySchema.safeParse(JSON.parse(text));
        if (parsed.success) ({ code, message } = parsed.data.error);
      } catch {
        // not JSON: keep the status line
      }
      throw refusalError(res.status, code, message, this.tokenSource, opts.notFound);
    }
    if (res.status === 204 || text === '') return undefined;
    try {
      return JSON.parse(text) as unknown;
    } catch {
      throw new PortholeError('internal', `the server at ${this.base.href} answered ${method} /${path} with something that is not JSON; is --url a Porthole server?`);
    }
  }

  private async typed<S extends z.ZodType>(schema: S, method: string, path: string, body?: unknown, opts?: RequestOptions): Promise<z.output<S>> {
    const raw = await this.request(method, path, body, opts);
    const parsed = schema.safeParse(raw);
    if (!parsed.success) {
      throw new PortholeError('internal', `unexpected answer to ${method} /${path}: is --url a Porthole server of the same version?`);
    }
    return parsed.data;
  }

  authConfig(): Promise<AuthConfigResponse> {
    return this.typed(AuthConfigResponseSchema, 'GET', 'api/auth/config');
  }

  me(): Promise<MeResponse> {
    return this.typed(MeResponseSchema, 'GET', 'api/auth/me');
  }

  listSessions(): Promise<Session[]> {
    return this.typed(SessionListSchema, 'GET', 'api/sessions');
  }

  getSession(id: string): Promise<Session> {
    return this.typed(SessionSchema, 'GET', `api/sessions/${encodeURIComponent(id)}`, undefined, {
      notFound: noSession(id),
    });
  }

  createSession(body: CreateSessionBody): Promise<Session> {
    return this.typed(SessionSchema, 'POST', 'api/sessions', body);
  }

  createShare(id: string, body: CreateShareBody): Promise<CreateShareResponse> {
    return this.typed(CreateShareResponseSchema, 'POST', `api/sessions/${encodeURIComponent(id)}/shares`, body, {
      notFound: noSession(id),
    });
  }

  listShares(id: string): Promise<ShareListItem[]> {
    return this.typed(ShareListSchema, 'GET', `api/sessions/${encodeURIComponent(id)}/shares`, undefined, { notFound: noSession(id) });
  }

  async revokeShare(shareId: string): Promise<void> {
    await this.request('DELETE', `api/shares/${encodeURIComponent(shareId)}`, undefined, {
      notFound: `no live link ${shareId} (revoked, expired, or never made): \`porthole links ID\` lists a session's links`,
    });
  }
}

export function noSession(id: string): string {
  return `no session ${id}: \`porthole ls\` lists them`;
}
