// Why: the renderer reaches the server only through the public HTTP API; this module adds the
// bearer token, validates every JSON body with a zod schema and turns error bodies into
// ApiError (status, stable code, Retry-After) that the screens can explain.
import type { z } from 'zod';
import { ErrorBodySchema } from './schemas.js';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** Seconds from a Retry-After header (429), if any. */
    readonly retryAfter: number | null = null,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export type TokenSource = () => string | null;

export class Api {
  constructor(private readonly token: TokenSource) {}

  authHeaders(): Record<string, string> {
    const t = this.token();
    return t ? { Authorization: `Bearer ${t}` } : {};
  }

  /** Raw request; throws ApiError for any non-2xx. */
  async raw(method: string, path: string, body?: unknown, signal?: AbortSignal): Promise<Response> {
    const headers: Record<string, string> = { ...this.authHeaders() };
    let payload: string | undefined;
    if (body !== undefined) {
      headers['Content-Type'] = 'application/json';
      payload = JSON.stringify(body);
    }
    let res: Response;
    try {
      res = await fetch(path, { method, headers, body: payload, signal, cache: 'no-store' });
    } catch (err) {
      if (signal?.aborted) throw err;
      throw new ApiError(0, 'network', 'Cannot reach the Porthole server');
    }
    if (res.ok) return res;
    throw await toApiError(res);
  }

  async json<S extends z.ZodType>(schema: S, method: string, path: string, body?: unknown): Promise<z.infer<S>> {
    const res = await this.raw(method, path, body);
    let data: unknown;
    try {
      data = await res.json();
    } catch {
      throw new ApiError(res.status, 'bad_response', `The server sent a body that is not JSON (${path})`);
    }
    const parsed = schema.safeParse(data);
    if (!parsed.success) throw new ApiError(res.status, 'bad_response', `Unexpected response from ${path}`);
    return parsed.data;
  }

  /** For 204 responses. */
  async send(method: string, path: string, body?: unknown): Promise<void> {
    await this.raw(method, path, body);
  }
}

async function toApiError(res: Response): Promise<ApiError> {
  const retry = res.headers.get('Retry-After');
  let retryAfter: number | null = null;
  if (retry) {
    const n = Number(retry);
    if (Number.isFinite(n)) retryAfter = Math.max(0, Math.ceil(n));
    else {
      const at = Date.parse(retry);
      if (!Number.isNaN(at)) retryAfter = Math.max(0, Math.ceil((at - Date.now()) / 1000));
    }
  }
  let code = `http_${res.status}`;
  let message = res.statusText || `HTTP ${res.status}`;
  try {
    const parsed = ErrorBodySchema.safeParse(await res.json());
    if (parsed.success) {
      code = parsed.data.error.code;
      message = parsed.data.error.message;
    }
  } catch {
    /* not JSON: keep the status text */
  }
  return new ApiError(res.status, code, message, retryAfter);
}
