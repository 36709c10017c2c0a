/**
 * A purchase paid out end to end on the time-skipping server: the purchase workflow redeems at XJP and
 * hands the payout to its child payout workflow (the payout's own branches: test/workflows/payout/).
 * Each test buys its own 30-day order with its own amount, so the simulator's duplicate check
 * (same card, same amount) never links two tests.
 */
import { InterestAccrualSchema } from '../../src/db/entities/interest-accrual';
import { OrderEventSchema } from '../../src/db/entities/order-event';
import { PayoutSchema } from '../../src/db/entities/payout';
import { RedemptionSchema } from '../../src/db/entities/redemption';
import { interestForDays } from '../../src/domain/interest';
import { parseAnnualRate } from '../../src/domain/rate';
import { purchaseStateQuery, purchaseWorkflowId, type PurchaseState } from '../../workflows/purchase/contract';
import { useTestEngine } from '../../tools/testing/engine';
import { skipUntilClosed } from '../../tools/testing/skip-time';
import { buy, payAtCashier, purchaseBody, simAdmin, simState } from '../../tools/testing/purchases';
import { waitForState } from '../../tools/testing/wait';

const running = useTestEngine();

/** XJP-P-0001: 30 days at 3.25 %, basis 365. */
const PRODUCT = 'XJP-P-0001';
const interestOf = (amountFen: number) => interestForDays(amountFen, parseAnnualRate('0.0325'), 30, 365);

interface SimPayout {
  no_order: string;
  moneyFen: number;
  result_pay: string;
}
interface SimNotification {
  status: string;
  subject: { no_order?: string; result_pay?: string };
}
interface LianLianState {
  payouts: SimPayout[];
  notifications: SimNotification[];
  faults: { endpoints: unknown[]; payouts: unknown[] };
}

/** Buys over HTTP, pays at the cashier and waits (real time) until interest accrues. */
async function buyPaidOrder(amountFen: number): Promise<string> {
  const created = await buy(running.engine, purchaseBody(PRODUCT, amountFen));
  expect(created.status).toBe(201);
  const orderNo = created.body.orderNo as string;
  await payAtCashier(created.body.paymentUrl as string);
  // ACCRUING or later: with one timer to maturity, skipped time may carry the order on at once.
  await waitForState(
    () => stateOf(orderNo),
    (s) => ['ACCRUING', 'MATURED', 'PAYING_OUT', 'COMPLETED'].includes(s.status),
  );
  return orderNo;
}

function stateOf(orderNo: string): Promise<PurchaseState> {
  return running.engine.client.workflow.getHandle(purchaseWorkflowId(orderNo)).query(purchaseStateQuery);
}

/** Awaits the result through running.env.client, which lets the server skip the timers in between. */
/** The run's result once its term and the payout's reversal watch have passed (see tools/testing/skip-time.ts). */
function resultOf(orderNo: string): Promise<PurchaseState> {
  return skipUntilClosed<PurchaseState>(running.env, running.engine.client, purchaseWorkflowId(orderNo), {
    firstMs: 32 * 24 * 3600 * 1000,
  });
}

async function payoutsAtLianLian(orderNo: string): Promise<SimPayout[]> {
  const state = await simState<LianLianState>(running.engine.lianlianUrl);
  return state.payouts.filter((p) => p.no_order.startsWith(orderNo));
}

async function rowsOf(orderNo: string) {
  const em = running.engine.db.orm.em.fork();
  const payouts = await em.find(PayoutSchema, { order: { orderNo } }, { orderBy: { attempt: 'asc' } });
  const events = await em.find(OrderEventSchema, { order: { orderNo } }, { orderBy: { occurredAt: 'asc', id: 'asc' } });
  const accruals = await em.find(InterestAccrualSchema, { order: { orderNo } });
  return { payouts, events, accruals, ledgerInterestFen: accruals.reduce((sum, a) => sum + a.amountFen, 0) };
}

