import { EntitySchema } from '@mikro-orm/core';
import { FenType } from '../types/fen-type';
import type { PurchaseOrder } from './purchase-order';
import { PurchaseOrderSchema } from './purchase-order';

/**
 * PENDING before LianLian acknowledged the apply; then LianLian's own `result_pay` states, including
 * CANCEL (a bank reversal after SUCCESS).
 */
export const PAYOUT_STATUSES = [
  'PENDING',
  'APPLY',
  'CHECK',
  'WAITING',
  'PROCESSING',
  'SUCCESS',
  'FAILURE',
  'CLOSED',
  'CANCEL',
] as const;
export type PayoutStatus = (typeof PAYOUT_STATUSES)[number];

/**
 * One payout attempt (代付) through LianLian. LianLian is idempotent on `no_order`, so a new attempt
 * after a failure needs a new `payoutNo`; `attempt` numbers them per order.
 */
export interface Payout {
  id: string;
  order: PurchaseOrder;
  /** Our payout reference sent as LianLian's `no_order`. */
  payoutNo: string;
  attempt: number;
  principalFen: number;
  interestFen: number;
  /** Kept from principal + interest: the service fee and any early-redemption fee on principal. */
  deductionsFen: number;
  totalFen: number;
  status: PayoutStatus;
  /** LianLian's bill number, once it has answered. */
  oidPaybill: string | null;
  /** How many times we called LianLian (apply/query) for this payout. */
  callCount: number;
  lastError: string | null;
  settleDate: string | null;
  createdAt: Date;
  updatedAt: Date;
  settledAt: Date | null;
}

export const PayoutSchema = new EntitySchema<Payout>({
  name: 'Payout',
  tableName: 'payout',
  uniques: [
    { name: 'payout_order_id_attempt_unique', properties: ['order', 'attempt'] },
    // The last line against paying twice: whatever the code above it does, PostgreSQL refuses a second
    // SUCCESS for one order. A reversed payout is CANCEL, so it no longer counts and a retry may succeed.
    {
      name: 'payout_one_success_per_order',
      expression: `create unique index "payout_one_success_per_order" on "payout" ("order_id") where status = 'SUCCESS'`,
    },
  ],
  checks: [
    { name: 'payout_total_is_sum', expression: 'total_fen = principal_fen + interest_fen - deductions_fen' },
    { name: 'payout_attempt_positive', expression: 'attempt > 0' },
    {
      name: 'payout_amounts_non_negative',
      expression: 'principal_fen >= 0 and interest_fen >= 0 and deductions_fen >= 0 and total_fen >= 0',
    },
  ],
  properties: {
    id: { type: 'string', columnType: 'text', primary: true },
    order: { kind: 'm:1', entity: () => PurchaseOrderSchema, deleteRule: 'restrict', index: false },
    payoutNo: { type: 'string', columnType: 'text', unique: 'payout_payout_no_unique' },
    attempt: { type: 'integer' },
    principalFen: { type: FenType },
    interestFen: { type: FenType },
    deductionsFen: { type: FenType, default: 0 },
    totalFen: { type: FenType },
    status: { enum: true, items: () => [...PAYOUT_STATUSES], columnType: 'text' },
    oidPaybill: { type: 'string', columnType: 'text', nullable: true, unique: 'payout_oid_paybill_unique' },
    callCount: { type: 'integer', default: 0 },
    lastError: { type: 'string', columnType: 'text', nullable: true },
    settleDate: { type: 'date', columnType: 'date', nullable: true },
    createdAt: { type: 'datetime', columnType: 'timestamptz' },
    updatedAt: { type: 'datetime', columnType: 'timestamptz' },
    settledAt: { type: 'datetime', columnType: 'timestamptz', nullable: true },
  },
});
