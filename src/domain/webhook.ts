/** What an outbox event tells the platform: an order moved, or an order now waits for a person. */
export const WEBHOOK_EVENT_TYPES = ['order.status_changed', 'order.parked'] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

/** PENDING until the endpoint answers 2xx (DELIVERED) or the last attempt fails (FAILED, until an operator replays it). */
export const WEBHOOK_DELIVERY_STATUSES = ['PENDING', 'DELIVERED', 'FAILED'] as const;
export type WebhookDeliveryStatus = (typeof WEBHOOK_DELIVERY_STATUSES)[number];

/** The first retry waits this long; each further one twice the last, up to {@link WEBHOOK_MAX_BACKOFF_SECONDS}. */
export const WEBHOOK_FIRST_BACKOFF_SECONDS = 30;
/** The longest wait between two attempts. */
export const WEBHOOK_MAX_BACKOFF_SECONDS = 6 * 3600;
/** Attempts before a delivery is FAILED: about two days of retries (30 s, 1 min, … 6 h). */
export const WEBHOOK_MAX_ATTEMPTS = 16;

/**
 * Seconds to wait after the `attempts`-th failed attempt, or null when that was the last: 30 s
 * doubling, capped at 6 h.
 */
export function webhookBackoffSeconds(attempts: number): number | null {
  if (attempts >= WEBHOOK_MAX_ATTEMPTS) return null;
  return Math.min(WEBHOOK_FIRST_BACKOFF_SECONDS * 2 ** (attempts - 1), WEBHOOK_MAX_BACKOFF_SECONDS);
}
