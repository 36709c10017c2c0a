/** The purchase workflow around the payment, activities stubbed: every way an order leaves SUBSCRIBED. */
import { Context } from '@temporalio/activity';
import {
  cancelUpdate,
  type PaymentDecision,
  paymentDecisionUpdate,
  purchaseStateQuery,
} from '../../../workflows/purchase/contract';
import { waitForState } from '../../../tools/testing/wait';
import { expectRefusedWithoutTrace, purchaseInput, type StubbedPurchase, useStubbedPurchases } from './stubbed-worker';

const server = useStubbedPurchases();

/** Waits until the run has called the activity at least once. */
async function waitForCall(purchase: StubbedPurchase, name: 'recordAlert'): Promise<void> {
  await waitForState(
    async () => purchase.callsOf(name).length,
    (n) => n > 0,
  );
}
/** The refunds the order's refund run applied, once it has applied one (it runs beside the purchase). */
async function refundsApplied(purchase: StubbedPurchase) {
  await waitForState(
    async () => purchase.callsOf('applyRefund').length,
    (n) => n > 0,
  );
  return purchase.callsOf('applyRefund');
}

/** XJP's answer for an order paid just before the run asked: the server's (skipped) clock, not the machine's. */
const paidNow = () => ({
  paid: true as const,
  paidAt: new Date(Context.current().info.currentAttemptScheduledTimestampMs).toISOString(),
  paidAmountFen: 1_000_000,
  billNo: 'bill-paid-now',
});

it("a notified payment XJP's query confirms moves the order to PAID (XJP_PAYMENT_NOTIFIED) and on to ACCRUING", async () => {
  await server.run({}, purchaseInput(), async (purchase) => {
    await purchase.until((s) => s.status === 'SUBSCRIBED' && s.awaiting === 'PAYMENT');
    await purchase.notifyPaid();
    const accruing = await purchase.until((s) => s.status === 'ACCRUING');

    expect(accruing.awaiting).toBe('NOTHING');
    expect(purchase.transitions()).toEqual(['SUBSCRIBED', 'PAID', 'ACCRUING']);
    expect(purchase.callsOf('recordTransition')[1]).toMatchObject({
      cause: 'XJP_PAYMENT_NOTIFIED',
      actor: 'PARTNER',
      detail: { paidAmountFen: purchase.input.amountFen, notificationId: `ntf-${purchase.input.orderNo}` },
    });
    expect(purchase.callsOf('queryXjpPayment')).toEqual([{ xjpOrderNo: 'XJPO-1' }]);
    expect(purchase.callsOf('recordAlert')).toEqual([]);
  });
});

it("a notification XJP's query does not confirm is recorded and changes nothing: the order expires when the window closes", async () => {
  await server.run({}, purchaseInput(), async (purchase) => {
    await purchase.until((s) => s.awaiting === 'PAYMENT');
    await purchase.notifyPaid({ claimOnly: true });
    await waitForCall(purchase, 'recordAlert');
    expect(purchase.callsOf('recordAlert')).toEqual([
      {
        orderNo: purchase.input.orderNo,
        cause: 'PAYMENT_NOT_CONFIRMED',
        detail: { notificationId: `ntf-${purchase.input.orderNo}`, claimedAmountFen: purchase.input.amountFen },
      },
    ]);
    expect(await purchase.handle.query(purchaseStateQuery)).toMatchObject({
      status: 'SUBSCRIBED',
      awaiting: 'PAYMENT',
    });

    const final = await purchase.result();
    expect(final.status).toBe('EXPIRED');
    expect(purchase.transitions()).toEqual(['SUBSCRIBED', 'EXPIRED']);
  });
});

it('a payment whose notification never came is found by the query when the window closes: PAID (XJP_PAYMENT_QUERIED), nothing cancelled', async () => {
  await server.run({ queryXjpPayment: async () => paidNow() }, purchaseInput(), async (purchase) => {
    await purchase.until((s) => s.status === 'SUBSCRIBED');
    await server.env.sleep(purchase.input.paymentWindowMs);
    await purchase.until((s) => s.status === 'ACCRUING');

    expect(purchase.callsOf('recordTransition')[1]).toMatchObject({
      to: 'PAID',
      cause: 'XJP_PAYMENT_QUERIED',
      changes: { paidAt: expect.any(String) },
    });
    expect(purchase.callsOf('cancelXjpSubscription')).toEqual([]);
  });
});

