import { ScheduleOverlapPolicy, type Client, type ScheduleOptions } from '@temporalio/client';
import { ensureSchedule } from './ensure-schedule';
import type { reconciliationWorkflow } from '../../workflows/reconciliation/workflow';
import { RECONCILIATION_SCHEDULE_ID, RECONCILIATION_WORKFLOW_TYPE } from '../../workflows/reconciliation/contract';

/** Where and when the nightly reconciliation runs. */
export interface ReconciliationScheduleOptions {
  taskQueue: string;
  scheduleId?: string;
  /** Wall-clock time in Asia/Shanghai; default 02:00, after both partners close the previous day. */
  hour?: number;
  minute?: number;
}

/** The business day is China's: the schedule's clock reads Asia/Shanghai, not the server's zone. */
export const RECONCILIATION_TIME_ZONE = 'Asia/Shanghai';

/** A server down over the slot still reconciles when it is back, if within this window. */
const CATCHUP_WINDOW = '1 day';

function scheduleOptions(options: ReconciliationScheduleOptions): ScheduleOptions {
  const scheduleId = options.scheduleId ?? RECONCILIATION_SCHEDULE_ID;
  return {
    scheduleId,
    spec: { calendars: [{ hour: options.hour ?? 2, minute: options.minute ?? 0 }], timezone: RECONCILIATION_TIME_ZONE },
    action: {
      type: 'startWorkflow',
      workflowType: RECONCILIATION_WORKFLOW_TYPE,
      // No date: the workflow reconciles the day before the run's scheduled time.
      args: [{}] satisfies Parameters<typeof reconciliationWorkflow>,
      taskQueue: options.taskQueue,
      // Temporal appends the scheduled time to this id, one distinct id per night.
      workflowId: `${scheduleId}-run`,
    },
    // A night still running when the next begins is left to finish; the next is skipped, not stacked.
    policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: CATCHUP_WINDOW },
  };
}

/**
 * Creates the nightly reconciliation Schedule, or brings an existing one to these options (spec,
 * action, policies): safe to call on every start. Returns the schedule id.
 */
export function ensureReconciliationSchedule(client: Client, options: ReconciliationScheduleOptions): Promise<string> {
  return ensureSchedule(client, scheduleOptions(options));
}
