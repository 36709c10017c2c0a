/**
 * `POST /notify/xjp/payment` and `/notify/lianlian/payout` over real HTTP: every delivery lands in
 * `partner_notification`; only a genuine, fresh one that matches what we sent is acknowledged in the
 * partner's own format and signalled, once, however often it is delivered; forged, field-swapped,
 * replayed and over-sized ones change nothing; both endpoints and /v1 are rate-limited.
 */
import { createHash, randomUUID } from 'node:crypto';
import request from 'supertest';
import { createApiApp } from '../../src/api/app';
import { OrderEventSchema } from '../../src/db/entities/order-event';
import { PartnerNotificationSchema, type NotificationPartner } from '../../src/db/entities/partner-notification';
import { PurchaseOrderSchema } from '../../src/db/entities/purchase-order';
import { PayoutSchema } from '../../src/db/entities/payout';
import { formatShanghaiTimestamp } from '../../src/partners/lianlian/shanghai-time';
import { withSignature } from '../../src/partners/signing';
import { payoutWorkflowId } from '../../workflows/payout/contract';
import { purchaseStateQuery, purchaseWorkflowId } from '../../workflows/purchase/contract';
import { TEST_API_KEY, useTestEngine } from '../../tools/testing/engine';
import { seedMaturedOrder, startPayout } from '../../tools/testing/payouts';
import { buy, payAtCashier, purchaseBody, simAdmin } from '../../tools/testing/purchases';
import { waitForState } from '../../tools/testing/wait';

const running = useTestEngine();

const XJP_ACK = { code: 'SUCCESS' };
const LIANLIAN_ACK = { ret_code: '0000', ret_msg: 'ok' };
const TEN_MINUTES_MS = 10 * 60 * 1000;

type Fields = Record<string, unknown>;

/** One partner's notification endpoint and how to make its messages. */
interface PartnerCase {
  partner: NotificationPartner;
  path: string;
  ack: object;
  signalName: string;
  /** The run the partner's notifications are signalled to. */
  workflowId(orderNo: string): string;
  idField: string;
  /** The partner's own private key, as it signs. */
  privateKey(): string;
  /** A fresh, unsigned notification about an order we hold, sent at `sentAt`. */
  aboutKnownOrder(sentAt: Date): Promise<{ fields: Fields; orderNo: string }>;
  /** A fresh, unsigned notification about an order we never had. */
  aboutUnknownOrder(sentAt: Date): Fields;
  /** Changes a field the signature covers. */
  tamper(fields: Fields): Fields;
}

async function subscribedOrder(): Promise<{ orderNo: string; xjpOrderId: string; xjpOrderNo: string }> {
  const created = await buy(running.engine, purchaseBody('XJP-P-0002', 1_000_000));
  expect(created.status).toBe(201);
  const order = await running.engine.db.orm.em
    .fork()
    .findOneOrFail(PurchaseOrderSchema, { orderNo: created.body.orderNo as string });
  return { orderNo: order.orderNo, xjpOrderId: order.xjpOrderId ?? '', xjpOrderNo: order.xjpOrderNo ?? '' };
}

function xjpPayment(sentAt: Date, order: { orderNo: string; xjpOrderId: string; xjpOrderNo: string }): Fields {
  return {
    notificationId: `xjp-ntf-${randomUUID()}`,
    timestamp: sentAt.toISOString(),
    purchaseRecordId: order.orderNo,
    xjpOrderId: order.xjpOrderId,
    xjpOrderNo: order.xjpOrderNo,
    payStatus: 'PAID',
    paidAmountFen: 1_000_000,
    paidAt: sentAt.toISOString(),
    lianlianBillNo: `LL${Date.now()}`,
  };
}

