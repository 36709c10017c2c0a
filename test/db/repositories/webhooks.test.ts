/**
 * The outbox and its deliveries in PostgreSQL: an order event and its outbox row commit or roll
 * back together; the backoff, the last attempt and the replay move a delivery as documented, and a
 * failed delivery holds back its order's later events on that endpoint, not other orders'.
 */
import { OrderEventSchema } from '../../../src/db/entities/order-event';
import { PurchaseOrderSchema } from '../../../src/db/entities/purchase-order';
import { WebhookDeliveryAttemptSchema, WebhookEventSchema } from '../../../src/db/entities/webhook';
import { createOrder, recordOrderNote, transitionOrder } from '../../../src/db/repositories/orders';
import { dueDeliveries, fanOutEvents, recordAttempt, replayDelivery } from '../../../src/db/repositories/webhooks';
import { WEBHOOK_MAX_ATTEMPTS } from '../../../src/domain/webhook';
import { testPiiCipher, useTestDatabase } from '../../../tools/testing/database';
import { orderInput } from './fixtures';

const db = useTestDatabase();
const cipher = testPiiCipher();
const fork = () => db.orm.em.fork();
const AT = new Date('2026-12-02T08:00:00Z');

async function newOrder(): Promise<string> {
  return (await createOrder(fork(), cipher, orderInput())).orderNo;
}

/** Makes every insert into `table` fail, as a full disk or a broken constraint would, for the length of `body`. */
async function withFailingInserts(table: string, body: () => Promise<void>): Promise<void> {
  const em = fork();
  await em.execute(`create or replace function refuse_insert() returns trigger language plpgsql as
    $$ begin raise exception 'insert into % refused by the test', tg_table_name; end $$`);
  await em.execute(
    `create trigger refuse_insert before insert on ${table} for each row execute function refuse_insert()`,
  );
  try {
    await body();
  } finally {
    await em.execute(`drop trigger refuse_insert on ${table}`);
  }
}

test('every status change and every park writes its outbox row, numbered in the order they happened', async () => {
  const orderNo = await newOrder();
  await transitionOrder(fork(), { orderNo, to: 'SUBSCRIBED', cause: 'XJP_SUBSCRIBED', actor: 'SYSTEM', at: AT });
  await recordOrderNote(fork(), {
    orderNo,
    cause: 'PAYMENT_UNDERPAID',
    actor: 'SYSTEM',
    detail: { claimedAmountFen: 1 },
    at: AT,
    parkedFor: 'PAYMENT_UNDERPAID',
  });
  await recordOrderNote(fork(), { orderNo, cause: 'RUN_STARTED_BY_SWEEP', actor: 'SYSTEM', detail: {}, at: AT });
  await transitionOrder(fork(), {
    orderNo,
    to: 'REJECTED',
    cause: 'REFUSED_BEFORE_PAYMENT',
    actor: 'SYSTEM',
    at: AT,
    changes: { rejectReason: 'QUOTA_EXCEEDED' },
  });

  const outbox = await fork().find(WebhookEventSchema, { orderNo }, { orderBy: { seq: 'asc' } });
  expect(outbox.map((e) => [e.seq, e.type, e.fromStatus, e.toStatus, e.cause, e.reasonCode])).toEqual([
    [1, 'order.status_changed', null, 'CREATED', 'ORDER_CREATED', null],
    [2, 'order.status_changed', 'CREATED', 'SUBSCRIBED', 'XJP_SUBSCRIBED', null],
    [3, 'order.parked', 'SUBSCRIBED', 'SUBSCRIBED', 'PAYMENT_UNDERPAID', 'PAYMENT_UNDERPAID'],
    [4, 'order.status_changed', 'SUBSCRIBED', 'REJECTED', 'REFUSED_BEFORE_PAYMENT', 'QUOTA_EXCEEDED'],
  ]);
  // The outbox row is the order event's own id: a receiver can match it to the order's history.
  const events = await fork().find(OrderEventSchema, { order: { orderNo } });
  expect(outbox.every((row) => events.some((event) => event.id === row.id))).toBe(true);
});

test('a status change whose outbox row cannot be written is rolled back whole: no new status, no order event', async () => {
  const orderNo = await newOrder();
  await withFailingInserts('webhook_event', async () => {
    await expect(
      transitionOrder(fork(), { orderNo, to: 'SUBSCRIBED', cause: 'XJP_SUBSCRIBED', actor: 'SYSTEM', at: AT }),
    ).rejects.toThrow(/refused by the test/);
  });
  const events = await fork().find(OrderEventSchema, { order: { orderNo } });
  expect(events.map((e) => e.toStatus)).toEqual(['CREATED']);
  expect(await fork().count(WebhookEventSchema, { orderNo })).toBe(1);
  const order = await fork().findOneOrFail(PurchaseOrderSchema, { orderNo });
  expect(order).toMatchObject({ status: 'CREATED' });
});

