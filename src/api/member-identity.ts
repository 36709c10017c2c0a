import type { Request, RequestHandler } from 'express';
import { errors as joseErrors, importJWK, jwtVerify, type JWTHeaderParameters, type KeyLike } from 'jose';
import { MEMBER_TOKEN_ALGORITHMS, type MemberTokenKey } from '../config/member-token-keys';
import { HttpError } from './http-error';

/**
 * A member token travels as `Authorization: Bearer <JWT>`: the platform's backend mints one for the
 * logged-in member (`sub`) with any JWT library; the API key alone never acts for a member.
 */
export const MEMBER_TOKEN_HEADER = 'authorization';

/** The longest a token may live (`exp - iat`), so a captured one is worth little. */
export const MEMBER_TOKEN_MAX_LIFETIME_S = 5 * 60;

/** Clock difference allowed between the backend and this engine. */
const CLOCK_TOLERANCE_S = 30;

const MEMBER_ID = /^[A-Za-z0-9_-]{1,64}$/;
const TOKEN_ID = /^[\x21-\x7e]{8,128}$/;

/** Who a verified token speaks for. */
export interface VerifiedMember {
  memberId: string;
  /** The token's `jti`: required, and usable once, on mutations. */
  tokenId: string | undefined;
  expiresAt: Date;
}

/** How member tokens are checked. */
export interface MemberIdentityOptions {
  /** Undefined when MEMBER_TOKEN_KEYS is not configured: every token is then refused. */
  keys: readonly MemberTokenKey[] | undefined;
  /** The `aud` a token must carry (MEMBER_TOKEN_AUDIENCE). */
  audience: string;
  now: () => Date;
  /** Records a mutation's token id; false when it was used before (a replay). Shared by every API process. */
  claimTokenId(use: { jti: string; memberId: string; expiresAt: Date }): Promise<boolean>;
}

/** The two ways a route checks the member: reads accept a token until it expires, mutations once. */
export interface MemberIdentity {
  /** A valid member token, or 401. */
  read: RequestHandler;
  /** A valid member token with a `jti` not used before, or 401. */
  mutation: RequestHandler;
}

// Set only by the middlewares below, so a handler can never read an identity that was not verified.
const verified = new WeakMap<Request, string>();

/** The verified member of this request; for routes behind {@link MemberIdentity}. */
export function requiredMemberId(req: Request): string {
  const memberId = verified.get(req);
  if (memberId === undefined) throw unauthenticated('no member token');
  return memberId;
}

function unauthenticated(reason: string): HttpError {
  return new HttpError(401, 'MEMBER_UNAUTHENTICATED', `member token refused: ${reason}`);
}

/** Resolves a token's key by `kid` among the configured ones; the token's `alg` must be that key's. */
function keyResolver(keys: readonly MemberTokenKey[]): (header: JWTHeaderParameters) => Promise<KeyLike | Uint8Array> {
  const imported = new Map<string, Promise<KeyLike | Uint8Array>>();
  return async (header) => {
    const key = keys.find((candidate) => candidate.kid === header.kid);
    if (key === undefined)
      throw unauthenticated(header.kid === undefined ? 'the header carries no kid' : `unknown kid ${header.kid}`);
    if (header.alg !== key.alg) throw unauthenticated(`kid ${key.kid} signs with ${key.alg}, not ${header.alg}`);
    let cached = imported.get(key.kid);
    if (cached === undefined) {
      cached = importJWK(key, key.alg);
      imported.set(key.kid, cached);
    }
    return cached;
  };
}

function refusalReason(err: unknown): string {
  if (err instanceof joseErrors.JWTExpired) return 'expired';
  if (err instanceof joseErrors.JWTClaimValidationFailed) return `claim ${err.claim}: ${err.reason}`;
  if (err instanceof joseErrors.JWSSignatureVerificationFailed) return 'bad signature';
  if (err instanceof joseErrors.JOSEAlgNotAllowed) return 'algorithm not allowed';
  return 'malformed token';
}

/** Builds the member token checks from the configured key set. */
export function memberIdentity(options: MemberIdentityOptions): MemberIdentity {
  const resolveKey = options.keys === undefined ? undefined : keyResolver(options.keys);

  async function verify(req: Request): Promise<VerifiedMember> {
    const header = req.header(MEMBER_TOKEN_HEADER);
    if (header === undefined) throw unauthenticated('Authorization: Bearer <member token> is required');
    const match = /^Bearer ([A-Za-z0-9_.-]+)$/.exec(header);
    if (match?.[1] === undefined) throw unauthenticated('Authorization must be Bearer <member token>');
    if (resolveKey === undefined) throw unauthenticated('member tokens are not configured (MEMBER_TOKEN_KEYS)');
    let payload;
    try {
      ({ payload } = await jwtVerify(match[1], resolveKey, {
        audience: options.audience,
        algorithms: [...MEMBER_TOKEN_ALGORITHMS],
        requiredClaims: ['sub', 'exp', 'iat'],
        currentDate: options.now(),
        clockTolerance: CLOCK_TOLERANCE_S,
        maxTokenAge: MEMBER_TOKEN_MAX_LIFETIME_S + CLOCK_TOLERANCE_S,
      }));
    } catch (err) {
      if (err instanceof HttpError) throw err;
      throw unauthenticated(refusalReason(err));
    }
    const { sub, exp, iat, jti } = payload;
    if (sub === undefined || !MEMBER_ID.test(sub)) throw unauthenticated('sub is not a member id');
    if (exp === undefined || iat === undefined || exp - iat > MEMBER_TOKEN_MAX_LIFETIME_S)
      throw unauthenticated(`lives longer than ${MEMBER_TOKEN_MAX_LIFETIME_S} s`);
    if (jti !== undefined && !TOKEN_ID.test(jti)) throw unauthenticated('jti must be 8-128 printable characters');
    return { memberId: sub, tokenId: jti, expiresAt: new Date(exp * 1000) };
  }

  return {
    read: async (req, _res, next) => {
      verified.set(req, (await verify(req)).memberId);
      next();
    },
    mutation: async (req, _res, next) => {
      const member = await verify(req);
      if (member.tokenId === undefined) throw unauthenticated('a mutation needs a jti (one token per action)');
      // Kept past expiry by the clock tolerance, so a token cannot be replayed at its edge.
      const keptUntil = new Date(member.expiresAt.getTime() + CLOCK_TOLERANCE_S * 1000);
      if (!(await options.claimTokenId({ jti: member.tokenId, memberId: member.memberId, expiresAt: keptUntil }))) {
        throw unauthenticated('this token was already used for an action (replay)');
      }
      verified.set(req, member.memberId);
      next();
    },
  };
}
