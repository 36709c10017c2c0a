import { ScheduleOverlapPolicy, type Client, type ScheduleOptions } from '@temporalio/client';
import { ensureSchedule } from './ensure-schedule';
import { WEBHOOK_DISPATCH_SCHEDULE_ID, WEBHOOK_DISPATCH_WORKFLOW_TYPE } from '../../workflows/webhooks/contract';

/** Where the dispatcher runs. */
export interface WebhookDispatchScheduleOptions {
  taskQueue: string;
  scheduleId?: string;
}

function scheduleOptions(options: WebhookDispatchScheduleOptions): ScheduleOptions {
  const scheduleId = options.scheduleId ?? WEBHOOK_DISPATCH_SCHEDULE_ID;
  return {
    scheduleId,
    // The platform hears of a change within about this long; retries are due on the same beat.
    spec: { intervals: [{ every: '10 seconds' }] },
    action: {
      type: 'startWorkflow',
      workflowType: WEBHOOK_DISPATCH_WORKFLOW_TYPE,
      args: [],
      taskQueue: options.taskQueue,
      workflowId: `${scheduleId}-run`,
    },
    // One dispatch at a time, which keeps each order's events in order; beats missed while down are not replayed.
    policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '1 minute' },
  };
}

/** Creates the webhook dispatch schedule, or brings an existing one to these options: safe on every start. */
export function ensureWebhookDispatchSchedule(
  client: Client,
  options: WebhookDispatchScheduleOptions,
): Promise<string> {
  return ensureSchedule(client, scheduleOptions(options));
}
