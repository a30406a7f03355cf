// The /api/events route: owner only, handed to the SSE hub that owns the streams.
import { Router } from 'express';
import type { ApiContext } from '../context.js';
import { authenticate, principalOf } from '../authenticate.js';
import { requireOwner } from '../principal.js';
import type { SseHub } from '../sse.js';

export function eventRoutes(ctx: ApiContext, hub: SseHub): Router {
  const r = Router();
  r.get('/api/events', authenticate(ctx.auth), (req, res) => {
    const p = principalOf(res);
    requireOwner(p);
    // The stream ends with its token: logout, revocation or expiry (sse.ts).
    hub.open(req, res, { jti: p.jti, exp: p.exp });
  });
  return r;
}
