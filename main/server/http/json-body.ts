// The JSON body of /api requests, in one place for the express app and the fast path
// (fast-path.ts), so a bad body gets the same answer whichever of the two takes the request:
// 415 for another Content-Type, body-parser's own 413 and invalid_json (mapped in errors.ts).
import type { IncomingMessage, ServerResponse } from 'node:http';
import express, { type Request, type RequestHandler, type Response } from 'express';
import { PortholeError } from '../../../common/errors.js';
import { JSON_BODY_MAX_BYTES } from '../../../common/flow.js';

const JSON_TYPE = /^application\/json\s*(;|$)/i;
const BODILESS = new Set(['GET', 'HEAD', 'OPTIONS']);

function isJsonType(req: { headers: { 'content-type'?: string } }): boolean {
  return JSON_TYPE.test(req.headers['content-type'] ?? '');
}

/** A body (or a Content-Type) on a JSON route must be application/json; no body, no header is fine. */
const requireJsonBody: RequestHandler = (req, _res, next) => {
  if (BODILESS.has(req.method)) return next();
  const type = req.headers['content-type'];
  const hasBody = Number(req.headers['content-length'] ?? 0) > 0 || req.headers['transfer-encoding'] !== undefined;
  if ((type !== undefined || hasBody) && !isJsonType(req)) throw new PortholeError('unsupported_media_type');
  next();
};

/** The middlewares, in order, that every /api route behind express sees. */
export function jsonBodyMiddleware(): RequestHandler[] {
  return [requireJsonBody, express.json({ limit: JSON_BODY_MAX_BYTES, type: isJsonType, strict: true })];
}

/**
 * The same middlewares run on a bare request: resolves with the parsed body (undefined when
 * there is none), rejects with what express would have passed to its error handler.
 * (body-parser needs nothing of express's request beyond IncomingMessage.)
 */
export function jsonBodyReader(): (req: IncomingMessage, res: ServerResponse) => Promise<unknown> {
  const chain = jsonBodyMiddleware();
  return (req, res) =>
    new Promise((resolve, reject) => {
      const run = (i: number): void => {
        if (i === chain.length) return resolve((req as { body?: unknown }).body);
        try {
          chain[i](req as Request, res as Response, (err?: unknown) => (err ? reject(err) : run(i + 1)));
        } catch (err) {
          reject(err);
        }
      };
      run(0);
    });
}
