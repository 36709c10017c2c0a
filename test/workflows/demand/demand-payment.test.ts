/**
 * Money into a demand holding through LianLian's cashier, on the whole engine (time-skipping server,
 * PostgreSQL, API, XJP and LianLian simulators over HTTP): a placed subscription counts nothing
 * until XJP's payment notification reaches the run, and then from the day the cut-off gives the
 * payment time; an unpaid window expires; forged and repeated notifications change nothing; money
 * paid after the window or refused by XJP goes back to the card through the refund run.
 */
import { DemandMovementSchema, DemandSubscriptionSchema } from '../../../src/db/entities/demand';
import { PartnerNotificationSchema } from '../../../src/db/entities/partner-notification';
import type { Refund } from '../../../src/db/entities/refund';
import { listRefunds } from '../../../src/db/repositories/refunds';
import { demandWorkflows } from '../../../src/api/demand/demand-workflows';
import { addDays } from '../../../src/domain/calendar';
import { nextBusinessDay } from '../../../src/domain/demand/business-days';
import { withSignature } from '../../../src/partners/signing';
import { PURCHASE_TASK_QUEUE } from '../../../workflows/purchase/contract';
import {
  demandHoldingQuery,
  demandWorkflowId,
  type DemandHoldingInput,
  type DemandHoldingState,
} from '../../../workflows/demand/contract';
import { nextTradingDay as nextDay, skipToShanghai } from '../../../tools/testing/demand';
import { useTestEngine } from '../../../tools/testing/engine';
import { payAtCashier, simAdmin } from '../../../tools/testing/purchases';
import { waitForState } from '../../../tools/testing/wait';

const running = useTestEngine();
const em = () => running.engine.db.orm.em.fork();
const PRODUCT = 'XJPHQ01';
const MINUTE_MS = 60 * 1000;
let members = 0;

/** A member with an XJP account and the holding input the API would build for them. */
async function member(): Promise<Omit<DemandHoldingInput, 'carried'>> {
  const memberId = `HQP${String(++members).padStart(4, '0')}`;
  const account = await running.engine.apiDependencies.xjp.openAccount({
    requestId: `open-${memberId}`,
    channel: 'APP',
    memberId,
    name: '活期付款',
    mobile: '13800138002',
    idCardNo: '11010519491231002X',
    email: 'hq-pay@example.com',
  });
  return {
    memberId,
    productCode: PRODUCT,
    accountNo: account.accountNo,
    terms: { minAmountFen: 100, holdingCapFen: 50_000_000, fastRedemptionDailyLimitFen: 1_000_000 },
  };
}

const workflows = () => demandWorkflows(running.engine.client, PURCHASE_TASK_QUEUE);
const holding = (input: { memberId: string }) =>
  running.engine.client.workflow.getHandle(demandWorkflowId(input.memberId, PRODUCT)).query(demandHoldingQuery);

const skipTo = (date: string, minutes: number) => skipToShanghai(running, date, minutes);
const nextTradingDay = () => nextDay(running);

function waitForHolding(
  input: { memberId: string },
  done: (state: DemandHoldingState) => boolean,
): Promise<DemandHoldingState> {
  return waitForState(() => holding(input), done);
}

const subscriptionRow = (id: string) => em().findOneOrFail(DemandSubscriptionSchema, { id });

async function refundReaches(subscriptionId: string, status: Refund['status']): Promise<Refund> {
  const rows = await waitForState(
    () => listRefunds(em(), { orderNo: subscriptionId }),
    (refunds) => refunds.some((r) => r.status === status),
  );
  return rows.find((r) => r.status === status) as Refund;
}

