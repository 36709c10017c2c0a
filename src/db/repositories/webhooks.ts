import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { webhookBackoffSeconds, type WebhookDeliveryStatus, type WebhookEventType } from '../../domain/webhook';
import type { OrderEvent } from '../entities/order-event';
import {
  type WebhookDelivery,
  type WebhookDeliveryAttempt,
  WebhookDeliveryAttemptSchema,
  WebhookDeliverySchema,
  WebhookEventSchema,
} from '../entities/webhook';
import { newId } from '../ids';

/** What the outbox row says beyond the order event it copies. */
export interface OutboxInput {
  event: OrderEvent;
  type: WebhookEventType;
  reasonCode: string | null;
}

/**
 * Adds the outbox row of an order event to `tx`, the transaction writing that event (flushed with
 * it, so both commit or neither). The caller holds the order's row lock (or has just created the
 * order), so the next place in the order's sequence is not taken by a concurrent writer.
 */
export async function writeOutboxEvent(tx: EntityManager, { event, type, reasonCode }: OutboxInput): Promise<void> {
  const orderNo = event.order.orderNo;
  const [row] = await tx.execute<{ next: number }[]>(
    'select coalesce(max(seq), 0) + 1 as next from webhook_event where order_no = ?',
    [orderNo],
  );
  tx.create(WebhookEventSchema, {
    id: event.id,
    type,
    orderNo,
    seq: Number(row?.next ?? 1),
    fromStatus: event.fromStatus,
    toStatus: event.toStatus,
    cause: event.cause,
    reasonCode,
    occurredAt: event.occurredAt,
    fannedOutAt: null,
  });
}

/**
 * Makes the deliveries of up to `limit` outbox events not yet fanned out, one per endpoint, and
 * marks them fanned out, in one transaction; rows another dispatcher holds are skipped. Returns how
 * many events it took. An endpoint configured later gets only the events fanned out after it.
 */
export async function fanOutEvents(em: EntityManager, endpoints: string[], now: Date, limit: number): Promise<number> {
  return em.transactional(async (tx) => {
    const events = await tx.find(
      WebhookEventSchema,
      { fannedOutAt: null },
      { orderBy: { occurredAt: 'asc', seq: 'asc' }, limit, lockMode: LockMode.PESSIMISTIC_PARTIAL_WRITE },
    );
    for (const event of events) {
      event.fannedOutAt = now;
      for (const endpoint of endpoints) {
        tx.create(WebhookDeliverySchema, {
          id: newId('whd'),
          event,
          endpoint,
          orderNo: event.orderNo,
          seq: event.seq,
          status: 'PENDING',
          attempts: 0,
          nextAttemptAt: now,
          lastError: null,
          deliveredAt: null,
          replayedBy: null,
          replayReason: null,
          createdAt: now,
          updatedAt: now,
        });
      }
    }
    return events.length;
  });
}

/**
 * The deliveries to `endpoint` due at `now` that are first in their order's line: no earlier event
 * of the same order is still undelivered to that endpoint (pending or failed). At most one per
 * order, so they can be sent at once without overtaking each other; oldest due first.
 */
export async function dueDeliveries(
  em: EntityManager,
  endpoint: string,
  now: Date,
  limit: number,
): Promise<WebhookDelivery[]> {
  const rows = await em.execute<{ id: string }[]>(
    `select d.id from webhook_delivery d
      where d.endpoint = ? and d.status = 'PENDING' and d.next_attempt_at <= ?
        and not exists (
          select 1 from webhook_delivery earlier
           where earlier.endpoint = d.endpoint and earlier.order_no = d.order_no
             and earlier.seq < d.seq and earlier.status <> 'DELIVERED')
      order by d.next_attempt_at, d.order_no, d.seq
      limit ?`,
    [endpoint, now, limit],
  );
  if (rows.length === 0) return [];
  return em.find(
    WebhookDeliverySchema,
    { id: { $in: rows.map((r) => r.id) } },
    { populate: ['event'], orderBy: { nextAttemptAt: 'asc', orderNo: 'asc', seq: 'asc' } },
  );
}

