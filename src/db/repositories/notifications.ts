import { createHash } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { newId } from '../ids';
import type { NotificationPartner, NotificationResult, PartnerNotification } from '../entities/partner-notification';
import { PartnerNotificationSchema, REFUSED_BODY_KEPT_CHARS } from '../entities/partner-notification';
import { DbError } from './errors';

/** What a receiver decided before acting: genuine and fresh (ACCEPTED), or refused and why. */
export type ReceivedVerdict = Extract<
  NotificationResult,
  'ACCEPTED' | 'REJECTED_SIGNATURE' | 'STALE' | 'MALFORMED' | 'MISMATCH'
>;

/** What acting on an ACCEPTED notification came to. */
export type ProcessedResult = Extract<NotificationResult, 'UNKNOWN_ORDER' | 'SIGNALLED'>;

export interface NotificationDelivery {
  partner: NotificationPartner;
  /** The partner's id for the event; null only when the body could not be parsed. */
  notificationId: string | null;
  rawBody: string;
  /** The headers worth keeping (content type, user agent, forwarding), already chosen by the receiver. */
  headers: Record<string, string>;
  signatureValid: boolean;
  verdict: ReceivedVerdict;
  orderNo: string | null;
  receivedAt: Date;
}

/** The first genuine delivery of an id, as a duplicate finds it. */
export interface FirstDelivery {
  id: string;
  result: NotificationResult;
  orderNo: string | null;
  receivedAt: Date;
}

export type RecordNotificationResult =
  { outcome: 'NEW'; id: string } | { outcome: 'DUPLICATE'; id: string; first: FirstDelivery };

/**
 * Keeps every delivery. An ACCEPTED one claims its (partner, notification id) atomically: the first
 * claim is NEW, any later or concurrent one is stored as DUPLICATE and told what the first came to
 * (so a receiver can re-signal a first delivery that was never SIGNALLED). Refused deliveries claim
 * nothing and are always NEW rows.
 */
export async function recordNotification(
  em: EntityManager,
  delivery: NotificationDelivery,
): Promise<RecordNotificationResult> {
  if (delivery.verdict !== 'ACCEPTED')
    return { outcome: 'NEW', id: await insertDelivery(em, delivery, delivery.verdict, null) };
  const notificationId = delivery.notificationId;
  if (notificationId === null || !delivery.signatureValid) {
    throw new DbError('INVALID_NOTIFICATION', 'an ACCEPTED notification needs a valid signature and a notification id');
  }
  const id = newId('ntf');
  const claimed = await em
    .createQueryBuilder(PartnerNotificationSchema)
    .insert(deliveryRow(id, delivery, 'ACCEPTED', notificationId))
    .onConflict(['partner', 'dedupeKey'])
    .ignore()
    .execute('run');
  if (claimed.affectedRows === 1) return { outcome: 'NEW', id };
  const duplicateId = await insertDelivery(em, delivery, 'DUPLICATE', null);
  const first = await em.findOneOrFail(
    PartnerNotificationSchema,
    { partner: delivery.partner, dedupeKey: notificationId },
    { refresh: true },
  );
  return {
    outcome: 'DUPLICATE',
    id: duplicateId,
    first: { id: first.id, result: first.result, orderNo: first.orderNo, receivedAt: first.receivedAt },
  };
}

async function insertDelivery(
  em: EntityManager,
  delivery: NotificationDelivery,
  result: NotificationResult,
  dedupeKey: string | null,
): Promise<string> {
  const id = newId('ntf');
  await em
    .createQueryBuilder(PartnerNotificationSchema)
    .insert(deliveryRow(id, delivery, result, dedupeKey))
    .execute('run');
  return id;
}

/** The body as a row keeps it: whole when signed and accepted, its first characters when refused. */
function keptBody(delivery: NotificationDelivery): Pick<PartnerNotification, 'rawBody' | 'bodySha256' | 'bodyBytes'> {
  const whole = delivery.verdict === 'ACCEPTED';
  return {
    rawBody: storable(whole ? delivery.rawBody : delivery.rawBody.slice(0, REFUSED_BODY_KEPT_CHARS)),
    bodySha256: createHash('sha256').update(delivery.rawBody, 'utf8').digest('hex'),
    bodyBytes: Buffer.byteLength(delivery.rawBody, 'utf8'),
  };
}

/** PostgreSQL text cannot hold NUL; a delivery is kept as evidence, so NUL is written as the visible escape `\\u0000`. */
function storable(text: string): string {
  return text.replaceAll('\u0000', '\\u0000');
}

function deliveryRow(
  id: string,
  delivery: NotificationDelivery,
  result: NotificationResult,
  dedupeKey: string | null,
): Omit<PartnerNotification, 'processedAt'> {
  return {
    id,
    partner: delivery.partner,
    notificationId: delivery.notificationId === null ? null : storable(delivery.notificationId),
    dedupeKey: dedupeKey === null ? null : storable(dedupeKey),
    ...keptBody(delivery),
    headers: Object.fromEntries(Object.entries(delivery.headers).map(([name, value]) => [name, storable(value)])),
    signatureValid: delivery.signatureValid,
    receivedAt: delivery.receivedAt,
    result,
    orderNo: delivery.orderNo,
  };
}

/** Records what acting on an ACCEPTED delivery came to. */
export async function markNotificationProcessed(
  em: EntityManager,
  id: string,
  outcome: { result: ProcessedResult; orderNo?: string | null; at: Date },
): Promise<void> {
  await em.nativeUpdate(
    PartnerNotificationSchema,
    { id },
    {
      result: outcome.result,
      processedAt: outcome.at,
      ...(outcome.orderNo === undefined || outcome.orderNo === null ? {} : { orderNo: outcome.orderNo }),
    },
  );
}

/** Every delivery about an order, in arrival order. */
export async function listNotificationsForOrder(em: EntityManager, orderNo: string): Promise<PartnerNotification[]> {
  return em.find(PartnerNotificationSchema, { orderNo }, { orderBy: { receivedAt: 'asc', id: 'asc' } });
}
