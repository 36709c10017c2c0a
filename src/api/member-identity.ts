import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Request, RequestHandler } from 'express';
import { HttpError } from './http-error';

/** The headers the platform's backend sends to say which logged-in member a request is for. */
export const MEMBER_HEADERS = {
  memberId: 'x-member-id',
  timestamp: 'x-member-timestamp',
  signature: 'x-member-signature',
} as const;

/** A signed identity older (or further ahead) than this is refused, so a captured one cannot be replayed for long. */
export const MEMBER_SIGNATURE_MAX_SKEW_MS = 5 * 60 * 1000;

const MEMBER_ID = /^[A-Za-z0-9_-]{1,64}$/;
// Unix seconds: digits only, so the last '.' in `<memberId>.<timestamp>` always splits the message unambiguously.
const UNIX_SECONDS = /^\d{1,12}$/;
const HEX_SHA256 = /^[0-9a-f]{64}$/;

/** The signature the platform's backend computes: hex HMAC-SHA256 over `<memberId>.<timestamp>`. */
export function signMemberIdentity(secret: string, memberId: string, timestamp: string): string {
  return createHmac('sha256', secret).update(`${memberId}.${timestamp}`).digest('hex');
}

/** Headers for a signed member identity at `now`; for the platform's backend and for tests. */
export function memberIdentityHeaders(secret: string, memberId: string, now: Date = new Date()): Record<string, string> {
  const timestamp = String(Math.floor(now.getTime() / 1000));
  return {
    [MEMBER_HEADERS.memberId]: memberId,
    [MEMBER_HEADERS.timestamp]: timestamp,
    [MEMBER_HEADERS.signature]: signMemberIdentity(secret, memberId, timestamp),
  };
}

/** How identities are checked. */
export interface MemberIdentityOptions {
  /** Undefined when MEMBER_SIGNING_SECRET is not configured: every identity is then refused. */
  secret: string | undefined;
  now?: () => Date;
}

// Set only by the middlewares below, so a handler can never read an identity that was not verified.
const verified = new WeakMap<Request, string>();

/** The verified member of this request, or undefined when none was presented (optional routes only). */
export function signedMemberId(req: Request): string | undefined {
  return verified.get(req);
}

/** The verified member of this request; for routes behind {@link requireMemberIdentity}. */
export function requiredMemberId(req: Request): string {
  const memberId = verified.get(req);
  if (memberId === undefined) throw new HttpError(401, 'MEMBER_UNAUTHENTICATED', 'no signed member identity');
  return memberId;
}

function unauthenticated(reason: string): HttpError {
  return new HttpError(401, 'MEMBER_UNAUTHENTICATED', `member identity refused: ${reason}`);
}

function verify(req: Request, options: MemberIdentityOptions): string {
  const memberId = req.header(MEMBER_HEADERS.memberId);
  const timestamp = req.header(MEMBER_HEADERS.timestamp);
  const signature = req.header(MEMBER_HEADERS.signature);
  if (memberId === undefined || timestamp === undefined || signature === undefined) {
    throw unauthenticated(`${MEMBER_HEADERS.memberId}, ${MEMBER_HEADERS.timestamp} and ${MEMBER_HEADERS.signature} are all required`);
  }
  if (!MEMBER_ID.test(memberId)) throw unauthenticated('malformed member id');
  if (!UNIX_SECONDS.test(timestamp)) throw unauthenticated('timestamp must be Unix seconds');
  if (options.secret === undefined) throw unauthenticated('member identities are not configured (MEMBER_SIGNING_SECRET)');
  const now = (options.now ?? (() => new Date()))().getTime();
  if (Math.abs(now - Number(timestamp) * 1000) > MEMBER_SIGNATURE_MAX_SKEW_MS) throw unauthenticated('timestamp outside the 5-minute window');
  const expected = Buffer.from(signMemberIdentity(options.secret, memberId, timestamp), 'hex');
  const presented = HEX_SHA256.test(signature) ? Buffer.from(signature, 'hex') : Buffer.alloc(0);
  if (presented.length !== expected.length || !timingSafeEqual(presented, expected)) throw unauthenticated('bad signature');
  return memberId;
}

function anyHeaderPresent(req: Request): boolean {
  return Object.values(MEMBER_HEADERS).some((name) => req.header(name) !== undefined);
}

/** Member-scoped routes: a valid signed identity or 401. */
export function requireMemberIdentity(options: MemberIdentityOptions): RequestHandler {
  return (req, _res, next) => {
    verified.set(req, verify(req, options));
    next();
  };
}

/**
 * Routes that predate member identities: none presented is allowed, but any header presented must
 * form a valid identity (a bad signature is never quietly treated as "no identity").
 */
export function optionalMemberIdentity(options: MemberIdentityOptions): RequestHandler {
  return (req, _res, next) => {
    if (anyHeaderPresent(req)) verified.set(req, verify(req, options));
    next();
  };
}
