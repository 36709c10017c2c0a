import { interestStartDate } from './calendar';
import { maturityDate, type Term } from './term';

/**
 * Funds confirmed before accrual (seed 003: 认购成功 only once the money is known to have arrived): a
 * payment notification is a claim; XJP's payment query decides, and its figures must be plausible.
 */

/** XJP's payment query, as the workflow receives it. */
export type QueriedPayment =
  | { paid: false }
  | {
      paid: true;
      paidAt: string;
      paidAmountFen: number;
      /** LianLian's bill: what a refund of it names. */ billNo: string;
    };

/** What the purchase does with a payment. */
export type PaymentVerdict =
  /** XJP confirms the order's amount at a plausible time: the order is PAID and may accrue. */
  | { kind: 'CONFIRMED'; paidAt: string; paidAmountFen: number }
  /** XJP does not (yet) report it paid: a claim alone never makes an order PAID. */
  | { kind: 'NOT_CONFIRMED' }
  /** Paid before the subscription existed or after now: refused and recorded, never accrued on. */
  | {
      kind: 'PAID_AT_REFUSED';
      reason: 'PAID_BEFORE_SUBSCRIPTION' | 'PAID_IN_FUTURE';
      paidAt: string;
      paidAmountFen: number;
      billNo: string;
    }
  /** Paid, but not the order's amount: waits for finance (accept and refund the difference, or refund all). */
  | { kind: 'AMOUNT_MISMATCH'; paidAt: string; paidAmountFen: number; amountFen: number; billNo: string }
  /** Paid as it should be, but our dates from the payment are not XJP's: waits for finance (XJP settles by its dates). */
  | {
      kind: 'DATE_MISMATCH';
      paidAt: string;
      paidAmountFen: number;
      billNo: string;
      ours: InterestDates;
      xjp: InterestDates;
      differing: (keyof InterestDates)[];
    };

/** How far a partner's clock may run ahead of ours before its timestamp counts as in the future. */
export const CLOCK_SKEW_MS = 5 * 60 * 1000;

/** What our dates are checked against at payment: XJP's dates for the order, and the product's rule and term. */
export interface DateCheck {
  xjp: InterestDates;
  interestStartRule: string;
  term: Term;
}

/**
 * Judges a payment by XJP's query (the truth), against the order's amount and when it was subscribed;
 * with `dates`, also our interest dates from the payment against XJP's (checked last: one reason at a time).
 */
export function judgePayment(input: {
  amountFen: number;
  subscribedAt: string;
  now: string;
  queried: QueriedPayment;
  dates?: DateCheck;
}): PaymentVerdict {
  const { queried } = input;
  if (!queried.paid) return { kind: 'NOT_CONFIRMED' };
  const paidAt = Date.parse(queried.paidAt);
  if (!(paidAt >= Date.parse(input.subscribedAt)))
    return { kind: 'PAID_AT_REFUSED', reason: 'PAID_BEFORE_SUBSCRIPTION', ...refundable(queried) };
  if (paidAt > Date.parse(input.now) + CLOCK_SKEW_MS)
    return { kind: 'PAID_AT_REFUSED', reason: 'PAID_IN_FUTURE', ...refundable(queried) };
  if (queried.paidAmountFen !== input.amountFen) {
    return {
      kind: 'AMOUNT_MISMATCH',
      ...refundable(queried),
      amountFen: input.amountFen,
    };
  }
  const { dates } = input;
  if (dates !== undefined) {
    const ours = ourInterestDates(new Date(queried.paidAt), dates.interestStartRule, dates.term);
    const differing = differingDates(ours, dates.xjp);
    if (differing.length > 0) {
      return { kind: 'DATE_MISMATCH', ...refundable(queried), ours, xjp: dates.xjp, differing };
    }
  }
  return { kind: 'CONFIRMED', paidAt: queried.paidAt, paidAmountFen: queried.paidAmountFen };
}

/** What a refund of a payment needs to know of it. */
function refundable(queried: Extract<QueriedPayment, { paid: true }>) {
  return { paidAt: queried.paidAt, paidAmountFen: queried.paidAmountFen, billNo: queried.billNo };
}

/** An order's interest dates. */
export interface InterestDates {
  interestStartDate: string;
  maturityDate: string;
}

/** Our interest dates for money received at `receivedAt`: the product's `T+N` rule in Shanghai, then the term. */
export function ourInterestDates(receivedAt: Date, interestStartRule: string, term: Term): InterestDates {
  const start = interestStartDate(receivedAt, interestStartRule);
  return { interestStartDate: start, maturityDate: maturityDate(start, term) };
}

/** The dates on which ours and XJP's differ (empty when they agree); a difference parks the order. */
export function differingDates(ours: InterestDates, xjp: InterestDates): (keyof InterestDates)[] {
  return (['interestStartDate', 'maturityDate'] as const).filter((field) => ours[field] !== xjp[field]);
}
