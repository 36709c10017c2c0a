/**
 * Refunds (退款): money that arrived for an order that cannot keep it goes back to the card it was
 * paid from, through LianLian. Why a refund exists decides whether a person must approve it first.
 */

/** Why money goes back. */
export const REFUND_CAUSES = [
  /** Paid after the order expired, was cancelled or was rejected: the whole payment. */
  'PAID_AFTER_CLOSE',
  /** Finance accepted an over-payment as paid: the excess. */
  'OVERPAID',
  /** Finance refused a payment whose figures did not fit the order: the whole payment. */
  'PAYMENT_REFUSED',
  /** A payment for no order we know: held until finance approves, since nothing of ours vouches for it. */
  'UNKNOWN_ORDER',
] as const;
export type RefundCause = (typeof REFUND_CAUSES)[number];

/**
 * Where a refund stands. AWAITING_APPROVAL: finance must approve it first; PENDING: applied, no answer
 * yet (or an answer that left the outcome open); then LianLian's PROCESSING, SUCCESS, FAILURE;
 * REFUNDED_BY_HAND: finance returned the money outside LianLian.
 */
export const REFUND_STATUSES = [
  'AWAITING_APPROVAL',
  'PENDING',
  'PROCESSING',
  'SUCCESS',
  'FAILURE',
  'REFUNDED_BY_HAND',
] as const;
export type RefundStatus = (typeof REFUND_STATUSES)[number];

/** A cause that needs finance's approval before any money moves. */
export function needsApproval(cause: RefundCause): boolean {
  return cause === 'UNKNOWN_ORDER';
}

/** The refund id (LianLian's `no_refund`) of a payment's refund: one per payment bill and cause, and attempt after a failure. */
export function refundId(paymentBillNo: string, attempt: number): string {
  return attempt === 1 ? `RF${paymentBillNo}` : `RF${paymentBillNo}-${attempt}`;
}

/** Why a refund may not leave (yet): a person must look. */
export type RefundRefusal =
  /** XJP reports the payment under another LianLian bill than the one to refund. */
  | 'BILL_MISMATCH'
  /** With this refund, the payment's refunds would exceed what XJP says arrived. */
  | 'EXCEEDS_PAYMENT'
  /** An over-payment refund larger than the excess over the order's amount. */
  | 'EXCEEDS_EXCESS'
  /** The order kept the payment (it is accruing or paid out): a full refund would take money it holds. */
  | 'ORDER_KEEPS_PAYMENT'
  /** XJP does not report the payment, and the cause is not one where money reaches us beside XJP's books. */
  | 'PAYMENT_NOT_CONFIRMED';

/** Statuses in which an order closed without keeping any money: a payment to it is returned whole. */
export const CLOSED_WITHOUT_MONEY: ReadonlySet<string> = new Set(['EXPIRED', 'CANCELLED', 'REJECTED']);

/** What a refund is checked against just before it is applied. */
export interface RefundFacts {
  cause: RefundCause;
  amountFen: number;
  paymentBillNo: string;
  /** XJP's payment query for the subscription the payment named. */
  xjp: { paid: false } | { paid: true; paidAmountFen: number; billNo: string };
  /** This payment's other refunds that returned money or may still return it. */
  otherRefundsFen: number;
  /** The order the payment named, as it stands now; null when we have none. */
  order: { status: string; amountFen: number } | null;
}

/**
 * Nothing leaves that did not come in: a refund is bounded by what XJP says arrived on the bill (less
 * the payment's other refunds) and never returns money an order keeps. A payment XJP's books do not
 * show as paid (money that reached the cashier after the subscription was cancelled, or for a
 * subscription we never had) may still be returned; LianLian then bounds it by what arrived on the bill.
 */
export function refundRefusal(facts: RefundFacts): RefundRefusal | undefined {
  const { cause, amountFen, xjp, order } = facts;
  const total = amountFen + facts.otherRefundsFen;
  if (order !== null) {
    if (cause === 'OVERPAID') {
      if (!xjp.paid) return 'PAYMENT_NOT_CONFIRMED';
      if (total > xjp.paidAmountFen - order.amountFen) return 'EXCEEDS_EXCESS';
    } else if (!CLOSED_WITHOUT_MONEY.has(order.status)) {
      return 'ORDER_KEEPS_PAYMENT';
    }
  }
  if (!xjp.paid) return cause === 'PAID_AFTER_CLOSE' || cause === 'UNKNOWN_ORDER' ? undefined : 'PAYMENT_NOT_CONFIRMED';
  if (xjp.billNo !== facts.paymentBillNo) return 'BILL_MISMATCH';
  if (total > xjp.paidAmountFen) return 'EXCEEDS_PAYMENT';
  return undefined;
}
