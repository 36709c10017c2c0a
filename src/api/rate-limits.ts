import { createHash } from 'node:crypto';
import type { Request, RequestHandler } from 'express';
import { ipKeyGenerator, rateLimit } from 'express-rate-limit';
import { API_KEY_HEADER } from './api-key-auth';
import { HttpError } from './http-error';

/** Requests per minute; counted in this API process's memory (each process counts its own). */
export interface RateLimits {
  /** Per API key on /v1 (an unknown key counts against its caller's address). */
  v1PerMinute: number;
  /** Per partner on /notify. */
  notifyPerMinute: number;
}

const WINDOW_MS = 60_000;

function limited(limit: number, keyOf: (req: Request) => string, who: string): RequestHandler {
  return rateLimit({
    windowMs: WINDOW_MS,
    limit,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    keyGenerator: keyOf,
    handler: (_req, _res, next) =>
      next(
        new HttpError(
          429,
          'RATE_LIMITED',
          `more than ${limit} requests a minute from ${who}; retry after the Retry-After header's seconds`,
        ),
      ),
  });
}

/**
 * /v1's limit, keyed per API key: a known key by its digest (the key itself is never held), any
 * other caller by its address, so made-up keys cannot each open a fresh allowance.
 */
export function apiKeyRateLimit(perMinute: number, keys: readonly string[]): RequestHandler {
  const digest = (key: string) => createHash('sha256').update(key).digest('hex').slice(0, 16);
  const known = new Set(keys.map(digest));
  return limited(
    perMinute,
    (req) => {
      const presented = req.header(API_KEY_HEADER);
      const hashed = presented === undefined ? undefined : digest(presented);
      return hashed !== undefined && known.has(hashed) ? `key:${hashed}` : `ip:${ipKeyGenerator(req.ip ?? '')}`;
    },
    'this API key',
  );
}

/** One partner's /notify limit: every delivery claiming to be that partner's counts, genuine or not. */
export function partnerRateLimit(perMinute: number, partner: string): RequestHandler {
  return limited(perMinute, () => partner, partner);
}
