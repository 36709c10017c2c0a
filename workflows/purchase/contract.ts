import { defineQuery, defineSignal } from '@temporalio/workflow';
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';
import type { OrderStatus } from '../../src/domain/order-status';
import type { OrderTerms } from '../../src/domain/order-terms';
import type { PayoutAwaiting } from '../payout/contract';

export type { OrderTerms };

/** The task queue purchase workflows and their activities run on. */
export const PURCHASE_TASK_QUEUE = 'xjp-purchases';

/** One purchase = one workflow, its id derived from the order number so a retry can never start a second. */
export function purchaseWorkflowId(orderNo: string): string {
  return `purchase-${orderNo}`;
}

/** What starts a purchase. Personal data stays in PostgreSQL (encrypted): workflow history never holds it. */
export interface PurchaseInput {
  orderNo: string;
  memberId: string;
  productId: string;
  amountFen: number;
  channel: string;
  /** How long the investor has to pay, from the subscription. */
  paymentWindowMs: number;
}

/** Where interest stands after payment: enough to continue accrual in a new run. */
export interface AccrualProgress {
  interestStartDate: string;
  maturityDate: string;
  maturityInterestFen: number;
  /** Accrual days posted so far (day 1 is the interest start date). */
  daysPosted: number;
  accruedInterestFen: number;
  /** XJP's maturity interest when an operator accepted it over ours: the ledger then spreads this figure. */
  agreedMaturityInterestFen?: number;
}

/** The state a run carries into its continuation when history grows long during accrual. */
export interface PurchaseContinuation {
  terms: OrderTerms;
  xjpOrderNo: string;
  accrual: AccrualProgress;
}

/** What the workflow is waiting for, if anything: tells an operator why a run is idle. */
export type Awaiting = 'PAYMENT' | 'OPERATOR_REVIEW' | 'WITHDRAWAL' | PayoutAwaiting;

/** The live view of one purchase, served by the `purchaseState` query. */
export interface PurchaseState {
  orderNo: string;
  status: OrderStatus;
  awaiting: Awaiting;
  rejectReason?: string;
  amountFen: number;
  xjpOrderNo?: string;
  paymentUrl?: string;
  payBefore?: string;
  expectedInterestFen?: number;
  interestStartDate?: string;
  maturityDate?: string;
  accruedInterestFen: number;
  payoutId?: string;
  payoutAttempts: number;
}

/** XJP told us (relayed by the API) that the investor paid. */
export interface PaymentNotice {
  notificationId: string;
  paidAt: string;
  paidAmountFen: number;
}

/** An operator's decision on an order whose XJP maturity interest differs from ours. */
export interface MismatchDecision {
  decision: 'ACCEPT_XJP_FIGURE' | 'REJECT';
  operator: string;
}

export const paymentNotifiedSignal = defineSignal<[PaymentNotice]>('paymentNotified');
export const cancelRequestedSignal = defineSignal<[]>('cancelRequested');
export const withdrawRequestedSignal = defineSignal<[]>('withdrawRequested');
export const operatorMismatchDecisionSignal = defineSignal<[MismatchDecision]>('operatorMismatchDecision');
export const purchaseStateQuery = defineQuery<PurchaseState>('purchaseState');

/** Search attributes operators filter on in the Web UI; registered on the dev server at start-up. */
export const searchAttributes = {
  orderNo: defineSearchAttributeKey('XjpOrderNo', SearchAttributeType.KEYWORD),
  memberId: defineSearchAttributeKey('XjpMemberId', SearchAttributeType.KEYWORD),
  productId: defineSearchAttributeKey('XjpProductId', SearchAttributeType.KEYWORD),
  status: defineSearchAttributeKey('XjpOrderStatus', SearchAttributeType.KEYWORD),
  maturityDate: defineSearchAttributeKey('XjpMaturityDate', SearchAttributeType.DATETIME),
} as const;