/** The order ended COMPLETED with exactly one SUCCESS payout of principal + the ledger's interest. */
async function expectPaidOnceInFull(orderNo: string, amountFen: number): Promise<void> {
  const { payouts, accruals, ledgerInterestFen } = await rowsOf(orderNo);
  expect(accruals).toHaveLength(30);
  expect(ledgerInterestFen).toBe(interestOf(amountFen));
  const succeeded = payouts.filter((p) => p.status === 'SUCCESS');
  expect(succeeded).toHaveLength(1);
  expect(succeeded[0]).toMatchObject({
    principalFen: amountFen,
    interestFen: ledgerInterestFen,
    totalFen: amountFen + ledgerInterestFen,
  });
  const paidAtLianLian = (await payoutsAtLianLian(orderNo)).filter((p) => p.result_pay === 'SUCCESS');
  expect(paidAtLianLian).toEqual([
    expect.objectContaining({ no_order: succeeded[0]!.payoutNo, moneyFen: amountFen + ledgerInterestFen }),
  ]);
}

test('LianLian failing transiently on payout apply is retried: one payout at LianLian, COMPLETED with principal + ledger interest', async () => {
  const amountFen = 100_000;
  await simAdmin(running.engine.lianlianUrl, '/faults', {
    endpoint: '/gateway/payout/apply',
    kind: 'error500',
    count: 2,
  });
  const orderNo = await buyPaidOrder(amountFen);

  const final = await resultOf(orderNo);

  expect(final).toMatchObject({ status: 'COMPLETED', payoutAttempts: 1, accruedInterestFen: interestOf(amountFen) });
  await expectPaidOnceInFull(orderNo, amountFen);
  expect(await payoutsAtLianLian(orderNo)).toHaveLength(1);
  const { faults } = await simState<LianLianState>(running.engine.lianlianUrl);
  expect(faults.endpoints).toEqual([]);
  const { events } = await rowsOf(orderNo);
  expect(events.map((e) => e.cause).slice(-3)).toEqual(['MATURITY_REACHED', 'PAYOUT_STARTED', 'PAYOUT_SUCCEEDED']);
});

test('an XJP outage at maturity outlasting the 30-minute partner budget only delays the redemption: the order still completes', async () => {
  const amountFen = 800_000;
  // With backoff capped at 2 minutes, 30 failed calls span about 45 minutes.
  await simAdmin(running.engine.xjpUrl, '/faults', { endpoint: '/api/redemptions', kind: 'error500', count: 30 });
  const orderNo = await buyPaidOrder(amountFen);

  const final = await resultOf(orderNo);

  expect(final).toMatchObject({ status: 'COMPLETED', payoutAttempts: 1 });
  await expectPaidOnceInFull(orderNo, amountFen);
  const { faults } = await simState<{ faults: { endpoints: unknown[] } }>(running.engine.xjpUrl);
  expect(faults.endpoints).toEqual([]);
  const em = running.engine.db.orm.em.fork();
  expect(await em.findOne(RedemptionSchema, { order: { orderNo } })).toMatchObject({
    principalFen: amountFen,
    status: 'SETTLED',
  });
});

test('a dropped payout notification is covered by the payout query: the order still completes', async () => {
  const amountFen = 500_000;
  const orderNo = await buyPaidOrder(amountFen);
  await simAdmin(running.engine.lianlianUrl, '/notification-faults', { kind: 'drop', count: 1 });

  const final = await resultOf(orderNo);

  expect(final).toMatchObject({ status: 'COMPLETED', payoutAttempts: 1 });
  await expectPaidOnceInFull(orderNo, amountFen);
  const { notifications } = await simState<LianLianState>(running.engine.lianlianUrl);
  const aboutThisPayout = notifications.filter((n) => n.subject.no_order === `${orderNo}P01`);
  expect(aboutThisPayout).toEqual([
    expect.objectContaining({ status: 'DROPPED', subject: expect.objectContaining({ result_pay: 'SUCCESS' }) }),
  ]);
});