test('a placed subscription counts nothing until paid; paid before the cut-off it counts from the next business day, paid after it from the one after', async () => {
  const input = await member();
  const day = await nextTradingDay();
  await skipTo(day, 14 * 60);
  const early = await workflows().subscribe(input, { subscriptionId: 'hqp-early', amountFen: 100_000 });
  expect(early).toMatchObject({ status: 'AWAITING_PAYMENT', amountFen: 100_000 });
  expect(new Date(early.payBefore).getTime() - new Date(early.requestedAt).getTime()).toBe(30 * MINUTE_MS);
  const unpaid = await holding(input);
  expect([unpaid.unitsFen, unpaid.pendingSubscriptions, unpaid.awaitingPayment.map((a) => a.id)]).toEqual([
    0,
    [],
    ['hqp-early'],
  ]);
  expect(await em().count(DemandMovementSchema, { holding: demandWorkflowId(input.memberId, PRODUCT) })).toBe(0);
  await skipTo(day, 14 * 60 + 5);
  await payAtCashier(early.paymentUrl);
  await waitForHolding(input, (s) => s.pendingSubscriptions.some((p) => p.id === 'hqp-early'));

  // Placed before the cut-off, paid after it: the payment time decides.
  await skipTo(day, 14 * 60 + 50);
  const late = await workflows().subscribe(input, { subscriptionId: 'hqp-late', amountFen: 200_000 });
  await skipTo(day, 15 * 60 + 5);
  await payAtCashier(late.paymentUrl);
  const paid = await waitForHolding(
    input,
    (s) => s.awaitingPayment.length === 0 && s.pendingSubscriptions.length === 2,
  );

  const countsFrom = Object.fromEntries(paid.pendingSubscriptions.map((p) => [p.id, p.countsFrom]));
  expect(countsFrom).toEqual({ 'hqp-early': nextBusinessDay(day), 'hqp-late': nextBusinessDay(nextBusinessDay(day)) });
  expect(await subscriptionRow('hqp-late')).toMatchObject({ status: 'CONFIRMED', amountFen: 200_000 });
  const xjp = await running.engine.apiDependencies.xjp.demand.querySubscription({ subscriptionId: 'hqp-late' });
  expect([xjp.status, xjp.countsFrom]).toEqual(['CONFIRMED', nextBusinessDay(nextBusinessDay(day))]);

  // Units count from their day: after the first earning day, the early money is available.
  await skipTo(addDays(nextBusinessDay(day), 1), 11 * 60);
  expect((await holding(input)).availableFen).toBeGreaterThanOrEqual(100_000);
}, 120_000);

test('an unpaid subscription expires after its window; money paid after that goes back to the card, and the event is recorded', async () => {
  const input = await member();
  const day = await nextTradingDay();
  await skipTo(day, 10 * 60);
  const placed = await workflows().subscribe(input, { subscriptionId: 'hqp-expiring', amountFen: 50_000 });
  await skipTo(day, 10 * 60 + 31);
  await waitForHolding(input, (s) => s.awaitingPayment.length === 0);
  expect(await subscriptionRow('hqp-expiring')).toMatchObject({ status: 'EXPIRED', paymentBillNo: null });
  expect((await holding(input)).pendingSubscriptions).toEqual([]);

  await payAtCashier(placed.paymentUrl);
  const refund = await refundReaches('hqp-expiring', 'SUCCESS');
  expect(refund).toMatchObject({ cause: 'PAID_AFTER_CLOSE', amountFen: 50_000, xjpOrderNo: placed.xjpSubscriptionNo });
  expect(await subscriptionRow('hqp-expiring')).toMatchObject({
    status: 'PAID_AFTER_EXPIRY',
    paymentBillNo: refund.paymentBillNo,
    reasonCode: 'PAID_AFTER_EXPIRY',
  });
  const after = await holding(input);
  expect([after.unitsFen, after.pendingSubscriptions]).toEqual([0, []]);
}, 120_000);

