/**
 * The payment step. A payment notification is a claim: XJP's payment query decides (seed 003: 认购成功
 * only once the money is known to have arrived), and its figures must fit the order — the order's
 * amount, paid after the subscription and not in the future, and our interest dates from it XJP's.
 * A claim XJP does not confirm changes nothing; figures that do not fit hold the order for finance.
 * When no notification comes, the query is asked once the window closes; an unpaid order is
 * cancelled at XJP (quota released), unless XJP says it was paid first.
 */
import { condition, ParentClosePolicy, startChild, WorkflowIdReusePolicy } from '@temporalio/workflow';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import { judgePayment, type PaymentVerdict } from '../../src/domain/payment-check';
import type { RefundCause } from '../../src/domain/refund';
import { refundWorkflowId } from '../refund/contract';
import { refundWorkflow } from '../refund/workflow';
import { ledger, partner } from './activity-options';
import type { PaymentDecision } from './contract';
import type { PaymentReviewReason, PurchaseRun } from './run';
import type { Subscription } from './subscribe';

/** A confirmed payment, as accrual needs it. */
export interface Payment {
  paidAt: string;
}

/** How we learned of the payment. */
type PaymentCause =
  'XJP_PAYMENT_NOTIFIED' | 'XJP_PAYMENT_QUERIED' | 'PAID_BEFORE_CANCELLATION' | 'FUNDED_BY_REINVESTMENT';

/** Resolves to the payment, or undefined when the order ended unpaid (EXPIRED, CANCELLED) or its payment was refused (REJECTED). */
export async function awaitPayment(run: PurchaseRun, subscription: Subscription): Promise<Payment | undefined> {
  const { input, inbox } = run;
  const { xjpOrderNo } = subscription;
  // Workflow time: the window closes this long after the step began.
  const closesAt = new Date().getTime() + input.paymentWindowMs;
  run.waitFor('PAYMENT');
  const window = { summary: `payment window ${Math.round(input.paymentWindowMs / 60_000)} min` };
  for (;;) {
    const left = closesAt - new Date().getTime();
    const woken =
      left > 0 &&
      (await condition(
        () => inbox.payment !== undefined || inbox.cancelRequested || inbox.paymentQueryRequested,
        left,
        window,
      ));
    const notice = inbox.payment;
    if (notice === undefined && woken && !inbox.cancelRequested) {
      // Finance asked now (a notification may be lost): the same query the window's end would ask.
      const verdict = await confirmAtXjp(run, subscription);
      const settled =
        verdict.kind === 'NOT_CONFIRMED' ? 'WAIT_ON' : await settle(run, xjpOrderNo, verdict, 'XJP_PAYMENT_QUERIED');
      inbox.paymentQueryRequested = false;
      if (settled !== 'WAIT_ON') return settled;
      continue;
    }
    if (notice === undefined) {
      if (woken) break; // cancelled by the investor
      // The notification may be late or lost: XJP's payment query is the truth before giving up.
      const verdict = await confirmAtXjp(run, subscription);
      if (verdict.kind !== 'NOT_CONFIRMED') return settle(run, xjpOrderNo, verdict, 'XJP_PAYMENT_QUERIED');
      break;
    }
    const verdict = await confirmAtXjp(run, subscription);
    if (verdict.kind !== 'NOT_CONFIRMED')
      return settle(run, xjpOrderNo, verdict, 'XJP_PAYMENT_NOTIFIED', notice.notificationId);
    // A claim XJP does not confirm is recorded and dropped; a later genuine one may still come.
    await ledger.recordAlert({
      orderNo: input.orderNo,
      cause: 'PAYMENT_NOT_CONFIRMED',
      detail: { notificationId: notice.notificationId, claimedAmountFen: notice.paidAmountFen },
    });
    inbox.payment = undefined;
  }
  const cancelled = await partner.cancelXjpSubscription({ orderNo: input.orderNo, xjpOrderNo });
  if (cancelled.outcome === 'ALREADY_PAID') {
    const verdict = await confirmAtXjp(run, subscription);
    if (verdict.kind !== 'NOT_CONFIRMED') return settle(run, xjpOrderNo, verdict, 'PAID_BEFORE_CANCELLATION');
  }
  run.waitFor('NOTHING');
  if (inbox.cancelRequested) await run.moveTo('CANCELLED', 'INVESTOR_CANCELLED', 'INVESTOR');
  else await run.moveTo('EXPIRED', 'PAYMENT_WINDOW_ELAPSED', 'SYSTEM');
  return undefined;
}

/**
 * A reinvested order (续投) is paid by the redeemed funds of the order before it, at XJP's subscription
 * time: so its interest dates are those XJP stated at subscription, and no cashier window opens.
 */
export async function fundedByReinvestment(
  run: PurchaseRun,
  subscription: Subscription,
  previousOrderNo: string,
): Promise<Payment> {
  const paidAt = new Date(subscription.xjpOrderTime).toISOString();
  return recordPaid(run, paidAt, 'FUNDED_BY_REINVESTMENT', { previousOrderNo });
}

/**
 * XJP's payment query, judged against the order. XJP's clock dates both its subscription and the
 * payment, so the two compare without skew. Our dates from the payment must be XJP's, unless an
 * operator already accepted XJP's dates at subscription: they are the order's then.
 */
