// Who is watching a session and the owner's answers to control requests (contract section 8):
// GET /api/sessions/:id/viewers, POST and DELETE /api/sessions/:id/control-requests/:requestId.
// Owner only; the state lives in main/server/sharing/, reached through ctx.sharing.
import { Router, type Request, type Response } from 'express';
import { PortholeError } from '../../../../common/errors.js';
import { ControlAnswerBody } from '../../../../common/protocol.js';
import type { ApiContext, SharingPort } from '../context.js';
import { authenticate, principalOf } from '../authenticate.js';
import { requireOwner } from '../principal.js';
import { parseBody, parseId } from '../validate.js';

export function viewerRoutes(ctx: ApiContext): Router {
  const r = Router();

  /** Owner check first, then the session, then the sharing layer (absent: 404 as well). */
  const scope = (req: Request, res: Response): { sid: string; sharing: SharingPort } => {
    requireOwner(principalOf(res));
    const sid = parseId(req.params.id, 'session_not_found');
    if (!ctx.sessions.get(sid)) throw new PortholeError('session_not_found');
    if (!ctx.sharing) throw new PortholeError('not_found', 'This server does not track viewers');
    return { sid, sharing: ctx.sharing };
  };

  r.get('/api/sessions/:id/viewers', authenticate(ctx.auth), (req, res) => {
    const { sid, sharing } = scope(req, res);
    res.set('Cache-Control', 'no-store').json(sharing.presence.list(sid));
  });

  r.post('/api/sessions/:id/control-requests/:requestId', authenticate(ctx.auth), (req, res) => {
    const { sid, sharing } = scope(req, res);
    const requestId = parseId(req.params.requestId, 'request_not_found');
    const { grant } = parseBody(ControlAnswerBody, req.body);
    sharing.control.answer(sid, requestId, grant);
    res.status(204).end();
  });

  r.delete('/api/sessions/:id/control-requests/:requestId', authenticate(ctx.auth), (req, res) => {
    const { sid, sharing } = scope(req, res);
    sharing.control.takeBack(sid, parseId(req.params.requestId, 'request_not_found'));
    res.status(204).end();
  });

  return r;
}
