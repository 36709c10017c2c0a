/**
 * Money in for a demand holding, as a fixed-term purchase takes it: a placed subscription waits for
 * XJP's payment notification (a signal); the run then applies it at XJP at the time it learned of
 * the payment, and the cut-off dates its units from that. A window that closes unpaid is expired at
 * XJP (which answers PAID when the money beat the window: applied then). Money XJP refuses, or that
 * arrives after the window closed, goes back to the card through the payment's refund run.
 */
import { log, ParentClosePolicy, startChild, WorkflowIdReusePolicy } from '@temporalio/workflow';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import type { RefundCause } from '../../src/domain/refund';
import { refundWorkflowId } from '../refund/contract';
import { refundWorkflow } from '../refund/workflow';
import { activities } from './activity-options';
import type { AwaitingPayment, DemandPaymentNotice } from './contract';
import type { LiveHolding } from './ledger-state';

/** The earliest end of a payment window still open (workflow time, ms), or Infinity. */
export function nextWindowEnd(live: LiveHolding): number {
  return Math.min(...live.awaiting.map((a) => new Date(a.payBefore).getTime()));
}

/**
 * Takes up every payment notice received and closes every window that has ended. Bounded: each
 * pass removes a notice or an awaiting subscription, and nothing adds either while it awaits.
 */
export async function settlePayments(live: LiveHolding, holdingId: string): Promise<void> {
  for (;;) {
    const notice = live.notices.shift();
    if (notice !== undefined) {
      await takePayment(live, holdingId, notice);
      continue;
    }
    const now = new Date().getTime();
    const closed = live.awaiting.find((a) => new Date(a.payBefore).getTime() <= now);
    if (closed === undefined) return;
    const answer = await activities.expireDemandSubscription({ subscriptionId: closed.id });
    if (answer.outcome === 'PAID') await apply(live, holdingId, closed);
    // XJP closed it, or reported it paid and then answered the application: either way it waits no more.
    live.awaiting = live.awaiting.filter((a) => a !== closed);
  }
}

async function takePayment(live: LiveHolding, holdingId: string, notice: DemandPaymentNotice): Promise<void> {
  const awaiting = live.awaiting.find((a) => a.id === notice.subscriptionId);
  if (awaiting !== undefined) {
    await apply(live, holdingId, awaiting, notice.notificationId);
    return;
  }
  // Not awaited: its window closed (money to return, once), or a repeat of a payment already taken up.
  const late = await activities.recordLateDemandPayment({
    subscriptionId: notice.subscriptionId,
    paymentBillNo: notice.paymentBillNo,
  });
  if (late)
    await startRefund(notice.subscriptionId, {
      xjpSubscriptionNo: notice.xjpSubscriptionNo,
      paymentBillNo: notice.paymentBillNo,
      amountFen: notice.paidAmountFen,
      cause: 'PAID_AFTER_CLOSE',
    });
}

/** Applies a paid subscription now: its units join the ledger, or XJP's refusal sends the money back. */
async function apply(
  live: LiveHolding,
  holdingId: string,
  awaiting: AwaitingPayment,
  notificationId?: string,
): Promise<void> {
  const outcome = await activities.confirmDemandSubscription({
    holdingId,
    subscriptionId: awaiting.id,
    paidAt: new Date().toISOString(),
  });
  if (outcome.outcome === 'NOT_PAID') {
    // A claim XJP does not confirm changes nothing; a later genuine one may still come.
    log.warn('payment notice not confirmed by XJP', {
      alert: 'PAYMENT_NOT_CONFIRMED',
      subscriptionId: awaiting.id,
      notificationId,
      code: outcome.code,
    });
    return;
  }
  live.awaiting = live.awaiting.filter((a) => a !== awaiting);
  if (outcome.outcome === 'CONFIRMED') {
    live.ledger.subscriptions.push({ id: awaiting.id, amountFen: outcome.amountFen, countsFrom: outcome.countsFrom });
    return;
  }
  await startRefund(awaiting.id, {
    xjpSubscriptionNo: awaiting.xjpSubscriptionNo,
    paymentBillNo: outcome.paymentBillNo,
    amountFen: outcome.paidAmountFen,
    cause: 'PAYMENT_REFUSED',
  });
}

/** Hands the payment to its refund run, which outlives the holding's run and is never started twice for one bill. */
async function startRefund(
  subscriptionId: string,
  payment: { xjpSubscriptionNo: string; paymentBillNo: string; amountFen: number; cause: RefundCause },
): Promise<void> {
  try {
    await startChild(refundWorkflow, {
      workflowId: refundWorkflowId(payment.paymentBillNo),
      parentClosePolicy: ParentClosePolicy.ABANDON,
      workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
      staticSummary: `refund ${payment.amountFen} fen of demand subscription ${subscriptionId} (${payment.cause})`,
      // The refund's order is the subscription: its id is what the payment named.
      args: [
        {
          orderNo: subscriptionId,
          xjpOrderNo: payment.xjpSubscriptionNo,
          paymentBillNo: payment.paymentBillNo,
          amountFen: payment.amountFen,
          cause: payment.cause,
        },
      ],
    });
  } catch (err) {
    if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
  }
}
