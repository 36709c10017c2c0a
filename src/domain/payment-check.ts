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
  | { kind: 'AMOUNT_MISMATCH'; paidAt: string; paidAmountFen: number; amountFen: number; billNo: string };

/** How far a partner's clock may run ahead of ours before its timestamp counts as in the future. */
export const CLOCK_SKEW_MS = 5 * 60 * 1000;

/** Judges a payment by XJP's query (the truth), against the order's amount and when it was subscribed. */
export function judgePayment(input: {
  amountFen: number;
  subscribedAt: string;
  now: string;
  queried: QueriedPayment;
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

/** The dates on which ours and XJP's differ (empty when they agree); a difference parks the order. */
export function differingDates(ours: InterestDates, xjp: InterestDates): (keyof InterestDates)[] {
  return (['interestStartDate', 'maturityDate'] as const).filter((field) => ours[field] !== xjp[field]);
}
