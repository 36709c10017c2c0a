import { proxyActivities } from '@temporalio/workflow';
import type { WebhookActivities, WebhookDispatchResult } from '../../activities/webhooks';

/** Above the activity's own 60 s budget plus one delivery's longest timeout (60 s), so an attempt ends before its retry starts. */
const { dispatchWebhooks } = proxyActivities<WebhookActivities>({
  startToCloseTimeout: '3 minutes',
  retry: { initialInterval: '5 seconds', backoffCoefficient: 2, maximumInterval: '30 seconds', maximumAttempts: 3 },
});

/** One dispatch: new outbox events become deliveries, and every due delivery is sent. */
export async function webhookDispatchWorkflow(): Promise<WebhookDispatchResult> {
  // The workflow's clock: replay-stable, and the one the time-skipping server moves in tests.
  return dispatchWebhooks({ now: new Date().toISOString() });
}
