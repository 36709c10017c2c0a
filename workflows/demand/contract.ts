/**
 * The demand holding's contract: one long-lived entity run per member and demand product, its id,
 * input (also what a continued run carries), the Updates a member sends and the live query.
 */
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { RedemptionKind } from '../../src/domain/demand/cut-off';
import type { HoldingLedger } from '../../src/domain/demand/holding-ledger';

/** The workflow type name the worker registers. */
export const DEMAND_HOLDING_WORKFLOW_TYPE = 'demandHoldingWorkflow';

/** The run's id: one holding per member and product, so a second start attaches to the first. */
export function demandWorkflowId(memberId: string, productCode: string): string {
  return `${DEMAND_ID_PREFIX}${memberId}-${productCode}`;
}

const DEMAND_ID_PREFIX = 'demand-';

/** True for a holding's run id (never an order number, which starts with XJP). */
export function isDemandWorkflowId(id: string): boolean {
  return id.startsWith(DEMAND_ID_PREFIX);
}

/** The product's limits the validators apply, read from XJP when the holding opens. */
export interface DemandTerms {
  minAmountFen: number;
  holdingCapFen: number;
  fastRedemptionDailyLimitFen: number;
}

/** Fast redemptions asked for on one Shanghai day, against the daily limit. */
export interface FastRedeemedDay {
  date: string;
  amountFen: number;
}

/** What a run starts from; a continued run carries its ledger forward. */
export interface DemandHoldingInput {
  memberId: string;
  productCode: string;
  accountNo: string;
  terms: DemandTerms;
  carried?: { ledger: HoldingLedger; fastRedeemed: FastRedeemedDay; awaiting?: AwaitingPayment[] };
}

/** A subscription placed at XJP whose money has not arrived: it counts against the cap, not as units. */
export interface AwaitingPayment {
  id: string;
  xjpSubscriptionNo: string;
  amountFen: number;
  /** The end of the payment window (workflow time, ISO): the run closes it then. */
  payBefore: string;
}

/** A member's subscription; the id is sent to XJP, which is idempotent on it. */
export interface DemandSubscribeRequest {
  subscriptionId: string;
  amountFen: number;
}

/** A member's redemption request. */
export interface DemandRedeemRequest {
  redemptionId: string;
  amountFen: number;
  kind: RedemptionKind;
}

/**
 * A subscription placed at XJP: the member pays at `paymentUrl` (LianLian's cashier) before
 * `payBefore`; its units count only once the payment is applied, from the business day the
 * cut-off gives the payment time.
 */
export interface DemandSubscriptionAnswer {
  subscriptionId: string;
  xjpSubscriptionNo: string;
  amountFen: number;
  requestedAt: string;
  status: 'AWAITING_PAYMENT';
  paymentUrl: string;
  payBefore: string;
}

/** XJP told us (relayed by the notification route) that a subscription was paid at the cashier. */
export interface DemandPaymentNotice {
  notificationId: string;
  subscriptionId: string;
  xjpSubscriptionNo: string;
  paymentBillNo: string;
  paidAmountFen: number;
}

/**
 * A redemption XJP settled to the platform (fast) or accepted to settle on its pay date (standard);
 * the platform pays the member's card through LianLian 代付 (its own run, `demand-payout-<redemptionId>`) on the pay date.
 */
export interface DemandRedemptionAnswer {
  redemptionId: string;
  xjpRedemptionNo: string;
  amountFen: number;
  kind: RedemptionKind;
  requestedAt: string;
  effectiveDate: string;
  payDate: string;
  status: 'SETTLED' | 'ACCEPTED';
}

/** The holding as the run sees it now. */
export interface DemandHoldingState {
  memberId: string;
  productCode: string;
  unitsFen: number;
  availableFen: number;
  cumulativeIncomeFen: number;
  lastIncomeDate: string;
  /** Posted days in this run (a continued run starts at 0). */
  daysPostedThisRun: number;
  pendingSubscriptions: HoldingLedger['subscriptions'];
  pendingRedemptions: HoldingLedger['redemptions'];
  /** Subscriptions placed and not paid yet. */
  awaitingPayment: AwaitingPayment[];
  fastRedeemedTodayFen: number;
}

/**
 * Money in: placed at XJP, answered with the cashier URL; refused by the validator (nothing in
 * history) below the minimum or above the holding cap (with what is on its way in).
 */
export const demandSubscribeUpdate = defineUpdate<DemandSubscriptionAnswer, [DemandSubscribeRequest]>(
  'demandSubscribe',
);
/** Money out; refused by the validator above the available units or the fast daily limit. */
export const demandRedeemUpdate = defineUpdate<DemandRedemptionAnswer, [DemandRedeemRequest]>('demandRedeem');
/** A partner notification, relayed by the API: a signal. */
export const demandPaymentNotifiedSignal = defineSignal<[DemandPaymentNotice]>('demandPaymentNotified');
/** The live holding. */
export const demandHoldingQuery = defineQuery<DemandHoldingState>('demandHolding');
