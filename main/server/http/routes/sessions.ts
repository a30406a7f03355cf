// /api/sessions/*: the session CRUD and what can be done to one session over plain HTTP
// (input, resize, snapshot, preview, recording). Who may do what is decided by principal.ts.
import { EVENT_SEQ_HEADER } from '../event-bus.js';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { Router, type Response } from 'express';
import { PortholeError } from '../../../../common/errors.js';
import { DEFAULT_LIMITS, INPUT_BACKLOG_MAX_BYTES, INPUT_MAX_BYTES } from '../../../../common/flow.js';
import { CreateSessionBody, InputBody, RenameSessionBody, ResizeBody, utf8Length } from '../../../../common/protocol.js';
import type { Session } from '../../../../common/protocol.js';
import type { ApiContext, SessionHandlePort } from '../context.js';
import { authenticate, principalOf } from '../authenticate.js';
import { requireOwner, requireRead, requireWrite, sessionFor, type Principal } from '../principal.js';
import { parseBody, parseId } from '../validate.js';

type SessionsCtx = Pick<ApiContext, 'sessions' | 'limits'>;

/** Access check first (403 beats 404 for a share of another session), then lookup. */
function lookupFor(ctx: SessionsCtx, p: Principal, rawId: unknown, need: 'owner' | 'read' | 'write'): SessionHandlePort {
  const id = String(rawId);
  if (need === 'owner') requireOwner(p);
  else if (need === 'read') requireRead(p, id);
  else requireWrite(p, id);
  const handle = ctx.sessions.get(parseId(id, 'session_not_found'));
  if (!handle) throw new PortholeError('session_not_found');
  return handle;
}

/** POST /api/sessions once the body is parsed: the route's and the fast path's (fast-path.ts) one copy. */
export async function createSessionFor(ctx: SessionsCtx, p: Principal, rawBody: unknown): Promise<Session> {
  requireOwner(p);
  const body = parseBody(CreateSessionBody, rawBody);
  const { running, exited } = ctx.sessions.counts();
  const max = (ctx.limits ?? DEFAULT_LIMITS).sessions;
  if (running + exited >= max) throw new PortholeError('too_many_sessions', `At most ${max} sessions (maxSessions in config.json); end one first`);
  return ctx.sessions.create(body);
}

/** DELETE /api/sessions/:id with the id as the router decoded it: the route's and the fast path's one copy. */
export async function removeSessionFor(ctx: SessionsCtx, p: Principal, rawId: unknown): Promise<void> {
  const handle = lookupFor(ctx, p, rawId, 'owner');
  await ctx.sessions.remove(handle.id);
}

export function sessionRoutes(ctx: ApiContext): Router {
  const r = Router();
  r.use('/api/sessions', authenticate(ctx.auth));

  const lookup = (res: Response, rawId: unknown, need: 'owner' | 'read' | 'write'): SessionHandlePort => lookupFor(ctx, principalOf(res), rawId, need);

  r.get('/api/sessions', (_req, res) => {
    requireOwner(principalOf(res));
    res.setHeader(EVENT_SEQ_HEADER, String(ctx.events.seq));
    res.json(ctx.sessions.list());
  });

  r.post('/api/sessions', async (req, res) => {
    res.status(201).json(await createSessionFor(ctx, principalOf(res), req.body));
  });

  r.get('/api/sessions/:id', (req, res) => {
    res.json(sessionFor(principalOf(res), lookup(res, req.params.id, 'read').info()));
  });

  r.patch('/api/sessions/:id', (req, res) => {
    const handle = lookup(res, req.params.id, 'owner');
    const { name } = parseBody(RenameSessionBody, req.body);
    res.json(ctx.sessions.rename(handle.id, name));
  });

  r.delete('/api/sessions/:id', async (req, res) => {
    await removeSessionFor(ctx, principalOf(res), req.params.id);
    res.status(204).end();
  });

  r.post('/api/sessions/:id/input', (req, res) => {
    const handle = lookup(res, req.params.id, 'write');
    // Over-long input is "too large" (413), not a shape error: checked before the schema.
    const raw = (req.body as { data?: unknown } | undefined)?.data;
    if (typeof raw === 'string' && utf8Length(raw) > INPUT_MAX_BYTES) {
      throw new PortholeError('payload_too_large', `Input is limited to ${INPUT_MAX_BYTES} bytes`);
    }
    const { data } = parseBody(InputBody, req.body);
    if (handle.info().status !== 'running') throw new PortholeError('session_exited');
    // The program is not reading what it has (contract section 9): refuse more for now.
    if ((handle.inputBacklog?.() ?? 0) > INPUT_BACKLOG_MAX_BYTES) {
      throw new PortholeError('input_backlog', undefined, { retryAfterSeconds: 1 });
    }
    handle.write(data);
    res.status(204).end();
  });

  r.post('/api/sessions/:id/resize', (req, res) => {
    const handle = lookup(res, req.params.id, 'owner');
    const { cols, rows } = parseBody(ResizeBody, req.body);
    if (handle.info().status !== 'running') throw new PortholeError('session_exited');
    handle.resize(cols, rows);
    res.status(204).end();
  });

  r.get('/api/sessions/:id/snapshot', async (req, res) => {
    const handle = lookup(res, req.params.id, 'read');
    const text = await handle.snapshot();
    res.type('text/plain; charset=utf-8').set('Cache-Control', 'no-store').send(text);
  });

  // A share link's first paint (docs/first-screen.md): the visible rows with their styles, as
  // JSON the page draws with textContent. The same read access as the snapshot and the socket's
  // view scope; 204 once the session has ended (the page's socket then says so).
  r.get('/api/sessions/:id/preview', async (req, res) => {
    const handle = lookup(res, req.params.id, 'read');
    const json = handle.info().status === 'running' ? await handle.previewJson?.() : undefined;
    res.set('Cache-Control', 'no-store');
    if (!json) res.status(204).end();
    else res.type('application/json; charset=utf-8').send(json); // made by the worker, sent as is
  });

  r.get('/api/sessions/:id/recording', async (req, res) => {
    // A share link of this session may replay it once it has ended (contract section 8).
    const handle = lookup(res, req.params.id, 'read');
    if (principalOf(res).role === 'share' && handle.info().status === 'running') throw new PortholeError('session_running');
    await handle.flushRecording?.();
    const path = handle.recordingPath();
    const st = await stat(path).catch(() => null);
    if (!st || !st.isFile()) throw new PortholeError('not_found', 'No recording for this session');
    res.status(200);
    res.setHeader('Content-Type', 'application/x-asciicast');
    res.setHeader('Cache-Control', 'no-store');
    res.setHeader('Content-Disposition', `attachment; filename="${handle.id}.cast"`);
    // Stream what is on disk now; the recorder may still be appending.
    await new Promise<void>((resolve, reject) => {
      const stream = createReadStream(path);
      stream.on('error', reject);
      res.on('close', () => {
        stream.destroy();
        resolve();
      });
      stream.pipe(res);
    });
  });

  return r;
}
