import { InterestAccrualSchema } from '../../src/db/entities/interest-accrual';
import { PayoutSchema } from '../../src/db/entities/payout';
import { RedemptionSchema } from '../../src/db/entities/redemption';
import { interestForDays } from '../../src/domain/interest';
import { parseAnnualRate } from '../../src/domain/rate';
import {
  interestDecisionUpdate,
  purchaseStateQuery,
  purchaseWorkflowId,
  type PurchaseState,
} from '../../workflows/purchase/contract';
import { useTestEngine } from '../../tools/testing/engine';
import { buy, payAtCashier, purchaseBody, simAdmin } from '../../tools/testing/purchases';
import { waitForState } from '../../tools/testing/wait';

const running = useTestEngine();

test("after an operator accepts XJP's differing figure, the ledger spreads that figure and the payout equals XJP's redemption total", async () => {
  const productId = 'XJP-P-0001';
  const amountFen = 1_000_000;
  const ours = interestForDays(amountFen, parseAnnualRate('0.0325'), 30, 365);
  const xjpFigure = ours + 7;
  await simAdmin(running.engine.xjpUrl, `/products/${productId}/interest-skew`, { fen: 7 });

  const answer = await buy(running.engine, purchaseBody(productId, amountFen, 'M40001'));
  expect(answer.status).toBe(202);
  const orderNo = answer.body.orderNo as string;
  const handle = running.engine.client.workflow.getHandle(purchaseWorkflowId(orderNo));
  await handle.executeUpdate(interestDecisionUpdate, { args: [{ decision: 'ACCEPT_XJP_FIGURE', operator: 'ops.li' }] });
  const subscribed = await waitForState(
    () => handle.query(purchaseStateQuery),
    (s) => s.status === 'SUBSCRIBED',
  );
  await payAtCashier(subscribed.paymentUrl as string);
  await waitForState(
    () => handle.query(purchaseStateQuery),
    (s) => s.status === 'ACCRUING',
  );

  const final: PurchaseState = await running.env.client.workflow.getHandle(purchaseWorkflowId(orderNo)).result();

  expect(final).toMatchObject({ status: 'COMPLETED', expectedInterestFen: xjpFigure, accruedInterestFen: xjpFigure });
  const em = running.engine.db.orm.em.fork();
  const accruals = await em.find(InterestAccrualSchema, { order: { orderNo } });
  expect(accruals).toHaveLength(30);
  expect(accruals.reduce((sum, a) => sum + a.amountFen, 0)).toBe(xjpFigure);
  expect(accruals.every((a) => a.amountFen >= 0)).toBe(true);
  const redemption = await em.findOneOrFail(RedemptionSchema, { order: { orderNo } });
  const payouts = await em.find(PayoutSchema, { order: { orderNo }, status: 'SUCCESS' });
  expect(payouts).toHaveLength(1);
  expect(payouts[0]?.totalFen).toBe(redemption.totalFen);
  expect(payouts[0]?.totalFen).toBe(amountFen + xjpFigure);
});
