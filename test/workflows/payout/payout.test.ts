/**
 * The payout workflow on the time-skipping server, with the real worker, PostgreSQL, API and LianLian
 * simulator, started on a seeded matured order: what LianLian may answer, and how every dead end
 * parks for finance with a reason code instead of paying twice or failing the run.
 * Each test seeds its own order with its own amount, so LianLian's duplicate check never links two tests.
 */
import { WorkflowUpdateFailedError } from '@temporalio/client';
import { OrderEventSchema } from '../../../src/db/entities/order-event';
import { PayoutSchema } from '../../../src/db/entities/payout';
import { PurchaseOrderSchema } from '../../../src/db/entities/purchase-order';
import { operatorPayoutActionUpdate, type PayoutResult, payoutWorkflowId } from '../../../workflows/payout/contract';
import { useTestEngine } from '../../../tools/testing/engine';
import { type MaturedOrder, seedMaturedOrder, skipUntilPayout, startPayout } from '../../../tools/testing/payouts';
import { simAdmin, simState } from '../../../tools/testing/purchases';

const running = useTestEngine();
const FINANCE = { operator: 'fin.zhao', reason: 'investor called', evidenceRef: 'TICKET-42' };

interface SimPayout {
  no_order: string;
  moneyFen: number;
  result_pay: string;
  history: { state: string }[];
}

async function payoutsAtLianLian(orderNo: string): Promise<SimPayout[]> {
  const state = await simState<{ payouts: SimPayout[] }>(running.engine.lianlianUrl);
  return state.payouts.filter((p) => p.no_order.startsWith(orderNo));
}

async function rowsOf(orderNo: string) {
  const em = running.engine.db.orm.em.fork();
  return {
    order: await em.findOneOrFail(PurchaseOrderSchema, { orderNo }),
    payouts: await em.find(PayoutSchema, { order: { orderNo } }, { orderBy: { attempt: 'asc' } }),
    events: await em.find(OrderEventSchema, { order: { orderNo } }, { orderBy: { occurredAt: 'asc', id: 'asc' } }),
  };
}

/** Awaits the result through env.client, which lets the server skip the 30-day reversal watch. */
function resultOf(orderNo: string): Promise<PayoutResult> {
  return running.env.client.workflow.getHandle(payoutWorkflowId(orderNo)).result();
}

function act(orderNo: string, action: 'RETRY' | 'MARK_PAID_BY_HAND' | 'QUERY_NOW') {
  return running.engine.client.workflow
    .getHandle(payoutWorkflowId(orderNo))
    .executeUpdate(operatorPayoutActionUpdate, { args: [{ action, ...FINANCE }] });
}

/** One SUCCESS at LianLian and in our rows, of principal + ledger interest, under `payoutId`. */
async function expectPaidOnce(order: MaturedOrder, payoutId: string): Promise<void> {
  const total = order.principalFen + order.interestFen;
  expect((await payoutsAtLianLian(order.orderNo)).filter((p) => p.result_pay === 'SUCCESS')).toEqual([
    expect.objectContaining({ no_order: payoutId, moneyFen: total }),
  ]);
  expect((await rowsOf(order.orderNo)).payouts.filter((p) => p.status === 'SUCCESS')).toEqual([
    expect.objectContaining({ payoutNo: payoutId, totalFen: total }),
  ]);
}

test('a 4002 answer to the apply is an unknown outcome, followed by query: the payout it hid completes the order, no second payout id', async () => {
  const order = await seedMaturedOrder(running, { principalFen: 110_000, days: 3 });
  await simAdmin(running.engine.lianlianUrl, '/payout-faults', { kind: 'conflict', count: 1 });
  await startPayout(running, order);

  const result = await resultOf(order.orderNo);

  expect(result).toEqual({
    outcome: 'PAID',
    payoutId: `${order.orderNo}P01`,
    attempts: 1,
    totalFen: order.principalFen + order.interestFen,
  });
  await expectPaidOnce(order, `${order.orderNo}P01`);
  expect(await payoutsAtLianLian(order.orderNo)).toHaveLength(1);
  expect((await rowsOf(order.orderNo)).order.status).toBe('COMPLETED');
});