test('a status change whose order event cannot be written leaves no outbox row', async () => {
  const orderNo = await newOrder();
  await withFailingInserts('order_event', async () => {
    await expect(
      transitionOrder(fork(), { orderNo, to: 'SUBSCRIBED', cause: 'XJP_SUBSCRIBED', actor: 'SYSTEM', at: AT }),
    ).rejects.toThrow(/refused by the test/);
  });
  expect((await fork().find(WebhookEventSchema, { orderNo })).map((e) => e.toStatus)).toEqual(['CREATED']);
});

test('a park whose outbox row cannot be written leaves no alert on the order either', async () => {
  const orderNo = await newOrder();
  await withFailingInserts('webhook_event', async () => {
    await expect(
      recordOrderNote(fork(), {
        orderNo,
        cause: 'DATE_MISMATCH',
        actor: 'SYSTEM',
        detail: {},
        at: AT,
        parkedFor: 'DATE_MISMATCH',
      }),
    ).rejects.toThrow(/refused by the test/);
  });
  expect((await fork().find(OrderEventSchema, { order: { orderNo } })).map((e) => e.cause)).toEqual(['ORDER_CREATED']);
});

test('a delivery failing its last attempt holds back its order on that endpoint only, until an operator replays it', async () => {
  const held = await newOrder();
  await transitionOrder(fork(), { orderNo: held, to: 'SUBSCRIBED', cause: 'XJP_SUBSCRIBED', actor: 'SYSTEM', at: AT });
  const other = await newOrder();
  await fanOutEvents(fork(), ['platform', 'audit'], AT, 1000);

  const [first] = (await dueDeliveries(fork(), 'platform', AT, 1000)).filter((d) => d.orderNo === held);
  expect(first?.seq).toBe(1);
  let clock = AT;
  for (let attempt = 1; attempt <= WEBHOOK_MAX_ATTEMPTS; attempt++) {
    const after = await recordAttempt(fork(), first!.id, {
      delivered: false,
      statusCode: 503,
      error: 'answered HTTP 503',
      durationMs: 5,
      attemptedAt: clock,
      now: clock,
    });
    expect(after.status).toBe(attempt < WEBHOOK_MAX_ATTEMPTS ? 'PENDING' : 'FAILED');
    if (attempt === 1) expect(after.nextAttemptAt.getTime() - clock.getTime()).toBe(30_000);
    if (attempt === 2) expect(after.nextAttemptAt.getTime() - clock.getTime()).toBe(60_000);
    clock = after.nextAttemptAt;
  }
  expect(await fork().count(WebhookDeliveryAttemptSchema, { delivery: first!.id })).toBe(WEBHOOK_MAX_ATTEMPTS);

  const later = new Date(clock.getTime() + 86_400_000);
  const platform = await dueDeliveries(fork(), 'platform', later, 1000);
  expect(platform.filter((d) => d.orderNo === held)).toEqual([]);
  expect(platform.filter((d) => d.orderNo === other).map((d) => d.seq)).toEqual([1]);
  // The other endpoint's line for the same order is its own.
  const audit = await dueDeliveries(fork(), 'audit', later, 1000);
  expect(audit.filter((d) => d.orderNo === held).map((d) => d.seq)).toEqual([1]);

  const replayed = await replayDelivery(fork(), first!.id, {
    operator: 'ops-alice',
    reason: 'receiver fixed',
    at: later,
  });
  expect(replayed).toMatchObject({ status: 'PENDING', attempts: 0, replayedBy: 'ops-alice' });
  const again = await dueDeliveries(fork(), 'platform', later, 1000);
  expect(again.filter((d) => d.orderNo === held).map((d) => d.id)).toEqual([first!.id]);
  const delivered = await recordAttempt(fork(), first!.id, {
    delivered: true,
    statusCode: 204,
    error: null,
    durationMs: 5,
    attemptedAt: later,
    now: later,
  });
  expect(delivered.status).toBe('DELIVERED');
  const next = await dueDeliveries(fork(), 'platform', later, 1000);
  expect(next.filter((d) => d.orderNo === held).map((d) => d.seq)).toEqual([2]);
  // The log numbers attempts across the replay.
  const log = await fork().find(
    WebhookDeliveryAttemptSchema,
    { delivery: first!.id },
    { orderBy: { attempt: 'desc' } },
  );
  expect(log[0]).toMatchObject({ attempt: WEBHOOK_MAX_ATTEMPTS + 1, statusCode: 204 });
});
