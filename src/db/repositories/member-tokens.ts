import type { EntityManager } from '@mikro-orm/postgresql';
import { MemberTokenUseSchema } from '../entities/member-token-use';

/**
 * Claims a token id for one mutation: true the first time, false for every later use (a replay),
 * atomically across API processes. Also deletes claims whose tokens have expired, so the table
 * holds at most the tokens of the last few minutes.
 */
export async function claimMemberTokenId(
  em: EntityManager,
  input: { jti: string; memberId: string; expiresAt: Date; now: Date },
): Promise<boolean> {
  await em.nativeDelete(MemberTokenUseSchema, { expiresAt: { $lt: input.now } });
  const claimed = await em
    .createQueryBuilder(MemberTokenUseSchema)
    .insert({ jti: input.jti, memberId: input.memberId, expiresAt: input.expiresAt })
    .onConflict(['jti'])
    .ignore()
    .execute('run');
  return claimed.affectedRows === 1;
}
