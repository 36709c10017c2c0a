/**
 * Where one POST /v1/purchases spends its time, one request at a time: the API before the run
 * starts (auth, the product from XJP, the order row, the update-with-start call), the run until its
 * Update answers (split by the history's timestamps into activity work, activity dispatch and
 * workflow tasks), and the answer's way back. Two of the API's own steps are also timed alone:
 * the XJP product fetch and the order insert.
 */
import { performance } from 'node:perf_hooks';
import { productSnapshot } from '../../src/partners/xjp';
import { purchaseWorkflowId } from '../../workflows/purchase/contract';
import type { BenchStack } from './dev-stack';
import { EventType, eventTimeMs, type HistoryEvent } from './history-shape';
import { insertLadderOrder, LADDER_PRODUCT_ID, ladderMember, preparePurchase } from './purchase-requests';
import { round, summarize } from './stats';

/** Medians over the probes, in ms; counts per request. */
export interface PurchaseBreakdown {
  readonly probes: number;
  readonly totalMs: number;
  /** Request sent → WorkflowExecutionStarted: HTTP, API key, member token (a jti insert), the XJP product fetch, the order insert, the start call. */
  readonly apiBeforeStartMs: number;
  /** WorkflowExecutionStarted → WorkflowExecutionUpdateCompleted. */
  readonly runUntilAnswerMs: number;
  /** …of which activities running (ActivityTaskStarted → Completed, summed). */
  readonly activityWorkMs: number;
  /** …of which activities waiting for a worker (Scheduled → Started, summed). */
  readonly activityDispatchMs: number;
  /** …of which workflow tasks waiting for a worker (Scheduled → Started, summed). */
  readonly workflowTaskDispatchMs: number;
  /** …of which workflow tasks running on the worker (Started → Completed, summed). */
  readonly workflowTaskRunMs: number;
  /** UpdateCompleted → response received: the Update's result back through the server, the API and HTTP. */
  readonly afterAnswerMs: number;
  readonly activitiesBeforeAnswer: number;
  readonly workflowTasksBeforeAnswer: number;
  /** The API's XJP product fetch alone (signed HTTP to the simulator). */
  readonly xjpProductFetchMs: number;
  /** The API's order insert alone (one transaction: order number, order row, first event). */
  readonly orderInsertMs: number;
}

interface Probe {
  totalMs: number;
  apiBeforeStartMs: number;
  runUntilAnswerMs: number;
  activityWorkMs: number;
  activityDispatchMs: number;
  workflowTaskDispatchMs: number;
  workflowTaskRunMs: number;
  afterAnswerMs: number;
  activitiesBeforeAnswer: number;
  workflowTasksBeforeAnswer: number;
}

/** Sums the time from each `from` event to the `to` event that names it (scheduled → started, …), up to `endIndex`. */
function pairedMs(events: readonly HistoryEvent[], from: number, to: number, endIndex: number): number {
  const opened = new Map<number, number>();
  let total = 0;
  events.slice(0, endIndex + 1).forEach((e) => {
    const id = Number(e.eventId);
    if (e.eventType === from) opened.set(id, eventTimeMs(e));
    if (e.eventType !== to) return;
    const scheduledId = Number(
      e.activityTaskStartedEventAttributes?.scheduledEventId ??
        e.activityTaskCompletedEventAttributes?.startedEventId ??
        e.workflowTaskStartedEventAttributes?.scheduledEventId ??
        e.workflowTaskCompletedEventAttributes?.startedEventId ??
        0,
    );
    const start = opened.get(scheduledId);
    if (start !== undefined) total += eventTimeMs(e) - start;
  });
  return total;
}

