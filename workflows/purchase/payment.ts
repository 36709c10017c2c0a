/**
 * The payment step: wait for XJP's payment notification within the window; when it does not come,
 * XJP's payment query is the truth; an unpaid order is cancelled at XJP (quota released), unless
 * XJP says it was paid first.
 */
import { condition } from '@temporalio/workflow';
import { ledger, partner } from './activity-options';
import type { PurchaseRun } from './run';

/** A confirmed payment, as accrual needs it. */
export interface Payment {
  paidAt: string;
}

/** Resolves to the payment, or undefined when the order ended unpaid (EXPIRED or CANCELLED). */
export async function awaitPayment(run: PurchaseRun, xjpOrderNo: string): Promise<Payment | undefined> {
  const { input, inbox } = run;
  run.waitFor('PAYMENT');
  const window = { summary: `payment window ${Math.round(input.paymentWindowMs / 60_000)} min` };
  const settled = await condition(
    () => inbox.payment !== undefined || inbox.cancelRequested,
    input.paymentWindowMs,
    window,
  );
  if (inbox.payment) return recordPaid(run, { ...inbox.payment, cause: 'XJP_PAYMENT_NOTIFIED' });
  if (!settled) {
    // The notification may be late or lost: XJP's payment query is the truth before giving up.
    const result = await partner.queryXjpPayment({ xjpOrderNo });
    if (result.paid) return recordPaid(run, { ...result, cause: 'XJP_PAYMENT_QUERIED' });
  }
  const cancelled = await partner.cancelXjpSubscription({ orderNo: input.orderNo, xjpOrderNo });
  if (cancelled.outcome === 'ALREADY_PAID') {
    const result = await partner.queryXjpPayment({ xjpOrderNo });
    if (result.paid) return recordPaid(run, { ...result, cause: 'PAID_BEFORE_CANCELLATION' });
  }
  run.waitFor('NOTHING');
  if (inbox.cancelRequested) await run.moveTo('CANCELLED', 'INVESTOR_CANCELLED', 'INVESTOR');
  else await run.moveTo('EXPIRED', 'PAYMENT_WINDOW_ELAPSED', 'SYSTEM');
  return undefined;
}

/** A payment as XJP reported it, and how we learned of it. */
interface ReportedPayment {
  paidAt: string;
  paidAmountFen: number;
  cause: 'XJP_PAYMENT_NOTIFIED' | 'XJP_PAYMENT_QUERIED' | 'PAID_BEFORE_CANCELLATION';
  notificationId?: string;
}

/** Records the order PAID; a paid amount other than the order's is alerted for an operator and reconciliation. */
async function recordPaid(run: PurchaseRun, paid: ReportedPayment): Promise<Payment> {
  const { orderNo, amountFen } = run.input;
  run.waitFor('NOTHING');
  // The money is at XJP either way, so the order goes on; the difference waits for an operator and reconciliation.
  if (paid.paidAmountFen !== amountFen)
    await ledger.recordPaidAmountMismatch({ orderNo, amountFen, paidAmountFen: paid.paidAmountFen });
  const detail = {
    paidAmountFen: paid.paidAmountFen,
    ...(paid.notificationId === undefined ? {} : { notificationId: paid.notificationId }),
  };
  await run.moveTo('PAID', paid.cause, 'PARTNER', { changes: { paidAt: paid.paidAt }, detail });
  return { paidAt: paid.paidAt };
}