function lianlianPayout(sentAt: Date, payoutNo: string, totalFen: number): Fields {
  return {
    oid_partner: '201811220000001',
    no_order: payoutNo,
    dt_order: formatShanghaiTimestamp(sentAt),
    money_order: (totalFen / 100).toFixed(2),
    oid_paybill: `LLPAY${randomUUID().slice(0, 8)}`,
    result_pay: 'SUCCESS',
    settle_date: formatShanghaiTimestamp(sentAt).slice(0, 8),
    notification_id: `ll-ntf-${randomUUID()}`,
    timestamp: formatShanghaiTimestamp(sentAt),
    sign_type: 'RSA',
  };
}

const xjpCase: PartnerCase = {
  partner: 'XJP',
  path: '/notify/xjp/payment',
  ack: XJP_ACK,
  signalName: 'paymentNotified',
  workflowId: purchaseWorkflowId,
  idField: 'notificationId',
  privateKey: () => running.engine.keys.xjp.privateKeyPem,
  async aboutKnownOrder(sentAt) {
    const order = await subscribedOrder();
    return { fields: xjpPayment(sentAt, order), orderNo: order.orderNo };
  },
  aboutUnknownOrder: (sentAt) =>
    xjpPayment(sentAt, { orderNo: 'XJP20990101999999', xjpOrderId: 'X-1', xjpOrderNo: 'XJP2099010199999901' }),
  tamper: (fields) => ({ ...fields, paidAmountFen: 1 }),
};

const lianlianCase: PartnerCase = {
  partner: 'LIANLIAN',
  path: '/notify/lianlian/payout',
  ack: LIANLIAN_ACK,
  signalName: 'payoutNotified',
  workflowId: payoutWorkflowId,
  idField: 'notification_id',
  privateKey: () => running.engine.keys.lianlian.privateKeyPem,
  async aboutKnownOrder(sentAt) {
    // A live payout run whose apply LianLian keeps answering 500, so only the notification under test reaches it.
    const order = await seedMaturedOrder(running, { principalFen: 1_000_000, days: 30 });
    await simAdmin(running.engine.lianlianUrl, '/faults', {
      endpoint: '/gateway/payout/apply',
      kind: 'error500',
      count: 1_000,
    });
    await startPayout(running, order);
    const payout = await waitForState(
      () => running.engine.db.orm.em.fork().findOne(PayoutSchema, { order: { orderNo: order.orderNo } }),
      (p) => p !== null,
    );
    if (payout === null) throw new Error(`no payout row for ${order.orderNo}`);
    return { fields: lianlianPayout(sentAt, payout.payoutNo, payout.totalFen), orderNo: order.orderNo };
  },
  aboutUnknownOrder: (sentAt) => lianlianPayout(sentAt, 'PO-NEVER-ISSUED', 1_009_370),
  tamper: (fields) => ({ ...fields, money_order: '99999.00' }),
};

function deliver(path: string, body: string) {
  return request(running.engine.apiUrl).post(path).set('content-type', 'application/json').send(body);
}

async function inboxRows(partner: NotificationPartner, where: { notificationId?: string; rawBody?: string }) {
  return running.engine.db.orm.em
    .fork()
    .find(PartnerNotificationSchema, { partner, ...where }, { orderBy: { receivedAt: 'asc', id: 'asc' } });
}

async function signalCount(c: PartnerCase, orderNo: string): Promise<number> {
  const history = await running.engine.client.workflow.getHandle(c.workflowId(orderNo)).fetchHistory();
  return (history.events ?? []).filter((e) => e.workflowExecutionSignaledEventAttributes?.signalName === c.signalName)
    .length;
}

