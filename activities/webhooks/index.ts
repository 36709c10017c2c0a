import { log } from '@temporalio/activity';
import type { WebhookDelivery } from '../../src/db/entities/webhook';
import { dueDeliveries, fanOutEvents, recordAttempt } from '../../src/db/repositories/webhooks';
import type { WebhookEndpoint } from '../../src/config/webhook-config';
import { webhookBody } from '../../src/webhooks/payload';
import { sendWebhook } from '../../src/webhooks/send';
import type { ActivityDependencies } from '../dependencies';

/** Outbox events made into deliveries per transaction; a larger backlog takes several in one dispatch. */
const FAN_OUT_BATCH = 500;
/** Orders sent to at once per endpoint: one order's slow or failing head holds back only its own line. */
const ORDERS_AT_ONCE = 8;
/**
 * A dispatch stops taking new deliveries after this long, so with the per-delivery timeout (at most
 * 60 s) it ends well inside the activity's start-to-close timeout and a retry never overlaps it.
 */
const DISPATCH_BUDGET_MS = 60_000;

/** What one dispatch did. */
export interface WebhookDispatchResult {
  /** Outbox events made into deliveries. */
  fannedOut: number;
  /** Attempts answered 2xx. */
  delivered: number;
  /** Attempts that failed and will be retried. */
  retrying: number;
  /** Deliveries that failed their last attempt (FAILED until an operator replays them). */
  failed: number;
}

/** The webhook dispatcher's activity: outbox events to deliveries, then every due delivery sent in order per order. */
export function createWebhookActivities({ orm, webhooks }: Pick<ActivityDependencies, 'orm' | 'webhooks'>) {
  async function deliver(endpoint: WebhookEndpoint, delivery: WebhookDelivery, now: Date): Promise<WebhookDelivery> {
    const response = await sendWebhook({
      url: endpoint.url,
      secret: endpoint.secret,
      eventId: delivery.event.id,
      deliveryId: delivery.id,
      body: webhookBody(delivery.event),
      timeoutMs: webhooks.timeoutMs,
    });
    const after = await recordAttempt(orm.em.fork(), delivery.id, { ...response, now });
    if (after.status === 'FAILED') {
      log.warn('webhook delivery failed its last attempt: waiting for an operator to replay it', {
        alert: 'WEBHOOK_DELIVERY_FAILED',
        deliveryId: delivery.id,
        endpoint: endpoint.name,
        orderNo: delivery.orderNo,
        error: response.error,
      });
    }
    return after;
  }

  async function drain(endpoint: WebhookEndpoint, now: Date, deadline: number, result: WebhookDispatchResult) {
    // Bounded by the budget: each pass sends only deliveries due at `now`, and a failed one is next due after it.
    while (Date.now() < deadline) {
      const heads = await dueDeliveries(orm.em.fork(), endpoint.name, now, ORDERS_AT_ONCE);
      if (heads.length === 0) return;
      for (const after of await Promise.all(heads.map((head) => deliver(endpoint, head, now)))) {
        if (after.status === 'DELIVERED') result.delivered += 1;
        else if (after.status === 'FAILED') result.failed += 1;
        else result.retrying += 1;
      }
    }
  }

  return {
    /**
     * One dispatch at `now` (the workflow's clock, which the backoff is counted on): makes the
     * deliveries of new outbox events, then sends each endpoint's due deliveries, an order's next
     * event only once its earlier ones are delivered.
     */
    async dispatchWebhooks(input: { now: string }): Promise<WebhookDispatchResult> {
      const now = new Date(input.now);
      const deadline = Date.now() + DISPATCH_BUDGET_MS;
      const result: WebhookDispatchResult = { fannedOut: 0, delivered: 0, retrying: 0, failed: 0 };
      const names = webhooks.endpoints.map((e) => e.name);
      while (Date.now() < deadline) {
        const taken = await fanOutEvents(orm.em.fork(), names, now, FAN_OUT_BATCH);
        result.fannedOut += taken;
        if (taken < FAN_OUT_BATCH) break;
      }
      await Promise.all(webhooks.endpoints.map((endpoint) => drain(endpoint, now, deadline, result)));
      return result;
    },
  };
}

/** The activity interface the webhook dispatcher proxies (imported there as a type only). */
export type WebhookActivities = ReturnType<typeof createWebhookActivities>;
