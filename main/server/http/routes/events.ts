// The /api/events route: owner only, handed to the SSE hub that owns the streams.
import { Router } from 'express';
import type { ApiContext } from '../context.js';
import { authenticate, principalOf } from '../authenticate.js';
import { requireOwner } from '../principal.js';
import type { SseHub } from '../sse.js';

export function eventRoutes(ctx: ApiContext, hub: SseHub): Router {
  const r = Router();
  r.get('/api/events', authenticate(ctx.auth), (req, res) => {
    requireOwner(principalOf(res));
    hub.open(req, res);
  });
  return r;
}
