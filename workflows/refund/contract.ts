/**
 * The refund workflow's contract: its id, input, result, live state and the messages it takes. One
 * run per payment bill: whoever starts it (the purchase run, the notification inbox), a payment is
 * refunded by one run only.
 */
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { RefundCause, RefundStatus } from '../../src/domain/refund';
import type { RefundState as LianLianRefundState } from '../../src/partners/lianlian/schemas';
import type { OperatorAudit } from '../payout/contract';

/** The refund run of a payment, its id derived from LianLian's bill so a payment is never refunded by two runs. */
export function refundWorkflowId(paymentBillNo: string): string {
  return `refund-${paymentBillNo}`;
}

/** What is refunded, of which payment, and why. */
export interface RefundInput {
  /** The order the payment named; null when we know no such order. */
  orderNo: string | null;
  xjpOrderNo: string;
  paymentBillNo: string;
  amountFen: number;
  cause: RefundCause;
}

/** How a refund ended; one that cannot end waits for finance instead of failing. */
export type RefundResult =
  | { outcome: 'REFUNDED'; refundId: string; attempts: number; amountFen: number }
  | { outcome: 'REFUNDED_BY_HAND'; operator: string; evidenceRef: string; attempts: number; amountFen: number };

/** Why a refund waits for a person. */
export const REFUND_PARK_REASONS = [
  /** Money for no order we know: finance approves before anything moves. */
  'REFUND_APPROVAL_NEEDED',
  /** XJP does not confirm the payment, or the refund would return more than arrived. */
  'REFUND_NOT_CONFIRMED',
  /** LianLian refused the application outright (nothing created). */
  'REFUND_REFUSED',
  /** LianLian's bank could not return the money (card closed, say). */
  'REFUND_FAILED',
  /** LianLian never gave a final answer within the query budget. */
  'REFUND_OUTCOME_UNKNOWN',
  'REFUND_ATTEMPTS_EXHAUSTED',
] as const;
export type RefundParkReason = (typeof REFUND_PARK_REASONS)[number];

/** What the refund waits for: LianLian's answer or a person. */
export type RefundAwaiting = 'NOTHING' | 'REFUND_RESULT' | 'OPERATOR_REVIEW';

/** The live view of one refund, served by {@link refundStateQuery}. */
export interface RefundState {
  paymentBillNo: string;
  orderNo: string | null;
  amountFen: number;
  cause: RefundCause;
  status: RefundStatus;
  awaiting: RefundAwaiting;
  parkReason?: RefundParkReason;
  /** The refund id (LianLian's no_refund) of the current attempt. */
  refundId?: string;
  attempts: number;
}

/** LianLian's refund result as relayed by the API. */
export interface RefundNotice {
  notificationId: string;
  refundId: string;
  state: LianLianRefundState;
}

/**
 * What finance may do with a refund: approve one that waits for approval, retry a parked one (an
 * unknown outcome is followed again under the same id, never replaced), record that the money was
 * returned by hand, or ask LianLian now.
 */
export type OperatorRefundAction = OperatorAudit & {
  action: 'APPROVE' | 'RETRY' | 'MARK_REFUNDED_BY_HAND' | 'QUERY_NOW';
};

export const refundNotifiedSignal = defineSignal<[RefundNotice]>('refundNotified');
export const refundStateQuery = defineQuery<RefundState>('refundState');
/** Answers the refund's state once the action has taken effect; refused (WRONG_STATE) when it does not apply now. */
export const operatorRefundActionUpdate = defineUpdate<RefundState, [OperatorRefundAction]>('operatorRefundAction');
