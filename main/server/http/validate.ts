// Validation at the edge: every body, param and query goes through a zod schema here,
// and a failure becomes one `validation_failed` error that names the fields (never values).
import { z, type ZodError, type ZodType } from 'zod';
import { PortholeError } from '../../../common/errors.js';
import { ID_PATTERN } from '../ids.js';

export function zodToPortholeError(err: ZodError): PortholeError {
  const issues = err.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message }));
  const message = issues
    .slice(0, 5)
    .map((i) => (i.path ? `${i.path}: ${i.message}` : i.message))
    .join('; ');
  return new PortholeError('validation_failed', message || 'The request does not match the expected shape', { issues });
}

/** Parse `value` with `schema` or throw a 400. A missing body counts as `{}` so that
 *  all-optional bodies (POST /api/sessions) may be omitted. */
export function parseBody<S extends ZodType>(schema: S, value: unknown): z.output<S> {
  const r = schema.safeParse(value === undefined ? {} : value);
  if (!r.success) throw zodToPortholeError(r.error);
  return r.data;
}

/** Ids in paths are url-safe random strings; anything else cannot name a resource. */
export const IdParam = z.string().regex(ID_PATTERN);

/** A session or share id from the path, or a 404 of the given code: an id that cannot exist
 *  is reported like one that does not. */
export function parseId(value: unknown, code: 'session_not_found' | 'share_not_found' | 'request_not_found'): string {
  const r = IdParam.safeParse(value);
  if (!r.success) throw new PortholeError(code);
  return r.data;
}
