// /api/auth/*: what the login page needs (config, login) and what any token may ask about
// itself (me, logout). Logout revokes for good: the jti is persisted by the token service.
import { Router } from 'express';
import { PortholeError } from '../../../../common/errors.js';
import { LoginBody, type AuthConfigResponse, type MeResponse } from '../../../../common/protocol.js';
import type { ApiContext } from '../context.js';
import { authenticate, principalOf } from '../authenticate.js';
import { expiresAtOf } from '../principal.js';
import { parseBody } from '../validate.js';

export function authRoutes(ctx: ApiContext): Router {
  const r = Router();

  r.get('/api/auth/config', async (_req, res) => {
    const body: AuthConfigResponse = { authRequired: ctx.auth.authRequired, passwordLogin: await ctx.passwordLogin() };
    res.json(body);
  });

  r.post('/api/auth/login', async (req, res) => {
    const { password } = parseBody(LoginBody, req.body);
    const ip = ctx.clientAddress ? ctx.clientAddress(req) : (req.socket.remoteAddress ?? 'unknown');
    res.json(await ctx.login(password, ip));
  });

  r.post('/api/auth/logout', authenticate(ctx.auth), async (_req, res) => {
    const p = principalOf(res);
    // A share token's jti is the share: revoking it here would end the link for every viewer
    // behind the owner's back. Only the owner revokes a link (DELETE /api/shares/:id).
    if (p.role === 'share') throw new PortholeError('forbidden', 'A share link cannot log out; the owner revokes links');
    if (p.jti !== null && p.exp !== null) await ctx.revokeToken(p.jti, p.exp);
    res.status(204).end();
  });

  r.get('/api/auth/me', authenticate(ctx.auth), (_req, res) => {
    const p = principalOf(res);
    // expiresAt is null only under --no-auth, where there is no token (documented in docs/api.md).
    const body = (p.role === 'owner'
      ? { role: 'owner', expiresAt: expiresAtOf(p) }
      : { role: 'share', sessionId: p.sid, mode: p.mode, expiresAt: expiresAtOf(p) }) as MeResponse;
    res.json(body);
  });

  return r;
}
