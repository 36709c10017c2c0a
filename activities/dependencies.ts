import type { MikroORM } from '@mikro-orm/postgresql';
import type { PiiCipher } from '../src/db/pii-cipher';
import type { LianLianClient } from '../src/partners/lianlian';
import type { XjpClient } from '../src/partners/xjp';

/** What the purchase activities are built from; tests hand in the same kinds of parts, real ones. */
export interface ActivityDependencies {
  orm: MikroORM;
  xjp: XjpClient;
  lianlian: LianLianClient;
  pii: PiiCipher;
  /** Where LianLian posts payout results: our `/notify/lianlian/payout`. */
  payoutNotifyUrl: string;
}
