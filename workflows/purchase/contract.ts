import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { OrderStatus } from '../../src/domain/order-status';
import type { OrderTerms, ProductSnapshot } from '../../src/domain/order-terms';
import type { EarlyRedemptionFigures } from '../../src/domain/redemption-terms';

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
  amountFen: number;
  channel: string;
  /** The product as the API fetched it for this order: terms frozen, offer checked; never fetched again. */
  product: ProductSnapshot;
  /** How long the investor has to pay, from the subscription. */
  paymentWindowMs: number;
  /** What maturity does with the money (续投); PAYOUT when absent. */
  maturityInstruction?: MaturityInstruction;
  /**
   * Set on an order bought with a matured order's redeemed funds (续投): that order, and its XJP order
   * whose settlement XJP uses to pay the new subscription. No cashier payment is awaited.
   */
  reinvestmentOf?: { orderNo: string; xjpOrderNo: string };
}

/**
 * The investor's maturity instruction: pay everything out (the default), reinvest the principal and
 * pay the interest out, or reinvest principal and interest (less the service fee). Reinvesting goes
 * into the same product unless `productId` names another.
 */
export interface MaturityInstruction {
  kind: 'PAYOUT' | 'REINVEST_PRINCIPAL' | 'REINVEST_ALL';
  productId?: string;
}

/** Where interest stands after payment: the accrual days [interestStartDate, maturityDate) and what they sum to. */
export interface AccrualProgress {
  interestStartDate: string;
  maturityDate: string;
  maturityInterestFen: number;
  /** XJP's maturity interest when an operator accepted it over ours: the ledger then spreads this figure. */
  agreedMaturityInterestFen?: number;
}

/**
 * A paid order in accrual. A run given one starts at the accrual stage: for an order already
 * ACCRUING (the accrual-scale bench seeds its orders so); days already ended are the batch's or
 * the maturity catch-up's to post.
 */
export interface AccruingOrder {
  xjpOrderNo: string;
  accrual: AccrualProgress;
}

/** What the workflow is waiting for, if anything: tells an operator why a run is idle (PAYOUT: its payout workflow). */
export type Awaiting = 'PAYMENT' | 'OPERATOR_REVIEW' | 'WITHDRAWAL' | 'PAYOUT' | 'NOTHING';

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
  /** The day the order is redeemed and paid out: the maturity date, or the next business day when that is a day off. */
  payDate?: string;
  /**
   * The ledger's interest as the run last saw it: 0 while accruing (the nightly batch posts the days,
   * and the API's views read them from the ledger), all of it once the run settled its ledger at maturity.
   */
  accruedInterestFen: number;
  payoutId?: string;
  payoutAttempts: number;
  /** Why the order waits for a person, while it does (`PAID_AMOUNT_MISMATCH`, …). */
  reviewReason?: string;
  /** The service fee kept from the payout, once the order is redeemed (at maturity or early). */
  serviceFeeFen?: number;
  /** The figures of the early redemption the investor confirmed, once XJP settled it. */
  earlyRedemption?: EarlyRedemptionFigures;
  /** What maturity will do with the money (PAYOUT unless the investor chose to reinvest). */
  maturityInstruction: MaturityInstruction;
  /** The order this one was bought with, for a reinvested order. */
  previousOrderNo?: string;
  /** The order the redeemed funds went into, once reinvested. */
  nextOrderNo?: string;
  /** Why a reinvestment fell back to paying everything out (`PRODUCT_NOT_ON_SALE`, `QUOTA_EXCEEDED`, …). */
  reinvestmentRefusal?: string;
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

/**
 * Finance's decision on a payment XJP reports but we cannot take as is (another amount than the
 * order's, or a payment time before the subscription or in the future): accept it as the order's
 * payment, or refuse it (the order ends REJECTED and finance returns the money).
 */
export interface PaymentDecision {
  action: 'ACCEPT_AS_PAID' | 'REFUSE_PAYMENT';
  operator: string;
  reason: string;
  evidenceRef: string;
}

/** Partner notifications, relayed by the API: fire-and-forget by nature, so signals. */
export const paymentNotifiedSignal = defineSignal<[PaymentNotice]>('paymentNotified');
export const purchaseStateQuery = defineQuery<PurchaseState>('purchaseState');

/**
 * Requests that expect an answer are Updates: a validator refuses one in the wrong state before
 * anything enters history (failure type {@link WRONG_STATE}), an accepted one answers with the
 * state it led to.
 */
export const WRONG_STATE = 'WRONG_STATE';
/** Answers `POST /v1/purchases`: completes once the order is SUBSCRIBED, REJECTED, or held for an operator's review. */
export const subscriptionOutcomeUpdate = defineUpdate<PurchaseState>('subscriptionOutcome');
/** The investor cancels an unpaid order: CANCELLED, or PAID when XJP took the payment first. */
export const cancelUpdate = defineUpdate<PurchaseState>('cancel');
/** The investor asks for the payout of a matured order of a product paid out on withdrawal. */
export const withdrawUpdate = defineUpdate<PurchaseState>('withdraw');
/** An operator's decision on an order held for an interest mismatch: SUBSCRIBED (accepted) or REJECTED. */
export const interestDecisionUpdate = defineUpdate<PurchaseState, [MismatchDecision]>('decideInterestMismatch');
/** Finance's decision on a payment held for review: PAID (accepted) or REJECTED (refused, to be refunded). */
export const paymentDecisionUpdate = defineUpdate<PurchaseState, [PaymentDecision]>('decidePayment');
/** Finance asks XJP's payment query now instead of at the window's end: answered once XJP has answered. */
export const paymentQueryUpdate = defineUpdate<PurchaseState>('queryPaymentNow');

/** The investor changes the maturity instruction of an order not yet matured (409 WRONG_STATE from then on). */
export const maturityInstructionUpdate = defineUpdate<PurchaseState, [MaturityInstruction]>('setMaturityInstruction');

/** An early-redemption quote: what redeeming today pays, valid until `validUntil` (workflow time). */
export interface EarlyRedemptionQuote extends EarlyRedemptionFigures {
  quoteId: string;
  orderNo: string;
  penaltyKind: 'PENALTY_RATE' | 'PRINCIPAL_FEE';
  validUntil: string;
}

/** The investor confirms the quote they were shown. */
export interface EarlyRedemptionRequest {
  quoteId: string;
}

/** Early redemption's refusals (validators; nothing enters history): 409 codes, then 422 codes. */
export const IN_LOCK_IN = 'IN_LOCK_IN';
export const QUOTE_EXPIRED = 'QUOTE_EXPIRED';
export const EARLY_REDEMPTION_NOT_ALLOWED = 'EARLY_REDEMPTION_NOT_ALLOWED';
export const QUOTE_UNKNOWN = 'QUOTE_UNKNOWN';
/** XJP refused a confirmed early redemption (its own code in the message): 422. */
export const PARTNER_REFUSED = 'PARTNER_REFUSED';

/** Quotes an early redemption of an ACCRUING order (违约赎回): refused when not offered, inside the lock-in or at maturity. */
export const earlyRedemptionQuoteUpdate = defineUpdate<EarlyRedemptionQuote>('quoteEarlyRedemption');
/**
 * Confirms a quote still valid: answered once XJP settled it and the ledger holds its figures (the
 * order MATURED, its payout starting), or refused with XJP's own code when XJP refuses.
 */
export const earlyRedemptionUpdate = defineUpdate<PurchaseState, [EarlyRedemptionRequest]>('redeemEarly');

export { searchAttributes } from '../shared/search-attributes';
