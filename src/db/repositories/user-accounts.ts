import type { EntityManager } from '@mikro-orm/postgresql';
import { newId } from '../ids';
import type { UserAccount } from '../entities/user-account';
import type { PiiCipher } from '../pii-cipher';
import { UserAccountSchema } from '../entities/user-account';
import { DbError, isUniqueViolation } from './errors';

const ACCOUNT_ID_UNIQUE = 'ua_bill_user_account_account_id_unique';

/**
 * The account number cannot be stored for this member: the member already has another one, or
 * another member's row holds this number (XJP handed it out twice, e.g. after losing its books).
 */
export class UserAccountConflictError extends DbError {
  constructor(
    readonly memberId: string,
    readonly accountId: string,
    message: string,
  ) {
    super('USER_ACCOUNT_CONFLICT', message);
    this.name = 'UserAccountConflictError';
  }
}

/** The member's XJP account, or null when none has been opened yet. */
export async function findUserAccount(em: EntityManager, memberId: string): Promise<UserAccount | null> {
  return em.findOne(UserAccountSchema, { memberId });
}

function takenByAnother(memberId: string, accountId: string): UserAccountConflictError {
  return new UserAccountConflictError(
    memberId,
    accountId,
    `XJP account ${accountId} is stored for another member than ${memberId}`,
  );
}

/**
 * Stores the account XJP opened for a member (its holder's name encrypted) and returns the stored row. Idempotent per member
 * (XJP's account opening is too): recording the same account again returns the existing row; a
 * different account number for the same member, or a number another member holds, throws
 * UserAccountConflictError.
 */
export async function recordUserAccount(
  em: EntityManager,
  cipher: PiiCipher,
  input: { memberId: string; accountId: string; accountName: string; at: Date },
): Promise<UserAccount> {
  try {
    await em
      .createQueryBuilder(UserAccountSchema)
      .insert({
        id: newId('uac'),
        memberId: input.memberId,
        accountId: input.accountId,
        accountNameEnc: cipher.encrypt(input.accountName),
        createdAt: input.at,
      })
      .onConflict(['memberId'])
      .ignore()
      .execute('run');
  } catch (err) {
    if (isUniqueViolation(err, ACCOUNT_ID_UNIQUE)) throw takenByAnother(input.memberId, input.accountId);
    throw err;
  }
  const account = await em.findOneOrFail(UserAccountSchema, { memberId: input.memberId }, { refresh: true });
  if (account.accountId !== input.accountId) {
    throw new UserAccountConflictError(
      input.memberId,
      input.accountId,
      `member ${input.memberId} already has XJP account ${account.accountId}`,
    );
  }
  return account;
}

/**
 * Replaces the member's stored account with the one XJP re-opened (XJP no longer knew the stored
 * one); returns the number it replaced. Repeating it with the same number changes nothing.
 */
export async function replaceUserAccount(
  em: EntityManager,
  cipher: PiiCipher,
  input: { memberId: string; accountId: string; accountName: string },
): Promise<{ previousAccountId: string }> {
  const account = await em.findOneOrFail(UserAccountSchema, { memberId: input.memberId });
  const previousAccountId = account.accountId;
  em.assign(account, { accountId: input.accountId, accountNameEnc: cipher.encrypt(input.accountName) });
  try {
    await em.flush();
  } catch (err) {
    if (isUniqueViolation(err, ACCOUNT_ID_UNIQUE)) throw takenByAnother(input.memberId, input.accountId);
    throw err;
  }
  return { previousAccountId };
}
