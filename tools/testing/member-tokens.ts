/** Member tokens as the platform's backend mints them, for the tests' requests. */
import { generateHs256MemberTokenKey, memberTokenHeader, type MintOptions } from '../dev/member-token';

/** The engine's audience in tests (the config default). */
export const TEST_MEMBER_TOKEN_AUDIENCE = 'xjp-order-engine';

/** The HS256 key the test engine verifies member tokens with, random per run. */
export const TEST_MEMBER_TOKEN_KEY = generateHs256MemberTokenKey('test-key-1');

/** `Authorization: Bearer <token>` for `memberId`, fresh `jti` unless given. */
export function asMember(memberId: string, options: Partial<MintOptions> = {}): Promise<Record<string, string>> {
  return memberTokenHeader(TEST_MEMBER_TOKEN_KEY, memberId, { audience: TEST_MEMBER_TOKEN_AUDIENCE, ...options });
}
