// Hot, simple routes answered on the bare http server before express sees the request:
// express 5 costs ~5x per request, and /health is what monitors and benchmarks hammer.
// Anything not handled here returns false and goes to the express app unchanged.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { HealthResponse } from '../../../common/protocol.js';
import { SECURITY_HEADERS } from './security.js';

export interface FastPathDeps {
  version: string;
  startedAt: number;
  counts(): { running: number; exited: number };
}

const JSON_HEADERS: Record<string, string> = {
  ...SECURITY_HEADERS,
  'Content-Type': 'application/json; charset=utf-8',
  'Cache-Control': 'no-store',
};

export function createFastPath(deps: FastPathDeps): (req: IncomingMessage, res: ServerResponse) => boolean {
  return (req, res) => {
    if (req.url !== '/health' || (req.method !== 'GET' && req.method !== 'HEAD')) return false;
    const body: HealthResponse = {
      status: 'ok',
      version: deps.version,
      uptimeSeconds: Math.floor((Date.now() - deps.startedAt) / 1000),
      sessions: deps.counts(),
    };
    const text = JSON.stringify(body);
    res.writeHead(200, { ...JSON_HEADERS, 'Content-Length': Buffer.byteLength(text) });
    res.end(req.method === 'HEAD' ? undefined : text);
    return true;
  };
}
