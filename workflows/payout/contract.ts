/**
 * The payout workflow's contract: its id, input, result, live state and the messages it takes.
 * The purchase workflow starts it as a child once the order is redeemed at XJP.
 */
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { OrderStatus } from '../../src/domain/order-status';
import type { ParkReason } from '../../src/domain/payout-safety';

/** One payout unit per order, its id derived from the order number so it can never be started twice. */
export function payoutWorkflowId(orderNo: string): string {
  return `payout-${orderNo}`;
}

/**
 * What is paid out: principal and interest as such, less what the platform keeps back (the service
 * fee, an early redemption's fee on principal; absent: none) and what was reinvested. Principal +
 * interest − those is what leaves.
 */
export interface PayoutInput {
  orderNo: string;
  principalFen: number;
  interestFen: number;
  serviceFeeFen?: number;
  penaltyFen?: number;
  /** The part of the redeemed money that bought the order after this one (续投): XJP kept it to pay that order. */
  reinvestedFen?: number;
}

/** What leaves for a payout input. */
export function payoutTotalFen(input: PayoutInput): number {
  const keptBackFen = (input.serviceFeeFen ?? 0) + (input.penaltyFen ?? 0) + (input.reinvestedFen ?? 0);
  return input.principalFen + input.interestFen - keptBackFen;
}

/** How a payout ended; a payout that cannot end waits for an operator instead of failing. */
export type PayoutResult =
  | { outcome: 'PAID'; payoutId: string; attempts: number; totalFen: number }
  | { outcome: 'PAID_BY_HAND'; operator: string; evidenceRef: string; attempts: number; totalFen: number };

/** What the payout waits for: LianLian's answer, the reversal watch after success, or a person. */
export type PayoutAwaiting = 'NOTHING' | 'PAYOUT_RESULT' | 'REVERSAL_WATCH' | 'OPERATOR_REVIEW';

/** The live view of one payout, served by {@link payoutStateQuery}. */
export interface PayoutState {
  orderNo: string;
  /** The order's status as this workflow last moved it (MATURED before the first move). */
  status: OrderStatus;
  awaiting: PayoutAwaiting;
  /** Why it waits for a person (with `awaiting: OPERATOR_REVIEW`). */
  parkReason?: ParkReason;
  /** The payout id (LianLian's no_order) of the current attempt. */
  payoutId?: string;
  attempts: number;
  totalFen: number;
}

/** LianLian's payout result as relayed by the API. */
export interface PayoutNotice {
  notificationId: string;
  payoutId: string;
  resultPay: string;
}

/** Who acts, why, and where the evidence is: every operator action is audited with these. */
export interface OperatorAudit {
  operator: string;
  reason: string;
  evidenceRef: string;
}

/** Just the audit of an operator's action (who, why, evidence), as events record it. */
export function auditOf({ operator, reason, evidenceRef }: OperatorAudit): OperatorAudit {
  return { operator, reason, evidenceRef };
}

/**
 * What finance may do with a payout: retry a parked one (after an unknown outcome the same payout is
 * followed again, never replaced), record that it was paid by hand, or ask LianLian now instead of
 * at the next interval.
 */
export type OperatorPayoutAction = OperatorAudit & { action: 'RETRY' | 'MARK_PAID_BY_HAND' | 'QUERY_NOW' };

export const payoutNotifiedSignal = defineSignal<[PayoutNotice]>('payoutNotified');
export const payoutStateQuery = defineQuery<PayoutState>('payoutState');
/** Answers the payout's state once the action has taken effect; refused (WRONG_STATE) when it does not apply now. */
export const operatorPayoutActionUpdate = defineUpdate<PayoutState, [OperatorPayoutAction]>('operatorPayoutAction');
