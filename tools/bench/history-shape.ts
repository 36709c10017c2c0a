/** Reading what a workflow run cost the server: its history events, counted and timed. */
import type { Client } from '@temporalio/client';
import { tsToMs } from '@temporalio/common/lib/time';
import { temporal } from '@temporalio/proto';
import { summarize } from './stats';

export const EventType = temporal.api.enums.v1.EventType;
export type HistoryEvent = temporal.api.history.v1.IHistoryEvent;

/** When the server wrote the event, in ms since the epoch (the server runs on this machine's clock). */
export function eventTimeMs(event: HistoryEvent): number {
  return tsToMs(event.eventTime);
}

/** How many events of `type` the history holds. */
export function countEvents(events: readonly HistoryEvent[], type: number): number {
  return events.filter((e) => e.eventType === type).length;
}

/** The ActivityTaskScheduled events of one activity type, by their index in the history. */
export function scheduledIndexes(events: readonly HistoryEvent[], activityType: string): number[] {
  const indexes: number[] = [];
  events.forEach((e, i) => {
    if (
      e.eventType === EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED &&
      e.activityTaskScheduledEventAttributes?.activityType?.name === activityType
    )
      indexes.push(i);
  });
  return indexes;
}

/**
 * Events between one scheduling of `activityType` and the next within a run (its median): what one
 * more repetition of a loop around that activity adds to history, e.g. one accrual day.
 */
export function medianStride(events: readonly HistoryEvent[], activityType: string): number | undefined {
  const indexes = scheduledIndexes(events, activityType);
  const strides = indexes.slice(1).map((index, i) => index - indexes[i]!);
  return strides.length === 0 ? undefined : summarize(strides).median;
}

/** Every run of a workflow id, oldest first, following continue-as-new back from the latest run. */
export async function historiesOfChain(client: Client, workflowId: string): Promise<HistoryEvent[][]> {
  const runs: HistoryEvent[][] = [];
  let runId: string | undefined = (await client.workflow.getHandle(workflowId).describe()).runId;
  while (runId !== undefined && runId !== '') {
    const events: HistoryEvent[] = (await client.workflow.getHandle(workflowId, runId).fetchHistory()).events ?? [];
    runs.unshift(events);
    runId = events[0]?.workflowExecutionStartedEventAttributes?.continuedExecutionRunId ?? undefined;
  }
  return runs;
}
