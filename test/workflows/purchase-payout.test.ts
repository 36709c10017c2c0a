/**
 * The payout stage on the time-skipping server, against the LianLian simulator's payout faults:
 * transient outages, failures and reversals waiting for an operator, held payouts, lost notifications.
 * Each test buys its own 30-day order with its own amount, so the simulator's duplicate check
 * (same card, same amount) never links two tests.
 */
import { InterestAccrualSchema } from '../../src/db/entities/interest-accrual';
import { OrderEventSchema } from '../../src/db/entities/order-event';
import { PayoutSchema } from '../../src/db/entities/payout';
import { RedemptionSchema } from '../../src/db/entities/redemption';
import { interestForDays } from '../../src/domain/interest';
import { parseAnnualRate } from '../../src/domain/rate';
import {
  purchaseStateQuery,
  purchaseWorkflowId,
  type PurchaseState
} from '../../workflows/purchase/contract';
import { operatorRetryPayoutSignal } from '../../workflows/payout/contract';
import { useTestEngine } from '../../tools/testing/engine';
import { buy, payAtCashier, purchaseBody, simAdmin, simState } from '../../tools/testing/purchases';
import { waitForState } from '../../tools/testing/wait';


const running = useTestEngine();

const DAY_MS = 24 * 3600 * 1000;
/** XJP-P-0001: 30 days at 3.25 %, basis 365. */
const PRODUCT = 'XJP-P-0001';
const interestOf = (amountFen: number) => interestForDays(amountFen, parseAnnualRate('0.0325'), 30, 365);
/** Bounds {@link skipUntil}: maturity plus a margin. */
const MAX_SKIPPED_DAYS = 40;

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
  await waitForState(() => stateOf(orderNo), (s) => s.status === 'ACCRUING');
  return orderNo;
}

function stateOf(orderNo: string): Promise<PurchaseState> {
  return running.engine.client.workflow.getHandle(purchaseWorkflowId(orderNo)).query(purchaseStateQuery);
}

/**
 * Skips workflow time a day at a time until the order's state satisfies `done`, so time stops
 * right after the step that reached it (a 30-day reversal watch is not skipped past).
 */
async function skipUntil(orderNo: string, done: (s: PurchaseState) => boolean): Promise<PurchaseState> {
  for (let day = 0; day < MAX_SKIPPED_DAYS; day++) {
    const state = await stateOf(orderNo);
    if (done(state)) return state;
    await running.env.sleep(DAY_MS);
  }
  // The last day may still be settling in real time (the simulator's payout steps).
  return waitForState(() => stateOf(orderNo), done);
}

/** Awaits the result through running.env.client, which lets the server skip the timers in between. */
function resultOf(orderNo: string): Promise<PurchaseState> {
  return running.env.client.workflow.getHandle(purchaseWorkflowId(orderNo)).result();
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
  expect(succeeded[0]).toMatchObject({ principalFen: amountFen, interestFen: ledgerInterestFen, totalFen: amountFen + ledgerInterestFen });
  const paidAtLianLian = (await payoutsAtLianLian(orderNo)).filter((p) => p.result_pay === 'SUCCESS');
  expect(paidAtLianLian).toEqual([expect.objectContaining({ no_order: succeeded[0]!.payoutNo, moneyFen: amountFen + ledgerInterestFen })]);
}

test('LianLian failing transiently on payout apply is retried: one payout at LianLian, COMPLETED with principal + ledger interest', async () => {
  const amountFen = 100_000;
  const orderNo = await buyPaidOrder(amountFen);
  await simAdmin(running.engine.lianlianUrl, '/faults', { endpoint: '/gateway/payout/apply', kind: 'error500', count: 2 });

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
  const orderNo = await buyPaidOrder(amountFen);
  // With backoff capped at 2 minutes, 30 failed calls span about 45 minutes.
  await simAdmin(running.engine.xjpUrl, '/faults', { endpoint: '/api/redemptions', kind: 'error500', count: 30 });

  const final = await resultOf(orderNo);

  expect(final).toMatchObject({ status: 'COMPLETED', payoutAttempts: 1 });
  await expectPaidOnceInFull(orderNo, amountFen);
  const { faults } = await simState<{ faults: { endpoints: unknown[] } }>(running.engine.xjpUrl);
  expect(faults.endpoints).toEqual([]);
  const em = running.engine.db.orm.em.fork();
  expect(await em.findOne(RedemptionSchema, { order: { orderNo } })).toMatchObject({ principalFen: amountFen, status: 'SETTLED' });
});

