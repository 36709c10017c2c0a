import { EntitySchema } from '@mikro-orm/core';
import { REFUND_CAUSES, REFUND_STATUSES, type RefundCause, type RefundStatus } from '../../domain/refund';
import { FenType } from '../types/fen-type';

/**
 * One refund attempt of a payment through LianLian, the refund's own ledger row. `orderNo` is text,
 * not a reference, because money can arrive for an order we never had. LianLian is idempotent on
 * `refundNo`, so a new attempt after a failure gets a new one.
 */
export interface Refund {
  id: string;
  refundNo: string;
  /** The order the payment named, or null when we know no such order. */
  orderNo: string | null;
  /** XJP's order number the payment was made for, as its notification said. */
  xjpOrderNo: string;
  /** The payment's LianLian bill: what is refunded. */
  paymentBillNo: string;
  attempt: number;
  amountFen: number;
  cause: RefundCause;
  status: RefundStatus;
  lianlianRefundNo: string | null;
  /** Finance's name when it approved the refund or returned the money by hand. */
  operator: string | null;
  evidenceRef: string | null;
  lastError: string | null;
  settleDate: string | null;
  createdAt: Date;
  updatedAt: Date;
  settledAt: Date | null;
}

export const RefundSchema = new EntitySchema<Refund>({
  name: 'Refund',
  tableName: 'refund',
  uniques: [
    { name: 'refund_payment_bill_no_attempt_unique', properties: ['paymentBillNo', 'attempt'] },
    // As with payouts: whatever the code does, one payment is refunded successfully at most once.
    {
      name: 'refund_one_success_per_payment',
      expression: `create unique index "refund_one_success_per_payment" on "refund" ("payment_bill_no") where status in ('SUCCESS', 'REFUNDED_BY_HAND')`,
    },
  ],
  indexes: [{ name: 'refund_order_no_index', properties: ['orderNo'] }],
  checks: [
    { name: 'refund_amount_positive', expression: 'amount_fen > 0' },
    { name: 'refund_attempt_positive', expression: 'attempt > 0' },
  ],
  properties: {
    id: { type: 'string', columnType: 'text', primary: true },
    refundNo: { type: 'string', columnType: 'text', unique: 'refund_refund_no_unique' },
    orderNo: { type: 'string', columnType: 'text', nullable: true },
    xjpOrderNo: { type: 'string', columnType: 'text' },
    paymentBillNo: { type: 'string', columnType: 'text' },
    attempt: { type: 'integer' },
    amountFen: { type: FenType },
    cause: { enum: true, items: () => [...REFUND_CAUSES], columnType: 'text' },
    status: { enum: true, items: () => [...REFUND_STATUSES], columnType: 'text' },
    lianlianRefundNo: { type: 'string', columnType: 'text', nullable: true },
    operator: { type: 'string', columnType: 'text', nullable: true },
    evidenceRef: { type: 'string', columnType: 'text', nullable: true },
    lastError: { type: 'string', columnType: 'text', nullable: true },
    settleDate: { type: 'date', columnType: 'date', nullable: true },
    createdAt: { type: 'datetime', columnType: 'timestamptz' },
    updatedAt: { type: 'datetime', columnType: 'timestamptz' },
    settledAt: { type: 'datetime', columnType: 'timestamptz', nullable: true },
  },
});
