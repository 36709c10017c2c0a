import { randomBytes, randomUUID } from 'node:crypto';
import { importJWK, SignJWT, type JWK } from 'jose';
import { MEMBER_TOKEN_HEADER } from '../../src/api/member-identity';

/** A key a member token is signed with: the HS256 secret, or the private half of an RS256/ES256 key. */
export type MemberTokenSigningKey = JWK & { kid: string; alg: 'HS256' | 'RS256' | 'ES256' };

/** What a minted token says besides its member. */
export interface MintOptions {
  audience: string;
  now?: Date;
  /** At most 300 s, or the engine refuses the token. */
  ttlSeconds?: number;
  /** Default: a fresh UUID, so every token is good for one action. */
  jti?: string;
}

/**
 * Mints a member token as the platform's backend does (any JWT library can): `sub` the member,
 * `aud` the engine, `iat`/`exp` at most 5 minutes apart, a fresh `jti`, `kid` in the header. For
 * the dev stack (`npm run member-token`) and tests; the engine itself only verifies.
 */
export async function mintMemberToken(
  key: MemberTokenSigningKey,
  memberId: string,
  options: MintOptions,
): Promise<string> {
  const issuedAt = Math.floor((options.now ?? new Date()).getTime() / 1000);
  return new SignJWT({})
    .setProtectedHeader({ alg: key.alg, kid: key.kid, typ: 'JWT' })
    .setSubject(memberId)
    .setAudience(options.audience)
    .setIssuedAt(issuedAt)
    .setExpirationTime(issuedAt + (options.ttlSeconds ?? 300))
    .setJti(options.jti ?? randomUUID())
    .sign(await importJWK(key, key.alg));
}

/** The `Authorization` header carrying a freshly minted member token. */
export async function memberTokenHeader(
  key: MemberTokenSigningKey,
  memberId: string,
  options: MintOptions,
): Promise<Record<string, string>> {
  return { [MEMBER_TOKEN_HEADER]: `Bearer ${await mintMemberToken(key, memberId, options)}` };
}

/** A random HS256 key (32 bytes) as a JWK, for a local stack or a test run. */
export function generateHs256MemberTokenKey(kid = `hs-${randomBytes(4).toString('hex')}`): {
  kty: 'oct';
  kid: string;
  alg: 'HS256';
  k: string;
} {
  return { kty: 'oct', kid, alg: 'HS256', k: randomBytes(32).toString('base64url') };
}
