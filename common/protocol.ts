// The one protocol module: HTTP bodies, WebSocket messages and events, as types and zod
// validators, imported by the server, the CLI clients and the browser alike.
import { z } from 'zod';
import { INPUT_MAX_BYTES } from './flow.js';

// ---------- shared shapes ----------

export const SESSION_NAME_MAX = 128;
export const COLS_MAX = 1000;
export const ROWS_MAX = 500;
/** Longest share lifetime a caller may ask for: one year. */
export const SHARE_EXPIRES_MAX_SECONDS = 365 * 24 * 3600;
export const DEFAULT_SHARE_EXPIRES_SECONDS = 24 * 3600;
export const DEFAULT_OWNER_TOKEN_SECONDS = 24 * 3600;

const cols = z.int().min(1).max(COLS_MAX);
const rows = z.int().min(1).max(ROWS_MAX);

export type SessionStatus = 'running' | 'exited';
export type ShareMode = 'view' | 'control';
export type ViewMode = 'owner' | ShareMode;

/** A session as the API reports it (contract section 3). Times are ISO 8601. */
export interface Session {
  id: string;
  name: string;
  command: string[];
  cwd: string;
  pid: number;
  status: SessionStatus;
  exitCode: number | null;
  cols: number;
  rows: number;
  createdAt: string;
  lastOutputAt: string | null;
  viewers: number;
}

export interface Share {
  id: string;
  sessionId: string;
  mode: ShareMode;
  label: string | null;
  expiresAt: string;
  createdAt: string;
}

// ---------- HTTP request bodies (client -> server) ----------

/** UTF-8 byte length without Node or DOM APIs. */
export function utf8Length(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff) {
      n += 4;
      i++;
    } else n += 3;
  }
  return n;
}

const envName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'environment variable names are letters, digits and _');

export const CreateSessionBody = z.strictObject({
  command: z.array(z.string().min(1).max(4096)).min(1).max(256).optional(),
  cwd: z.string().min(1).max(4096).optional(),
  name: z.string().min(1).max(SESSION_NAME_MAX).optional(),
  cols: cols.optional(),
  rows: rows.optional(),
  env: z.record(envName, z.string().max(32 * 1024)).optional(),
});
export type CreateSessionBody = z.infer<typeof CreateSessionBody>;

export const RenameSessionBody = z.strictObject({
  name: z.string().min(1).max(SESSION_NAME_MAX),
});
export type RenameSessionBody = z.infer<typeof RenameSessionBody>;

export const InputBody = z.strictObject({
  data: z.string().refine((s) => utf8Length(s) <= INPUT_MAX_BYTES, {
    message: `input is limited to ${INPUT_MAX_BYTES} bytes`,
  }),
});
export type InputBody = z.infer<typeof InputBody>;

export const ResizeBody = z.strictObject({ cols, rows });
export type ResizeBody = z.infer<typeof ResizeBody>;

export const CreateShareBody = z.strictObject({
  mode: z.enum(['view', 'control']),
  expiresIn: z.int().min(1).max(SHARE_EXPIRES_MAX_SECONDS).optional(),
  label: z.string().min(1).max(SESSION_NAME_MAX).optional(),
});
export type CreateShareBody = z.infer<typeof CreateShareBody>;

export const LoginBody = z.strictObject({
  password: z.string().min(1).max(1024),
});
export type LoginBody = z.infer<typeof LoginBody>;

// ---------- HTTP responses (server -> client) ----------

export interface HealthResponse {
  status: 'ok';
  version: string;
  uptimeSeconds: number;
  sessions: { running: number; exited: number };
}
export interface AuthConfigResponse {
  authRequired: boolean;
  passwordLogin: boolean;
}
export interface LoginResponse {
  token: string;
  expiresAt: string;
}
export interface MeResponse {
  role: 'owner' | 'share';
  sessionId?: string;
  mode?: ShareMode;
  expiresAt: string;
}
export interface CreateShareResponse {
  id: string;
  mode: ShareMode;
  label: string | null;
  expiresAt: string;
  url: string;
  token: string;
}
export type ShareListItem = Omit<Share, 'sessionId'>;

// ---------- tokens ----------

