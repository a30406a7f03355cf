// Hot, read-only routes answered on the bare http server before express sees the request:
// express 5 costs ~5x per request, and /health, the session list and one session's info are
// what monitors, dashboards and benchmarks hammer. Same auth rules (principal.ts), same error
// bodies (errors.ts), same headers. Anything not handled here returns false and goes to the
// express app unchanged (so a path with a query string, say, takes the ordinary route).
import type { IncomingMessage, ServerResponse } from 'node:http';
import { PortholeError } from '../../../common/errors.js';
import type { HealthResponse, Session } from '../../../common/protocol.js';
import type { Logger } from '../log.js';
import { toPortholeError, writeError } from './errors.js';
import { requireOwner, requireRead, type Authenticator } from './principal.js';
import { SECURITY_HEADERS } from './security.js';
import { parseId } from './validate.js';

export interface FastPathDeps {
  version: string;
  startedAt: number;
  auth: Authenticator;
  logger: Logger;
  sessions: {
    counts(): { running: number; exited: number };
    list(): Session[];
    get(id: string): { info(): Session } | undefined;
  };
}

const JSON_HEADERS: Record<string, string> = {
  ...SECURITY_HEADERS,
  'Content-Type': 'application/json; charset=utf-8',
  'Cache-Control': 'no-store',
};

const SESSIONS = '/api/sessions';
const ONE_SESSION = /^\/api\/sessions\/([^/?#]+)$/;

export function createFastPath(deps: FastPathDeps): (req: IncomingMessage, res: ServerResponse) => boolean {
  // The session list is one array until a session changes (SessionManager.list()): its JSON
  // (~30 KB for 100 sessions) is made once per change, not once per poll.
  let lastBody: unknown;
  let lastText = '';
  const send = (req: IncomingMessage, res: ServerResponse, body: unknown): void => {
    const text = body === lastBody ? lastText : JSON.stringify(body);
    if (Array.isArray(body)) {
      lastBody = body;
      lastText = text;
    }
    res.writeHead(200, { ...JSON_HEADERS, 'Content-Length': Buffer.byteLength(text) });
    res.end(req.method === 'HEAD' ? undefined : text);
  };
  const answer = (req: IncomingMessage, res: ServerResponse, body: () => unknown): true => {
    try {
      send(req, res, body());
    } catch (err) {
      const perr = toPortholeError(err);
      deps.logger.info('request rejected', { method: req.method, path: req.url, status: perr.status, code: perr.code, ip: req.socket.remoteAddress });
      for (const [k, v] of Object.entries(SECURITY_HEADERS)) res.setHeader(k, v);
      writeError(res, perr);
    }
    return true;
  };

  return (req, res) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return false;
    const url = req.url ?? '';
    if (url === '/health') {
      return answer(req, res, (): HealthResponse => ({
        status: 'ok',
        version: deps.version,
        uptimeSeconds: Math.floor((Date.now() - deps.startedAt) / 1000),
        sessions: deps.sessions.counts(),
      }));
    }
    if (url === SESSIONS) {
      return answer(req, res, () => {
        requireOwner(deps.auth.fromHeader(req.headers.authorization));
        return deps.sessions.list();
      });
    }
    const m = ONE_SESSION.exec(url);
    if (m) {
      return answer(req, res, () => {
        // Access first, then lookup: a share of another session is 403, as on the express route.
        requireRead(deps.auth.fromHeader(req.headers.authorization), m[1]);
        const handle = deps.sessions.get(parseId(m[1], 'session_not_found'));
        if (!handle) throw new PortholeError('session_not_found');
        return handle.info();
      });
    }
    return false;
  };
}
