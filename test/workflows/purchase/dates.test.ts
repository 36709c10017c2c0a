/** The purchase workflow's interest dates against XJP's, activities stubbed: at subscription and at payment a difference parks the order. */
import { Context } from '@temporalio/activity';
import {
  interestDecisionUpdate,
  type PaymentDecision,
  paymentDecisionUpdate,
  subscriptionOutcomeUpdate,
} from '../../../workflows/purchase/contract';
import { daysBetween } from '../../../src/domain/calendar';
import { expectRefusedWithoutTrace, purchaseInput, useStubbedPurchases, xjpSubscription } from './stubbed-worker';

const server = useStubbedPurchases();
const DAY_MS = 24 * 60 * 60 * 1000;

describe("XJP's subscription dates differ from ours (as if paid at XJP's order time)", () => {
  const input = purchaseInput();
  // XJP's maturity 40 days after interest start for a 30-day product: the 2026-11-23 against 2027-01-02.
  const shifted = { subscribeInvestor: async () => xjpSubscription(input, { shiftMaturityDays: 10 }) };

  it('the order is held before payment (CREATED, OPERATOR_REVIEW, DATE_MISMATCH) with both dates alerted; REJECT cancels the subscription: REJECTED (DATE_MISMATCH)', async () => {
    await server.run(shifted, input, async (purchase) => {
      const held = await purchase.handle.executeUpdate(subscriptionOutcomeUpdate);
      expect(held).toMatchObject({ status: 'CREATED', awaiting: 'OPERATOR_REVIEW', reviewReason: 'DATE_MISMATCH' });
      const [alert] = purchase.callsOf('recordAlert');
      expect(alert).toMatchObject({
        orderNo: input.orderNo,
        cause: 'DATE_MISMATCH',
        detail: { differing: ['maturityDate'] },
      });
      const { ours, xjp } = alert?.detail as Record<
        'ours' | 'xjp',
        { interestStartDate: string; maturityDate: string }
      >;
      expect(daysBetween(ours.maturityDate, xjp.maturityDate)).toBe(10);
      expect(purchase.callsOf('recordInterestMismatch')).toEqual([]);

      const decided = await purchase.handle.executeUpdate(interestDecisionUpdate, {
        args: [{ decision: 'REJECT', operator: 'ops.li' }],
      });

      expect(decided).toMatchObject({ status: 'REJECTED', rejectReason: 'DATE_MISMATCH', awaiting: 'NOTHING' });
      expect(decided.reviewReason).toBeUndefined();
      expect(purchase.callsOf('cancelXjpSubscription')).toEqual([{ orderNo: input.orderNo, xjpOrderNo: 'XJPO-1' }]);
      expect(purchase.callsOf('recordTransition')).toEqual([
        expect.objectContaining({
          to: 'REJECTED',
          cause: 'OPERATOR_REJECTED_DATE_MISMATCH',
          reasonCode: 'DATE_MISMATCH',
        }),
      ]);
    });
  });

  it("ACCEPT_XJP_FIGURE makes XJP's dates the order's: the payment does not park again, and the ledger spreads XJP's figure over XJP's 40 days", async () => {
    await server.run(shifted, purchaseInput(), async (purchase) => {
      await purchase.until((s) => s.awaiting === 'OPERATOR_REVIEW');
      const decided = await purchase.handle.executeUpdate(interestDecisionUpdate, {
        args: [{ decision: 'ACCEPT_XJP_FIGURE', operator: 'ops.li' }],
      });
      expect(decided).toMatchObject({ status: 'SUBSCRIBED', awaiting: 'PAYMENT' });
      const xjp = decided as { interestStartDate: string; maturityDate: string; expectedInterestFen: number };
      await purchase.notifyPaid();

      const final = await purchase.result();

      expect(final).toMatchObject({
        status: 'COMPLETED',
        interestStartDate: xjp.interestStartDate,
        maturityDate: xjp.maturityDate,
        accruedInterestFen: xjp.expectedInterestFen,
      });
      expect(purchase.callsOf('settleAccrual')).toEqual([
        expect.objectContaining({
          terms: expect.objectContaining({
            interestStartDate: xjp.interestStartDate,
            maturityDate: xjp.maturityDate,
            agreedMaturityInterestFen: xjp.expectedInterestFen,
          }),
          maturityInterestFen: xjp.expectedInterestFen,
        }),
      ]);
      expect(daysBetween(xjp.interestStartDate, xjp.maturityDate)).toBe(40);
      expect(purchase.callsOf('recordAlert').map((a) => a.cause)).toEqual(['DATE_MISMATCH']);
    });
  });
});

