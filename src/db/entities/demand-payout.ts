import { EntitySchema } from '@mikro-orm/core';
import { FenType } from '../types/fen-type';
import { type DemandMovement, DemandMovementSchema } from './demand';
import { PAYOUT_STATUSES, type PayoutStatus } from './payout';

/**
 * One attempt to pay a demand redemption to the member's card through LianLian (代付): XJP settled the
 * redemption to the platform, which pays it on. LianLian is idempotent on `payoutId`
 * (`<redemptionId>P01`, …), so a new attempt after a failure has a new id; statuses are the fixed-term
 * payout's (PENDING, then LianLian's `result_pay`).
 */
export interface DemandPayout {
  /** Our `no_order` at LianLian. */
  payoutId: string;
  /** The redemption paid out (its movement row holds the amount XJP settled). */
  redemption: DemandMovement;
  attempt: number;
  amountFen: number;
  status: PayoutStatus;
  /** LianLian's bill number, once it has answered. */
  lianlianBillNo: string | null;
  lastError: string | null;
  createdAt: Date;
  updatedAt: Date;
  settledAt: Date | null;
}

export const DemandPayoutSchema = new EntitySchema<DemandPayout>({
  name: 'DemandPayout',
  tableName: 'demand_payout',
  uniques: [
    { name: 'demand_payout_redemption_id_attempt_unique', properties: ['redemption', 'attempt'] },
    // Nothing leaves twice: whatever the code above it does, PostgreSQL refuses a second SUCCESS for one redemption.
    {
      name: 'demand_payout_one_success_per_redemption',
      expression: `create unique index "demand_payout_one_success_per_redemption" on "demand_payout" ("redemption_id") where status = 'SUCCESS'`,
    },
  ],
  checks: [
    { name: 'demand_payout_attempt_positive', expression: 'attempt > 0' },
    { name: 'demand_payout_amount_positive', expression: 'amount_fen > 0' },
  ],
  properties: {
    payoutId: { type: 'string', columnType: 'text', primary: true },
    redemption: { kind: 'm:1', entity: () => DemandMovementSchema, deleteRule: 'restrict', index: false },
    attempt: { type: 'integer' },
    amountFen: { type: FenType },
    status: { enum: true, items: () => [...PAYOUT_STATUSES], columnType: 'text' },
    lianlianBillNo: { type: 'string', columnType: 'text', nullable: true },
    lastError: { type: 'string', columnType: 'text', nullable: true },
    createdAt: { type: 'datetime', columnType: 'timestamptz' },
    updatedAt: { type: 'datetime', columnType: 'timestamptz' },
    settledAt: { type: 'datetime', columnType: 'timestamptz', nullable: true },
  },
});
