import { EntitySchema } from '@mikro-orm/core';

/**
 * A member token's `jti` once a mutation has used it. Kept in PostgreSQL, not in one process's
 * memory, so a token replayed against another API instance is refused too. Rows past `expiresAt`
 * can go: the token itself is refused by then.
 */
export interface MemberTokenUse {
  jti: string;
  memberId: string;
  expiresAt: Date;
}

export const MemberTokenUseSchema = new EntitySchema<MemberTokenUse>({
  name: 'MemberTokenUse',
  tableName: 'member_token_use',
  indexes: [{ name: 'member_token_use_expires_at_index', properties: ['expiresAt'] }],
  properties: {
    jti: { type: 'string', columnType: 'text', primary: true },
    memberId: { type: 'string', columnType: 'text' },
    expiresAt: { type: 'datetime', columnType: 'timestamptz' },
  },
});
