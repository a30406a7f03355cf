// Why: every body the server sends is validated before use, never cast. common/protocol.ts
// exports validators for WebSocket messages and events; the HTTP responses reuse the same
// Session/Share shapes, taken from the event schema so there is still one source of truth.
import { z } from 'zod';
import { ServerEventSchema } from '../../common/protocol.js';

const created = ServerEventSchema.options.find((o) => o.shape.type.value === 'session.created');
const shareCreated = ServerEventSchema.options.find((o) => o.shape.type.value === 'share.created');
if (!created || !('session' in created.shape) || !shareCreated || !('share' in shareCreated.shape)) {
  throw new Error('protocol.ts changed shape: update renderer/src/schemas.ts');
}

export const SessionSchema = created.shape.session;
export const ShareSchema = shareCreated.shape.share;

export const SessionListSchema = z.array(SessionSchema);

export const AuthConfigSchema = z.object({ authRequired: z.boolean(), passwordLogin: z.boolean() });

export const LoginResponseSchema = z.object({ token: z.string().min(1), expiresAt: z.string() });

export const MeSchema = z.object({
  role: z.enum(['owner', 'share']),
  sessionId: z.string().optional(),
  mode: z.enum(['view', 'control']).optional(),
  expiresAt: z.string(),
});

export const CreateShareResponseSchema = z.object({
  id: z.string(),
  mode: z.enum(['view', 'control']),
  label: z.string().nullable(),
  expiresAt: z.string(),
  url: z.string(),
  token: z.string(),
});

export const ShareListSchema = z.array(
  z.object({
    id: z.string(),
    mode: z.enum(['view', 'control']),
    label: z.string().nullable(),
    expiresAt: z.string(),
    createdAt: z.string(),
  }),
);

export const ErrorBodySchema = z.object({
  error: z.object({ code: z.string(), message: z.string() }),
});
