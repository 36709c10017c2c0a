/**
 * The purchase workflow around the payment, on the time-skipping server with the whole engine:
 * the window elapsing, notifications dropped, duplicated and reordered, the investor cancelling.
 */
import { OrderEventSchema } from '../../src/db/entities/order-event';
import { PartnerNotificationSchema } from '../../src/db/entities/partner-notification';
import { PurchaseOrderSchema } from '../../src/db/entities/purchase-order';
import {
  paymentNotifiedSignal,
  purchaseStateQuery,
  purchaseWorkflowId,
  type PurchaseState,
} from '../../workflows/purchase/contract';
import { useTestEngine } from '../../tools/testing/engine';
import { buy, memberAction, payAtCashier, purchaseBody, simAdmin, simState } from '../../tools/testing/purchases';
import { waitForState } from '../../tools/testing/wait';

const PAYMENT_WINDOW_MS = 15 * 60 * 1000;

const running = useTestEngine({ paymentWindowMs: PAYMENT_WINDOW_MS });

/** The parts of XJP's `/admin/state` these tests read. */
interface XjpState {
  products: Array<{ productId: string; remainingFen: number }>;
  subscriptions: Array<{ purchaseRecordId: string; xjpOrderNo: string; payStatus: string; quotaLockedFen: number }>;
  notifications: Array<{
    notificationId: string;
    subject: { xjpOrderNo: string };
    fault?: string;
    status: string;
    deliveries: Array<{ at: string; acknowledged: boolean }>;
  }>;
}

const xjpState = () => simState<XjpState>(running.engine.xjpUrl);

async function remainingFen(productId: string): Promise<number> {
  const product = (await xjpState()).products.find((p) => p.productId === productId);
  if (product === undefined) throw new Error(`XJP has no product ${productId}`);
  return product.remainingFen;
}

async function subscriptionOf(orderNo: string): Promise<XjpState['subscriptions'][number]> {
  const subscription = (await xjpState()).subscriptions.find((s) => s.purchaseRecordId === orderNo);
  if (subscription === undefined) throw new Error(`XJP has no subscription for ${orderNo}`);
  return subscription;
}

/** XJP's payment notification events about an order. */
async function notificationsAbout(xjpOrderNo: string): Promise<XjpState['notifications']> {
  return (await xjpState()).notifications.filter((n) => n.subject.xjpOrderNo === xjpOrderNo);
}

/** Buys over the API and returns what the platform gets back once subscribed. */
async function subscribe(
  productId: string,
  amountFen: number,
  memberId = 'M10001',
): Promise<{ orderNo: string; paymentUrl: string; xjpOrderNo: string }> {
  const answer = await buy(running.engine, purchaseBody(productId, amountFen, memberId));
  expect(answer.status).toBe(201);
  expect(answer.body).toMatchObject({ status: 'SUBSCRIBED' });
  const orderNo = answer.body.orderNo as string;
  return {
    orderNo,
    paymentUrl: answer.body.paymentUrl as string,
    xjpOrderNo: (await subscriptionOf(orderNo)).xjpOrderNo,
  };
}

function cancel(orderNo: string): Promise<{ status: number; body: Record<string, unknown> }> {
  return memberAction(running.engine, orderNo, 'cancel');
}

function liveState(orderNo: string): Promise<PurchaseState> {
  return running.engine.client.workflow.getHandle(purchaseWorkflowId(orderNo)).query(purchaseStateQuery);
}

/**
 * Waits until the order has reached ACCRUING. Its status may already be past it: the run sleeps on one
 * timer to maturity, and this server's clock, skipped ahead by earlier tests, may be past that date.
 */
function reachesAccrual(orderNo: string): Promise<unknown> {
  return waitForState(
    () => events(orderNo),
    (trail) => trail.some((e) => e.toStatus === 'ACCRUING'),
  );
}

/**
 * The order's final state once `skipMs` of workflow time has passed. Time moves by exactly that
 * (env.sleep), never by waiting on a result through env.client: with nothing else pending, that lets
 * this server leap to the ten-year execution timeouts, past every later order's maturity.
 */
async function finalState(orderNo: string, skipMs = 0): Promise<PurchaseState> {
  if (skipMs > 0) await running.env.sleep(skipMs);
  return running.engine.client.workflow.getHandle(purchaseWorkflowId(orderNo)).result();
}

async function events(orderNo: string) {
  return running.engine.db.orm.em
    .fork()
    .find(OrderEventSchema, { order: { orderNo } }, { orderBy: { occurredAt: 'asc' } });
}

/** How many payment signals reached the run: the workflow's own history, not our inbox. */
async function paymentSignalsSeen(orderNo: string): Promise<number> {
  const history = await running.engine.client.workflow.getHandle(purchaseWorkflowId(orderNo)).fetchHistory();
  return (history.events ?? []).filter(
    (e) => e.workflowExecutionSignaledEventAttributes?.signalName === paymentNotifiedSignal.name,
  ).length;
}

