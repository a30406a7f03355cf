// The one registry of Porthole's error codes: each stable code maps here, and only here,
// to its HTTP status, its WebSocket close code and its CLI exit code.

export const ERROR_CODES = {
  // 400
  invalid_json: { status: 400, message: 'The request body is not valid JSON' },
  validation_failed: { status: 400, message: 'The request does not match the expected shape' },
  cwd_not_found: { status: 400, message: 'The working directory does not exist' },
  command_not_found: { status: 400, message: 'The command cannot be started' },
  path_not_absolute: { status: 400, message: 'The path must be absolute' },
  invalid_message: { status: 400, message: 'Unknown or malformed message' },
  upload_incomplete: { status: 400, message: 'The upload ended before its declared length' },
  // 401
  unauthorized: { status: 401, message: 'A valid token is required' },
  invalid_token: { status: 401, message: 'The token is malformed or its signature is wrong' },
  token_expired: { status: 401, message: 'The token has expired' },
  token_revoked: { status: 401, message: 'The token has been revoked' },
  invalid_credentials: { status: 401, message: 'Wrong password' },
  // 403
  forbidden: { status: 403, message: 'This token may not do that' },
  read_only: { status: 403, message: 'This link is view-only' },
  origin_forbidden: { status: 403, message: 'Requests from other sites are refused' },
  session_running: { status: 403, message: 'The recording opens to a share link once the session has ended' },
  // 404
  not_found: { status: 404, message: 'Not found' },
  session_not_found: { status: 404, message: 'No such session' },
  share_not_found: { status: 404, message: 'No such share' },
  request_not_found: { status: 404, message: 'No such pending control request' },
  // 409
  conflict: { status: 409, message: 'The resource already exists' },
  session_exited: { status: 409, message: 'The session has exited' },
  too_many_sessions: { status: 409, message: 'The server has as many sessions as it allows (maxSessions); end one first' },
  too_many_shares: { status: 409, message: 'This session has as many share links as it allows (maxSharesPerSession); revoke one first' },
  not_needed: { status: 409, message: 'This socket may already type' },
  request_pending: { status: 409, message: 'A control request from this socket is already pending' },
  // 413
  payload_too_large: { status: 413, message: 'The request body is too large' },
  // 415
  unsupported_media_type: { status: 415, message: 'The request body must be Content-Type: application/json' },
  // 421
  host_not_allowed: { status: 421, message: 'This Host name is not one of this server (add it with --allow-host)' },
  // 429
  rate_limited: { status: 429, message: 'Too many attempts; try again later' },
  too_many_streams: { status: 429, message: 'Too many event streams are open (maxEventStreams)' },
  too_many_sockets: { status: 429, message: 'Too many sockets are open (maxSockets)' },
  input_backlog: { status: 429, message: 'The program is not reading its input; try again later' },
  link_full: { status: 429, message: 'This link has as many viewers as it allows', close: 4429 },
  // 507
  disk_full: { status: 507, message: 'No space left on the disk' },
  // 500
  internal: { status: 500, message: 'Internal server error' },
  // 503
  server_stopping: { status: 503, message: 'The server is stopping' },
} as const satisfies Record<string, { status: number; message: string; close?: number }>;

export type ErrorCode = keyof typeof ERROR_CODES;

/** WebSocket close codes (contract section 4.6). */
export const CLOSE = {
  normal: 1000, // the session ended
  goingAway: 1001, // the server is stopping
  policy: 1008, // message-rate abuse
  tooBig: 1009, // frame over the payload limit
  unauthenticated: 4401,
  forbidden: 4403,
  noSession: 4404,
  linkFull: 4429, // a share link's maxViewers sockets are open (contract section 8)
} as const;

export type CloseCode = (typeof CLOSE)[keyof typeof CLOSE];

/** CLI exit codes. A child's own exit code passes through `porthole run` unchanged. */
export const EXIT = {
  ok: 0,
  failure: 1, // an unexpected fault (a bug): reported with its code, never a stack trace
  usage: 2, // a user mistake: bad flag, port in use, unreadable data dir, no server running
} as const;

/** An error with a stable code; the edges map it to a status, close code or exit code. */
export class PortholeError extends Error {
  readonly code: ErrorCode;
  readonly details?: unknown;
  constructor(code: ErrorCode, message?: string, details?: unknown) {
    super(message ?? ERROR_CODES[code].message);
    this.name = 'PortholeError';
    this.code = code;
    this.details = details;
  }
  get status(): number {
    return ERROR_CODES[this.code].status;
  }
}

export function httpStatusOf(code: ErrorCode): number {
  return ERROR_CODES[code].status;
}

/** The close code a socket gets when an error of this code ends it. */
export function closeCodeOf(code: ErrorCode): CloseCode {
  const entry: { status: number; close?: number } = ERROR_CODES[code];
  if (entry.close !== undefined) return entry.close as CloseCode;
  switch (entry.status) {
    case 401:
      return CLOSE.unauthenticated;
    case 403:
      return CLOSE.forbidden;
    case 404:
      return CLOSE.noSession;
    case 413:
      return CLOSE.tooBig;
    case 429:
      return CLOSE.policy;
    default:
      return CLOSE.policy;
  }
}

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && Object.hasOwn(ERROR_CODES, value);
}

/**
 * The reason text of a close that an error or a token's end caused is that error's stable code
 * (`token_expired`, `token_revoked`, `forbidden`, `session_not_found`, ...), so pages and the CLI
 * tell "expired" from "revoked" by a type, never by matching free text (docs/api.md). Other
 * closes (1000 session ended, 1001 server stopping) carry words, and this returns undefined.
 */
export function closeReasonCode(reason: string): ErrorCode | undefined {
  return isErrorCode(reason) ? reason : undefined;
}

/** The JSON body of every 4xx/5xx response. */
export interface ErrorBody {
  error: { code: ErrorCode; message: string; details?: unknown };
}

export function errorBody(err: PortholeError): ErrorBody {
  const body: ErrorBody = { error: { code: err.code, message: err.message } };
  if (err.details !== undefined) body.error.details = err.details;
  return body;
}

/** A mistake the user can fix (bad flag, port in use, unreadable data dir, no server):
 *  the CLI prints its one-line message and exits with EXIT.usage, never a stack trace. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}