test('a failed payout waits for an operator, whose retry pays under a new payout id and completes the order', async () => {
  const amountFen = 200_000;
  const orderNo = await buyPaidOrder(amountFen);
  await simAdmin(running.engine.lianlianUrl, '/payout-faults', { kind: 'fail', count: 1 });

  const parked = await skipUntil(orderNo, (s) => s.status === 'PAYOUT_FAILED');
  expect(parked).toMatchObject({ awaiting: 'OPERATOR_RETRY', payoutId: `${orderNo}P01`, payoutAttempts: 1 });
  // Parked, not dropped: more time changes nothing until an operator acts.
  await running.env.sleep(10 * DAY_MS);
  expect(await stateOf(orderNo)).toMatchObject({ status: 'PAYOUT_FAILED', awaiting: 'OPERATOR_RETRY' });
  expect((await rowsOf(orderNo)).payouts).toEqual([expect.objectContaining({ payoutNo: `${orderNo}P01`, status: 'FAILURE' })]);

  await running.engine.client.workflow.getHandle(purchaseWorkflowId(orderNo)).signal(operatorRetryPayoutSignal, { operator: 'ops.wang' });
  const final = await resultOf(orderNo);

  expect(final).toMatchObject({ status: 'COMPLETED', payoutId: `${orderNo}P02`, payoutAttempts: 2 });
  await expectPaidOnceInFull(orderNo, amountFen);
  const { payouts, events } = await rowsOf(orderNo);
  expect(payouts.map((p) => [p.payoutNo, p.status])).toEqual([
    [`${orderNo}P01`, 'FAILURE'],
    [`${orderNo}P02`, 'SUCCESS'],
  ]);
  expect(events.map((e) => e.cause).slice(-4)).toEqual(['PAYOUT_STARTED', 'PAYOUT_FAILURE', 'OPERATOR_RETRIED_PAYOUT', 'PAYOUT_SUCCEEDED']);
  expect(events.find((e) => e.cause === 'OPERATOR_RETRIED_PAYOUT')).toMatchObject({ actor: 'OPERATOR', actorRef: 'ops.wang' });
});

test('a duplicate operator retry (double click) is not banked: a second failure waits for the operator again', async () => {
  const amountFen = 700_000;
  const orderNo = await buyPaidOrder(amountFen);
  await simAdmin(running.engine.lianlianUrl, '/payout-faults', { kind: 'fail', count: 2 });
  await skipUntil(orderNo, (s) => s.status === 'PAYOUT_FAILED');

  const handle = running.engine.client.workflow.getHandle(purchaseWorkflowId(orderNo));
  await handle.signal(operatorRetryPayoutSignal, { operator: 'ops.wang' });
  await handle.signal(operatorRetryPayoutSignal, { operator: 'ops.wang' });
  await skipUntil(orderNo, (s) => s.status === 'PAYOUT_FAILED' && s.payoutAttempts === 2);
  await running.env.sleep(DAY_MS);

  expect(await stateOf(orderNo)).toMatchObject({ status: 'PAYOUT_FAILED', awaiting: 'OPERATOR_RETRY', payoutId: `${orderNo}P02`, payoutAttempts: 2 });
  expect((await payoutsAtLianLian(orderNo)).map((p) => [p.no_order, p.result_pay])).toEqual([
    [`${orderNo}P01`, 'FAILURE'],
    [`${orderNo}P02`, 'FAILURE'],
  ]);

  await handle.signal(operatorRetryPayoutSignal, { operator: 'ops.li' });
  const final = await resultOf(orderNo);
  expect(final).toMatchObject({ status: 'COMPLETED', payoutId: `${orderNo}P03`, payoutAttempts: 3 });
  await expectPaidOnceInFull(orderNo, amountFen);
});

test('a bank reversal after success moves a COMPLETED order to PAYOUT_FAILED (PAYOUT_REVERSED); the operator retry completes it', async () => {
  const amountFen = 300_000;
  const orderNo = await buyPaidOrder(amountFen);
  await simAdmin(running.engine.lianlianUrl, '/payout-faults', { kind: 'reverse', count: 1 });

  await skipUntil(orderNo, (s) => s.status === 'COMPLETED' || s.status === 'PAYOUT_FAILED');
  // The reversal arrives by notification shortly (real time) after the success, inside the watch.
  const reversed = await waitForState(() => stateOf(orderNo), (s) => s.status === 'PAYOUT_FAILED');
  expect(reversed).toMatchObject({ awaiting: 'OPERATOR_RETRY', payoutId: `${orderNo}P01` });
  const before = await rowsOf(orderNo);
  expect(before.events.map((e) => [e.toStatus, e.cause]).slice(-2)).toEqual([
    ['COMPLETED', 'PAYOUT_SUCCEEDED'],
    ['PAYOUT_FAILED', 'PAYOUT_REVERSED'],
  ]);
  expect(before.payouts).toEqual([expect.objectContaining({ status: 'CANCEL' })]);

  await running.engine.client.workflow.getHandle(purchaseWorkflowId(orderNo)).signal(operatorRetryPayoutSignal, { operator: 'ops.li' });
  const final = await resultOf(orderNo);

  expect(final).toMatchObject({ status: 'COMPLETED', payoutId: `${orderNo}P02`, payoutAttempts: 2 });
  await expectPaidOnceInFull(orderNo, amountFen);
  expect((await payoutsAtLianLian(orderNo)).map((p) => p.result_pay)).toEqual(['CANCEL', 'SUCCESS']);
});

