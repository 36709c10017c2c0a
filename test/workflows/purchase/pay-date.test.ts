/** The pay date: an order maturing on a day off is redeemed and paid out on the next business day, its interest unchanged. */
import { Context } from '@temporalio/activity';
import { shanghaiMidnight } from '../../../src/domain/calendar';
import { interestForDays } from '../../../src/domain/interest';
import { parseAnnualRate } from '../../../src/domain/rate';
import { purchaseStateQuery } from '../../../workflows/purchase/contract';
import { purchaseInput, useStubbedPurchases } from './stubbed-worker';

const server = useStubbedPurchases();
const HOUR_MS = 60 * 60 * 1000;

it('an order maturing on National Day 2027 is paid out on 2027-10-08, the next working day, with the interest of its 30 days', async () => {
  // Noon in Shanghai on 2027-08-31: paid then, interest starts 2027-09-01 (T+1) and a 30-day term matures 2027-10-01.
  await server.env.sleep(shanghaiMidnight('2027-08-31').getTime() + 12 * HOUR_MS - (await server.env.currentTimeMs()));
  const settledAt: number[] = [];
  const input = purchaseInput();
  const { terms } = input.product;
  const interest = interestForDays(input.amountFen, parseAnnualRate(terms.annualRate), 30, terms.dayCountBasis);
  const stubs = {
    settleAccrual: async ({ maturityInterestFen }: { maturityInterestFen: number }) => {
      settledAt.push(Context.current().info.currentAttemptScheduledTimestampMs);
      return { days: 30, caughtUp: 0, accruedInterestFen: maturityInterestFen };
    },
  };
  await server.run(stubs, input, async (purchase) => {
    await purchase.until((s) => s.awaiting === 'PAYMENT');
    await purchase.notifyPaid();
    const accruing = await purchase.until((s) => s.status === 'ACCRUING' && s.payDate !== undefined);
    expect(accruing).toMatchObject({
      maturityDate: '2027-10-01',
      payDate: '2027-10-08',
      expectedInterestFen: interest,
    });
    expect(purchase.callsOf('fixPayDate')).toEqual([{ orderNo: input.orderNo, maturityDate: '2027-10-01' }]);

    // The whole National Day week, up to an hour before the pay date starts: still accruing, nothing redeemed.
    await server.env.sleep(shanghaiMidnight('2027-10-08').getTime() - HOUR_MS - (await server.env.currentTimeMs()));
    expect((await purchase.handle.query(purchaseStateQuery)).status).toBe('ACCRUING');
    expect(settledAt).toEqual([]);
    expect(purchase.callsOf('redeemAtXjp')).toEqual([]);

    const final = await purchase.result();
    expect(final).toMatchObject({ status: 'COMPLETED', accruedInterestFen: interest, payDate: '2027-10-08' });
    expect(settledAt).toHaveLength(1);
    expect(settledAt[0]).toBeGreaterThanOrEqual(shanghaiMidnight('2027-10-08').getTime());
    expect(purchase.callsOf('settleAccrual')[0]?.terms.maturityDate).toBe('2027-10-01');
    expect(purchase.callsOf('applyPayout')).toEqual([
      expect.objectContaining({ principalFen: input.amountFen, interestFen: interest }),
    ]);
  });
});