function probeOf(events: readonly HistoryEvent[], sentAt: number, answeredAt: number): Probe {
  const started = events[0];
  const answerIndex = events.findIndex((e) => e.eventType === EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_COMPLETED);
  const answer = events[answerIndex];
  if (started === undefined || answer === undefined) throw new Error('the purchase run holds no completed Update');
  const before = events.slice(0, answerIndex + 1);
  return {
    totalMs: answeredAt - sentAt,
    apiBeforeStartMs: eventTimeMs(started) - sentAt,
    runUntilAnswerMs: eventTimeMs(answer) - eventTimeMs(started),
    activityWorkMs: pairedMs(
      events,
      EventType.EVENT_TYPE_ACTIVITY_TASK_STARTED,
      EventType.EVENT_TYPE_ACTIVITY_TASK_COMPLETED,
      answerIndex,
    ),
    activityDispatchMs: pairedMs(
      events,
      EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED,
      EventType.EVENT_TYPE_ACTIVITY_TASK_STARTED,
      answerIndex,
    ),
    workflowTaskDispatchMs: pairedMs(
      events,
      EventType.EVENT_TYPE_WORKFLOW_TASK_SCHEDULED,
      EventType.EVENT_TYPE_WORKFLOW_TASK_STARTED,
      answerIndex,
    ),
    workflowTaskRunMs: pairedMs(
      events,
      EventType.EVENT_TYPE_WORKFLOW_TASK_STARTED,
      EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED,
      answerIndex,
    ),
    afterAnswerMs: answeredAt - eventTimeMs(answer),
    activitiesBeforeAnswer: before.filter((e) => e.eventType === EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED).length,
    workflowTasksBeforeAnswer: before.filter((e) => e.eventType === EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED)
      .length,
  };
}

async function timedMedian(times: number, call: () => Promise<unknown>): Promise<number> {
  const samples: number[] = [];
  for (let i = 0; i < times; i++) {
    const start = performance.now();
    await call();
    samples.push(performance.now() - start);
  }
  return round(summarize(samples).median, 1);
}

/** `probes` purchases one after another, each taken apart by its history. */
export async function runPurchaseBreakdown(stack: BenchStack, probes: number): Promise<PurchaseBreakdown> {
  const { engine } = stack;
  const measured: Probe[] = [];
  for (let i = 0; i < probes; i++) {
    const prepared = await preparePurchase(ladderMember(i));
    const sentAt = Date.now();
    const response = await fetch(`${engine.apiUrl}/v1/purchases`, {
      method: 'POST',
      headers: prepared.headers,
      body: prepared.body,
    });
    const answeredAt = Date.now();
    const body = (await response.json()) as { orderNo?: string };
    if (response.status !== 201 || body.orderNo === undefined)
      throw new Error(`probe purchase answered ${response.status}: ${JSON.stringify(body)}`);
    const history = await engine.client.workflow.getHandle(purchaseWorkflowId(body.orderNo)).fetchHistory();
    measured.push(probeOf(history.events ?? [], sentAt, answeredAt));
  }
  const median = (pick: (p: Probe) => number) => round(summarize(measured.map(pick)).median, 1);
  const { xjp } = engine.apiDependencies;
  const xjpProductFetchMs = await timedMedian(probes, () => xjp.getProduct({ productId: LADDER_PRODUCT_ID }));
  const terms = productSnapshot(await xjp.getProduct({ productId: LADDER_PRODUCT_ID })).terms;
  let n = 0;
  const orderInsertMs = await timedMedian(probes, () =>
    insertLadderOrder(engine, terms, ladderMember(0), `bench-insert-${n++}-${Date.now()}`),
  );
  return {
    probes,
    totalMs: median((p) => p.totalMs),
    apiBeforeStartMs: median((p) => p.apiBeforeStartMs),
    runUntilAnswerMs: median((p) => p.runUntilAnswerMs),
    activityWorkMs: median((p) => p.activityWorkMs),
    activityDispatchMs: median((p) => p.activityDispatchMs),
    workflowTaskDispatchMs: median((p) => p.workflowTaskDispatchMs),
    workflowTaskRunMs: median((p) => p.workflowTaskRunMs),
    afterAnswerMs: median((p) => p.afterAnswerMs),
    activitiesBeforeAnswer: median((p) => p.activitiesBeforeAnswer),
    workflowTasksBeforeAnswer: median((p) => p.workflowTasksBeforeAnswer),
    xjpProductFetchMs,
    orderInsertMs,
  };
}