test('a malformed answer to the apply is an unknown outcome too: followed by query, paid once', async () => {
  const order = await seedMaturedOrder(running, { principalFen: 120_000, days: 2 });
  await simAdmin(running.engine.lianlianUrl, '/faults', {
    endpoint: '/gateway/payout/apply',
    kind: 'malformed',
    count: 1,
  });
  await startPayout(running, order);

  expect(await resultOf(order.orderNo)).toMatchObject({
    outcome: 'PAID',
    payoutId: `${order.orderNo}P01`,
    attempts: 1,
  });
  await expectPaidOnce(order, `${order.orderNo}P01`);
});

test("XJP's redemption a fen off parks the order REDEMPTION_MISMATCH before anything leaves; finance's manual payout completes it, audited", async () => {
  const order = await seedMaturedOrder(running, { principalFen: 130_000, days: 2, redemptionOffByFen: 1 });
  await startPayout(running, order);

  const parked = await skipUntilPayout(running, order.orderNo, (s) => s.awaiting === 'OPERATOR_REVIEW');

  expect(parked).toMatchObject({ status: 'PAYOUT_FAILED', parkReason: 'REDEMPTION_MISMATCH', attempts: 0 });
  expect(await payoutsAtLianLian(order.orderNo)).toEqual([]);
  const before = await rowsOf(order.orderNo);
  expect(before.payouts).toEqual([]);
  expect(before.events.at(-1)).toMatchObject({
    toStatus: 'PAYOUT_FAILED',
    cause: 'REDEMPTION_MISMATCH',
    detail: { reasonCode: 'REDEMPTION_MISMATCH' },
  });
  const described = await running.engine.client.workflow.getHandle(payoutWorkflowId(order.orderNo)).describe();
  expect(described.status.name).toBe('RUNNING');

  const after = await act(order.orderNo, 'MARK_PAID_BY_HAND');

  expect(after).toMatchObject({ status: 'COMPLETED' });
  expect(await resultOf(order.orderNo)).toEqual({
    outcome: 'PAID_BY_HAND',
    operator: 'fin.zhao',
    evidenceRef: 'TICKET-42',
    attempts: 0,
    totalFen: order.principalFen + order.interestFen,
  });
  const { events } = await rowsOf(order.orderNo);
  expect(events.at(-1)).toMatchObject({
    toStatus: 'COMPLETED',
    cause: 'MANUAL_PAYOUT',
    actor: 'OPERATOR',
    actorRef: 'fin.zhao',
    detail: expect.objectContaining({ reason: 'investor called', evidenceRef: 'TICKET-42' }),
  });
  expect(await payoutsAtLianLian(order.orderNo)).toEqual([]);
});

test('a failed payout parks PAYOUT_FAILED; the retry pays under a new id; a second retry is refused once the order moved on', async () => {
  const order = await seedMaturedOrder(running, { principalFen: 140_000, days: 4 });
  await simAdmin(running.engine.lianlianUrl, '/payout-faults', { kind: 'fail', count: 1 });
  await startPayout(running, order);

  const parked = await skipUntilPayout(running, order.orderNo, (s) => s.awaiting === 'OPERATOR_REVIEW');
  expect(parked).toMatchObject({
    status: 'PAYOUT_FAILED',
    parkReason: 'PAYOUT_FAILED',
    payoutId: `${order.orderNo}P01`,
    attempts: 1,
  });
  await expect(act(order.orderNo, 'QUERY_NOW')).rejects.toBeInstanceOf(WorkflowUpdateFailedError);

  expect(await act(order.orderNo, 'RETRY')).toMatchObject({ status: 'PAYING_OUT' });
  await expect(act(order.orderNo, 'RETRY')).rejects.toBeInstanceOf(WorkflowUpdateFailedError);

  expect(await resultOf(order.orderNo)).toMatchObject({
    outcome: 'PAID',
    payoutId: `${order.orderNo}P02`,
    attempts: 2,
  });
  await expectPaidOnce(order, `${order.orderNo}P02`);
  const { events } = await rowsOf(order.orderNo);
  expect(events.map((e) => e.cause).slice(-4)).toEqual([
    'PAYOUT_STARTED',
    'PAYOUT_FAILED',
    'OPERATOR_RETRIED_PAYOUT',
    'PAYOUT_SUCCEEDED',
  ]);
  expect(events.find((e) => e.cause === 'OPERATOR_RETRIED_PAYOUT')).toMatchObject({
    actorRef: 'fin.zhao',
    detail: expect.objectContaining({ reason: 'investor called', evidenceRef: 'TICKET-42' }),
  });
});

