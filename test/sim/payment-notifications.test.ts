import { hasValidSignature, isFresh } from '../../src/partners/signing';
import type { NotificationRecord } from '../../tools/sim/common/notifier';
import {
  admin,
  adminState,
  callXjp,
  eventually,
  pay,
  sleep,
  subscribe,
  XJP_NOTIFY_PATH,
  type Received,
  useWorld,
} from './harness';

const world = useWorld();

const engineCalls = (): Received[] => world.engine.received.filter((r) => r.path === XJP_NOTIFY_PATH);
const callsFor = (xjpOrderNo: string): Received[] => engineCalls().filter((r) => r.body.xjpOrderNo === xjpOrderNo);
const xjpNotifications = async (): Promise<NotificationRecord[]> =>
  (await adminState<{ notifications: NotificationRecord[] }>(world.xjpUrl)).notifications;

describe('subscription → cashier → payment → engine notification', () => {
  it('shows the payee, the platform order number, the amount and the pay-before time on the cashier page, and paying there sends the engine a notification signed by XJP', async () => {
    const order = await subscribe(world, 1_000_000);
    const page = await fetch(order.cashierUrl);
    const html = await page.text();
    expect(page.headers.get('content-type')).toContain('text/html');
    expect(html).toContain('Payee 收款方</dt><dd>小金票（XJP）');
    expect(html).toContain(`Order 订单号</dt><dd>${order.purchaseRecordId}`);
    expect(html).toContain(order.xjpOrderNo);
    expect(html).toContain('¥10,000.00');
    // 30 minutes after the order time, on the Shanghai clock.
    const deadline = new Date(new Date(order.orderTime).getTime() + 30 * 60_000 + 8 * 3_600_000)
      .toISOString()
      .slice(0, 16)
      .replace('T', ' ');
    expect(html).toContain(`Pay before 请在此时间前支付</dt><dd>${deadline}（北京时间）`);
    expect(html).toContain(`action="/cashier/`);

    const paid = await pay(order);
    expect(paid.status).toBe(200);
    const receipt = await paid.text();
    expect(receipt).toContain('Paid 支付成功');
    expect(receipt).toMatch(/Bill number 连连支付流水号<\/dt><dd>\d{18}</);
    expect(receipt).toContain(`href="/cashier/`);

    const [notification] = await eventually(() =>
      callsFor(order.xjpOrderNo).length > 0 ? callsFor(order.xjpOrderNo) : undefined,
    );
    const body = notification!.body;
    expect(hasValidSignature(body, world.keys.xjp.publicKeyPem)).toBe(true);
    expect(hasValidSignature(body, world.keys.lianlian.publicKeyPem)).toBe(false);
    expect(isFresh(new Date(body.timestamp as string), new Date(), 5 * 60 * 1000)).toBe(true);
    expect(body).toMatchObject({
      purchaseRecordId: order.purchaseRecordId,
      xjpOrderId: order.xjpOrderId,
      xjpOrderNo: order.xjpOrderNo,
      payStatus: 'PAID',
      paidAmountFen: 1_000_000,
    });
    expect(typeof body.lianlianBillNo).toBe('string');
    expect(typeof body.notificationId).toBe('string');
  });

  it('answers the cashier in JSON when asked, and the payment query reports the order paid', async () => {
    const order = await subscribe(world, 250_000, 'XJP-P-0002');
    const view = (await (await fetch(order.cashierUrl, { headers: { accept: 'application/json' } })).json()) as Record<
      string,
      unknown
    >;
    expect(view).toMatchObject({ no_order: order.xjpOrderNo, money_order: '2500.00', status: 'WAITING' });
    await fetch(`${order.cashierUrl}/pay`, { method: 'POST', headers: { accept: 'application/json' } });
    await eventually(() => (callsFor(order.xjpOrderNo).length > 0 ? true : undefined));
    const query = await callXjp(world, '/payments/query', { xjpOrderNo: order.xjpOrderNo });
    expect(query.body.data).toMatchObject({ xjpOrderNo: order.xjpOrderNo, payStatus: 'PAID', paidAmountFen: 250_000 });
    expect((query.body.data as { lianlianBillNo: string }).lianlianBillNo).toBe(
      callsFor(order.xjpOrderNo)[0]!.body.lianlianBillNo,
    );
  });

  it('pressing Pay twice notifies the engine once', async () => {
    const order = await subscribe(world);
    await pay(order);
    await pay(order);
    await eventually(() => (callsFor(order.xjpOrderNo).length > 0 ? true : undefined));
    await sleep(150);
    expect(callsFor(order.xjpOrderNo)).toHaveLength(1);
    expect((await xjpNotifications()).filter((n) => n.subject.xjpOrderNo === order.xjpOrderNo)).toHaveLength(1);
  });

  it('a cancelled cashier cannot be paid and nothing is notified', async () => {
    const order = await subscribe(world);
    await fetch(`${order.cashierUrl}/cancel`, { method: 'POST' });
    expect((await pay(order)).status).toBe(409);
    await sleep(100);
    expect(callsFor(order.xjpOrderNo)).toHaveLength(0);
  });

  it('never delivers the payment of an order marked "never"', async () => {
    const order = await subscribe(world);
    await admin(world.xjpUrl, `/payments/${order.xjpOrderNo}/never`);
    await pay(order);
    await sleep(150);
    expect(callsFor(order.xjpOrderNo)).toHaveLength(0);
    const state = await adminState<{ subscriptions: { xjpOrderNo: string; payStatus: string }[] }>(world.xjpUrl);
    expect(state.subscriptions.find((s) => s.xjpOrderNo === order.xjpOrderNo)?.payStatus).toBe('UNPAID');
  });
});

