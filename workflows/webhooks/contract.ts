/**
 * The webhook dispatcher's contract: its ids and its answer. Order events reach the platform
 * through the outbox (src/db/repositories/webhooks.ts); a Schedule starts one dispatch every few
 * seconds, each sending what is due and ending.
 */

/** The workflow type name the worker registers. */
export const WEBHOOK_DISPATCH_WORKFLOW_TYPE = 'webhookDispatchWorkflow';

/** The Temporal Schedule that starts a dispatch. */
export const WEBHOOK_DISPATCH_SCHEDULE_ID = 'webhook-dispatch';

export type { WebhookDispatchResult } from '../../activities/webhooks';