describe.each([xjpCase, lianlianCase])('$path', (c) => {
  test('a genuine notification is acknowledged in the partner format, recorded SIGNALLED and signalled to the order', async () => {
    const { fields, orderNo } = await c.aboutKnownOrder(new Date());
    const response = await deliver(c.path, JSON.stringify(withSignature(fields, c.privateKey())));
    expect(response.status).toBe(200);
    expect(response.body).toEqual(c.ack);
    const rows = await inboxRows(c.partner, { notificationId: fields[c.idField] as string });
    expect(rows).toEqual([expect.objectContaining({ result: 'SIGNALLED', orderNo, signatureValid: true })]);
    expect(await signalCount(c, orderNo)).toBe(1);
  });

  test('a duplicate is acknowledged, recorded DUPLICATE and not signalled twice', async () => {
    const { fields, orderNo } = await c.aboutKnownOrder(new Date());
    const body = JSON.stringify(withSignature(fields, c.privateKey()));
    expect((await deliver(c.path, body)).body).toEqual(c.ack);
    const again = await deliver(c.path, body);
    expect(again.status).toBe(200);
    expect(again.body).toEqual(c.ack);
    const rows = await inboxRows(c.partner, { notificationId: fields[c.idField] as string });
    expect(rows.map((r) => r.result)).toEqual(['SIGNALLED', 'DUPLICATE']);
    expect(await signalCount(c, orderNo)).toBe(1);
  });

  test.each([
    ['a tampered body', (f: Fields, key: string) => c.tamper(withSignature(f, key))],
    ['the wrong key', (f: Fields) => withSignature(f, running.engine.keys.platform.privateKeyPem)],
    ['no sign', (f: Fields) => f],
  ])('a forged notification (%s) is refused, recorded REJECTED_SIGNATURE and not signalled', async (_label, forge) => {
    const { fields, orderNo } = await c.aboutKnownOrder(new Date());
    const response = await deliver(c.path, JSON.stringify(forge(fields, c.privateKey())));
    expect(response.status).toBe(401);
    expect(response.body).not.toEqual(c.ack);
    const rows = await inboxRows(c.partner, { notificationId: fields[c.idField] as string });
    expect(rows).toEqual([
      expect.objectContaining({ result: 'REJECTED_SIGNATURE', signatureValid: false, orderNo: null }),
    ]);
    expect(await signalCount(c, orderNo)).toBe(0);
  });

  test('ten concurrent copies of a genuine notification make one signal: one copy relays, the others are acknowledged only once it is done', async () => {
    const { fields, orderNo } = await c.aboutKnownOrder(new Date());
    const body = JSON.stringify(withSignature(fields, c.privateKey()));

    const answers = await Promise.all(Array.from({ length: 10 }, () => deliver(c.path, body)));

    expect(
      answers.filter((a) => a.status === 200 && JSON.stringify(a.body) === JSON.stringify(c.ack)).length,
    ).toBeGreaterThanOrEqual(1);
    expect(answers.every((a) => a.status === 200 || a.status === 409)).toBe(true);
    expect(await signalCount(c, orderNo)).toBe(1);
    const rows = await inboxRows(c.partner, { notificationId: fields[c.idField] as string });
    expect(rows.filter((r) => r.result === 'SIGNALLED')).toHaveLength(1);
  });

  test('a body of one NUL byte answers 400 and is recorded MALFORMED, the NUL kept visibly escaped', async () => {
    const response = await request(running.engine.apiUrl)
      .post(c.path)
      .set('content-type', 'application/json')
      .send('\u0000');
    expect(response.status).toBe(400);
    expect(response.body).not.toEqual(c.ack);
    expect(await inboxRows(c.partner, { rawBody: '\\u0000' })).toEqual(
      expect.arrayContaining([expect.objectContaining({ result: 'MALFORMED' })]),
    );
  });

  test('a stale notification (sent 10 minutes ago) is refused and recorded STALE', async () => {
    const { fields, orderNo } = await c.aboutKnownOrder(new Date(Date.now() - TEN_MINUTES_MS));
    const response = await deliver(c.path, JSON.stringify(withSignature(fields, c.privateKey())));
    expect(response.status).toBe(401);
    expect(response.body).not.toEqual(c.ack);
    const rows = await inboxRows(c.partner, { notificationId: fields[c.idField] as string });
    expect(rows).toEqual([expect.objectContaining({ result: 'STALE' })]);
    expect(await signalCount(c, orderNo)).toBe(0);
  });

  test('a body that is not JSON answers 400 and is recorded MALFORMED with its raw text', async () => {
    const rawBody = `not json ${randomUUID()}`;
    const response = await request(running.engine.apiUrl).post(c.path).set('content-type', 'text/plain').send(rawBody);
    expect(response.status).toBe(400);
    expect(response.body).not.toEqual(c.ack);
    expect(await inboxRows(c.partner, { rawBody })).toEqual([
      expect.objectContaining({ result: 'MALFORMED', notificationId: null }),
    ]);
  });

  test('a genuine notification about an order we do not have is acknowledged and recorded UNKNOWN_ORDER', async () => {
    const fields = c.aboutUnknownOrder(new Date());
    const response = await deliver(c.path, JSON.stringify(withSignature(fields, c.privateKey())));
    expect(response.status).toBe(200);
    expect(response.body).toEqual(c.ack);
    const rows = await inboxRows(c.partner, { notificationId: fields[c.idField] as string });
    expect(rows).toEqual([expect.objectContaining({ result: 'UNKNOWN_ORDER', signatureValid: true })]);
  });
});

