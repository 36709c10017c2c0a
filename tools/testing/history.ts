/** Reading a run's history in tests: what a request left there, or did not. */
import type { WorkflowHandle } from '@temporalio/client';
import { temporal } from '@temporalio/proto';

const { EventType } = temporal.api.enums.v1;

/** Workflow task bookkeeping: the time-skipping server writes the task that ran a refused Update's validator, where a real server drops it. */
const WORKFLOW_TASK_EVENTS = new Set([
  'EVENT_TYPE_WORKFLOW_TASK_SCHEDULED',
  'EVENT_TYPE_WORKFLOW_TASK_STARTED',
  'EVENT_TYPE_WORKFLOW_TASK_COMPLETED',
]);

/** A run's history as event type names (`EVENT_TYPE_ACTIVITY_TASK_SCHEDULED`, …), oldest first. */
export async function historyEventTypes(handle: Pick<WorkflowHandle, 'fetchHistory'>): Promise<string[]> {
  return ((await handle.fetchHistory()).events ?? []).map((e) => EventType[e.eventType ?? 0] ?? String(e.eventType));
}

/** The events `after` added to `before` other than workflow task bookkeeping: what a refused request must leave empty. */
export function addedBesidesWorkflowTasks(before: readonly string[], after: readonly string[]): string[] {
  if (before.some((type, i) => after[i] !== type)) throw new Error('the later history does not extend the earlier one');
  return after.slice(before.length).filter((type) => !WORKFLOW_TASK_EVENTS.has(type));
}

/** A run's history as one line per event (id, workflow time, type, the activity, timer or signal it names): what a stalled run did. */
export async function historyTimeline(handle: Pick<WorkflowHandle, 'fetchHistory'>): Promise<string[]> {
  return ((await handle.fetchHistory()).events ?? []).map((e) => {
    const seconds = Number(e.eventTime?.seconds ?? 0);
    const at = new Date(seconds * 1000).toISOString();
    const type = (EventType[e.eventType ?? 0] ?? String(e.eventType)).replace('EVENT_TYPE_', '');
    const named =
      e.activityTaskScheduledEventAttributes?.activityType?.name ??
      e.timerStartedEventAttributes?.startToFireTimeout?.seconds?.toString() ??
      e.workflowExecutionSignaledEventAttributes?.signalName ??
      e.activityTaskFailedEventAttributes?.failure?.message ??
      '';
    return `${e.eventId} ${at} ${type} ${named}`;
  });
}
