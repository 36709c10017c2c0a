/** The purchase workflow around the payment, activities stubbed: every way an order leaves SUBSCRIBED. */
import { cancelUpdate } from '../../../workflows/purchase/contract';
import { expectRefusedWithoutTrace, purchaseInput, useStubbedPurchases } from './stubbed-worker';

const server = useStubbedPurchases();
const PAID = { paid: true as const, paidAt: '2026-12-02T03:00:00.000Z', paidAmountFen: 1_000_000 };

it('a notified payment moves the order to PAID (XJP_PAYMENT_NOTIFIED) and on to ACCRUING without asking XJP', async () => {
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
    expect(purchase.callsOf('queryXjpPayment')).toEqual([]);
    expect(purchase.callsOf('recordPaidAmountMismatch')).toEqual([]);
  });
});

it('a payment whose notification never came is found by the query when the window closes: PAID (XJP_PAYMENT_QUERIED), nothing cancelled', async () => {
  await server.run({ queryXjpPayment: async () => PAID }, purchaseInput(), async (purchase) => {
    await purchase.until((s) => s.status === 'SUBSCRIBED');
    await server.env.sleep(purchase.input.paymentWindowMs);
    await purchase.until((s) => s.status === 'ACCRUING');

    expect(purchase.callsOf('recordTransition')[1]).toMatchObject({
      to: 'PAID',
      cause: 'XJP_PAYMENT_QUERIED',
      changes: { paidAt: PAID.paidAt },
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
    queryXjpPayment: async () => PAID,
  };
  await server.run(stubs, purchaseInput(), async (purchase) => {
    await purchase.until((s) => s.awaiting === 'PAYMENT');
    expect(await purchase.handle.executeUpdate(cancelUpdate)).toMatchObject({ status: 'PAID' });

    expect(purchase.transitions().slice(0, 2)).toEqual(['SUBSCRIBED', 'PAID']);
    expect(purchase.callsOf('recordTransition')[1]).toMatchObject({ cause: 'PAID_BEFORE_CANCELLATION' });
  });
});

it('a payment of another amount than the order is alerted for an operator, and the paid order goes on', async () => {
  await server.run({}, purchaseInput(), async (purchase) => {
    await purchase.until((s) => s.awaiting === 'PAYMENT');
    await purchase.notifyPaid({ paidAmountFen: purchase.input.amountFen - 1 });
    await purchase.until((s) => s.status === 'ACCRUING');

    expect(purchase.callsOf('recordPaidAmountMismatch')).toEqual([
      {
        orderNo: purchase.input.orderNo,
        amountFen: purchase.input.amountFen,
        paidAmountFen: purchase.input.amountFen - 1,
      },
    ]);
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