describe('notification delivery', () => {
  it('resends until acknowledged: 500, 500, then SUCCESS is three deliveries of one notificationId', async () => {
    world.engine.script(XJP_NOTIFY_PATH, [
      { status: 500, body: { code: 'ERROR' } },
      { status: 500, body: { code: 'ERROR' } },
    ]);
    const order = await subscribe(world);
    await pay(order);
    const record = await eventually(async () => (await xjpNotifications()).find((n) => n.status === 'ACKNOWLEDGED'));
    const calls = callsFor(order.xjpOrderNo);
    expect(calls).toHaveLength(3);
    expect(new Set(calls.map((c) => c.body.notificationId)).size).toBe(1);
    expect(record.deliveries.map((d) => [d.status, d.acknowledged])).toEqual([
      [500, false],
      [500, false],
      [200, true],
    ]);
  });

  it('drop: the next notification is never sent', async () => {
    await admin(world.xjpUrl, '/notification-faults', { kind: 'drop', count: 1 });
    const dropped = await subscribe(world);
    await pay(dropped);
    const delivered = await subscribe(world);
    await pay(delivered);
    await eventually(() => (callsFor(delivered.xjpOrderNo).length > 0 ? true : undefined));
    await sleep(100);
    expect(callsFor(dropped.xjpOrderNo)).toHaveLength(0);
    expect((await xjpNotifications()).find((n) => n.subject.xjpOrderNo === dropped.xjpOrderNo)?.status).toBe('DROPPED');
  });

  it('delay: the notification arrives only after the delay', async () => {
    await admin(world.xjpUrl, '/notification-faults', { kind: 'delay', count: 1, delayMs: 400 });
    const order = await subscribe(world);
    const paidAt = Date.now();
    await pay(order);
    await sleep(200);
    expect(callsFor(order.xjpOrderNo)).toHaveLength(0);
    const [call] = await eventually(() =>
      callsFor(order.xjpOrderNo).length > 0 ? callsFor(order.xjpOrderNo) : undefined,
    );
    expect(call!.at - paidAt).toBeGreaterThanOrEqual(380);
  });

  it('duplicate: the same notification arrives twice with one notificationId', async () => {
    await admin(world.xjpUrl, '/notification-faults', { kind: 'duplicate', count: 1 });
    const order = await subscribe(world);
    await pay(order);
    const calls = await eventually(() =>
      callsFor(order.xjpOrderNo).length >= 2 ? callsFor(order.xjpOrderNo) : undefined,
    );
    expect(calls[0]!.body.notificationId).toBe(calls[1]!.body.notificationId);
  });

  it('reorder: a held notification arrives after the one that followed it', async () => {
    await admin(world.xjpUrl, '/notification-faults', { kind: 'reorder', count: 1, delayMs: 2_000 });
    const first = await subscribe(world);
    const second = await subscribe(world);
    await pay(first);
    await pay(second);
    await eventually(() => (engineCalls().length >= 2 ? true : undefined));
    expect(engineCalls().map((c) => c.body.xjpOrderNo)).toEqual([second.xjpOrderNo, first.xjpOrderNo]);
  });
});
