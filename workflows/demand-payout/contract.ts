/**
 * The demand payout's contract: one run per demand redemption (a child of the holding's run) paying
 * what XJP settled to the platform on to the member's card through LianLian (代付).
 */
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { ParkReason } from '../../src/domain/payout-safety';
import type { RedemptionKind } from '../../src/domain/demand/cut-off';
import type { OperatorAudit, PayoutNotice } from '../payout/contract';

const DEMAND_PAYOUT_ID_PREFIX = 'demand-payout-';

/** One payout unit per redemption, its id derived from the redemption's, so it is never started twice. */
export function demandPayoutWorkflowId(redemptionId: string): string {
  return `${DEMAND_PAYOUT_ID_PREFIX}${redemptionId}`;
}

/** True for a demand payout's run id (an order's payout run is `payout-XJP…`). */
export function isDemandPayoutWorkflowId(id: string): boolean {
  return id.startsWith(DEMAND_PAYOUT_ID_PREFIX);
}

/** A redemption XJP accepted: what it settles to the platform, and on which Shanghai date. */
export interface DemandPayoutInput {
  redemptionId: string;
  holdingId: string;
  memberId: string;
  kind: RedemptionKind;
  amountFen: number;
  payDate: string;
}

/** How a demand payout ended: it ends only paid; every dead end waits for an operator instead. */
export interface DemandPayoutResult {
  outcome: 'PAID';
  payoutId: string;
  attempts: number;
  amountFen: number;
}

/** What the run waits for: its pay date, LianLian's answer, the reversal watch after success, or a person. */
export type DemandPayoutAwaiting = 'PAY_DATE' | 'NOTHING' | 'PAYOUT_RESULT' | 'REVERSAL_WATCH' | 'OPERATOR_REVIEW';

/** The live view of one demand payout. */
export interface DemandPayoutState {
  redemptionId: string;
  amountFen: number;
  payDate: string;
  awaiting: DemandPayoutAwaiting;
  /** Why it waits for a person (with `awaiting: OPERATOR_REVIEW`). */
  parkReason?: ParkReason;
  /** The payout id (LianLian's no_order) of the current attempt. */
  payoutId?: string;
  attempts: number;
  paid: boolean;
}

/** LianLian's payout result, relayed by the notification route. */
export const demandPayoutNotifiedSignal = defineSignal<[PayoutNotice]>('demandPayoutNotified');
export const demandPayoutStateQuery = defineQuery<DemandPayoutState>('demandPayoutState');
/**
 * Finance retries a parked payout (who, why, evidence): after an unknown outcome the same payout is
 * followed again, after a failure a new payout id is used. Answers the state once the retry began;
 * refused (WRONG_STATE, nothing in history) unless the payout is parked and may be retried.
 */
export const demandPayoutRetryUpdate = defineUpdate<DemandPayoutState, [OperatorAudit]>('demandPayoutRetry');
