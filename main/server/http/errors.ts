// The one place where anything thrown inside the HTTP layer becomes a response: a
// PortholeError keeps its code, body-parser and zod failures get theirs, and anything else
// is a 500 whose details stay in the log, never in the body.
import type { ErrorRequestHandler, Request, RequestHandler, Response } from 'express';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ZodError } from 'zod';
import { PortholeError, errorBody, type ErrorCode } from '../../../common/errors.js';
import type { Logger } from '../log.js';
import { applySecurityHeaders } from './security.js';
import { zodToPortholeError } from './validate.js';

/** Seconds a 429 asks the client to wait, carried on the error's details. */
export interface RetryDetails {
  retryAfterSeconds: number;
}

function hasRetryAfter(details: unknown): details is RetryDetails {
  return typeof details === 'object' && details !== null && typeof (details as RetryDetails).retryAfterSeconds === 'number';
}

/** The message of a 400 for a path the server cannot percent-decode. */
export const MALFORMED_URL = 'The request path has malformed percent-encoding';

/** Map anything thrown to a PortholeError; unknown faults become `internal`. */
export function toPortholeError(err: unknown): PortholeError {
  if (err instanceof PortholeError) return err;
  if (err instanceof ZodError) return zodToPortholeError(err);
  // The router's decodeURIComponent of a path parameter (`/s/%zz`): the client's mistake.
  if (err instanceof URIError) return new PortholeError('validation_failed', MALFORMED_URL);
  if (typeof err === 'object' && err !== null) {
    const e = err as { type?: unknown; status?: unknown };
    // body-parser's stable error types.
    if (e.type === 'entity.parse.failed') return new PortholeError('invalid_json');
    if (e.type === 'entity.too.large') return new PortholeError('payload_too_large');
    if (e.type === 'encoding.unsupported' || e.type === 'charset.unsupported') {
      return new PortholeError('validation_failed', 'Unsupported body encoding');
    }
    if (e.type === 'request.aborted') return new PortholeError('validation_failed', 'The request was aborted');
    if (e.status === 400 && err instanceof SyntaxError) return new PortholeError('invalid_json');
  }
  return new PortholeError('internal');
}

/** Write an error body on a bare ServerResponse or an express Response. */
export function writeError(res: ServerResponse | Response, err: PortholeError): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const body = JSON.stringify(errorBody(err));
  res.statusCode = err.status;
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.setHeader('Cache-Control', 'no-store');
  if (err.status === 429 && hasRetryAfter(err.details)) {
    res.setHeader('Retry-After', String(Math.max(1, Math.ceil(err.details.retryAfterSeconds))));
  }
  if (err.status === 401) res.setHeader('WWW-Authenticate', 'Bearer');
  res.end(body);
}

/** Logs one rejected request once (no bodies, no tokens): 5xx with the fault, 4xx with the reason. */
export function logRejection(logger: Logger, req: { method?: string; path: string; ip?: string }, err: unknown, perr: PortholeError): void {
  const fields = { method: req.method, path: req.path, status: perr.status, code: perr.code, ip: req.ip };
  if (perr.status >= 500) logger.error('request failed', { ...fields, error: err instanceof Error ? err : String(err), stack: err instanceof Error ? err.stack : undefined });
  else logger.info('request rejected', { ...fields, reason: perr.message });
}

/** A request the gate (ws/origin.ts) refused before any route saw it: logged once, answered
 *  with the code, and the connection closed so an unread body is never parsed. */
export function refuseRequest(req: IncomingMessage, res: ServerResponse, code: ErrorCode, logger: Logger, ip: string | undefined = req.socket.remoteAddress): void {
  const perr = new PortholeError(code);
  const path = (req.url ?? '').split('?')[0];
  logRejection(logger, { method: req.method, path, ip }, perr, perr);
  applySecurityHeaders(res);
  res.setHeader('Connection', 'close');
  writeError(res, perr);
}

/** Express's final error handler: logs each rejection once and answers with its code. */
export function errorMiddleware(logger: Logger, clientAddress: (req: Request) => string | undefined = (req) => req.socket.remoteAddress): ErrorRequestHandler {
  return (err, req, res, _next) => {
    const perr = toPortholeError(err);
    logRejection(logger, { method: req.method, path: req.path, ip: clientAddress(req) }, err, perr);
    // details are only shown for validation errors (they name fields, never values).
    writeError(res, perr);
  };
}

/** Anything that falls through every route: 404 in JSON. */
export const notFoundHandler: RequestHandler = (_req, _res, next) => {
  next(new PortholeError('not_found'));
};
