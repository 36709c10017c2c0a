import type { WebhookEvent } from '../db/entities/webhook';

/** What the platform receives, as JSON: the order event without personal data or partner detail. */
export interface WebhookPayload {
  /** The event's id: the same on every delivery of it, what a receiver deduplicates on. */
  id: string;
  type: WebhookEvent['type'];
  orderNo: string;
  /** 1, 2, … per order: the order the events happened in. */
  sequence: number;
  fromStatus: WebhookEvent['fromStatus'];
  toStatus: WebhookEvent['toStatus'];
  cause: string;
  reasonCode: string | null;
  occurredAt: string;
}

/** The payload of an outbox event: what is delivered, and what operators see of a delivery. */
export function webhookPayload(event: WebhookEvent): WebhookPayload {
  return {
    id: event.id,
    type: event.type,
    orderNo: event.orderNo,
    sequence: event.seq,
    fromStatus: event.fromStatus,
    toStatus: event.toStatus,
    cause: event.cause,
    reasonCode: event.reasonCode,
    occurredAt: event.occurredAt.toISOString(),
  };
}

/** The body sent for an outbox event: built the same way on every attempt, so a replay signs the same bytes. */
export function webhookBody(event: WebhookEvent): string {
  return JSON.stringify(webhookPayload(event));
}