async function confirmAtXjp(run: PurchaseRun, subscription: Subscription): Promise<PaymentVerdict> {
  const { terms } = run.input.product;
  const { interestStartDate, maturityDate } = subscription.xjpTerms;
  const dates = {
    xjp: { interestStartDate, maturityDate },
    interestStartRule: terms.interestStartRule,
    term: terms.term,
  };
  return judgePayment({
    amountFen: run.input.amountFen,
    subscribedAt: new Date(subscription.xjpOrderTime).toISOString(),
    now: new Date().toISOString(),
    queried: await partner.queryXjpPayment({ xjpOrderNo: subscription.xjpOrderNo }),
    ...(subscription.agreedDates === undefined ? { dates } : {}),
  });
}

/** The reason code a payment held for finance carries. */
function reviewReason(verdict: Exclude<PaymentVerdict, { kind: 'NOT_CONFIRMED' | 'CONFIRMED' }>): PaymentReviewReason {
  switch (verdict.kind) {
    case 'AMOUNT_MISMATCH':
      return 'PAID_AMOUNT_MISMATCH';
    case 'DATE_MISMATCH':
      return 'DATE_MISMATCH';
    case 'PAID_AT_REFUSED':
      return verdict.reason;
  }
}

/** A payment XJP reports: PAID when it fits the order, otherwise held for finance's decision. */
async function settle(
  run: PurchaseRun,
  xjpOrderNo: string,
  verdict: Exclude<PaymentVerdict, { kind: 'NOT_CONFIRMED' }>,
  cause: PaymentCause,
  notificationId?: string,
): Promise<Payment | undefined> {
  const heard = notificationId === undefined ? {} : { notificationId };
  if (verdict.kind === 'CONFIRMED') {
    run.waitFor('NOTHING');
    return recordPaid(run, verdict.paidAt, cause, { paidAmountFen: verdict.paidAmountFen, ...heard });
  }
  const reason = reviewReason(verdict);
  const detail = { ...verdict, ...heard };
  await ledger.recordAlert({ orderNo: run.input.orderNo, cause: reason, detail });
  run.shortPaymentHeld = verdict.kind === 'AMOUNT_MISMATCH' && verdict.paidAmountFen < verdict.amountFen;
  run.park(reason, 'accept the payment or refuse it (POST /ops/orders/<orderNo>/payment-decision).');
  await condition(() => run.inbox.paymentDecision !== undefined);
  const decision = run.inbox.paymentDecision as PaymentDecision;
  const audit = { operator: decision.operator, reason: decision.reason, evidenceRef: decision.evidenceRef };
  if (decision.action === 'ACCEPT_AS_PAID') {
    // Accrual runs on the order's amount; the excess goes back to the paying card by the payment's refund run.
    const refundDueFen =
      verdict.kind === 'AMOUNT_MISMATCH' ? Math.max(0, verdict.paidAmountFen - verdict.amountFen) : 0;
    await run.moveTo('PAID', 'OPERATOR_ACCEPTED_PAYMENT', 'OPERATOR', {
      actorRef: decision.operator,
      changes: { paidAt: verdict.paidAt },
      detail: { ...detail, ...audit, refundDueFen },
    });
    if (refundDueFen > 0) await startRefund(run, xjpOrderNo, verdict, refundDueFen, 'OVERPAID');
    // Unparked once the decision's status is recorded, so finance's update answers with it.
    run.unpark();
    return { paidAt: verdict.paidAt };
  }
  await run.moveTo('REJECTED', 'OPERATOR_REFUSED_PAYMENT', 'OPERATOR', {
    actorRef: decision.operator,
    reasonCode: reason,
    detail: { ...detail, ...audit },
  });
  await startRefund(run, xjpOrderNo, verdict, verdict.paidAmountFen, 'PAYMENT_REFUSED');
  run.unpark();
  return undefined;
}

/**
 * Hands money the order does not keep to the payment's refund run, which outlives this one (a refused
 * payment's run ends at once) and is never started twice for one payment.
 */
async function startRefund(
  run: PurchaseRun,
  xjpOrderNo: string,
  verdict: { billNo: string },
  amountFen: number,
  cause: RefundCause,
): Promise<void> {
  const { orderNo } = run.input;
  try {
    await startChild(refundWorkflow, {
      workflowId: refundWorkflowId(verdict.billNo),
      parentClosePolicy: ParentClosePolicy.ABANDON,
      workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
      staticSummary: `refund ${amountFen} fen of ${orderNo} (${cause})`,
      args: [{ orderNo, xjpOrderNo, paymentBillNo: verdict.billNo, amountFen, cause }],
    });
  } catch (err) {
    // The payment's refund run exists already (the notification inbox started it): one run per payment.
    if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
  }
}

/** Records the order PAID, as XJP reported it. */
async function recordPaid(
  run: PurchaseRun,
  paidAt: string,
  cause: PaymentCause,
  detail: Record<string, unknown>,
): Promise<Payment> {
  await run.moveTo('PAID', cause, 'PARTNER', { changes: { paidAt }, detail });
  return { paidAt };
}
