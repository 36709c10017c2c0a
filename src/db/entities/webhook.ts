import { EntitySchema } from '@mikro-orm/core';
import { ORDER_STATUSES, type OrderStatus } from '../../domain/order-status';
import {
  WEBHOOK_DELIVERY_STATUSES,
  WEBHOOK_EVENT_TYPES,
  type WebhookDeliveryStatus,
  type WebhookEventType,
} from '../../domain/webhook';

/**
 * The outbox: one row per order event the platform is told of, written in the transaction that
 * writes the order event (same id), so neither exists without the other. Only what the platform
 * may see: no personal data, no partner detail.
 */
export interface WebhookEvent {
  /** The order event's id (`evt_…`): what a receiver deduplicates on. */
  id: string;
  type: WebhookEventType;
  orderNo: string;
  /** 1, 2, … per order, under the order's row lock: the order a receiver must see them in. */
  seq: number;
  fromStatus: OrderStatus | null;
  toStatus: OrderStatus;
  cause: string;
  reasonCode: string | null;
  occurredAt: Date;
  /** When the dispatcher made this event's deliveries (one per endpoint configured then); null until it has. */
  fannedOutAt: Date | null;
}

/** One event to one endpoint: retried with backoff until delivered, or FAILED after the last attempt. */
export interface WebhookDelivery {
  /** `whd_…`. */
  id: string;
  event: WebhookEvent;
  endpoint: string;
  /** The event's order and place in it, copied so the "earlier event still pending" test needs no join. */
  orderNo: string;
  seq: number;
  status: WebhookDeliveryStatus;
  /** Attempts made since the delivery was made or last replayed: what the backoff counts. */
  attempts: number;
  nextAttemptAt: Date;
  lastError: string | null;
  deliveredAt: Date | null;
  /** The operator who last asked for it to be sent again, and why. */
  replayedBy: string | null;
  replayReason: string | null;
  createdAt: Date;
  updatedAt: Date;
}

/** The delivery log: one row per HTTP attempt, never updated. */
export interface WebhookDeliveryAttempt {
  /** `wha_…`. */
  id: string;
  delivery: WebhookDelivery;
  /** 1, 2, … across the delivery's life, replays included. */
  attempt: number;
  /** The endpoint's HTTP status; null when none came (refused connection, timeout). */
  statusCode: number | null;
  error: string | null;
  durationMs: number;
  attemptedAt: Date;
}

export const WebhookEventSchema = new EntitySchema<WebhookEvent>({
  name: 'WebhookEvent',
  tableName: 'webhook_event',
  uniques: [{ name: 'webhook_event_order_no_seq_unique', properties: ['orderNo', 'seq'] }],
  indexes: [{ name: 'webhook_event_fanned_out_at_index', properties: ['fannedOutAt'] }],
  checks: [{ name: 'webhook_event_seq_positive', expression: 'seq > 0' }],
  properties: {
    id: { type: 'string', columnType: 'text', primary: true },
    type: { enum: true, items: () => [...WEBHOOK_EVENT_TYPES], columnType: 'text' },
    orderNo: { type: 'string', columnType: 'text' },
    seq: { type: 'integer' },
    fromStatus: { enum: true, items: () => [...ORDER_STATUSES], columnType: 'text', nullable: true },
    toStatus: { enum: true, items: () => [...ORDER_STATUSES], columnType: 'text' },
    cause: { type: 'string', columnType: 'text' },
    reasonCode: { type: 'string', columnType: 'text', nullable: true },
    occurredAt: { type: 'datetime', columnType: 'timestamptz' },
    fannedOutAt: { type: 'datetime', columnType: 'timestamptz', nullable: true },
  },
});

export const WebhookDeliverySchema = new EntitySchema<WebhookDelivery>({
  name: 'WebhookDelivery',
  tableName: 'webhook_delivery',
  uniques: [{ name: 'webhook_delivery_event_id_endpoint_unique', properties: ['event', 'endpoint'] }],
  indexes: [
    { name: 'webhook_delivery_endpoint_order_no_seq_index', properties: ['endpoint', 'orderNo', 'seq'] },
    { name: 'webhook_delivery_status_next_attempt_at_index', properties: ['status', 'nextAttemptAt'] },
  ],
  properties: {
    id: { type: 'string', columnType: 'text', primary: true },
    event: { kind: 'm:1', entity: () => WebhookEventSchema, deleteRule: 'restrict', index: false },
    endpoint: { type: 'string', columnType: 'text' },
    orderNo: { type: 'string', columnType: 'text' },
    seq: { type: 'integer' },
    status: { enum: true, items: () => [...WEBHOOK_DELIVERY_STATUSES], columnType: 'text' },
    attempts: { type: 'integer' },
    nextAttemptAt: { type: 'datetime', columnType: 'timestamptz' },
    lastError: { type: 'string', columnType: 'text', nullable: true },
    deliveredAt: { type: 'datetime', columnType: 'timestamptz', nullable: true },
    replayedBy: { type: 'string', columnType: 'text', nullable: true },
    replayReason: { type: 'string', columnType: 'text', nullable: true },
    createdAt: { type: 'datetime', columnType: 'timestamptz' },
    updatedAt: { type: 'datetime', columnType: 'timestamptz' },
  },
});

export const WebhookDeliveryAttemptSchema = new EntitySchema<WebhookDeliveryAttempt>({
  name: 'WebhookDeliveryAttempt',
  tableName: 'webhook_delivery_attempt',
  uniques: [{ name: 'webhook_delivery_attempt_delivery_id_attempt_unique', properties: ['delivery', 'attempt'] }],
  properties: {
    id: { type: 'string', columnType: 'text', primary: true },
    delivery: { kind: 'm:1', entity: () => WebhookDeliverySchema, deleteRule: 'restrict', index: false },
    attempt: { type: 'integer' },
    statusCode: { type: 'integer', nullable: true },
    error: { type: 'string', columnType: 'text', nullable: true },
    durationMs: { type: 'integer' },
    attemptedAt: { type: 'datetime', columnType: 'timestamptz' },
  },
});