/** How one HTTP attempt went. */
export interface AttemptOutcome {
  /** True on a 2xx answer. */
  delivered: boolean;
  statusCode: number | null;
  error: string | null;
  durationMs: number;
  /** When the attempt was made (the log's time). */
  attemptedAt: Date;
  /** The dispatcher's clock, which the next attempt's time is counted from. */
  now: Date;
}

/**
 * Logs an attempt and moves its delivery on: DELIVERED on a 2xx, else PENDING again after the
 * backoff, or FAILED after the last attempt. Returns the delivery as it now stands.
 */
export async function recordAttempt(
  em: EntityManager,
  deliveryId: string,
  outcome: AttemptOutcome,
): Promise<WebhookDelivery> {
  return em.transactional(async (tx) => {
    const delivery = await tx.findOneOrFail(
      WebhookDeliverySchema,
      { id: deliveryId },
      { lockMode: LockMode.PESSIMISTIC_WRITE },
    );
    const logged = await tx.count(WebhookDeliveryAttemptSchema, { delivery });
    tx.create(WebhookDeliveryAttemptSchema, {
      id: newId('wha'),
      delivery,
      attempt: logged + 1,
      statusCode: outcome.statusCode,
      error: outcome.error,
      durationMs: outcome.durationMs,
      attemptedAt: outcome.attemptedAt,
    });
    delivery.attempts += 1;
    delivery.updatedAt = outcome.now;
    delivery.lastError = outcome.error;
    if (outcome.delivered) {
      delivery.status = 'DELIVERED';
      delivery.deliveredAt = outcome.attemptedAt;
      return delivery;
    }
    const backoff = webhookBackoffSeconds(delivery.attempts);
    if (backoff === null) delivery.status = 'FAILED';
    else delivery.nextAttemptAt = new Date(outcome.now.getTime() + backoff * 1000);
    return delivery;
  });
}

/** What the operators' list may be narrowed to. */
export interface DeliveryFilter {
  status?: WebhookDeliveryStatus;
  endpoint?: string;
  orderNo?: string;
  limit: number;
}

/** Deliveries, newest first, with their event. */
export async function listDeliveries(em: EntityManager, filter: DeliveryFilter): Promise<WebhookDelivery[]> {
  return em.find(
    WebhookDeliverySchema,
    {
      ...(filter.status === undefined ? {} : { status: filter.status }),
      ...(filter.endpoint === undefined ? {} : { endpoint: filter.endpoint }),
      ...(filter.orderNo === undefined ? {} : { orderNo: filter.orderNo }),
    },
    { populate: ['event'], orderBy: { createdAt: 'desc', id: 'desc' }, limit: filter.limit },
  );
}

/** One delivery with its event, or null. */
export async function findDelivery(em: EntityManager, id: string): Promise<WebhookDelivery | null> {
  return em.findOne(WebhookDeliverySchema, { id }, { populate: ['event'] });
}

/** A delivery's attempts, in order. */
export async function listAttempts(em: EntityManager, deliveryId: string): Promise<WebhookDeliveryAttempt[]> {
  return em.find(WebhookDeliveryAttemptSchema, { delivery: deliveryId }, { orderBy: { attempt: 'asc' } });
}

/** Who asked for a delivery to be sent again, and why. */
export interface ReplayInput {
  operator: string;
  reason: string;
  at: Date;
}

/**
 * Queues a delivery to be sent again at the next dispatch with a fresh round of retries, whatever
 * its status (a FAILED one also unblocks its order's later events). Null when there is no such delivery.
 */
export async function replayDelivery(
  em: EntityManager,
  id: string,
  input: ReplayInput,
): Promise<WebhookDelivery | null> {
  return em.transactional(async (tx) => {
    const delivery = await tx.findOne(WebhookDeliverySchema, { id }, { lockMode: LockMode.PESSIMISTIC_WRITE });
    if (delivery === null) return null;
    tx.assign(delivery, {
      status: 'PENDING',
      attempts: 0,
      nextAttemptAt: input.at,
      replayedBy: input.operator,
      replayReason: input.reason,
      updatedAt: input.at,
    });
    return delivery;
  });
}
