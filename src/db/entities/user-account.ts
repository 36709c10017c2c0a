import { EntitySchema } from '@mikro-orm/core';

/** The investor's account at XJP (seed table `ua_bill_user_account`): one per platform member. */
export interface UserAccount {
  id: string;
  memberId: string;
  /** The account number XJP returned when it opened the account. */
  accountId: string;
  /**
   * The account holder's name as XJP echoes it, AES-256-GCM ciphertext like the order's personal
   * data (pii-cipher.ts). Null only on accounts recorded before names were encrypted: their clear
   * names were dropped, not kept.
   */
  accountNameEnc: string | null;
  createdAt: Date;
}

export const UserAccountSchema = new EntitySchema<UserAccount>({
  name: 'UserAccount',
  tableName: 'ua_bill_user_account',
  properties: {
    id: { type: 'string', columnType: 'text', primary: true },
    memberId: { type: 'string', columnType: 'text', unique: 'ua_bill_user_account_member_id_unique' },
    accountId: { type: 'string', columnType: 'text', unique: 'ua_bill_user_account_account_id_unique' },
    accountNameEnc: { type: 'string', columnType: 'text', nullable: true },
    createdAt: { type: 'datetime', columnType: 'timestamptz' },
  },
});
