/** The purchase workflow from payment to payout, activities stubbed: daily accrual, catch-up, continue-as-new, maturity, withdrawal. */
import { Context } from '@temporalio/activity';
import { interestForDays } from '../../../src/domain/interest';
import { parseAnnualRate } from '../../../src/domain/rate';
import { withdrawUpdate } from '../../../workflows/purchase/contract';
import { expectRefusedWithoutTrace, purchaseInput, useStubbedPurchases, xjpSubscription } from './stubbed-worker';

const server = useStubbedPurchases();
const DAY_MS = 24 * 60 * 60 * 1000;

function interestOf(input: ReturnType<typeof purchaseInput>, days: number): number {
  const { terms } = input.product;
  return interestForDays(input.amountFen, parseAnnualRate(terms.annualRate), days, terms.dayCountBasis);
}

it('a paid 30-day order posts one ledger day after each day ends, matures, is redeemed and paid principal + interest out: COMPLETED', async () => {
  await server.run({}, purchaseInput(), async (purchase) => {
    await purchase.until((s) => s.awaiting === 'PAYMENT');
    await purchase.notifyPaid();

    const final = await purchase.result();

    const interest = interestOf(purchase.input, 30);
    expect(final).toMatchObject({ status: 'COMPLETED', accruedInterestFen: interest, expectedInterestFen: interest });
    expect(purchase.transitions()).toEqual(['SUBSCRIBED', 'PAID', 'ACCRUING', 'MATURED', 'PAYING_OUT', 'COMPLETED']);
    const days = purchase.callsOf('postAccrual');
    expect(days.map((d) => d.dayNumber)).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
    expect(days.reduce((sum, d) => sum + d.amountFen, 0)).toBe(interest);
    expect(days.at(-1)?.cumulativeFen).toBe(interest);
    expect(purchase.callsOf('redeemAtXjp')).toEqual([{ orderNo: purchase.input.orderNo, xjpOrderNo: 'XJPO-1' }]);
    expect(purchase.callsOf('applyPayout')).toEqual([
      expect.objectContaining({ principalFen: purchase.input.amountFen, interestFen: interest, attempt: 1 }),
    ]);
  });
});

it('days whose end already passed (a payment learned late) are posted at once, in order, without waiting: the accrual catches up', async () => {
  const input = purchaseInput();
  // XJP took the subscription just before the payment it learned of late.
  const subscribedEarlier = {
    subscribeInvestor: async () =>
      xjpSubscription(input, {
        orderTime: new Date(Context.current().info.currentAttemptScheduledTimestampMs - 10 * DAY_MS - 60_000),
      }),
  };
  await server.run(subscribedEarlier, input, async (purchase) => {
    await purchase.until((s) => s.awaiting === 'PAYMENT');
    const now = await server.env.currentTimeMs();
    await purchase.notifyPaid({ paidAt: new Date(now - 10 * DAY_MS).toISOString() });

    await purchase.until((s) => s.status === 'ACCRUING' && s.accruedInterestFen === interestOf(purchase.input, 9));

    expect(purchase.callsOf('postAccrual').map((d) => d.dayNumber)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    // Workflow time, not wall-clock: the nine days were posted without any timer running.
    expect((await server.env.currentTimeMs()) - now).toBeLessThan(DAY_MS);
  });
});

it('a 365-day order continues as new during accrual and still posts every day exactly once before completing', async () => {
  const input = purchaseInput({
    product: {
      ...purchaseInput().product,
      terms: { ...purchaseInput().product.terms, term: { unit: 'DAY', value: 365 } },
    },
  });
  await server.run({}, input, async (purchase) => {
    await purchase.until((s) => s.awaiting === 'PAYMENT');
    const { runId } = await purchase.handle.describe();
    await purchase.notifyPaid();

    const final = await purchase.result();

    expect(final.status).toBe('COMPLETED');
    expect((await server.env.client.workflow.getHandle(purchase.handle.workflowId, runId).describe()).status.name).toBe(
      'CONTINUED_AS_NEW',
    );
    const days = purchase.callsOf('postAccrual').map((d) => d.dayNumber);
    expect(days).toEqual(Array.from({ length: 365 }, (_, i) => i + 1));
    expect(final.accruedInterestFen).toBe(interestOf(input, 365));
  });
});

it('a product paid out on withdrawal waits at MATURED for the investor (a withdrawal before maturity is refused without trace), then pays out', async () => {
  const base = purchaseInput();
  const input = purchaseInput({
    product: { ...base.product, terms: { ...base.product.terms, payoutMode: 'ON_WITHDRAWAL' } },
  });
  await server.run({}, input, async (purchase) => {
    await purchase.until((s) => s.awaiting === 'PAYMENT');
    await purchase.notifyPaid();
    await purchase.until((s) => s.status === 'ACCRUING');
    await expectRefusedWithoutTrace(purchase, () => purchase.handle.executeUpdate(withdrawUpdate));
    await server.env.sleep('32 days');
    const matured = await purchase.until((s) => s.awaiting === 'WITHDRAWAL');
    expect(matured.status).toBe('MATURED');
    expect(purchase.callsOf('applyPayout')).toEqual([]);

    expect(await purchase.handle.executeUpdate(withdrawUpdate)).toMatchObject({
      status: 'MATURED',
      awaiting: 'PAYOUT',
    });

    expect((await purchase.result()).status).toBe('COMPLETED');
    expect(purchase.callsOf('applyPayout')).toHaveLength(1);
  });
});
