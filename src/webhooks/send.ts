import { signWebhook, WEBHOOK_SIGNATURE_HEADER } from './signature';

/** Headers beside the signature: the event and delivery ids, so a receiver can deduplicate without parsing. */
export const WEBHOOK_EVENT_ID_HEADER = 'order-engine-event-id';
export const WEBHOOK_DELIVERY_ID_HEADER = 'order-engine-delivery-id';

/** One signed POST to be made. */
export interface WebhookRequest {
  url: string;
  secret: string;
  eventId: string;
  deliveryId: string;
  body: string;
  timeoutMs: number;
}

/** How it went: `delivered` on a 2xx; otherwise the status or the transport error. */
export interface WebhookResponse {
  delivered: boolean;
  statusCode: number | null;
  error: string | null;
  durationMs: number;
  attemptedAt: Date;
}

function transportError(err: unknown, timeoutMs: number): string {
  if (err instanceof DOMException && err.name === 'TimeoutError') return `no answer within ${timeoutMs} ms`;
  const cause = err instanceof Error ? err.cause : undefined;
  if (typeof cause === 'object' && cause !== null && 'code' in cause)
    return `connection failed (${String(cause.code)})`;
  return err instanceof Error ? err.message : String(err);
}

/** POSTs the body signed with the endpoint's secret at the current time; never throws. */
export async function sendWebhook(request: WebhookRequest): Promise<WebhookResponse> {
  const attemptedAt = new Date();
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  try {
    const response = await fetch(request.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        [WEBHOOK_SIGNATURE_HEADER]: signWebhook(request.secret, Math.floor(attemptedAt.getTime() / 1000), request.body),
        [WEBHOOK_EVENT_ID_HEADER]: request.eventId,
        [WEBHOOK_DELIVERY_ID_HEADER]: request.deliveryId,
      },
      body: request.body,
      redirect: 'manual',
      signal: AbortSignal.timeout(request.timeoutMs),
    });
    // The answer's body is not read beyond what frees the connection: only the status counts.
    await response.body?.cancel();
    const delivered = response.status >= 200 && response.status < 300;
    return {
      delivered,
      statusCode: response.status,
      error: delivered ? null : `answered HTTP ${response.status}`,
      durationMs: elapsed(),
      attemptedAt,
    };
  } catch (err) {
    return {
      delivered: false,
      statusCode: null,
      error: transportError(err, request.timeoutMs),
      durationMs: elapsed(),
      attemptedAt,
    };
  }
}
