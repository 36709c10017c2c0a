/**
 * `POST /notify/xjp/payment` and `/notify/lianlian/payout` over real HTTP: every delivery lands in
 * `partner_notification`; only a genuine, fresh one is acknowledged in the partner's own format and
 * signalled, once, however often it is delivered.
 */
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { PartnerNotificationSchema, type NotificationPartner } from '../../src/db/entities/partner-notification';
import { PurchaseOrderSchema } from '../../src/db/entities/purchase-order';
import { createPayout } from '../../src/db/repositories/payouts';
import { formatShanghaiTimestamp } from '../../src/partners/lianlian/shanghai-time';
import { withSignature } from '../../src/partners/signing';
import { purchaseStateQuery, purchaseWorkflowId } from '../../workflows/purchase/contract';
import { useTestEngine } from '../../tools/testing/engine';
import { buy, purchaseBody } from '../../tools/testing/purchases';
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
  const order = await running.engine.db.orm.em.fork().findOneOrFail(PurchaseOrderSchema, { orderNo: created.body.orderNo as string });
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

function lianlianPayout(sentAt: Date, payoutNo: string): Fields {
  return {
    oid_partner: '201811220000001',
    no_order: payoutNo,
    dt_order: formatShanghaiTimestamp(sentAt),
    money_order: '10093.70',
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
  idField: 'notificationId',
  privateKey: () => running.engine.keys.xjp.privateKeyPem,
  async aboutKnownOrder(sentAt) {
    const order = await subscribedOrder();
    return { fields: xjpPayment(sentAt, order), orderNo: order.orderNo };
  },
  aboutUnknownOrder: (sentAt) => xjpPayment(sentAt, { orderNo: 'XJP20990101999999', xjpOrderId: 'X-1', xjpOrderNo: 'XJP2099010199999901' }),
  tamper: (fields) => ({ ...fields, paidAmountFen: 1 }),
};

const lianlianCase: PartnerCase = {
  partner: 'LIANLIAN',
  path: '/notify/lianlian/payout',
  ack: LIANLIAN_ACK,
  signalName: 'payoutNotified',
  idField: 'notification_id',
  privateKey: () => running.engine.keys.lianlian.privateKeyPem,
  async aboutKnownOrder(sentAt) {
    // A payout row as the payout stage writes it, so the notification names an order we hold.
    const { orderNo } = await subscribedOrder();
    const payoutNo = `PO${orderNo}01`;
    await createPayout(running.engine.db.orm.em.fork(), { orderNo, payoutNo, attempt: 1, principalFen: 1_000_000, interestFen: 9370, at: new Date() });
    return { fields: lianlianPayout(sentAt, payoutNo), orderNo };
  },
  aboutUnknownOrder: (sentAt) => lianlianPayout(sentAt, 'PO-NEVER-ISSUED'),
  tamper: (fields) => ({ ...fields, money_order: '99999.00' }),
};

function deliver(path: string, body: string) {
  return request(running.engine.apiUrl).post(path).set('content-type', 'application/json').send(body);
}

async function inboxRows(partner: NotificationPartner, where: { notificationId?: string; rawBody?: string }) {
  return running.engine.db.orm.em.fork().find(PartnerNotificationSchema, { partner, ...where }, { orderBy: { receivedAt: 'asc', id: 'asc' } });
}

async function signalCount(orderNo: string, signalName: string): Promise<number> {
  const history = await running.engine.client.workflow.getHandle(purchaseWorkflowId(orderNo)).fetchHistory();
  return (history.events ?? []).filter((e) => e.workflowExecutionSignaledEventAttributes?.signalName === signalName).length;
}

describe.each([xjpCase, lianlianCase])('$path', (c) => {
  test('a genuine notification is acknowledged in the partner format, recorded SIGNALLED and signalled to the order', async () => {
    const { fields, orderNo } = await c.aboutKnownOrder(new Date());
    const response = await deliver(c.path, JSON.stringify(withSignature(fields, c.privateKey())));
    expect(response.status).toBe(200);
    expect(response.body).toEqual(c.ack);
    const rows = await inboxRows(c.partner, { notificationId: fields[c.idField] as string });
    expect(rows).toEqual([expect.objectContaining({ result: 'SIGNALLED', orderNo, signatureValid: true })]);
    expect(await signalCount(orderNo, c.signalName)).toBe(1);
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
    expect(await signalCount(orderNo, c.signalName)).toBe(1);
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
    expect(rows).toEqual([expect.objectContaining({ result: 'REJECTED_SIGNATURE', signatureValid: false, orderNo: null })]);
    expect(await signalCount(orderNo, c.signalName)).toBe(0);
  });

  test('ten concurrent copies of a genuine notification make one signal: one copy relays, the others are acknowledged only once it is done', async () => {
    const { fields, orderNo } = await c.aboutKnownOrder(new Date());
    const body = JSON.stringify(withSignature(fields, c.privateKey()));

    const answers = await Promise.all(Array.from({ length: 10 }, () => deliver(c.path, body)));

    expect(answers.filter((a) => a.status === 200 && JSON.stringify(a.body) === JSON.stringify(c.ack)).length).toBeGreaterThanOrEqual(1);
    expect(answers.every((a) => a.status === 200 || a.status === 409)).toBe(true);
    expect(await signalCount(orderNo, c.signalName)).toBe(1);
    const rows = await inboxRows(c.partner, { notificationId: fields[c.idField] as string });
    expect(rows.filter((r) => r.result === 'SIGNALLED')).toHaveLength(1);
  });

  test('a body of one NUL byte answers 400 and is recorded MALFORMED, the NUL kept visibly escaped', async () => {
    const response = await request(running.engine.apiUrl).post(c.path).set('content-type', 'application/json').send('\u0000');
    expect(response.status).toBe(400);
    expect(response.body).not.toEqual(c.ack);
    expect(await inboxRows(c.partner, { rawBody: '\\u0000' })).toEqual(expect.arrayContaining([expect.objectContaining({ result: 'MALFORMED' })]));
  });

  test('a stale notification (sent 10 minutes ago) is refused and recorded STALE', async () => {
    const { fields, orderNo } = await c.aboutKnownOrder(new Date(Date.now() - TEN_MINUTES_MS));
    const response = await deliver(c.path, JSON.stringify(withSignature(fields, c.privateKey())));
    expect(response.status).toBe(401);
    expect(response.body).not.toEqual(c.ack);
    const rows = await inboxRows(c.partner, { notificationId: fields[c.idField] as string });
    expect(rows).toEqual([expect.objectContaining({ result: 'STALE' })]);
    expect(await signalCount(orderNo, c.signalName)).toBe(0);
  });

  test('a body that is not JSON answers 400 and is recorded MALFORMED with its raw text', async () => {
    const rawBody = `not json ${randomUUID()}`;
    const response = await request(running.engine.apiUrl).post(c.path).set('content-type', 'text/plain').send(rawBody);
    expect(response.status).toBe(400);
    expect(response.body).not.toEqual(c.ack);
    expect(await inboxRows(c.partner, { rawBody })).toEqual([expect.objectContaining({ result: 'MALFORMED', notificationId: null })]);
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

test('a genuine XJP payment notification moves the order on to ACCRUING', async () => {
  const { fields, orderNo } = await xjpCase.aboutKnownOrder(new Date());
  expect((await deliver(xjpCase.path, JSON.stringify(withSignature(fields, xjpCase.privateKey())))).body).toEqual(XJP_ACK);
  const handle = running.engine.client.workflow.getHandle(purchaseWorkflowId(orderNo));
  await waitForState(() => handle.query(purchaseStateQuery), (s) => s.status === 'ACCRUING');
});
