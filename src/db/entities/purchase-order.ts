import { EntitySchema } from '@mikro-orm/core';
import { ORDER_STATUSES, type OrderStatus } from '../../domain/order-status';
import type { DayCountBasis } from '../../domain/interest';
import { PAYOUT_MODES, type PayoutMode } from '../../domain/order-terms';
import type { RedemptionTerms } from '../../domain/redemption-terms';
import { TERM_UNITS, type TermUnit } from '../../domain/term';
import { FenType } from '../types/fen-type';

/**
 * One purchase (购买记录). The product's terms are frozen here at order time so the ledger never
 * depends on the catalogue again. Personal data is held only as AES-256-GCM ciphertext
 * (`…Enc`, see pii-cipher.ts) plus a masked form for display.
 */
export interface PurchaseOrder {
  id: string;
  orderNo: string;
  memberId: string;
  idempotencyKey: string;
  productId: string;
  productCode: string;
  productName: string;
  /** Annual rate as exact integer millionths (0.0425 → 42500), as in src/domain/rate.ts. */
  annualRateMicros: number;
  termValue: number;
  termUnit: TermUnit;
  dayCountBasis: DayCountBasis;
  interestStartRule: string;
  payoutMode: PayoutMode;
  /** The bank that accepted the product's bills (承兑银行); null on orders made before it was kept. */
  acceptingBank: string | null;
  /** The product's early-redemption and service-fee terms, frozen like the rest (null: the product stated none). */
  redemptionTerms: RedemptionTerms | null;
  /** Where the investor accepted the agreement (the purchase request's `channel`, e.g. `PC`); null on orders made before it was kept. */
  channel: string | null;
  amountFen: number;
  status: OrderStatus;
  rejectReason: string | null;
  xjpOrderId: string | null;
  xjpOrderNo: string | null;
  paymentUrl: string | null;
  payBefore: Date | null;
  interestStartDate: string | null;
  maturityDate: string | null;
  expectedInterestFen: number | null;
  /** The maturity interest an operator accepted from XJP, which the ledger spreads over the days; null: simple interest on the terms. */
  agreedInterestFen: number | null;
  investorNameEnc: string;
  investorNameMasked: string;
  idCardNoEnc: string;
  mobileEnc: string;
  emailEnc: string | null;
  bankCardEnc: string;
  bankCardMasked: string;
  bankCode: string | null;
  createdAt: Date;
  updatedAt: Date;
  paidAt: Date | null;
  /** The matured order whose redeemed funds bought this one (续投); null for an order paid at the cashier. */
  previousOrderNo?: string | null;
}

export const PurchaseOrderSchema = new EntitySchema<PurchaseOrder>({
  name: 'PurchaseOrder',
  tableName: 'purchase_order',
  indexes: [
    { name: 'purchase_order_member_id_created_at_index', properties: ['memberId', 'createdAt'] },
    // Partial (the accruing orders only), so written in SQL: the end-of-day accrual batch walks them by id.
    {
      name: 'purchase_order_accruing_id_index',
      expression: `create index "purchase_order_accruing_id_index" on "purchase_order" ("id") where status = 'ACCRUING'`,
    },
  ],
  // Per member: the same key from two members is two requests, and never reveals the other's order.
  uniques: [
    { name: 'purchase_order_member_id_idempotency_key_unique', properties: ['memberId', 'idempotencyKey'] },
    // One reinvestment per matured order.
    { name: 'purchase_order_previous_order_no_unique', properties: ['previousOrderNo'] },
  ],
  checks: [
    { name: 'purchase_order_amount_fen_positive', expression: 'amount_fen > 0' },
    { name: 'purchase_order_expected_interest_fen_non_negative', expression: 'expected_interest_fen >= 0' },
    { name: 'purchase_order_agreed_interest_fen_non_negative', expression: 'agreed_interest_fen >= 0' },
    { name: 'purchase_order_maturity_after_interest_start', expression: 'maturity_date > interest_start_date' },
    {
      name: 'purchase_order_annual_rate_micros_range',
      expression: 'annual_rate_micros >= 1 and annual_rate_micros <= 1000000',
    },
    { name: 'purchase_order_term_value_positive', expression: 'term_value > 0' },
    { name: 'purchase_order_day_count_basis_check', expression: 'day_count_basis = 360 or day_count_basis = 365' },
    {
      name: 'purchase_order_reject_reason_iff_rejected',
      expression: "(status = 'REJECTED') = (reject_reason is not null)",
    },
  ],
  properties: {
    id: { type: 'string', columnType: 'text', primary: true },
    orderNo: { type: 'string', columnType: 'text', unique: 'purchase_order_order_no_unique' },
    memberId: { type: 'string', columnType: 'text' },
    idempotencyKey: { type: 'string', columnType: 'text' },
    productId: { type: 'string', columnType: 'text' },
    productCode: { type: 'string', columnType: 'text' },
    productName: { type: 'string', columnType: 'text' },
    annualRateMicros: { type: 'integer' },
    termValue: { type: 'integer' },
    termUnit: { enum: true, items: () => [...TERM_UNITS], columnType: 'text' },
    dayCountBasis: { type: 'smallint' },
    interestStartRule: { type: 'string', columnType: 'text' },
    payoutMode: { enum: true, items: () => [...PAYOUT_MODES], columnType: 'text' },
    acceptingBank: { type: 'string', columnType: 'text', nullable: true },
    redemptionTerms: { type: 'json', columnType: 'jsonb', nullable: true },
    channel: { type: 'string', columnType: 'text', nullable: true },
    amountFen: { type: FenType },
    status: { enum: true, items: () => [...ORDER_STATUSES], columnType: 'text' },
    rejectReason: { type: 'string', columnType: 'text', nullable: true },
    xjpOrderId: { type: 'string', columnType: 'text', nullable: true },
    xjpOrderNo: { type: 'string', columnType: 'text', nullable: true, unique: 'purchase_order_xjp_order_no_unique' },
    paymentUrl: { type: 'string', columnType: 'text', nullable: true },
    payBefore: { type: 'datetime', columnType: 'timestamptz', nullable: true },
    interestStartDate: { type: 'date', columnType: 'date', nullable: true },
    maturityDate: { type: 'date', columnType: 'date', nullable: true },
    expectedInterestFen: { type: FenType, nullable: true },
    agreedInterestFen: { type: FenType, nullable: true },
    investorNameEnc: { type: 'string', columnType: 'text' },
    investorNameMasked: { type: 'string', columnType: 'text' },
    idCardNoEnc: { type: 'string', columnType: 'text' },
    mobileEnc: { type: 'string', columnType: 'text' },
    emailEnc: { type: 'string', columnType: 'text', nullable: true },
    bankCardEnc: { type: 'string', columnType: 'text' },
    bankCardMasked: { type: 'string', columnType: 'text' },
    bankCode: { type: 'string', columnType: 'text', nullable: true },
    createdAt: { type: 'datetime', columnType: 'timestamptz' },
    updatedAt: { type: 'datetime', columnType: 'timestamptz' },
    paidAt: { type: 'datetime', columnType: 'timestamptz', nullable: true },
    previousOrderNo: { type: 'string', columnType: 'text', nullable: true },
  },
});
