/**
 * The subscribe step: the order checked against the product snapshot it was placed on, the
 * investor's XJP account, the subscription at XJP (quota locked), and XJP's terms — its interest
 * dates and maturity interest — agreed with ours (an operator decides when they differ).
 */
import { ActivityFailure, ApplicationFailure, condition } from '@temporalio/workflow';
import { buildAccrualSchedule } from '../../src/domain/interest';
import { differingDates, type InterestDates, ourInterestDates } from '../../src/domain/payment-check';
import { purchaseRefusal } from '../../src/domain/purchase-eligibility';
import { parseAnnualRate } from '../../src/domain/rate';
import { ledger, partner } from './activity-options';
import type { PurchaseRun } from './run';

/** A subscription at XJP, as the next steps need it. */
export interface Subscription {
  xjpOrderNo: string;
  /** When XJP took the subscription, by XJP's clock: no payment of it can be earlier. */
  xjpOrderTime: string;
  /** XJP's terms for the order: the dates and the maturity interest it settles the redemption by. */
  xjpTerms: XjpTerms;
  /** XJP's maturity interest when an operator accepted it over ours: the ledger then spreads this figure. */
  agreedInterestFen?: number;
  /** Set when an operator accepted XJP's dates over ours: they are the order's, and the payment does not reopen them. */
  agreedDates?: InterestDates;
}

/** XJP's dates and maturity interest for one subscription. */
export interface XjpTerms extends InterestDates {
  maturityInterestFen: number;
}

/** Why a subscription waits for an operator: XJP's dates or its maturity interest differ from ours. */
export type SubscriptionReviewReason = 'DATE_MISMATCH' | 'INTEREST_MISMATCH';

/** XJP's subscription as the subscribe activity returns it. */
type XjpSubscription = Awaited<ReturnType<typeof partner.subscribeInvestor>>;

/** Subscribes the order at XJP; undefined when the order ended REJECTED (refused, or the operator rejected XJP's terms). */
export async function subscribe(run: PurchaseRun): Promise<Subscription | undefined> {
  const { input } = run;
  const refusal = purchaseRefusal(input.product.offer, input.amountFen);
  if (refusal !== undefined) return refuse(run, refusal);
  try {
    const { terms } = input.product;
    const order = await partner.subscribeInvestor.executeWithOptions(
      { summary: `account and subscription at XJP: ${terms.productCode}` },
      [
        {
          orderNo: input.orderNo,
          channel: input.channel,
          productId: terms.productId,
          amountFen: input.amountFen,
          ...(input.reinvestmentOf === undefined ? {} : { fundedByXjpOrderNo: input.reinvestmentOf.xjpOrderNo }),
        },
      ],
    );
    const agreed = await agreeTerms(run, order);
    if (agreed === 'REJECTED') return undefined;
    const payBefore = new Date(new Date().getTime() + input.paymentWindowMs).toISOString();
    Object.assign(run.state, {
      xjpOrderNo: order.xjpOrderNo,
      paymentUrl: order.cashierUrl,
      payBefore,
      expectedInterestFen: order.maturityInterestFen,
      interestStartDate: order.interestStartDate,
      maturityDate: order.interestEndDate,
    });
    await run.moveTo('SUBSCRIBED', 'XJP_SUBSCRIBED', 'PARTNER', {
      changes: {
        xjpOrderId: order.xjpOrderId,
        xjpOrderNo: order.xjpOrderNo,
        paymentUrl: order.cashierUrl,
        payBefore,
        expectedInterestFen: order.maturityInterestFen,
      },
    });
    return { xjpOrderNo: order.xjpOrderNo, xjpOrderTime: order.orderTime, xjpTerms: xjpTermsOf(order), ...agreed };
  } catch (err) {
    const code = refusalCode(err);
    if (code === undefined) throw err;
    return refuse(run, code);
  }
}

/** Ends the order REJECTED before payment with its stable reason code. */
async function refuse(run: PurchaseRun, reasonCode: string): Promise<undefined> {
  await run.moveTo('REJECTED', 'REFUSED_BEFORE_PAYMENT', 'SYSTEM', { reasonCode });
  return undefined;
}

/** XJP's terms as its subscription answer states them. */
function xjpTermsOf(order: XjpSubscription): XjpTerms {
  const { interestStartDate, interestEndDate: maturityDate, maturityInterestFen } = order;
  return { interestStartDate, maturityDate, maturityInterestFen };
}