/** Stops a run the test is done with (if it has not already ended), so it does not move with later tests' skipped time. */
async function terminate(orderNo: string): Promise<void> {
  const handle = running.engine.client.workflow.getHandle(purchaseWorkflowId(orderNo));
  if ((await handle.describe()).status.name === 'RUNNING') await handle.terminate('test finished with it');
}

it('an order left unpaid past the payment window ends EXPIRED: XJP subscription cancelled, quota released, PAYMENT_WINDOW_ELAPSED recorded', async () => {
  const productId = 'XJP-P-0001';
  const amountFen = 300_000;
  const before = await remainingFen(productId);
  const { orderNo } = await subscribe(productId, amountFen);
  expect(await remainingFen(productId)).toBe(before - amountFen);

  const final = await finalState(orderNo, PAYMENT_WINDOW_MS);

  expect(final).toMatchObject({ status: 'EXPIRED', awaiting: 'NOTHING' });
  expect(await subscriptionOf(orderNo)).toMatchObject({ payStatus: 'CANCELLED', quotaLockedFen: 0 });
  expect(await remainingFen(productId)).toBe(before);
  const order = await running.engine.db.orm.em.fork().findOneOrFail(PurchaseOrderSchema, { orderNo });
  expect(order.status).toBe('EXPIRED');
  expect((await events(orderNo)).filter((e) => e.toStatus === 'EXPIRED')).toEqual([
    expect.objectContaining({ fromStatus: 'SUBSCRIBED', cause: 'PAYMENT_WINDOW_ELAPSED', actor: 'SYSTEM' }),
  ]);
});

it('a paid order whose notification was dropped is found PAID by the query when the window closes, and goes on to ACCRUING', async () => {
  const amountFen = 200_000;
  const { orderNo, paymentUrl, xjpOrderNo } = await subscribe('XJP-P-0002', amountFen);
  await simAdmin(running.engine.xjpUrl, '/notification-faults', { kind: 'drop', count: 1 });

  await payAtCashier(paymentUrl);
  await waitForState(
    () => notificationsAbout(xjpOrderNo),
    (n) => n.length === 1,
  );
  expect(await notificationsAbout(xjpOrderNo)).toEqual([
    expect.objectContaining({ fault: 'drop', status: 'DROPPED', deliveries: [] }),
  ]);
  expect((await subscriptionOf(orderNo)).payStatus).toBe('PAID');
  expect((await liveState(orderNo)).status).toBe('SUBSCRIBED');

  await running.env.sleep(PAYMENT_WINDOW_MS);
  // Skipped time may run on into the accrual days, so wait for the trail rather than a live status.
  const trail = await waitForState(
    () => events(orderNo),
    (e) => e.length >= 4,
  );

  expect(trail.map((e) => e.toStatus).slice(0, 4)).toEqual(['CREATED', 'SUBSCRIBED', 'PAID', 'ACCRUING']);
  expect(trail.find((e) => e.toStatus === 'PAID')).toMatchObject({
    cause: 'XJP_PAYMENT_QUERIED',
    detail: { paidAmountFen: amountFen },
  });
  expect(await paymentSignalsSeen(orderNo)).toBe(0);
  await terminate(orderNo);
});

it('a duplicated notification moves the order to PAID once: the inbox keeps the duplicate, the workflow sees one payment', async () => {
  const amountFen = 250_000;
  const { orderNo, paymentUrl, xjpOrderNo } = await subscribe('XJP-P-0002', amountFen);
  await simAdmin(running.engine.xjpUrl, '/notification-faults', { kind: 'duplicate', count: 1 });

  await payAtCashier(paymentUrl);
  await reachesAccrual(orderNo);
  const [event] = await waitForState(
    () => notificationsAbout(xjpOrderNo),
    (n) => n[0]?.deliveries.length === 2,
  );
  expect(event).toMatchObject({ fault: 'duplicate', status: 'ACKNOWLEDGED' });
  expect(event?.deliveries.every((d) => d.acknowledged)).toBe(true);

  const inbox = await running.engine.db.orm.em
    .fork()
    .find(PartnerNotificationSchema, { orderNo }, { orderBy: { receivedAt: 'asc' } });
  expect(inbox.map((n) => [n.notificationId, n.result])).toEqual([
    [event?.notificationId, 'SIGNALLED'],
    [event?.notificationId, 'DUPLICATE'],
  ]);
  const paid = (await events(orderNo)).filter((e) => e.toStatus === 'PAID');
  expect(paid).toEqual([
    expect.objectContaining({
      cause: 'XJP_PAYMENT_NOTIFIED',
      detail: { paidAmountFen: amountFen, notificationId: event?.notificationId },
    }),
  ]);
  expect(await paymentSignalsSeen(orderNo)).toBe(1);
  await terminate(orderNo);
});

