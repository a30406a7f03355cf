// The express app: body parsing, security headers, the routes of contract section 3 and 5,
// and the single error handler. Built once per Server; holds no resources of its own besides
// the SSE hub, which the Server closes.
import express, { type Express, type RequestHandler } from 'express';
import type { ApiContext } from './context.js';
import { authenticate, principalOf } from './authenticate.js';
import { errorMiddleware, notFoundHandler } from './errors.js';
import { healthResponse } from './fast-path.js';
import { jsonBodyMiddleware } from './json-body.js';
import { requireOwner } from './principal.js';
import { applySecurityHeaders } from './security.js';
import { SseHub } from './sse.js';
import { authRoutes } from './routes/auth.js';
import { eventRoutes } from './routes/events.js';
import { pageRoutes } from './routes/pages.js';
import { sessionRoutes } from './routes/sessions.js';
import { shareRoutes } from './routes/shares.js';
import { sessionCwdRoutes } from '../fs/cwd-route.js';
import { viewerRoutes } from './routes/viewers.js';

export interface HttpApp {
  app: Express;
  sse: SseHub;
}

const ownerOnly: RequestHandler = (_req, res, next) => {
  requireOwner(principalOf(res));
  next();
};

export function createApp(ctx: ApiContext): HttpApp {
  const app = express();
  app.disable('x-powered-by');
  app.disable('etag');
  app.set('query parser', 'simple');
  const sse = new SseHub(ctx.events, { isRevoked: ctx.isTokenRevoked, maxStreams: ctx.limits?.eventStreams });

  app.use((_req, res, next) => {
    applySecurityHeaders(res);
    next();
  });

  // /api/fs first: its upload body is raw bytes, so it must not meet the JSON parser.
  if (ctx.fsRouter) app.use('/api/fs', authenticate(ctx.auth), ownerOnly, ctx.fsRouter);

  // JSON routes take application/json only (415 otherwise): a page on another site can send
  // text/plain or a form without a CORS preflight, never application/json (section 9).
  // (json-body.ts: the fast path runs the same two.)
  app.use('/api', ...jsonBodyMiddleware());

  // Also answered by the fast path; kept here so an express-only embedding still works.
  app.get('/health', (_req, res) => {
    res.set('Cache-Control', 'no-store').json(healthResponse(ctx.version, ctx.runtime, ctx.startedAt, ctx.sessions.counts()));
  });

  app.use(authRoutes(ctx));
  app.use(sessionCwdRoutes(ctx));
  app.use(sessionRoutes(ctx));
  app.use(shareRoutes(ctx));
  app.use(viewerRoutes(ctx));
  app.use(eventRoutes(ctx, sse));
  app.use('/api', notFoundHandler);
  app.use(pageRoutes(ctx.assets));
  app.use(notFoundHandler);
  app.use(errorMiddleware(ctx.logger, ctx.clientAddress));
  return { app, sse };
}
