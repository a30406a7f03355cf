// Server-sent events (GET /api/events, contract sections 3 and 8) and token claims.
import { z } from 'zod';
import { SessionSchema, ShareModeSchema, ShareSchema, ViewerSchema } from './shapes.js';

export const ServerEventSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('session.created'), session: SessionSchema }),
  z.object({ type: z.literal('session.updated'), session: SessionSchema }),
  z.object({ type: z.literal('session.exited'), session: SessionSchema }),
  z.object({ type: z.literal('session.removed'), sessionId: z.string() }),
  z.object({ type: z.literal('share.created'), share: ShareSchema }),
  z.object({ type: z.literal('share.revoked'), share: ShareSchema }),
  z.object({ type: z.literal('viewer.joined'), sessionId: z.string(), viewer: ViewerSchema }),
  z.object({ type: z.literal('viewer.left'), sessionId: z.string(), viewer: ViewerSchema }),
  /** Extension: a viewer's mode changed (control granted or taken back) or it typed after a
   *  quiet spell (at most one per VIEWER_INPUT_EVENT_MS per socket). */
  z.object({ type: z.literal('viewer.updated'), sessionId: z.string(), viewer: ViewerSchema }),
  z.object({ type: z.literal('control.requested'), sessionId: z.string(), requestId: z.string(), viewer: ViewerSchema }),
  /** Extension: the request is no longer pending (answered, lapsed, or its socket left). */
  z.object({
    type: z.literal('control.resolved'),
    sessionId: z.string(),
    requestId: z.string(),
    outcome: z.enum(['granted', 'denied', 'lapsed', 'withdrawn']),
  }),
]);
export type ServerEvent = z.infer<typeof ServerEventSchema>;
export type ServerEventType = ServerEvent['type'];

// ---------- tokens (contract section 2) ----------

export const OwnerClaimsSchema = z.object({ role: z.literal('owner'), jti: z.string().min(1), iat: z.number(), exp: z.number() });
export type OwnerClaims = z.infer<typeof OwnerClaimsSchema>;
export const ShareClaimsSchema = z.object({
  role: z.literal('share'),
  sid: z.string().min(1),
  mode: ShareModeSchema,
  jti: z.string().min(1),
  iat: z.number(),
  exp: z.number(),
});
export type ShareClaims = z.infer<typeof ShareClaimsSchema>;
export const TokenClaimsSchema = z.discriminatedUnion('role', [OwnerClaimsSchema, ShareClaimsSchema]);
export type TokenClaims = z.infer<typeof TokenClaimsSchema>;