it('notifications arriving out of order bring each order to ACCRUING with its own payment', async () => {
  const first = { amountFen: 110_000, ...(await subscribe('XJP-P-0002', 110_000, 'M10002')) };
  const second = { amountFen: 130_000, ...(await subscribe('XJP-P-0002', 130_000, 'M10003')) };
  // Held until a later event has been tried (or a minute has passed): the later payment is notified first.
  await simAdmin(running.engine.xjpUrl, '/notification-faults', { kind: 'reorder', count: 1, delayMs: 60_000 });

  await payAtCashier(first.paymentUrl);
  await waitForState(
    () => notificationsAbout(first.xjpOrderNo),
    (n) => n[0]?.status === 'HELD',
  );
  await payAtCashier(second.paymentUrl);
  await Promise.all([reachesAccrual(first.orderNo), reachesAccrual(second.orderNo)]);

  const [firstEvent] = await notificationsAbout(first.xjpOrderNo);
  const [secondEvent] = await notificationsAbout(second.xjpOrderNo);
  expect(firstEvent?.fault).toBe('reorder');
  const deliveredAt = (event: typeof firstEvent) => Date.parse(event?.deliveries[0]?.at ?? '');
  expect(deliveredAt(secondEvent)).toBeLessThan(deliveredAt(firstEvent));
  for (const [order, event] of [
    [first, firstEvent],
    [second, secondEvent],
  ] as const) {
    const paid = (await events(order.orderNo)).filter((e) => e.toStatus === 'PAID');
    expect(paid).toEqual([
      expect.objectContaining({ detail: { paidAmountFen: order.amountFen, notificationId: event?.notificationId } }),
    ]);
    await terminate(order.orderNo);
  }
});

describe('the investor cancelling before paying', () => {
  it('cancels the order: CANCELLED, quota released at XJP; cancelling again answers 409', async () => {
    const productId = 'XJP-P-0001';
    const amountFen = 100_000;
    const before = await remainingFen(productId);
    const { orderNo } = await subscribe(productId, amountFen);

    const answer = await cancel(orderNo);

    expect(answer).toEqual({ status: 200, body: { orderNo, status: 'CANCELLED' } });
    expect(await finalState(orderNo)).toMatchObject({ status: 'CANCELLED', awaiting: 'NOTHING' });
    expect(await subscriptionOf(orderNo)).toMatchObject({ payStatus: 'CANCELLED', quotaLockedFen: 0 });
    expect(await remainingFen(productId)).toBe(before);
    expect((await events(orderNo)).filter((e) => e.toStatus === 'CANCELLED')).toEqual([
      expect.objectContaining({ cause: 'INVESTOR_CANCELLED', actor: 'INVESTOR' }),
    ]);
    expect(await cancel(orderNo)).toMatchObject({ status: 409, body: { error: { code: 'WRONG_STATE' } } });
  });

  it('refuses to cancel a paid order with 409 and leaves it on its way to maturity', async () => {
    const { orderNo, paymentUrl, xjpOrderNo } = await subscribe('XJP-P-0002', 100_000);
    await payAtCashier(paymentUrl);
    await reachesAccrual(orderNo);

    expect(await cancel(orderNo)).toMatchObject({ status: 409, body: { error: { code: 'WRONG_STATE' } } });
    expect(['ACCRUING', 'MATURED', 'PAYING_OUT', 'COMPLETED']).toContain((await liveState(orderNo)).status);
    expect((await events(orderNo)).map((e) => e.toStatus)).not.toContain('CANCELLED');
    expect(await subscriptionOf(orderNo)).toMatchObject({ xjpOrderNo, payStatus: 'PAID' });
    await terminate(orderNo);
  });

  it('a cancellation that crosses a payment not yet notified ends PAID, not CANCELLED: XJP refuses to cancel a paid order', async () => {
    const amountFen = 100_000;
    const { orderNo, paymentUrl, xjpOrderNo } = await subscribe('XJP-P-0002', amountFen);
    await simAdmin(running.engine.xjpUrl, '/notification-faults', { kind: 'drop', count: 1 });
    await payAtCashier(paymentUrl);
    await waitForState(
      () => subscriptionOf(orderNo),
      (s) => s.payStatus === 'PAID',
    );

    expect(await cancel(orderNo)).toMatchObject({ status: 200, body: { status: 'PAID' } });
    await reachesAccrual(orderNo);

    expect(await subscriptionOf(orderNo)).toMatchObject({ xjpOrderNo, payStatus: 'PAID', quotaLockedFen: amountFen });
    const trail = await events(orderNo);
    expect(trail.map((e) => e.toStatus).slice(0, 4)).toEqual(['CREATED', 'SUBSCRIBED', 'PAID', 'ACCRUING']);
    expect(trail.map((e) => e.toStatus)).not.toContain('CANCELLED');
    expect(trail.find((e) => e.toStatus === 'PAID')).toMatchObject({
      cause: 'PAID_BEFORE_CANCELLATION',
      detail: { paidAmountFen: amountFen },
    });
    await terminate(orderNo);
  });
});
