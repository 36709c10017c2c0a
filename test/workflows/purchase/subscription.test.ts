/** The purchase workflow up to SUBSCRIBED, activities stubbed: refusals, the maturity-interest check, the answer to the API. */
import { WithStartWorkflowOperation } from '@temporalio/client';
import { interestDecisionUpdate, subscriptionOutcomeUpdate } from '../../../workflows/purchase/contract';
import {
  expectRefusedWithoutTrace,
  maturityInterestOf,
  purchaseInput,
  refusal,
  useStubbedPurchases,
  xjpSubscription,
} from './stubbed-worker';

const server = useStubbedPurchases();

describe('refusals before payment', () => {
  it('an amount below the product minimum in the snapshot ends REJECTED (BELOW_MINIMUM) without calling XJP', async () => {
    await server.run({}, purchaseInput({ amountFen: 50_000 }), async (purchase) => {
      expect(await purchase.result()).toMatchObject({ status: 'REJECTED', rejectReason: 'BELOW_MINIMUM' });
      expect(purchase.calls.map((c) => c.name)).toEqual(['recordTransition']);
      expect(purchase.callsOf('recordTransition')).toEqual([
        expect.objectContaining({ to: 'REJECTED', cause: 'REFUSED_BEFORE_PAYMENT', reasonCode: 'BELOW_MINIMUM' }),
      ]);
    });
  });

  it.each(['QUOTA_EXCEEDED', 'INVALID_ID_CARD'])(
    "XJP's refusal (%s) of the investor or the subscription ends the order REJECTED with XJP's code",
    async (code) => {
      await server.run(
        { subscribeInvestor: () => Promise.reject(refusal(code)) },
        purchaseInput(),
        async (purchase) => {
          expect(await purchase.result()).toMatchObject({ status: 'REJECTED', rejectReason: code });
          expect(purchase.transitions()).toEqual(['REJECTED']);
        },
      );
    },
  );

  it('XJP unreachable for longer than the partner budget ends REJECTED (PARTNER_UNAVAILABLE), never hanging unseen', async () => {
    const stubs = { subscribeInvestor: () => Promise.reject(new Error('connect ECONNREFUSED')) };
    await server.run(stubs, purchaseInput(), async (purchase) => {
      expect(await purchase.result()).toMatchObject({ status: 'REJECTED', rejectReason: 'PARTNER_UNAVAILABLE' });
      expect(purchase.callsOf('subscribeInvestor').length).toBeGreaterThan(1);
    });
  });
});

describe('the answer POST /v1/purchases waits for', () => {
  it('one dispatch to XJP before SUBSCRIBED, and update-with-start again on the same id attaches to the same run with the same answer', async () => {
    const input = purchaseInput();
    await server.run({}, input, async (purchase) => {
      const attach = () =>
        new WithStartWorkflowOperation('purchaseWorkflow', {
          workflowId: purchase.handle.workflowId,
          taskQueue: 'unused-when-attaching',
          workflowIdConflictPolicy: 'USE_EXISTING',
          args: [input],
        });
      const first = attach();
      const answer = await server.env.client.workflow.executeUpdateWithStart(subscriptionOutcomeUpdate, {
        startWorkflowOperation: first,
      });
      const second = attach();
      const again = await server.env.client.workflow.executeUpdateWithStart(subscriptionOutcomeUpdate, {
        startWorkflowOperation: second,
      });

      expect(answer).toMatchObject({
        status: 'SUBSCRIBED',
        awaiting: 'PAYMENT',
        paymentUrl: 'http://127.0.0.1:4200/cashier/1',
      });
      expect(again).toEqual(answer);
      const runIdOf = async (operation: typeof first) => (await (await operation.workflowHandle()).describe()).runId;
      expect([await runIdOf(first), await runIdOf(second)]).toEqual([
        purchase.handle.firstExecutionRunId,
        purchase.handle.firstExecutionRunId,
      ]);
      expect(purchase.calls.map((c) => c.name)).toEqual(['subscribeInvestor', 'recordTransition']);
    });
  });

  it('a refused order answers REJECTED with its reason', async () => {
    await server.run(
      { subscribeInvestor: () => Promise.reject(refusal('QUOTA_EXCEEDED')) },
      purchaseInput(),
      async (purchase) => {
        expect(await purchase.handle.executeUpdate(subscriptionOutcomeUpdate)).toMatchObject({
          status: 'REJECTED',
          rejectReason: 'QUOTA_EXCEEDED',
        });
      },
    );
  });
});

