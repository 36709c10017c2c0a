import { timingSafeEqual } from 'node:crypto';
import type { RequestHandler } from 'express';
import { HttpError } from './http-error';

/** The header the platform's backend authenticates with. */
export const API_KEY_HEADER = 'x-api-key';

function sameSecret(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

/** Lets a request through only with one of the configured API keys; otherwise 401. */
export function requireApiKey(keys: readonly string[]): RequestHandler {
  return (req, _res, next) => {
    const presented = req.header(API_KEY_HEADER);
    if (presented === undefined || !keys.some((key) => sameSecret(key, presented))) {
      next(new HttpError(401, 'UNAUTHENTICATED', `missing or unknown ${API_KEY_HEADER}`));
      return;
    }
    next();
  };
}
