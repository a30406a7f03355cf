// Share links: create and list per session, revoke by id. The link's token rides in the URL
// fragment so it never reaches logs, proxies or Referer headers (contract section 3).
import { Router } from 'express';
import { PortholeError } from '../../../../common/errors.js';
import { DEFAULT_LIMITS } from '../../../../common/flow.js';
import {
  CreateShareBody,
  DEFAULT_SHARE_EXPIRES_SECONDS,
  type CreateShareResponse,
  type ShareListItem,
} from '../../../../common/protocol.js';
import type { ApiContext } from '../context.js';
import { authenticate, principalOf } from '../authenticate.js';
import { requireOwner } from '../principal.js';
import { parseBody, parseId } from '../validate.js';

/** The viewer link: `<base>/s/<sessionId>#<token>`. */
export function shareUrl(baseUrl: string, sessionId: string, token: string): string {
  return `${baseUrl.replace(/\/+$/, '')}/s/${encodeURIComponent(sessionId)}#${token}`;
}

export function shareRoutes(ctx: ApiContext): Router {
  const r = Router();

  const ownedSession = (rawId: unknown): string => {
    const id = parseId(rawId, 'session_not_found');
    if (!ctx.sessions.get(id)) throw new PortholeError('session_not_found');
    return id;
  };

  r.post('/api/sessions/:id/shares', authenticate(ctx.auth), (req, res) => {
    requireOwner(principalOf(res));
    const sid = ownedSession(req.params.id);
    const body = parseBody(CreateShareBody, req.body);
    const max = (ctx.limits ?? DEFAULT_LIMITS).sharesPerSession;
    if (ctx.shares.list(sid).length >= max) throw new PortholeError('too_many_shares', `At most ${max} links per session (maxSharesPerSession in config.json); revoke one first`);
    const { share, token } = ctx.shares.create(sid, body.mode, body.expiresIn ?? DEFAULT_SHARE_EXPIRES_SECONDS, body.label, body.maxViewers);
    // share.created is published by the registry itself (server.ts forwards it).
    const out: CreateShareResponse = {
      id: share.id,
      mode: share.mode,
      label: share.label,
      expiresAt: share.expiresAt,
      url: shareUrl(ctx.baseUrl(req.headers.host), sid, token),
      token,
      maxViewers: share.maxViewers,
    };
    res.status(201).json(out);
  });

  r.get('/api/sessions/:id/shares', authenticate(ctx.auth), (req, res) => {
    requireOwner(principalOf(res));
    const sid = ownedSession(req.params.id);
    const out: ShareListItem[] = ctx.shares
      .list(sid)
      .map((s) => ({
        id: s.id,
        mode: s.mode,
        label: s.label,
        expiresAt: s.expiresAt,
        createdAt: s.createdAt,
        maxViewers: s.maxViewers,
        viewers: ctx.sharing?.presence.countByShare(s.id) ?? 0,
      }));
    res.json(out);
  });

  r.delete('/api/shares/:shareId', authenticate(ctx.auth), async (req, res) => {
    requireOwner(principalOf(res));
    const id = parseId(req.params.shareId, 'share_not_found');
    // The registry persists the revocation and notifies the ws layer (sockets close 4403).
    await ctx.shares.revoke(id);
    res.status(204).end();
  });

  return r;
}