test('a reversal whose success was learned by query (its notification dropped) still moves the order to PAYOUT_FAILED for an operator', async () => {
  const amountFen = 600_000;
  const orderNo = await buyPaidOrder(amountFen);
  await simAdmin(running.engine.lianlianUrl, '/notification-faults', { kind: 'drop', count: 1 });
  await simAdmin(running.engine.lianlianUrl, '/payout-faults', { kind: 'reverse', count: 1 });

  await skipUntil(orderNo, (s) => s.status === 'COMPLETED' || s.status === 'PAYOUT_FAILED');
  const reversed = await waitForState(() => stateOf(orderNo), (s) => s.status === 'PAYOUT_FAILED');

  expect(reversed).toMatchObject({ awaiting: 'OPERATOR_RETRY', payoutId: `${orderNo}P01` });
  const { payouts, events } = await rowsOf(orderNo);
  expect(payouts).toEqual([expect.objectContaining({ status: 'CANCEL' })]);
  expect(events.at(-1)).toMatchObject({ toStatus: 'PAYOUT_FAILED', actor: 'PARTNER' });
  const { notifications } = await simState<LianLianState>(running.engine.lianlianUrl);
  expect(notifications.filter((n) => n.subject.no_order === `${orderNo}P01`).map((n) => [n.subject.result_pay, n.status])).toEqual([
    ['SUCCESS', 'DROPPED'],
    ['CANCEL', 'ACKNOWLEDGED'],
  ]);
});

test('a reversal whose notifications were all lost is found by the daily query during the watch', async () => {
  const amountFen = 900_000;
  const orderNo = await buyPaidOrder(amountFen);
  // Both of the payout's notifications (SUCCESS, then CANCEL) are dropped.
  await simAdmin(running.engine.lianlianUrl, '/notification-faults', { kind: 'drop', count: 2 });
  await simAdmin(running.engine.lianlianUrl, '/payout-faults', { kind: 'reverse', count: 1 });

  const reversed = await skipUntil(orderNo, (s) => s.status === 'PAYOUT_FAILED');

  expect(reversed).toMatchObject({ awaiting: 'OPERATOR_RETRY', payoutId: `${orderNo}P01` });
  const { payouts, events } = await rowsOf(orderNo);
  expect(payouts).toEqual([expect.objectContaining({ status: 'CANCEL' })]);
  expect(events.at(-1)).toMatchObject({ toStatus: 'PAYOUT_FAILED', actor: 'PARTNER' });
  const { notifications } = await simState<LianLianState>(running.engine.lianlianUrl);
  expect(notifications.filter((n) => n.subject.no_order === `${orderNo}P01`).map((n) => n.status)).toEqual(['DROPPED', 'DROPPED']);
});

test('a payout held as a suspected duplicate (CHECK) is confirmed by the running.engine and the order completes', async () => {
  const amountFen = 400_000;
  const orderNo = await buyPaidOrder(amountFen);
  await simAdmin(running.engine.lianlianUrl, '/payout-faults', { kind: 'hold', count: 1 });

  const final = await resultOf(orderNo);

  expect(final).toMatchObject({ status: 'COMPLETED', payoutAttempts: 1 });
  await expectPaidOnceInFull(orderNo, amountFen);
  const [held] = await simState<{ payouts: Array<SimPayout & { history: { state: string }[] }> }>(running.engine.lianlianUrl).then((s) =>
    s.payouts.filter((p) => p.no_order.startsWith(orderNo)),
  );
  expect(held!.history.map((h) => h.state)).toEqual(['APPLY', 'CHECK', 'WAITING', 'PROCESSING', 'SUCCESS']);
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
  expect(aboutThisPayout).toEqual([expect.objectContaining({ status: 'DROPPED', subject: expect.objectContaining({ result_pay: 'SUCCESS' }) })]);
});
