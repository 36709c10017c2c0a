/** The purchase workflow from payment to payout, activities stubbed: one accrual timer, the ledger settled at maturity, withdrawal. */
import { Context } from '@temporalio/activity';
import type { WorkflowHandle } from '@temporalio/client';
import { defaultPayloadConverter } from '@temporalio/common';
import { interestForDays } from '../../../src/domain/interest';
import { parseAnnualRate } from '../../../src/domain/rate';
import { nextBusinessDay } from '../../../src/domain/business-days';
import { daysBetween, shanghaiMidnight } from '../../../src/domain/calendar';
import { purchaseStateQuery, withdrawUpdate } from '../../../workflows/purchase/contract';
import { expectRefusedWithoutTrace, purchaseInput, useStubbedPurchases } from './stubbed-worker';

const server = useStubbedPurchases();
const DAY_MS = 24 * 60 * 60 * 1000;

function interestOf(input: ReturnType<typeof purchaseInput>, days: number): number {
  const { terms } = input.product;
  return interestForDays(input.amountFen, parseAnnualRate(terms.annualRate), days, terms.dayCountBasis);
}

/** The run's timers, by the summary each was started with. */
async function timerSummaries(handle: Pick<WorkflowHandle, 'fetchHistory'>): Promise<unknown[]> {
  const events = (await handle.fetchHistory()).events ?? [];
  return events
    .filter((e) => e.timerStartedEventAttributes)
    .map((e) => (e.userMetadata?.summary ? defaultPayloadConverter.fromPayload(e.userMetadata.summary) : undefined));
}

/** The accrual timer's summary: maturity, and the pay date when maturity falls on a day off (the run's start date decides). */
function accrualTimerSummary(maturityDate: string): string {
  const payDate = nextBusinessDay(maturityDate);
  const moved = payDate === maturityDate ? '' : `, paid out ${payDate} (the next business day)`;
  return `accrual of 30 days until maturity ${maturityDate}${moved}`;
}

it('a paid 30-day order sleeps on one timer until maturity (or the next business day), settles its ledger once, is redeemed and paid principal + interest out: COMPLETED', async () => {
  await server.run({}, purchaseInput(), async (purchase) => {
    await purchase.until((s) => s.awaiting === 'PAYMENT');
    await purchase.notifyPaid();

    const final = await purchase.result();

    const interest = interestOf(purchase.input, 30);
    expect(final).toMatchObject({ status: 'COMPLETED', accruedInterestFen: interest, expectedInterestFen: interest });
    expect(purchase.transitions()).toEqual(['SUBSCRIBED', 'PAID', 'ACCRUING', 'MATURED', 'PAYING_OUT', 'COMPLETED']);
    const [settle, ...more] = purchase.callsOf('settleAccrual');
    expect(more).toEqual([]);
    expect(settle).toMatchObject({ orderNo: purchase.input.orderNo, maturityInterestFen: interest });
    expect(daysBetween(settle!.terms.interestStartDate, settle!.terms.maturityDate)).toBe(30);
    expect(await timerSummaries(purchase.handle)).toEqual([
      expect.stringContaining('payment window'),
      accrualTimerSummary(settle!.terms.maturityDate),
    ]);
    expect(purchase.callsOf('redeemAtXjp')).toEqual([{ orderNo: purchase.input.orderNo, xjpOrderNo: 'XJPO-1' }]);
    expect(purchase.callsOf('applyPayout')).toEqual([
      expect.objectContaining({ principalFen: purchase.input.amountFen, interestFen: interest, attempt: 1 }),
    ]);
  });
});

it('the ledger is settled only once the last accrual day has ended in Shanghai: a day before maturity the run still sleeps', async () => {
  const settledAt: number[] = [];
  const stubs = {
    settleAccrual: async ({ maturityInterestFen }: { maturityInterestFen: number }) => {
      settledAt.push(Context.current().info.currentAttemptScheduledTimestampMs);
      return { days: 30, caughtUp: 0, accruedInterestFen: maturityInterestFen };
    },
  };
  await server.run(stubs, purchaseInput(), async (purchase) => {
    await purchase.until((s) => s.awaiting === 'PAYMENT');
    await purchase.notifyPaid();
    const accruing = await purchase.until((s) => s.status === 'ACCRUING');
    const lastDayEnds = shanghaiMidnight(accruing.maturityDate!).getTime();

    await server.env.sleep(lastDayEnds - (await server.env.currentTimeMs()) - DAY_MS);
    expect((await purchase.handle.query(purchaseStateQuery)).status).toBe('ACCRUING');
    expect(settledAt).toEqual([]);

    await purchase.result();
    expect(settledAt).toHaveLength(1);
    expect(settledAt[0]).toBeGreaterThanOrEqual(lastDayEnds);
  });
});

it('a 365-day order completes in one run: no continue-as-new, one accrual timer, a history of a few dozen events', async () => {
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

    expect(final).toMatchObject({ status: 'COMPLETED', accruedInterestFen: interestOf(input, 365) });
    const run = server.env.client.workflow.getHandle(purchase.handle.workflowId, runId);
    expect((await run.describe()).status.name).toBe('COMPLETED');
    expect(purchase.callsOf('settleAccrual')).toHaveLength(1);
    expect(((await run.fetchHistory()).events ?? []).length).toBeLessThan(100);
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
    // Past the pay date, which a maturity on a day off moves (earlier tests moved the server's clock).
    const { payDate } = await purchase.until((s) => s.payDate !== undefined);
    await server.env.sleep(shanghaiMidnight(payDate!).getTime() + 3_600_000 - (await server.env.currentTimeMs()));
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