export interface OwnerClaims {
  role: 'owner';
  jti: string;
  iat: number;
  exp: number;
}
export interface ShareClaims {
  role: 'share';
  sid: string;
  mode: ShareMode;
  jti: string;
  iat: number;
  exp: number;
}
export type TokenClaims = OwnerClaims | ShareClaims;

export const TokenClaimsSchema = z.discriminatedUnion('role', [
  z.object({ role: z.literal('owner'), jti: z.string().min(1), iat: z.number(), exp: z.number() }),
  z.object({
    role: z.literal('share'),
    sid: z.string().min(1),
    mode: z.enum(['view', 'control']),
    jti: z.string().min(1),
    iat: z.number(),
    exp: z.number(),
  }),
]);

// ---------- WebSocket: client -> server (text frames; binary frames are input bytes) ----------

export const WsClientMessage = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('auth'), token: z.string().min(1).max(8192) }),
  z.strictObject({ type: z.literal('resize'), cols, rows }),
  z.strictObject({ type: z.literal('ping') }),
]);
export type WsClientMessage = z.infer<typeof WsClientMessage>;

// ---------- WebSocket: server -> client (text frames; binary frames are output bytes) ----------

export type WsServerMessage =
  | { type: 'ready'; session: Session; mode: ViewMode }
  | { type: 'resize'; cols: number; rows: number }
  | { type: 'title'; title: string }
  | { type: 'exit'; exitCode: number | null }
  | { type: 'error'; code: string; message: string }
  | { type: 'resync' }
  | { type: 'pong' };

const SessionSchema = z.object({
  id: z.string(),
  name: z.string(),
  command: z.array(z.string()),
  cwd: z.string(),
  pid: z.number(),
  status: z.enum(['running', 'exited']),
  exitCode: z.number().nullable(),
  cols: z.number(),
  rows: z.number(),
  createdAt: z.string(),
  lastOutputAt: z.string().nullable(),
  viewers: z.number(),
});

const ShareSchema = z.object({
  id: z.string(),
  sessionId: z.string(),
  mode: z.enum(['view', 'control']),
  label: z.string().nullable(),
  expiresAt: z.string(),
  createdAt: z.string(),
});

/** Browsers validate what the server sends too: a decoded message is never just cast. */
export const WsServerMessageSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('ready'), session: SessionSchema, mode: z.enum(['owner', 'view', 'control']) }),
  z.object({ type: z.literal('resize'), cols: z.number(), rows: z.number() }),
  z.object({ type: z.literal('title'), title: z.string() }),
  z.object({ type: z.literal('exit'), exitCode: z.number().nullable() }),
  z.object({ type: z.literal('error'), code: z.string(), message: z.string() }),
  z.object({ type: z.literal('resync') }),
  z.object({ type: z.literal('pong') }),
]);

// ---------- Server-sent events (GET /api/events) ----------

export type ServerEvent =
  | { type: 'session.created'; session: Session }
  | { type: 'session.updated'; session: Session }
  | { type: 'session.exited'; session: Session }
  | { type: 'session.removed'; sessionId: string }
  | { type: 'share.created'; share: Share }
  | { type: 'share.revoked'; share: Share };

export type ServerEventType = ServerEvent['type'];

export const ServerEventSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('session.created'), session: SessionSchema }),
  z.object({ type: z.literal('session.updated'), session: SessionSchema }),
  z.object({ type: z.literal('session.exited'), session: SessionSchema }),
  z.object({ type: z.literal('session.removed'), sessionId: z.string() }),
  z.object({
    type: z.literal('share.created'),
    share: ShareSchema,
  }),
  z.object({
    type: z.literal('share.revoked'),
    share: ShareSchema,
  }),
]);

/** Parse a DURATION like `90s`, `30m`, `2h`, `7d` into seconds; null if malformed. */
export function parseDuration(text: string): number | null {
  const m = /^(\d{1,9})([smhd])$/.exec(text.trim());
  if (!m) return null;
  const n = Number(m[1]);
  const unit = { s: 1, m: 60, h: 3600, d: 86400 }[m[2] as 's' | 'm' | 'h' | 'd'];
  const seconds = n * unit;
  return seconds >= 1 && seconds <= SHARE_EXPIRES_MAX_SECONDS ? seconds : null;
}