/**
 * XJP's terms against ours. Our dates are those of a payment at XJP's order time (T+N from it, then
 * the term) and our interest is for those dates. Equal: nothing to agree. Different: alerted, and the
 * order waits for an operator, who rejects it (subscription cancelled → REJECTED with the reason) or
 * accepts XJP's terms: the ledger then spreads XJP's figure over XJP's dates, so the payout equals
 * what XJP settles at redemption.
 */
async function agreeTerms(
  run: PurchaseRun,
  order: XjpSubscription,
): Promise<Pick<Subscription, 'agreedInterestFen' | 'agreedDates'> | 'REJECTED'> {
  const { input, inbox } = run;
  const { terms } = input.product;
  const ourDates = ourInterestDates(new Date(order.orderTime), terms.interestStartRule, terms.term);
  const xjp = xjpTermsOf(order);
  const xjpDates = { interestStartDate: xjp.interestStartDate, maturityDate: xjp.maturityDate };
  const differing = differingDates(ourDates, xjpDates);
  const oursFen = buildAccrualSchedule({
    principalFen: input.amountFen,
    annualRate: parseAnnualRate(terms.annualRate),
    basis: terms.dayCountBasis,
    interestStartDate: ourDates.interestStartDate,
    term: terms.term,
  }).maturityInterestFen;
  if (differing.length === 0 && oursFen === xjp.maturityInterestFen) return {};
  // Dates first: when they differ, a different interest is their consequence, not a second question.
  const reason: SubscriptionReviewReason = differing.length > 0 ? 'DATE_MISMATCH' : 'INTEREST_MISMATCH';
  if (reason === 'DATE_MISMATCH') {
    const detail = {
      at: 'SUBSCRIPTION',
      ours: ourDates,
      xjp: xjpDates,
      differing,
      oursFen,
      xjpFen: xjp.maturityInterestFen,
    };
    await ledger.recordAlert({ orderNo: input.orderNo, cause: reason, detail });
  } else {
    await ledger.recordInterestMismatch({ orderNo: input.orderNo, oursFen, xjpFen: xjp.maturityInterestFen });
  }
  if (input.reinvestmentOf !== undefined && (await undoRollover(run, order.xjpOrderNo, reason))) return 'REJECTED';
  run.park(reason, "accept XJP's terms or reject the order (POST /ops/orders/<orderNo>/interest-decision).");
  await condition(() => inbox.mismatchDecision !== undefined);
  if (inbox.mismatchDecision?.decision === 'REJECT') {
    await partner.cancelXjpSubscription({ orderNo: input.orderNo, xjpOrderNo: order.xjpOrderNo });
    await run.moveTo('REJECTED', `OPERATOR_REJECTED_${reason}`, 'OPERATOR', {
      actorRef: inbox.mismatchDecision.operator,
      reasonCode: reason,
    });
    run.unpark();
    return 'REJECTED';
  }
  run.unpark();
  return {
    agreedInterestFen: xjp.maturityInterestFen,
    ...(differing.length > 0 ? { agreedDates: xjpDates } : {}),
  };
}

/**
 * A rollover (续投) whose terms XJP states differently from ours does not wait for a person: the
 * money is the investor's redeemed settlement, and the order maturing before it is waiting to pay
 * out whatever is not reinvested. The subscription is cancelled at XJP (its settlement is free
 * again) and the order ends REJECTED with the reason, so the order before it pays everything out.
 * False when XJP will not cancel it: the order then waits for an operator like any other.
 */
async function undoRollover(run: PurchaseRun, xjpOrderNo: string, reason: SubscriptionReviewReason): Promise<boolean> {
  const cancelled = await partner.cancelXjpSubscription({ orderNo: run.input.orderNo, xjpOrderNo });
  if (cancelled.outcome !== 'CANCELLED') return false;
  await run.moveTo('REJECTED', 'REINVESTMENT_TERMS_DIFFER', 'SYSTEM', { reasonCode: reason });
  return true;
}

/** The stable reason code of a partner's business refusal, or undefined for anything else. */
function refusalCode(err: unknown): string | undefined {
  if (err instanceof ActivityFailure && err.cause instanceof ApplicationFailure && err.cause.nonRetryable) {
    return err.cause.type ?? 'REFUSED';
  }
  if (err instanceof ActivityFailure) return 'PARTNER_UNAVAILABLE';
  return undefined;
}
