import { ScheduleOverlapPolicy, type Client, type ScheduleOptions } from '@temporalio/client';
import { ensureSchedule } from './ensure-schedule';
import type { missingRunSweepWorkflow } from '../../workflows/missing-runs/workflow';
import { MISSING_RUN_SWEEP_SCHEDULE_ID, MISSING_RUN_SWEEP_WORKFLOW_TYPE } from '../../workflows/missing-runs/contract';

/** Where the sweep runs. */
export interface MissingRunSweepScheduleOptions {
  taskQueue: string;
  scheduleId?: string;
}

function scheduleOptions(options: MissingRunSweepScheduleOptions): ScheduleOptions {
  const scheduleId = options.scheduleId ?? MISSING_RUN_SWEEP_SCHEDULE_ID;
  return {
    scheduleId,
    spec: { intervals: [{ every: '1 minute' }] },
    action: {
      type: 'startWorkflow',
      workflowType: MISSING_RUN_SWEEP_WORKFLOW_TYPE,
      args: [{}] satisfies Parameters<typeof missingRunSweepWorkflow>,
      taskQueue: options.taskQueue,
      workflowId: `${scheduleId}-run`,
    },
    // A sweep still running when the next is due finishes first; minutes missed while down are not replayed.
    policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '1 minute' },
  };
}

/** Creates the every-minute missing-run sweep, or brings an existing one to these options: safe on every start. */
export function ensureMissingRunSweepSchedule(
  client: Client,
  options: MissingRunSweepScheduleOptions,
): Promise<string> {
  return ensureSchedule(client, scheduleOptions(options));
}
