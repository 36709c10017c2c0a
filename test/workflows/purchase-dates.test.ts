/**
 * Interest dates checked against XJP's with the whole engine on the time-skipping server: XJP quoting
 * a maturity date other than ours parks the order before any money is taken, and nothing accrues
 * until an operator decides.
 */
import { InterestAccrualSchema } from '../../src/db/entities/interest-accrual';
import { OrderEventSchema } from '../../src/db/entities/order-event';
import { PayoutSchema } from '../../src/db/entities/payout';
import { PurchaseOrderSchema } from '../../src/db/entities/purchase-order';
import { RedemptionSchema } from '../../src/db/entities/redemption';
import { addDays, daysBetween } from '../../src/domain/calendar';
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
const productId = 'XJP-P-0001';
const DAY_MS = 24 * 60 * 60 * 1000;

test("XJP quoting a maturity 10 days after ours parks the order (DATE_MISMATCH) and nothing accrues; once accepted, the ledger follows XJP's dates and the payout equals XJP's redemption", async () => {
  await simAdmin(running.engine.xjpUrl, `/products/${productId}/date-shift`, { days: 10 });
  const amountFen = 1_000_000;

  const answer = await buy(running.engine, purchaseBody(productId, amountFen, 'M50001'));
  await simAdmin(running.engine.xjpUrl, `/products/${productId}/date-shift`, { days: 0 });

  expect(answer.status).toBe(202);
  expect(answer.body).toMatchObject({ status: 'CREATED', awaiting: 'OPERATOR_REVIEW' });
  const orderNo = answer.body.orderNo as string;
  const handle = running.engine.client.workflow.getHandle(purchaseWorkflowId(orderNo));
  const em = () => running.engine.db.orm.em.fork();
  const [alert] = await em().find(OrderEventSchema, { order: { orderNo }, cause: 'DATE_MISMATCH' });
  const detail = alert?.detail as { ours: { maturityDate: string }; xjp: { maturityDate: string } };
  expect(daysBetween(detail.ours.maturityDate, detail.xjp.maturityDate)).toBe(10);

  // Days pass while it is held: no interest, no status change.
  await running.env.sleep(3 * DAY_MS);
  expect(await handle.query(purchaseStateQuery)).toMatchObject({
    status: 'CREATED',
    awaiting: 'OPERATOR_REVIEW',
    reviewReason: 'DATE_MISMATCH',
  });
  expect(await em().count(InterestAccrualSchema, { order: { orderNo } })).toBe(0);
  expect(await em().findOneOrFail(PurchaseOrderSchema, { orderNo })).toMatchObject({ status: 'CREATED', paidAt: null });

  await handle.executeUpdate(interestDecisionUpdate, { args: [{ decision: 'ACCEPT_XJP_FIGURE', operator: 'ops.li' }] });
  const subscribed = await waitForState(
    () => handle.query(purchaseStateQuery),
    (s) => s.status === 'SUBSCRIBED',
  );
  expect(subscribed.maturityDate).toBe(detail.xjp.maturityDate);
  await payAtCashier(subscribed.paymentUrl as string);
  await waitForState(
    () => handle.query(purchaseStateQuery),
    (s) => s.status === 'ACCRUING',
  );

  const final: PurchaseState = await running.env.client.workflow.getHandle(purchaseWorkflowId(orderNo)).result();

  const xjpFigure = subscribed.expectedInterestFen as number;
  expect(final).toMatchObject({
    status: 'COMPLETED',
    maturityDate: detail.xjp.maturityDate,
    accruedInterestFen: xjpFigure,
  });
  const accruals = await em().find(InterestAccrualSchema, { order: { orderNo } }, { orderBy: { accrualDate: 'asc' } });
  expect(accruals).toHaveLength(40);
  expect(accruals.at(-1)?.accrualDate).toBe(addDays(detail.xjp.maturityDate, -1));
  expect(accruals.reduce((sum, a) => sum + a.amountFen, 0)).toBe(xjpFigure);
  const redemption = await em().findOneOrFail(RedemptionSchema, { order: { orderNo } });
  const payouts = await em().find(PayoutSchema, { order: { orderNo }, status: 'SUCCESS' });
  expect(payouts.map((p) => p.totalFen)).toEqual([redemption.totalFen]);
  expect(redemption.totalFen).toBe(amountFen + xjpFigure);
});