describe("XJP's maturity interest differs from ours", () => {
  const input = purchaseInput();
  const xjpFigure = maturityInterestOf(input) + 7;
  const skewed = { subscribeInvestor: async () => xjpSubscription(input, { maturityInterestFen: xjpFigure }) };

  it('the order is held for an operator (the API answers CREATED awaiting OPERATOR_REVIEW); REJECT cancels the subscription and answers REJECTED (INTEREST_MISMATCH)', async () => {
    await server.run(skewed, input, async (purchase) => {
      const held = await purchase.handle.executeUpdate(subscriptionOutcomeUpdate);
      expect(held).toMatchObject({ status: 'CREATED', awaiting: 'OPERATOR_REVIEW' });
      expect(purchase.callsOf('recordInterestMismatch')).toEqual([
        { orderNo: input.orderNo, oursFen: xjpFigure - 7, xjpFen: xjpFigure },
      ]);

      const decided = await purchase.handle.executeUpdate(interestDecisionUpdate, {
        args: [{ decision: 'REJECT', operator: 'ops.li' }],
      });

      expect(decided).toMatchObject({ status: 'REJECTED', rejectReason: 'INTEREST_MISMATCH', awaiting: 'NOTHING' });
      expect(purchase.callsOf('cancelXjpSubscription')).toEqual([{ orderNo: input.orderNo, xjpOrderNo: 'XJPO-1' }]);
      expect(purchase.callsOf('recordTransition')).toEqual([
        expect.objectContaining({
          to: 'REJECTED',
          cause: 'OPERATOR_REJECTED_INTEREST_MISMATCH',
          actor: 'OPERATOR',
          actorRef: 'ops.li',
        }),
      ]);
    });
  });

  it("ACCEPT_XJP_FIGURE answers SUBSCRIBED, and the ledger then spreads XJP's figure: the days sum to it and the payout carries it", async () => {
    await server.run(skewed, purchaseInput(), async (purchase) => {
      await purchase.until((s) => s.awaiting === 'OPERATOR_REVIEW');
      const decided = await purchase.handle.executeUpdate(interestDecisionUpdate, {
        args: [{ decision: 'ACCEPT_XJP_FIGURE', operator: 'ops.li' }],
      });
      expect(decided).toMatchObject({ status: 'SUBSCRIBED', awaiting: 'PAYMENT' });
      await purchase.notifyPaid();

      const final = await purchase.result();

      expect(final).toMatchObject({
        status: 'COMPLETED',
        expectedInterestFen: xjpFigure,
        accruedInterestFen: xjpFigure,
      });
      expect(purchase.callsOf('settleAccrual')).toEqual([
        expect.objectContaining({
          terms: expect.objectContaining({ agreedMaturityInterestFen: xjpFigure }),
          maturityInterestFen: xjpFigure,
        }),
      ]);
      expect(purchase.callsOf('applyPayout')).toEqual([
        expect.objectContaining({ principalFen: purchase.input.amountFen, interestFen: xjpFigure }),
      ]);
    });
  });

  it('a decision for an order not held for review, or a second decision, is refused by the validator and leaves no trace in history', async () => {
    await server.run(skewed, purchaseInput(), async (purchase) => {
      const decide = () =>
        purchase.handle.executeUpdate(interestDecisionUpdate, {
          args: [{ decision: 'ACCEPT_XJP_FIGURE', operator: 'ops.li' }],
        });
      await purchase.until((s) => s.awaiting === 'OPERATOR_REVIEW');
      await decide();
      await purchase.until((s) => s.status === 'SUBSCRIBED');
      await expectRefusedWithoutTrace(purchase, decide);
    });
    await server.run({}, purchaseInput(), async (purchase) => {
      await purchase.until((s) => s.status === 'SUBSCRIBED');
      await expectRefusedWithoutTrace(purchase, () =>
        purchase.handle.executeUpdate(interestDecisionUpdate, { args: [{ decision: 'REJECT', operator: 'ops.li' }] }),
      );
      expect(purchase.callsOf('cancelXjpSubscription')).toEqual([]);
    });
  });
});
