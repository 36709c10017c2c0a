/**
 * The subscribe step: the order checked against the product snapshot it was placed on, the
 * investor's XJP account, the subscription at XJP (quota locked), and XJP's maturity interest
 * agreed with ours (an operator decides when they differ).
 */
import { ActivityFailure, ApplicationFailure, condition } from '@temporalio/workflow';
import { buildAccrualSchedule } from '../../src/domain/interest';
import { purchaseRefusal } from '../../src/domain/purchase-eligibility';
import { parseAnnualRate } from '../../src/domain/rate';
import { ledger, partner } from './activity-options';
import type { PurchaseRun } from './run';

/** A subscription at XJP, as the next steps need it. */
export interface Subscription {
  xjpOrderNo: string;
  /** When XJP took the subscription, by XJP's clock: no payment of it can be earlier. */
  xjpOrderTime: string;
  /** XJP's maturity interest when an operator accepted it over ours: the ledger then spreads this figure. */
  agreedInterestFen?: number;
}

/** XJP's subscription as the subscribe activity returns it. */
type XjpSubscription = Awaited<ReturnType<typeof partner.subscribeInvestor>>;

/** Subscribes the order at XJP; undefined when the order ended REJECTED (refused, or the operator rejected XJP's interest). */
export async function subscribe(run: PurchaseRun): Promise<Subscription | undefined> {
  const { input } = run;
  const refusal = purchaseRefusal(input.product.offer, input.amountFen);
  if (refusal !== undefined) return refuse(run, refusal);
  try {
    const { terms } = input.product;
    const order = await partner.subscribeInvestor.executeWithOptions(
      { summary: `account and subscription at XJP: ${terms.productCode}` },
      [{ orderNo: input.orderNo, channel: input.channel, productId: terms.productId, amountFen: input.amountFen }],
    );
    const agreed = await agreeMaturityInterest(run, order);
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
    return { xjpOrderNo: order.xjpOrderNo, xjpOrderTime: order.orderTime, ...agreed };
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

/**
 * Our maturity interest against XJP's. Equal: nothing to agree. Different: alerted, and the order
 * waits for an operator, who rejects it (subscription cancelled → REJECTED) or accepts XJP's figure,
 * which the ledger then spreads so the payout equals what XJP settles at redemption.
 */
async function agreeMaturityInterest(
  run: PurchaseRun,
  order: XjpSubscription,
): Promise<{ agreedInterestFen?: number } | 'REJECTED'> {
  const { input, inbox } = run;
  const { terms } = input.product;
  const ours = buildAccrualSchedule({
    principalFen: input.amountFen,
    annualRate: parseAnnualRate(terms.annualRate),
    basis: terms.dayCountBasis,
    interestStartDate: order.interestStartDate,
    term: terms.term,
  }).maturityInterestFen;
  if (ours === order.maturityInterestFen) return {};
  await ledger.recordInterestMismatch({ orderNo: input.orderNo, oursFen: ours, xjpFen: order.maturityInterestFen });
  run.waitFor('OPERATOR_REVIEW');
  await condition(() => inbox.mismatchDecision !== undefined);
  run.waitFor('NOTHING');
  if (inbox.mismatchDecision?.decision === 'REJECT') {
    await partner.cancelXjpSubscription({ orderNo: input.orderNo, xjpOrderNo: order.xjpOrderNo });
    await run.moveTo('REJECTED', 'OPERATOR_REJECTED_INTEREST_MISMATCH', 'OPERATOR', {
      actorRef: inbox.mismatchDecision.operator,
      reasonCode: 'INTEREST_MISMATCH',
    });
    return 'REJECTED';
  }
  return { agreedInterestFen: order.maturityInterestFen };
}

/** The stable reason code of a partner's business refusal, or undefined for anything else. */
function refusalCode(err: unknown): string | undefined {
  if (err instanceof ActivityFailure && err.cause instanceof ApplicationFailure && err.cause.nonRetryable) {
    return err.cause.type ?? 'REFUSED';
  }
  if (err instanceof ActivityFailure) return 'PARTNER_UNAVAILABLE';
  return undefined;
}
