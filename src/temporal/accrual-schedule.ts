import { ScheduleOverlapPolicy, type Client, type ScheduleOptions } from '@temporalio/client';
import { ensureSchedule } from './ensure-schedule';
import type { accrualPostingWorkflow } from '../../workflows/accrual/workflow';
import { ACCRUAL_POSTING_SCHEDULE_ID, ACCRUAL_POSTING_WORKFLOW_TYPE } from '../../workflows/accrual/contract';

/** Where and when the nightly accrual batch runs. */
export interface AccrualScheduleOptions {
  taskQueue: string;
  scheduleId?: string;
  /** Wall-clock time in Asia/Shanghai; default 00:05, just after the day to post has ended. */
  hour?: number;
  minute?: number;
}

/** Accrual days are China's: the schedule's clock reads Asia/Shanghai, not the server's zone. */
export const ACCRUAL_TIME_ZONE = 'Asia/Shanghai';

/** A server down over the slot still posts that night when back within this window; older nights wait for maturity's catch-up. */
const CATCHUP_WINDOW = '1 day';

function scheduleOptions(options: AccrualScheduleOptions): ScheduleOptions {
  const scheduleId = options.scheduleId ?? ACCRUAL_POSTING_SCHEDULE_ID;
  return {
    scheduleId,
    spec: { calendars: [{ hour: options.hour ?? 0, minute: options.minute ?? 5 }], timezone: ACCRUAL_TIME_ZONE },
    action: {
      type: 'startWorkflow',
      workflowType: ACCRUAL_POSTING_WORKFLOW_TYPE,
      // No date: the workflow posts the day that ended before the run's scheduled time.
      args: [{}] satisfies Parameters<typeof accrualPostingWorkflow>,
      taskQueue: options.taskQueue,
      // Temporal appends the scheduled time to this id, one distinct id per night.
      workflowId: `${scheduleId}-run`,
    },
    // A night still posting when the next is due runs the next after it, rather than skip a day.
    policies: { overlap: ScheduleOverlapPolicy.BUFFER_ONE, catchupWindow: CATCHUP_WINDOW },
  };
}

/**
 * Creates the nightly accrual Schedule, or brings an existing one to these options (spec, action,
 * policies): safe to call on every start. Returns the schedule id.
 */
export function ensureAccrualSchedule(client: Client, options: AccrualScheduleOptions): Promise<string> {
  return ensureSchedule(client, scheduleOptions(options));
}