it('an order still unpaid when the window closes is cancelled at XJP and ends EXPIRED (PAYMENT_WINDOW_ELAPSED)', async () => {
  await server.run({}, purchaseInput(), async (purchase) => {
    const final = await purchase.result();

    expect(final).toMatchObject({ status: 'EXPIRED', awaiting: 'NOTHING' });
    expect(purchase.calls.map((c) => c.name).slice(-3)).toEqual([
      'queryXjpPayment',
      'cancelXjpSubscription',
      'recordTransition',
    ]);
    expect(purchase.callsOf('recordTransition').at(-1)).toMatchObject({
      to: 'EXPIRED',
      cause: 'PAYMENT_WINDOW_ELAPSED',
      actor: 'SYSTEM',
    });
  });
});

it("the investor's cancellation before paying cancels the subscription at XJP and ends CANCELLED without waiting out the window", async () => {
  await server.run({}, purchaseInput(), async (purchase) => {
    await purchase.until((s) => s.awaiting === 'PAYMENT');
    const answer = await purchase.handle.executeUpdate(cancelUpdate);

    expect(answer).toMatchObject({ status: 'CANCELLED', awaiting: 'NOTHING' });
    expect((await purchase.result()).status).toBe('CANCELLED');
    expect(purchase.callsOf('queryXjpPayment')).toEqual([]);
    expect(purchase.callsOf('cancelXjpSubscription')).toEqual([
      { orderNo: purchase.input.orderNo, xjpOrderNo: 'XJPO-1' },
    ]);
    expect(purchase.callsOf('recordTransition').at(-1)).toMatchObject({
      to: 'CANCELLED',
      cause: 'INVESTOR_CANCELLED',
      actor: 'INVESTOR',
    });
  });
});

it('a cancellation that crosses a payment XJP already took ends PAID (PAID_BEFORE_CANCELLATION), not CANCELLED', async () => {
  const stubs = {
    cancelXjpSubscription: async () => ({ outcome: 'ALREADY_PAID' as const }),
    queryXjpPayment: async () => paidNow(),
  };
  await server.run(stubs, purchaseInput(), async (purchase) => {
    await purchase.until((s) => s.awaiting === 'PAYMENT');
    expect(await purchase.handle.executeUpdate(cancelUpdate)).toMatchObject({ status: 'PAID' });

    expect(purchase.transitions().slice(0, 2)).toEqual(['SUBSCRIBED', 'PAID']);
    expect(purchase.callsOf('recordTransition')[1]).toMatchObject({ cause: 'PAID_BEFORE_CANCELLATION' });
  });
});

const decision = (action: PaymentDecision['action']): PaymentDecision => ({
  action,
  operator: 'fin-frank',
  reason: 'checked the bank slip',
  evidenceRef: 'TICKET-7',
});

it('a payment of another amount than the order waits for finance (PAID_AMOUNT_MISMATCH) and never accrues until accepted', async () => {
  await server.run({}, purchaseInput(), async (purchase) => {
    await purchase.until((s) => s.awaiting === 'PAYMENT');
    await purchase.notifyPaid({ paidAmountFen: purchase.input.amountFen + 500 });
    const parked = await purchase.until((s) => s.awaiting === 'OPERATOR_REVIEW');

    expect(parked).toMatchObject({ status: 'SUBSCRIBED', reviewReason: 'PAID_AMOUNT_MISMATCH' });
    expect(purchase.callsOf('recordAlert')).toEqual([
      expect.objectContaining({
        cause: 'PAID_AMOUNT_MISMATCH',
        detail: expect.objectContaining({
          amountFen: purchase.input.amountFen,
          paidAmountFen: purchase.input.amountFen + 500,
        }),
      }),
    ]);
    expect(purchase.transitions()).toEqual(['SUBSCRIBED']);

    const answer = await purchase.handle.executeUpdate(paymentDecisionUpdate, { args: [decision('ACCEPT_AS_PAID')] });
    expect(answer.awaiting).not.toBe('OPERATOR_REVIEW');
    await purchase.until((s) => s.status === 'ACCRUING');
    expect(purchase.callsOf('recordTransition')[1]).toMatchObject({
      to: 'PAID',
      cause: 'OPERATOR_ACCEPTED_PAYMENT',
      actor: 'OPERATOR',
      actorRef: 'fin-frank',
      detail: expect.objectContaining({ refundDueFen: 500, evidenceRef: 'TICKET-7' }),
    });
    expect(await refundsApplied(purchase)).toEqual([
      expect.objectContaining({ amountFen: 500, cause: 'OVERPAID', paymentBillNo: `bill-${purchase.input.orderNo}` }),
    ]);
  });
});