test("a genuine XJP payment notification moves the order on to ACCRUING once XJP's query confirms the payment", async () => {
  const { fields, orderNo } = await xjpCase.aboutKnownOrder(new Date());
  const handle = running.engine.client.workflow.getHandle(purchaseWorkflowId(orderNo));
  expect((await deliver(xjpCase.path, JSON.stringify(withSignature(fields, xjpCase.privateKey())))).body).toEqual(
    XJP_ACK,
  );
  // Signed and acknowledged, but the investor has not paid: XJP's query does not back it.
  await waitForState(
    () =>
      running.engine.db.orm.em.fork().count(OrderEventSchema, { order: { orderNo }, cause: 'PAYMENT_NOT_CONFIRMED' }),
    (n) => n === 1,
  );
  expect((await handle.query(purchaseStateQuery)).status).toBe('SUBSCRIBED');
  const order = await running.engine.db.orm.em.fork().findOneOrFail(PurchaseOrderSchema, { orderNo });
  await payAtCashier(order.paymentUrl ?? '');
  await waitForState(
    () => handle.query(purchaseStateQuery),
    (s) => s.status === 'ACCRUING',
  );
});

describe('refused deliveries change nothing and are kept small', () => {
  const orderStatus = async (orderNo: string) =>
    (await running.engine.db.orm.em.fork().findOneOrFail(PurchaseOrderSchema, { orderNo }, { refresh: true })).status;

  test.each([
    [
      'XJP: another XJP order number',
      xjpCase,
      (f: Fields) => ({ ...f, xjpOrderNo: `${String(f.xjpOrderNo)}9` }),
      'xjpOrderNo',
    ],
    [
      'XJP: another XJP order id',
      xjpCase,
      (f: Fields) => ({ ...f, xjpOrderId: 'XJP-ORDER-OF-SOMEONE-ELSE' }),
      'xjpOrderId',
    ],
    [
      'LianLian: another merchant',
      lianlianCase,
      (f: Fields) => ({ ...f, oid_partner: '209999990000001' }),
      'oid_partner',
    ],
    ['LianLian: another amount', lianlianCase, (f: Fields) => ({ ...f, money_order: '1.00' }), 'money_order'],
  ])(
    'a correctly signed notification naming %s than we sent is refused 422, recorded MISMATCH, never acknowledged, and not acted on',
    async (_label, c, swap, field) => {
      const { fields, orderNo } = await c.aboutKnownOrder(new Date());
      const before = await orderStatus(orderNo);
      const response = await deliver(c.path, JSON.stringify(withSignature(swap(fields), c.privateKey())));
      expect(response.status).toBe(422);
      expect(response.body).not.toEqual(c.ack);
      expect(JSON.stringify(response.body)).toContain(field);
      const rows = await inboxRows(c.partner, { notificationId: fields[c.idField] as string });
      expect(rows).toEqual([expect.objectContaining({ result: 'MISMATCH', signatureValid: true, orderNo })]);
      expect(await signalCount(c, orderNo)).toBe(0);
      expect(await orderStatus(orderNo)).toBe(before);
    },
  );

  test.each([xjpCase, lianlianCase])(
    '$partner: a replayed genuine notification (captured, sent again 10 minutes later) is refused, the order unchanged',
    async (c) => {
      const { fields, orderNo } = await c.aboutKnownOrder(new Date(Date.now() - TEN_MINUTES_MS));
      const before = await orderStatus(orderNo);
      const response = await deliver(c.path, JSON.stringify(withSignature(fields, c.privateKey())));
      expect(response.status).toBe(401);
      expect(response.body).not.toEqual(c.ack);
      expect(await signalCount(c, orderNo)).toBe(0);
      expect(await orderStatus(orderNo)).toBe(before);
    },
  );

  test.each([xjpCase, lianlianCase])(
    '$partner: an over-sized notification is refused 413 unread, never acknowledged, the order unchanged',
    async (c) => {
      const { fields, orderNo } = await c.aboutKnownOrder(new Date());
      const before = await orderStatus(orderNo);
      const response = await deliver(
        c.path,
        JSON.stringify(withSignature({ ...fields, padding: 'x'.repeat(64 * 1024) }, c.privateKey())),
      );
      expect(response.status).toBe(413);
      expect(response.body).not.toEqual(c.ack);
      expect(await inboxRows(c.partner, { notificationId: fields[c.idField] as string })).toEqual([]);
      expect(await signalCount(c, orderNo)).toBe(0);
      expect(await orderStatus(orderNo)).toBe(before);
    },
  );

  test('a refused delivery is kept as its hash, size and first 256 characters, not the whole body', async () => {
    const body = JSON.stringify({ notificationId: `forged-${randomUUID()}`, filler: 'y'.repeat(12_000) });
    expect((await deliver(xjpCase.path, body)).status).toBe(401);
    const [row] = await inboxRows('XJP', { notificationId: JSON.parse(body).notificationId as string });
    expect(row).toMatchObject({
      result: 'REJECTED_SIGNATURE',
      bodyBytes: Buffer.byteLength(body),
      bodySha256: createHash('sha256').update(body).digest('hex'),
    });
    expect(row?.rawBody).toBe(body.slice(0, 256));
  });
});

