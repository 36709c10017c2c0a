/**
 * A product paid out on withdrawal (XJP-P-0004, 365 days, ON_WITHDRAWAL) on the time-skipping
 * server: the order waits at MATURED until the investor withdraws, which the API refuses earlier.
 */
import { InterestAccrualSchema } from '../../src/db/entities/interest-accrual';
import { OrderEventSchema } from '../../src/db/entities/order-event';
import { PayoutSchema } from '../../src/db/entities/payout';
import { RedemptionSchema } from '../../src/db/entities/redemption';
import { interestForDays } from '../../src/domain/interest';
import { parseAnnualRate } from '../../src/domain/rate';
import { purchaseStateQuery, purchaseWorkflowId, type PurchaseState } from '../../workflows/purchase/contract';
import { useTestEngine } from '../../tools/testing/engine';
import { buy, memberAction, payAtCashier, purchaseBody, simState } from '../../tools/testing/purchases';
import { waitForState } from '../../tools/testing/wait';

const running = useTestEngine();

const DAY_MS = 24 * 3600 * 1000;

function withdraw(orderNo: string): Promise<{ status: number; body: Record<string, unknown> }> {
  return memberAction(running.engine, orderNo, 'withdraw');
}

test('an ON_WITHDRAWAL order waits at MATURED for the investor: withdrawal is refused (409) before maturity, accepted (202) after, then COMPLETED', async () => {
  const amountFen = 1_000_000;
  const expectedInterest = interestForDays(amountFen, parseAnnualRate('0.0480'), 365, 365);
  const created = await buy(running.engine, purchaseBody('XJP-P-0004', amountFen));
  expect(created.status).toBe(201);
  const orderNo = created.body.orderNo as string;
  await payAtCashier(created.body.paymentUrl as string);
  const handle = running.engine.client.workflow.getHandle(purchaseWorkflowId(orderNo));
  await waitForState(
    () => handle.query(purchaseStateQuery),
    (s) => s.status === 'ACCRUING',
  );
  const firstRunId = (await handle.describe()).runId;

  const early = await withdraw(orderNo);
  expect(early.status).toBe(409);
  expect(early.body).toMatchObject({ error: { code: 'WRONG_STATE' } });

  // A year of accrual; the order then holds the proceeds, so skipping further changes nothing.
  await running.env.sleep(370 * DAY_MS);
  const matured: PurchaseState = await waitForState(
    () => handle.query(purchaseStateQuery),
    (s) => s.status === 'MATURED',
  );
  expect(matured).toMatchObject({ awaiting: 'WITHDRAWAL', accruedInterestFen: expectedInterest, payoutAttempts: 0 });
  const em = running.engine.db.orm.em.fork();
  expect(await em.find(PayoutSchema, { order: { orderNo } })).toHaveLength(0);
  expect(await em.findOne(RedemptionSchema, { order: { orderNo } })).toMatchObject({
    principalFen: amountFen,
    status: 'SETTLED',
  });

  // The year-long accrual is one run (one timer until maturity): the order waits in the run it started in.
  const firstRun = await running.engine.client.workflow.getHandle(purchaseWorkflowId(orderNo), firstRunId).describe();
  expect(firstRun.status.name).toBe('RUNNING');
  expect((await handle.describe()).runId).toBe(firstRunId);

  const accepted = await withdraw(orderNo);
  expect(accepted.status).toBe(200);
  expect(accepted.body).toMatchObject({ orderNo, status: 'MATURED' });
  const final: PurchaseState = await running.env.client.workflow.getHandle(purchaseWorkflowId(orderNo)).result();

  expect(final).toMatchObject({ status: 'COMPLETED', payoutAttempts: 1, accruedInterestFen: expectedInterest });
  const accruals = await em.find(InterestAccrualSchema, { order: { orderNo } });
  expect(accruals).toHaveLength(365);
  expect(accruals.reduce((sum, a) => sum + a.amountFen, 0)).toBe(expectedInterest);
  const payouts = await em.find(PayoutSchema, { order: { orderNo } }, { refresh: true });
  expect(payouts).toEqual([
    expect.objectContaining({
      status: 'SUCCESS',
      principalFen: amountFen,
      interestFen: expectedInterest,
      totalFen: amountFen + expectedInterest,
    }),
  ]);
  const events = await em.find(OrderEventSchema, { order: { orderNo } }, { orderBy: { occurredAt: 'asc', id: 'asc' } });
  expect(events.map((e) => e.cause).slice(-3)).toEqual(['MATURITY_REACHED', 'PAYOUT_STARTED', 'PAYOUT_SUCCEEDED']);
  const lianlian = await simState<{ payouts: Array<{ no_order: string; moneyFen: number; result_pay: string }> }>(
    running.engine.lianlianUrl,
  );
  expect(lianlian.payouts.filter((p) => p.no_order.startsWith(orderNo))).toEqual([
    expect.objectContaining({ moneyFen: amountFen + expectedInterest, result_pay: 'SUCCESS' }),
  ]);
});
