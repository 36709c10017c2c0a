import {
  listNotificationsForOrder,
  markNotificationProcessed,
  recordNotification,
  type NotificationDelivery,
} from '../../../src/db/repositories/notifications';
import { useTestDatabase } from '../../../tools/testing/database';

const db = useTestDatabase();
const fork = () => db.orm.em.fork();

let seq = 0;
function delivery(overrides: Partial<NotificationDelivery> = {}): NotificationDelivery {
  seq += 1;
  const notificationId = `N-${seq}`;
  return {
    partner: 'XJP',
    notificationId,
    rawBody: JSON.stringify({ notificationId, xjpOrderNo: 'XO1', payStatus: 'PAID' }),
    headers: { 'content-type': 'application/json' },
    signatureValid: true,
    verdict: 'ACCEPTED',
    orderNo: `XJP20261122${String(seq).padStart(6, '0')}`,
    receivedAt: new Date('2026-11-22T02:10:00Z'),
    ...overrides,
  };
}

async function rowsFor(
  partner: string,
  notificationId: string,
): Promise<{ result: string; raw_body: string; headers: unknown }[]> {
  return fork().execute(
    'select result, raw_body, headers from partner_notification where partner = ? and notification_id = ? order by received_at, result',
    [partner, notificationId],
  );
}

test('the first genuine delivery is NEW and kept with its raw body and headers', async () => {
  const d = delivery();
  const recorded = await recordNotification(fork(), d);
  expect(recorded.outcome).toBe('NEW');
  expect(await rowsFor('XJP', d.notificationId!)).toEqual([
    { result: 'ACCEPTED', raw_body: d.rawBody, headers: d.headers },
  ]);
});

test('a repeated delivery is DUPLICATE, is still kept, and reports what the first came to', async () => {
  const d = delivery();
  const first = await recordNotification(fork(), d);
  await markNotificationProcessed(fork(), first.id, { result: 'SIGNALLED', at: new Date() });

  const again = await recordNotification(fork(), d);
  expect(again).toMatchObject({
    outcome: 'DUPLICATE',
    first: { id: first.id, result: 'SIGNALLED', orderNo: d.orderNo },
  });
  expect((await rowsFor('XJP', d.notificationId!)).map((r) => r.result).sort()).toEqual(['DUPLICATE', 'SIGNALLED']);
});

test('concurrent deliveries of one notification: exactly one is NEW', async () => {
  const d = delivery();
  const outcomes = await Promise.all([
    recordNotification(fork(), d),
    recordNotification(fork(), d),
    recordNotification(fork(), d),
  ]);
  expect(outcomes.map((o) => o.outcome).sort()).toEqual(['DUPLICATE', 'DUPLICATE', 'NEW']);
  expect(await rowsFor('XJP', d.notificationId!)).toHaveLength(3);
});

test('the same id from the other partner is a different notification', async () => {
  const d = delivery();
  await recordNotification(fork(), d);
  expect((await recordNotification(fork(), { ...d, partner: 'LIANLIAN' })).outcome).toBe('NEW');
});

test('a forged delivery is kept as REJECTED_SIGNATURE and cannot pre-empt the genuine one with the same id', async () => {
  const d = delivery();
  const forged = await recordNotification(fork(), {
    ...d,
    signatureValid: false,
    verdict: 'REJECTED_SIGNATURE',
    rawBody: '{"forged":true}',
  });
  expect(forged.outcome).toBe('NEW');
  expect((await recordNotification(fork(), d)).outcome).toBe('NEW');
  expect((await rowsFor('XJP', d.notificationId!)).map((r) => r.result).sort()).toEqual([
    'ACCEPTED',
    'REJECTED_SIGNATURE',
  ]);
});

test('an unparseable body is kept as MALFORMED with no id', async () => {
  const recorded = await recordNotification(
    fork(),
    delivery({ notificationId: null, signatureValid: false, verdict: 'MALFORMED', rawBody: 'not json', orderNo: null }),
  );
  const rows = await fork().execute<{ raw_body: string; result: string }[]>(
    'select raw_body, result from partner_notification where id = ?',
    [recorded.id],
  );
  expect(rows).toEqual([{ raw_body: 'not json', result: 'MALFORMED' }]);
});

test('an ACCEPTED verdict without a valid signature is refused by the repository', async () => {
  await expect(recordNotification(fork(), delivery({ signatureValid: false }))).rejects.toMatchObject({
    code: 'INVALID_NOTIFICATION',
  });
});

test('processing results and the order number are recorded and listed per order', async () => {
  const d = delivery({ orderNo: null });
  const recorded = await recordNotification(fork(), d);
  await markNotificationProcessed(fork(), recorded.id, {
    result: 'UNKNOWN_ORDER',
    orderNo: 'XJP20261122777777',
    at: new Date('2026-11-22T02:10:01Z'),
  });
  const listed = await listNotificationsForOrder(fork(), 'XJP20261122777777');
  expect(listed).toHaveLength(1);
  expect(listed[0]).toMatchObject({
    result: 'UNKNOWN_ORDER',
    processedAt: new Date('2026-11-22T02:10:01Z'),
    signatureValid: true,
  });
});