describe('rate limits (an API process with small limits over the same parts)', () => {
  const OTHER_API_KEY = 'another-platform-key-of-enough-length-0001';
  const limitedApp = () =>
    createApiApp({
      ...running.engine.apiDependencies,
      apiKeys: [TEST_API_KEY, OTHER_API_KEY],
      rateLimits: { v1PerMinute: 2, notifyPerMinute: 2 },
    });

  test('/notify answers 429 per partner after its limit, never acknowledging, while the other partner still gets through', async () => {
    const app = limitedApp();
    const forged = (c: PartnerCase) =>
      request(app)
        .post(c.path)
        .set('content-type', 'application/json')
        .send(JSON.stringify(c.aboutUnknownOrder(new Date())));
    expect([(await forged(xjpCase)).status, (await forged(xjpCase)).status]).toEqual([401, 401]);
    const limited = await forged(xjpCase);
    expect(limited.status).toBe(429);
    expect(limited.body).toEqual({ error: { code: 'RATE_LIMITED', message: expect.any(String) } });
    expect(limited.headers['retry-after']).toEqual(expect.any(String));
    expect((await forged(lianlianCase)).status).toBe(401);
  });

  test('/v1 answers 429 per API key after its limit; another key has its own allowance', async () => {
    const app = limitedApp();
    const openapi = (key: string) => request(app).get('/v1/openapi.json').set('x-api-key', key);
    expect([(await openapi(TEST_API_KEY)).status, (await openapi(TEST_API_KEY)).status]).toEqual([200, 200]);
    const limited = await openapi(TEST_API_KEY);
    expect(limited.status).toBe(429);
    expect(limited.body.error.code).toBe('RATE_LIMITED');
    expect((await openapi(OTHER_API_KEY)).status).toBe(200);
  });
});