test('a bank reversal after success parks PAYOUT_REVERSED; the retry pays again under a new id, one net payout', async () => {
  const order = await seedMaturedOrder(running, { principalFen: 150_000, days: 1 });
  await simAdmin(running.engine.lianlianUrl, '/payout-faults', { kind: 'reverse', count: 1 });
  await startPayout(running, order);

  const parked = await skipUntilPayout(running, order.orderNo, (s) => s.awaiting === 'OPERATOR_REVIEW');
  expect(parked).toMatchObject({
    status: 'PAYOUT_FAILED',
    parkReason: 'PAYOUT_REVERSED',
    payoutId: `${order.orderNo}P01`,
  });

  await act(order.orderNo, 'RETRY');

  expect(await resultOf(order.orderNo)).toMatchObject({
    outcome: 'PAID',
    payoutId: `${order.orderNo}P02`,
    attempts: 2,
  });
  expect((await payoutsAtLianLian(order.orderNo)).map((p) => p.result_pay)).toEqual(['CANCEL', 'SUCCESS']);
  await expectPaidOnce(order, `${order.orderNo}P02`);
});

test('a payout held in CHECK is confirmed when no other attempt of the order can still pay', async () => {
  const order = await seedMaturedOrder(running, { principalFen: 160_000, days: 2 });
  await simAdmin(running.engine.lianlianUrl, '/payout-faults', { kind: 'hold', count: 1 });
  await startPayout(running, order);

  expect(await resultOf(order.orderNo)).toMatchObject({
    outcome: 'PAID',
    payoutId: `${order.orderNo}P01`,
    attempts: 1,
  });
  const [held] = await payoutsAtLianLian(order.orderNo);
  expect(held!.history.map((h) => h.state)).toEqual(['APPLY', 'CHECK', 'WAITING', 'PROCESSING', 'SUCCESS']);
});

test('malformed query answers park MALFORMED_PARTNER_ANSWER; the retry follows the same payout, which had paid', async () => {
  const order = await seedMaturedOrder(running, { principalFen: 170_000, days: 2 });
  await simAdmin(running.engine.lianlianUrl, '/notification-faults', { kind: 'drop', count: 1 });
  await simAdmin(running.engine.lianlianUrl, '/faults', {
    endpoint: '/gateway/payout/query',
    kind: 'malformed',
    count: 3,
  });
  await startPayout(running, order);

  const parked = await skipUntilPayout(running, order.orderNo, (s) => s.awaiting === 'OPERATOR_REVIEW');
  expect(parked).toMatchObject({
    status: 'PAYOUT_FAILED',
    parkReason: 'MALFORMED_PARTNER_ANSWER',
    payoutId: `${order.orderNo}P01`,
  });
  // The payout may still pay: finance cannot pay it by hand now.
  await expect(act(order.orderNo, 'MARK_PAID_BY_HAND')).rejects.toBeInstanceOf(WorkflowUpdateFailedError);

  await act(order.orderNo, 'RETRY');

  expect(await resultOf(order.orderNo)).toMatchObject({
    outcome: 'PAID',
    payoutId: `${order.orderNo}P01`,
    attempts: 1,
  });
  await expectPaidOnce(order, `${order.orderNo}P01`);
  expect(await payoutsAtLianLian(order.orderNo)).toHaveLength(1);
});
