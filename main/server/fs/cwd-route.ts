// GET /api/sessions/:id/cwd (owner only): a session's current working directory, an
// extension of Session (docs/api.md). Not a Session field: on macOS it costs a child process,
// and Session objects are sent on every event and cached as list JSON. Share tokens get 403
// here like on every owner route, so a link never learns where the owner's shell is.
import { Router } from 'express';
import { PortholeError } from '../../../common/errors.js';
import { authenticate, principalOf } from '../http/authenticate.js';
import type { ApiContext } from '../http/context.js';
import { requireOwner } from '../http/principal.js';
import { parseId } from '../http/validate.js';
import { cwdProbeFor, probeCwd, type CwdProbeDeps, type CwdStep } from './cwd.js';

export function sessionCwdRoutes(ctx: Pick<ApiContext, 'auth' | 'sessions'>, plan: readonly CwdStep[] = cwdProbeFor(process.platform), deps?: CwdProbeDeps): Router {
  const r = Router();
  r.get('/api/sessions/:id/cwd', authenticate(ctx.auth), async (req, res) => {
    requireOwner(principalOf(res));
    const handle = ctx.sessions.get(parseId(String(req.params.id), 'session_not_found'));
    if (!handle) throw new PortholeError('session_not_found');
    const s = handle.info();
    // An exited session's pid may already belong to someone else: only its start cwd is known.
    const current = s.status === 'running' ? await probeCwd(plan, s.pid, s.cwd, deps) : { cwd: s.cwd, source: 'start' as const };
    res.set('Cache-Control', 'no-store').json(current);
  });
  return r;
}