describe('our dates from the payment differ from XJP’s (paid the Shanghai day after XJP took the subscription)', () => {
  const input = purchaseInput();
  // XJP took the subscription a day before the payment: T+1 from the payment starts interest a day after XJP's start.
  const takenYesterday = {
    subscribeInvestor: async () =>
      xjpSubscription(input, {
        orderTime: new Date(Context.current().info.currentAttemptScheduledTimestampMs - DAY_MS),
      }),
  };
  const decision = (action: PaymentDecision['action']): PaymentDecision => ({
    action,
    operator: 'fin-frank',
    reason: 'XJP confirmed its dates by phone',
    evidenceRef: 'TICKET-9',
  });

  it('the payment is held for finance (SUBSCRIBED, DATE_MISMATCH) and nothing accrues; an interest decision is refused meanwhile; ACCEPT_AS_PAID accrues on XJP’s dates', async () => {
    await server.run(takenYesterday, input, async (purchase) => {
      const subscribed = await purchase.until((s) => s.awaiting === 'PAYMENT');
      await purchase.notifyPaid();
      const parked = await purchase.until((s) => s.awaiting === 'OPERATOR_REVIEW');

      expect(parked).toMatchObject({ status: 'SUBSCRIBED', reviewReason: 'DATE_MISMATCH' });
      expect(purchase.transitions()).toEqual(['SUBSCRIBED']);
      expect(purchase.callsOf('settleAccrual')).toEqual([]);
      expect(purchase.callsOf('recordAlert')).toEqual([
        expect.objectContaining({
          cause: 'DATE_MISMATCH',
          detail: expect.objectContaining({ differing: ['interestStartDate', 'maturityDate'] }),
        }),
      ]);
      await expectRefusedWithoutTrace(purchase, () =>
        purchase.handle.executeUpdate(interestDecisionUpdate, {
          args: [{ decision: 'ACCEPT_XJP_FIGURE', operator: 'ops.li' }],
        }),
      );

      await purchase.handle.executeUpdate(paymentDecisionUpdate, { args: [decision('ACCEPT_AS_PAID')] });
      const accruing = await purchase.until((s) => s.status === 'ACCRUING');

      expect(accruing).toMatchObject({
        interestStartDate: subscribed.interestStartDate,
        maturityDate: subscribed.maturityDate,
        expectedInterestFen: subscribed.expectedInterestFen,
      });
      expect(purchase.callsOf('recordTransition')[1]).toMatchObject({ to: 'PAID', cause: 'OPERATOR_ACCEPTED_PAYMENT' });
    });
  });

  it('REFUSE_PAYMENT ends the order REJECTED (DATE_MISMATCH), never PAID, never accrued', async () => {
    await server.run(takenYesterday, purchaseInput(), async (purchase) => {
      await purchase.until((s) => s.awaiting === 'PAYMENT');
      await purchase.notifyPaid();
      await purchase.until((s) => s.awaiting === 'OPERATOR_REVIEW');

      const answer = await purchase.handle.executeUpdate(paymentDecisionUpdate, { args: [decision('REFUSE_PAYMENT')] });

      expect(answer).toMatchObject({ status: 'REJECTED', rejectReason: 'DATE_MISMATCH', awaiting: 'NOTHING' });
      expect(purchase.transitions()).toEqual(['SUBSCRIBED', 'REJECTED']);
      expect(purchase.callsOf('settleAccrual')).toEqual([]);
    });
  });
});
