// Express glue for Principal: one middleware that reads `Authorization: Bearer` (never a
// cookie, never the query string) and a typed accessor for the routes behind it.
import type { RequestHandler, Response } from 'express';
import { PortholeError } from '../../../common/errors.js';
import type { Authenticator, Principal } from './principal.js';

const KEY = 'porthole.principal';

export function authenticate(auth: Authenticator): RequestHandler {
  return (req, res, next) => {
    res.locals[KEY] = auth.fromHeader(req.headers.authorization);
    next();
  };
}

export function principalOf(res: Response): Principal {
  const p = res.locals[KEY] as Principal | undefined;
  // A route mounted without authenticate() is a bug: fail closed.
  if (!p) throw new PortholeError('unauthorized');
  return p;
}