it('a payment finance refuses ends the order REJECTED with the reason code, never PAID', async () => {
  await server.run({}, purchaseInput(), async (purchase) => {
    await purchase.until((s) => s.awaiting === 'PAYMENT');
    await purchase.notifyPaid({ paidAmountFen: purchase.input.amountFen - 1 });
    await purchase.until((s) => s.awaiting === 'OPERATOR_REVIEW');

    const answer = await purchase.handle.executeUpdate(paymentDecisionUpdate, { args: [decision('REFUSE_PAYMENT')] });
    expect(answer).toMatchObject({ status: 'REJECTED', rejectReason: 'PAID_AMOUNT_MISMATCH', awaiting: 'NOTHING' });
    expect(purchase.transitions()).toEqual(['SUBSCRIBED', 'REJECTED']);
    expect(await refundsApplied(purchase)).toEqual([
      expect.objectContaining({ amountFen: purchase.input.amountFen - 1, cause: 'PAYMENT_REFUSED' }),
    ]);
  });
});

it('a short payment cannot be accepted as paid: the validator refuses it without a trace, and refusing it refunds what came in', async () => {
  await server.run({}, purchaseInput(), async (purchase) => {
    await purchase.until((s) => s.awaiting === 'PAYMENT');
    await purchase.notifyPaid({ paidAmountFen: purchase.input.amountFen - 100 });
    await purchase.until((s) => s.awaiting === 'OPERATOR_REVIEW');

    await expectRefusedWithoutTrace(purchase, () =>
      purchase.handle.executeUpdate(paymentDecisionUpdate, { args: [decision('ACCEPT_AS_PAID')] }),
    );
    const answer = await purchase.handle.executeUpdate(paymentDecisionUpdate, { args: [decision('REFUSE_PAYMENT')] });
    expect(answer.status).toBe('REJECTED');
    expect(await refundsApplied(purchase)).toEqual([
      expect.objectContaining({ amountFen: purchase.input.amountFen - 100, cause: 'PAYMENT_REFUSED' }),
    ]);
  });
});

it('a payment XJP dates before the subscription waits for finance (PAID_BEFORE_SUBSCRIPTION): no interest for days before the order', async () => {
  await server.run({}, purchaseInput(), async (purchase) => {
    await purchase.until((s) => s.awaiting === 'PAYMENT');
    await purchase.notifyPaid({ paidAt: '2026-10-01T00:00:00.000Z' });
    const parked = await purchase.until((s) => s.awaiting === 'OPERATOR_REVIEW');

    expect(parked).toMatchObject({ status: 'SUBSCRIBED', reviewReason: 'PAID_BEFORE_SUBSCRIPTION' });
    expect(purchase.callsOf('settleAccrual')).toEqual([]);
  });
});

it('a payment decision is refused by its validator, without a trace, while the order is not held for one', async () => {
  await server.run({}, purchaseInput(), async (purchase) => {
    await purchase.until((s) => s.awaiting === 'PAYMENT');
    await expectRefusedWithoutTrace(purchase, () =>
      purchase.handle.executeUpdate(paymentDecisionUpdate, { args: [decision('ACCEPT_AS_PAID')] }),
    );
  });
});

it('cancelling a paid order is refused by the validator and leaves no trace in history', async () => {
  await server.run({}, purchaseInput(), async (purchase) => {
    await purchase.until((s) => s.awaiting === 'PAYMENT');
    await purchase.notifyPaid();
    await purchase.until((s) => s.status === 'ACCRUING');

    await expectRefusedWithoutTrace(purchase, () => purchase.handle.executeUpdate(cancelUpdate));
    expect(purchase.callsOf('cancelXjpSubscription')).toEqual([]);
  });
});
