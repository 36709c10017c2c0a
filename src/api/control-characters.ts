import type { RequestHandler } from 'express';
import { HttpError } from './http-error';

/** C0 controls and DEL: never part of a name, an id, an amount or a date; NUL cannot even be stored in PostgreSQL text. */
// eslint-disable-next-line no-control-regex -- matching control characters is this module's one job
const CONTROL = /[\u0000-\u001F\u007F]/;
/** The same characters percent-encoded in a path or query. */
const ENCODED_CONTROL = /%(?:[01][0-9a-f]|7f)/i;

function refuse(field: string): HttpError {
  const message = 'must not contain control characters';
  return new HttpError(400, 'VALIDATION_FAILED', `invalid request: ${field}: ${message}`, [{ field, message }]);
}

/** Refuses a path or query carrying a control character, raw or percent-encoded, before any route reads it. */
export const refuseControlCharactersInUrl: RequestHandler = (req, _res, next) => {
  const [path = '', query = ''] = req.originalUrl.split(/\?(.*)/s, 2);
  if (CONTROL.test(path) || ENCODED_CONTROL.test(path)) return next(refuse('path'));
  if (CONTROL.test(query) || ENCODED_CONTROL.test(query)) return next(refuse('query'));
  next();
};

/** The dotted path of the first string (value or key) in `value` carrying a control character. */
function controlCharacterAt(value: unknown, path: string, depth = 0): string | undefined {
  // JSON bodies are at most 32 kB, so the depth bound only guards against pathological nesting.
  if (depth > 64) return undefined;
  if (typeof value === 'string') return CONTROL.test(value) ? path : undefined;
  if (typeof value !== 'object' || value === null) return undefined;
  for (const [key, inner] of Object.entries(value)) {
    const innerPath = `${path}.${key}`;
    if (CONTROL.test(key)) return innerPath;
    const found = controlCharacterAt(inner, innerPath, depth + 1);
    if (found !== undefined) return found;
  }
  return undefined;
}

/** Refuses a parsed JSON body holding a control character anywhere, naming the field. */
export const refuseControlCharactersInBody: RequestHandler = (req, _res, next) => {
  const field = controlCharacterAt(req.body, 'body');
  next(field === undefined ? undefined : refuse(field));
};
