/**
 * Partner notifications as an attacker and a flaky network send them: forged (another key),
 * stale (ten minutes old), field-swapped (signed, then a field changed), replayed (a genuine
 * notification resent under another id, or for another order) — none may be acknowledged or change
 * anything; each genuine one delivered ten times at once has exactly one effect.
 */
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { OrderEventSchema } from '../../src/db/entities/order-event';
import { PartnerNotificationSchema } from '../../src/db/entities/partner-notification';
import { closeOrm, openOrm } from '../../src/db/orm';
import { withSignature } from '../../src/partners/signing';
import { paymentNotificationFields } from '../sim/xjp/payment-callback';
import type { ChaosStack } from './processes';
import { pool, send, type Tally } from './http';

const paidSubscription = z.object({
  purchaseRecordId: z.string(),
  xjpOrderId: z.string(),
  xjpOrderNo: z.string(),
  paidAmountFen: z.number(),
  paidAt: z.string(),
  lianlianBillNo: z.string(),
  payStatus: z.literal('PAID'),
});
type Paid = z.infer<typeof paidSubscription>;

/** What the notification attacks came to. */
export interface NotificationFigures {
  sent: number;
  forgedAccepted: number;
  duplicateEffects: number;
  genuineOrders: number;
}

function notification(order: Paid, sentAt: Date): Record<string, unknown> {
  return { ...paymentNotificationFields(order, `chaos-${randomUUID()}`), timestamp: sentAt.toISOString() };
}

const ACK = JSON.stringify({ code: 'SUCCESS' });

/** Sends the attacks and the ×10 genuine deliveries about orders XJP holds paid; counts acknowledgements and effects. */
export async function notificationAttacks(
  stack: ChaosStack,
  tally: Tally,
  orders: number,
): Promise<NotificationFigures> {
  const books = z
    .object({ subscriptions: z.array(z.unknown()) })
    .parse(await (await fetch(`${stack.xjpUrl}/admin/state`)).json());
  const paid = books.subscriptions
    .flatMap((s) => {
      const parsed = paidSubscription.safeParse(s);
      return parsed.success ? [parsed.data] : [];
    })
    .slice(0, orders);
  const orm = await openOrm(stack.databaseUrl);
  const url = `${stack.apiUrl}/notify/xjp/payment`;
  const deliver = (body: unknown) =>
    send(tally, url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  let sent = 0;
  let forgedAccepted = 0;
  let duplicateEffects = 0;
  try {
    const effects = async (orderNo: string) => ({
      events: await orm.em.fork().count(OrderEventSchema, { order: { orderNo } }),
      signalled: await orm.em.fork().count(PartnerNotificationSchema, { orderNo, result: 'SIGNALLED' }),
    });
    await pool(paid, 4, async (order, index) => {
      const other = paid[(index + 1) % paid.length] ?? order;
      const genuine = withSignature(notification(order, new Date()), stack.xjpPrivateKeyPem);
      const before = await effects(order.purchaseRecordId);
      const hostile: unknown[] = [
        withSignature(notification(order, new Date()), stack.lianlianPrivateKeyPem),
        withSignature(notification(order, new Date(Date.now() - 10 * 60_000)), stack.xjpPrivateKeyPem),
        { ...genuine, paidAmountFen: order.paidAmountFen + 1 },
        { ...genuine, purchaseRecordId: other.purchaseRecordId, xjpOrderNo: other.xjpOrderNo },
        { ...genuine, notificationId: `chaos-${randomUUID()}` },
        { ...genuine, sign: '' },
      ];
      for (const body of hostile) {
        const answer = await deliver(body);
        sent += 1;
        if (answer.status === 200 && JSON.stringify(answer.body) === ACK) forgedAccepted += 1;
      }
      // The order is paid already: the genuine notification ×10 at once may add at most one effect (none, in fact, past the first PAID).
      const answers = await Promise.all(Array.from({ length: 10 }, () => deliver(genuine)));
      sent += answers.length;
      const after = await effects(order.purchaseRecordId);
      duplicateEffects +=
        Math.max(0, after.events - before.events) + Math.max(0, after.signalled - before.signalled - 1);
    });
  } finally {
    await closeOrm(orm);
  }
  return { sent, forgedAccepted, duplicateEffects, genuineOrders: paid.length };
}
