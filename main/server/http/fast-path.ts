// Hot routes answered on the bare http server before express sees the request: express 5 costs
// ~5x per request, and /health, the session list and one session's info are what monitors,
// dashboards and benchmarks hammer; creating and deleting a session is what scripts and CI do
// in a loop (POST /api/sessions, DELETE /api/sessions/:id: the same body middlewares, json-body.ts,
// and the same route actions, routes/sessions.ts). Same auth rules (principal.ts), same error
// bodies (errors.ts), same headers. Anything not handled here returns false and goes to the
// express app unchanged (so a path with a query string, say, takes the ordinary route).
import type { IncomingMessage, ServerResponse } from 'node:http';
import { PortholeError } from '../../../common/errors.js';
import type { HealthResponse, Session } from '../../../common/protocol.js';
import type { Logger } from '../log.js';
import { logRejection, toPortholeError, writeError } from './errors.js';
import { requireOwner, requireRead, sessionFor, type Authenticator, type Principal } from './principal.js';
import { EVENT_SEQ_HEADER } from './event-bus.js';
import { SECURITY_HEADERS } from './security.js';
import { parseId } from './validate.js';

export interface FastPathDeps {
  /** The seq of the last event emitted (EventBus.seq), sent with the session list. */
  eventSeq?: () => number;
  version: string;
  runtime: HealthResponse['runtime'];
  startedAt: number;
  auth: Authenticator;
  logger: Logger;
  /** The client's address for logs (X-Forwarded-For from trusted hops only). */
  clientAddress?: (req: IncomingMessage) => string;
  sessions: {
    counts(): { running: number; exited: number };
    list(): Session[];
    get(id: string): { info(): Session } | undefined;
  };
  /** Given: POST /api/sessions and DELETE /api/sessions/:id are answered here too. */
  writes?: {
    /** The /api body middlewares on a bare request (json-body.ts jsonBodyReader). */
    body(req: IncomingMessage, res: ServerResponse): Promise<unknown>;
    /** The express routes' own actions (routes/sessions.ts createSessionFor, removeSessionFor). */
    create(p: Principal, body: unknown): Promise<Session>;
    remove(p: Principal, id: string): Promise<void>;
  };
}

const JSON_HEADERS: Record<string, string> = {
  ...SECURITY_HEADERS,
  'Content-Type': 'application/json; charset=utf-8',
  'Cache-Control': 'no-store',
};

const SESSIONS = '/api/sessions';
const ONE_SESSION = /^\/api\/sessions\/([^/?#]+)$/;

/** The /health body; express's own /health route (for embeddings without this path) uses it too. */
export function healthResponse(
  version: string,
  runtime: HealthResponse['runtime'],
  startedAt: number,
  sessions: HealthResponse['sessions'],
): HealthResponse {
  return { status: 'ok', version, runtime, uptimeSeconds: Math.floor((Date.now() - startedAt) / 1000), sessions };
}

export function createFastPath(deps: FastPathDeps): (req: IncomingMessage, res: ServerResponse) => boolean {
  // The session list is one array until a session changes (SessionManager.list()): its JSON
  // (~30 KB for 100 sessions) is made once per change, not once per poll.
  let listed: Session[] | undefined;
  let listedJson = '';
  const listJson = (): string => {
    const list = deps.sessions.list();
    if (list !== listed) {
      listed = list;
      listedJson = JSON.stringify(list);
    }
    return listedJson;
  };
  /** `json` makes the body's JSON text; whatever it throws becomes the error answer. */
  const answer = (req: IncomingMessage, res: ServerResponse, json: () => string, extra?: Record<string, string>): true => {
    try {
      const text = json();
      res.writeHead(200, { ...JSON_HEADERS, ...extra, 'Content-Length': Buffer.byteLength(text) });
      res.end(req.method === 'HEAD' ? undefined : text);
    } catch (err) {
      fail(req, res, err);
    }
    return true;
  };

  /** The error answer, as express's error handler gives it (security headers set first). */
  const fail = (req: IncomingMessage, res: ServerResponse, err: unknown): void => {
    const perr = toPortholeError(err);
    logRejection(deps.logger, { method: req.method, path: req.url ?? '', ip: deps.clientAddress ? deps.clientAddress(req) : req.socket.remoteAddress }, err, perr);
    for (const [k, v] of Object.entries(SECURITY_HEADERS)) res.setHeader(k, v);
    writeError(res, perr);
  };
  const writes = deps.writes;
  /**
   * A write route, in express's order: the body (415 / 413 / invalid_json come before auth,
   * as the /api body middlewares run before the routes' authenticate()), then the principal,
   * then the action, which answers (as express does, with no Cache-Control on these).
   */
  const write = (req: IncomingMessage, res: ServerResponse, act: (p: Principal, body: unknown) => Promise<void>): true => {
    void (async () => {
      const body = await writes!.body(req, res);
      await act(deps.auth.fromHeader(req.headers.authorization), body);
    })().catch((err: unknown) => fail(req, res, err));
    return true;
  };

  return (req, res) => {
    const url = req.url ?? '';
    if (writes && req.method === 'POST' && url === SESSIONS) {
      return write(req, res, async (p, body) => {
        const text = JSON.stringify(await writes.create(p, body));
        res.writeHead(201, { ...SECURITY_HEADERS, 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(text) });
        res.end(text);
      });
    }
    if (writes && req.method === 'DELETE') {
      const m = ONE_SESSION.exec(url);
      if (m) {
        return write(req, res, async (p) => {
          // Decoded as express decodes a param (a URIError is the same 400 there).
          await writes.remove(p, decodeURIComponent(m[1]));
          res.writeHead(204, SECURITY_HEADERS);
          res.end();
        });
      }
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') return false;
    if (url === '/health') {
      return answer(req, res, () => JSON.stringify(healthResponse(deps.version, deps.runtime, deps.startedAt, deps.sessions.counts())));
    }
    if (url === SESSIONS) {
      // Read before the list: events are emitted with their change, so the list reflects at
      // least every event up to this seq (the panel applies only later ones after a reload).
      const seq = String(deps.eventSeq?.() ?? 0);
      return answer(
        req,
        res,
        () => {
          requireOwner(deps.auth.fromHeader(req.headers.authorization));
          return listJson();
        },
        { [EVENT_SEQ_HEADER]: seq },
      );
    }
    const m = ONE_SESSION.exec(url);
    if (m) {
      return answer(req, res, () => {
        // Access first, then lookup: a share of another session is 403, as on the express route.
        // Decoded as express decodes a param: `%41…` names the same session, `%zz` is a 400.
        const id = decodeURIComponent(m[1]);
        const p = deps.auth.fromHeader(req.headers.authorization);
        requireRead(p, id);
        const handle = deps.sessions.get(parseId(id, 'session_not_found'));
        if (!handle) throw new PortholeError('session_not_found');
        return JSON.stringify(sessionFor(p, handle.info()));
      });
    }
    return false;
  };
}
