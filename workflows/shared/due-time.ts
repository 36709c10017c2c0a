import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';
import { workflowInfo } from '@temporalio/workflow';

/** Set by Temporal on every run a Schedule starts: the time the run was due (not when it began). */
const SCHEDULED_START_TIME = defineSearchAttributeKey('TemporalScheduledStartTime', SearchAttributeType.DATETIME);

/** When this run was due: the schedule's slot (so a late start still does the right day), else its start. */
export function dueTime(): Date {
  const info = workflowInfo();
  return info.typedSearchAttributes.get(SCHEDULED_START_TIME) ?? info.runStartTime;
}