test('a forged payment notification is refused and changes nothing; a repeated one is acknowledged, recorded and applied once', async () => {
  const input = await member();
  const day = await nextTradingDay();
  await skipTo(day, 9 * 60);
  const placed = await workflows().subscribe(input, { subscriptionId: 'hqp-notified', amountFen: 80_000 });
  const claim = {
    notificationId: 'XN-forged-0001',
    timestamp: new Date().toISOString(),
    purchaseRecordId: 'hqp-notified',
    xjpOrderId: 'forged',
    xjpOrderNo: placed.xjpSubscriptionNo,
    payStatus: 'PAID',
    paidAmountFen: 80_000,
    paidAt: new Date().toISOString(),
    lianlianBillNo: 'FORGED-BILL',
  };
  const deliver = (body: object) =>
    fetch(`${running.engine.apiUrl}/notify/xjp/payment`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  const forged = await deliver(withSignature(claim, running.engine.keys.platform.privateKeyPem));
  expect(forged.status).toBe(401);
  expect(
    await em().find(PartnerNotificationSchema, { notificationId: 'XN-forged-0001' }, { fields: ['result'] }),
  ).toEqual([expect.objectContaining({ result: 'REJECTED_SIGNATURE' })]);
  expect((await holding(input)).awaitingPayment.map((a) => a.id)).toEqual(['hqp-notified']);

  // XJP delivers its notification twice.
  await simAdmin(running.engine.xjpUrl, '/notification-faults', { kind: 'duplicate', count: 1 });
  await payAtCashier(placed.paymentUrl);
  await waitForHolding(input, (s) => s.pendingSubscriptions.length === 1);
  const deliveries = await waitForState(
    () => em().find(PartnerNotificationSchema, { orderNo: 'hqp-notified' }, { orderBy: { receivedAt: 'asc' } }),
    (rows) => rows.length === 2,
  );
  expect(deliveries.map((r) => r.result).sort()).toEqual(['DUPLICATE', 'SIGNALLED']);
  expect(new Set(deliveries.map((r) => r.notificationId)).size).toBe(1);

  // The same payment under a new id (XJP's bug): acknowledged, and the run applies nothing twice.
  const row = await subscriptionRow('hqp-notified');
  const again = await deliver(
    withSignature(
      { ...claim, notificationId: 'XN-again-0001', lianlianBillNo: row.paymentBillNo ?? '' },
      running.engine.keys.xjp.privateKeyPem,
    ),
  );
  expect(again.status).toBe(200);
  await waitForState(
    () => em().find(PartnerNotificationSchema, { notificationId: 'XN-again-0001' }),
    (rows) => rows.some((r) => r.result === 'SIGNALLED'),
  );
  const handle = running.engine.client.workflow.getHandle(demandWorkflowId(input.memberId, PRODUCT));
  const signals = async () =>
    ((await handle.fetchHistory()).events ?? []).filter(
      (e) => e.workflowExecutionSignaledEventAttributes?.signalName === 'demandPaymentNotified',
    ).length;
  await waitForState(signals, (n) => n === 2);
  // A query is answered after the run took up every signal before it.
  const state = await holding(input);
  expect(state.pendingSubscriptions.map((p) => [p.id, p.amountFen])).toEqual([['hqp-notified', 80_000]]);
  expect(await em().count(DemandMovementSchema, { id: 'hqp-notified' })).toBe(1);
  expect(await listRefunds(em(), { orderNo: 'hqp-notified' })).toEqual([]);
}, 120_000);

test('money paid for a subscription XJP then refuses (the holding cap lowered meanwhile) is refunded whole, and the refusal recorded', async () => {
  const input = await member();
  const day = await nextTradingDay();
  await skipTo(day, 10 * 60);
  const placed = await workflows().subscribe(input, { subscriptionId: 'hqp-refused', amountFen: 300_000 });
  await simAdmin(running.engine.xjpUrl, `/demand/products/${PRODUCT}/holding-cap`, { fen: 100_000 });
  try {
    await payAtCashier(placed.paymentUrl);
    const refund = await refundReaches('hqp-refused', 'SUCCESS');
    expect(refund).toMatchObject({
      cause: 'PAYMENT_REFUSED',
      amountFen: 300_000,
      xjpOrderNo: placed.xjpSubscriptionNo,
    });
    expect(await subscriptionRow('hqp-refused')).toMatchObject({
      status: 'REFUSED',
      reasonCode: 'HOLDING_CAP_EXCEEDED',
      paymentBillNo: refund.paymentBillNo,
    });
    const state = await holding(input);
    expect([state.unitsFen, state.pendingSubscriptions, state.awaitingPayment]).toEqual([0, [], []]);
    expect(await em().count(DemandMovementSchema, { id: 'hqp-refused' })).toBe(0);
  } finally {
    await simAdmin(running.engine.xjpUrl, `/demand/products/${PRODUCT}/holding-cap`, { fen: null });
  }
}, 120_000);
