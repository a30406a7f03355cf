// HTTP bodies both ways (contract sections 3 and 8): what a client may send (strict: unknown
// fields are a 400) and what the server answers (plain objects: a newer server may add fields).
import { z } from 'zod';
import { INPUT_MAX_BYTES } from '../flow.js';
import {
  MAX_VIEWERS_MAX,
  MAX_VIEWERS_MIN,
  SESSION_NAME_MAX,
  SHARE_EXPIRES_MAX_SECONDS,
  SessionSchema,
  ShareModeSchema,
  ShareSchema,
  ViewerSchema,
  cols,
  rows,
} from './shapes.js';

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

// ---------- requests (client -> server) ----------

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
  mode: ShareModeSchema,
  expiresIn: z.int().min(1).max(SHARE_EXPIRES_MAX_SECONDS).optional(),
  label: z.string().min(1).max(SESSION_NAME_MAX).optional(),
  /** Sockets open at once through the link (contract section 8); absent = no cap. */
  maxViewers: z.int().min(MAX_VIEWERS_MIN).max(MAX_VIEWERS_MAX).optional(),
});
export type CreateShareBody = z.infer<typeof CreateShareBody>;

export const LoginBody = z.strictObject({
  password: z.string().min(1).max(1024),
});
export type LoginBody = z.infer<typeof LoginBody>;

/** POST /api/sessions/:id/control-requests/:requestId */
export const ControlAnswerBody = z.strictObject({ grant: z.boolean() });
export type ControlAnswerBody = z.infer<typeof ControlAnswerBody>;

// ---------- responses (server -> client) ----------

export const RuntimeInfoSchema = z.object({ name: z.enum(['node', 'bun']), version: z.string() });
export type RuntimeInfo = z.infer<typeof RuntimeInfoSchema>;

export const HealthResponseSchema = z.object({
  status: z.literal('ok'),
  version: z.string(),
  uptimeSeconds: z.number(),
  sessions: z.object({ running: z.number(), exited: z.number() }),
  runtime: RuntimeInfoSchema.optional(),
});
export type HealthResponse = z.infer<typeof HealthResponseSchema>;

export const AuthConfigResponseSchema = z.object({ authRequired: z.boolean(), passwordLogin: z.boolean() });
export type AuthConfigResponse = z.infer<typeof AuthConfigResponseSchema>;

export const LoginResponseSchema = z.object({ token: z.string().min(1), expiresAt: z.string() });
export type LoginResponse = z.infer<typeof LoginResponseSchema>;

export const MeResponseSchema = z.object({
  role: z.enum(['owner', 'share']),
  sessionId: z.string().optional(),
  mode: ShareModeSchema.optional(),
  expiresAt: z.string(),
});
export type MeResponse = z.infer<typeof MeResponseSchema>;

export const SessionListSchema = z.array(SessionSchema);

export const CreateShareResponseSchema = z.object({
  id: z.string(),
  mode: ShareModeSchema,
  label: z.string().nullable(),
  expiresAt: z.string(),
  url: z.string(),
  token: z.string(),
  maxViewers: z.number().nullable().default(null),
});
export type CreateShareResponse = z.infer<typeof CreateShareResponseSchema>;

/** One row of GET /api/sessions/:id/shares: the share without its session id, plus how many
 *  sockets are open through it now. */
export const ShareListItemSchema = ShareSchema.omit({ sessionId: true }).extend({
  viewers: z.number().default(0),
});
export type ShareListItem = z.infer<typeof ShareListItemSchema>;
export const ShareListSchema = z.array(ShareListItemSchema);

/** GET /api/sessions/:id/viewers */
export const ViewerListSchema = z.array(ViewerSchema);

export const ErrorBodySchema = z.object({
  error: z.object({ code: z.string(), message: z.string(), details: z.unknown().optional() }),
});
