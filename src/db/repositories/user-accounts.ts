import type { EntityManager } from '@mikro-orm/postgresql';
import { newId } from '../ids';
import type { UserAccount } from '../entities/user-account';
import type { PiiCipher } from '../pii-cipher';
import { UserAccountSchema } from '../entities/user-account';
import { DbError } from './errors';

/** The member already has an XJP account with a different number than the one being recorded. */
export class UserAccountConflictError extends DbError {
  constructor(
    readonly memberId: string,
    readonly existingAccountId: string,
  ) {
    super('USER_ACCOUNT_CONFLICT', `member ${memberId} already has XJP account ${existingAccountId}`);
    this.name = 'UserAccountConflictError';
  }
}

/** The member's XJP account, or null when none has been opened yet. */
export async function findUserAccount(em: EntityManager, memberId: string): Promise<UserAccount | null> {
  return em.findOne(UserAccountSchema, { memberId });
}

/**
 * Stores the account XJP opened for a member (its holder's name encrypted) and returns the stored row. Idempotent per member
 * (XJP's account opening is too): recording the same account again returns the existing row; a
 * different account number for the same member throws UserAccountConflictError.
 */
export async function recordUserAccount(
  em: EntityManager,
  cipher: PiiCipher,
  input: { memberId: string; accountId: string; accountName: string; at: Date },
): Promise<UserAccount> {
  const row = { id: newId('uac'), memberId: input.memberId, accountId: input.accountId, accountNameEnc: cipher.encrypt(input.accountName), createdAt: input.at };
  await em
    .createQueryBuilder(UserAccountSchema)
    .insert(row)
    .onConflict(['memberId'])
    .ignore()
    .execute('run');
  const account = await em.findOneOrFail(UserAccountSchema, { memberId: input.memberId }, { refresh: true });
  if (account.accountId !== input.accountId) throw new UserAccountConflictError(input.memberId, account.accountId);
  return account;
}
