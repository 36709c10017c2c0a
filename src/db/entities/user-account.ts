import { EntitySchema } from '@mikro-orm/core';

/** The investor's account at XJP (seed table `ua_bill_user_account`): one per platform member. */
export interface UserAccount {
  id: string;
  memberId: string;
  /** The account number XJP returned when it opened the account. */
  accountId: string;
  accountName: string;
  createdAt: Date;
}

export const UserAccountSchema = new EntitySchema<UserAccount>({
  name: 'UserAccount',
  tableName: 'ua_bill_user_account',
  properties: {
    id: { type: 'string', columnType: 'text', primary: true },
    memberId: { type: 'string', columnType: 'text', unique: 'ua_bill_user_account_member_id_unique' },
    accountId: { type: 'string', columnType: 'text', unique: 'ua_bill_user_account_account_id_unique' },
    accountName: { type: 'string', columnType: 'text' },
    createdAt: { type: 'datetime', columnType: 'timestamptz' },
  },
});
