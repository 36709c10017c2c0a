/**
 * Workflow overhead: the real purchase lifecycle of a 30-day product, driven end to end (buy over
 * HTTP, pay at the cashier, await the result), against a bare workflow with the same number of
 * activities and timers and no-op activities, on the same time-skipping server and worker setup.
 * Each purchase and its baseline get a fresh server (see measurePair); starting it is not timed.
 */
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { WorkflowHandle } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { bundleWorkflowCode, Worker } from '@temporalio/worker';
import { createLogger } from '../../src/logging/logger';
import { quietBundlerLogger } from '../../src/temporal/workflow-bundle';
import { purchaseStateQuery, purchaseWorkflowId } from '../../workflows/purchase/contract';
import { startTestEngine, type TestEngine } from '../testing/engine';
import { buy, payAtCashier, purchaseBody } from '../testing/purchases';
import { createTimeSkippingTestEnv } from '../testing/temporal';
import { waitForState } from '../testing/wait';
import type { BareWorkflowInput } from './fixtures/bare-workflow';
import { createNoopActivities } from './fixtures/noop-activities';
import { round, summarize, type Summary } from './stats';

const PRODUCT_ID = 'XJP-P-0001';
const AMOUNT_FEN = 1_000_000;
const BARE_TASK_QUEUE = 'bench-bare';
const EventType = temporal.api.enums.v1.EventType;

/** What one run's history holds. */
export interface RunShape {
  readonly events: number;
  readonly activities: number;
  readonly timers: number;
}

export interface RunMeasure extends RunShape {
  readonly wallMs: number;
}

export interface WorkflowSideResult {
  readonly wallMs: Summary;
  readonly eventsPerRun: Summary;
  readonly activitiesPerRun: Summary;
  readonly timersPerRun: Summary;
}

export interface WorkflowBenchResult {
  readonly productId: string;
  readonly runs: number;
  readonly warmUpRuns: number;
  readonly purchase: WorkflowSideResult;
  readonly baseline: WorkflowSideResult;
  /** Median purchase wall time ÷ median baseline wall time. */
  readonly ratio: number;
  /** Purchase ÷ baseline within each pair: the two ran back to back, so load shared by both cancels out. */
  readonly pairRatio: Summary;
  /** Each measured purchase with the baseline that copied its shape. */
  readonly pairs: ReadonlyArray<{ readonly purchase: RunMeasure; readonly baseline: RunMeasure }>;
}

async function shapeOf(handle: WorkflowHandle): Promise<RunShape> {
  const events = (await handle.fetchHistory()).events ?? [];
  // A continued-as-new run would split the work over several histories; a 30-day term never should.
  if (events.some((e) => e.eventType === EventType.EVENT_TYPE_WORKFLOW_EXECUTION_CONTINUED_AS_NEW)) {
    throw new Error(`${handle.workflowId} continued as new: its counts would cover only the first run`);
  }
  const count = (type: number) => events.filter((e) => e.eventType === type).length;
  return {
    events: events.length,
    activities: count(EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED),
    timers: count(EventType.EVENT_TYPE_TIMER_STARTED),
  };
}

async function runPurchase(engine: TestEngine, env: TestWorkflowEnvironment, memberId: string): Promise<RunMeasure> {
  const start = performance.now();
  const created = await buy(engine, purchaseBody(PRODUCT_ID, AMOUNT_FEN, memberId));
  if (created.status !== 201) throw new Error(`purchase refused: ${created.status} ${JSON.stringify(created.body)}`);
  const orderNo = String(created.body.orderNo);
  await payAtCashier(String(created.body.paymentUrl));
  // Time must not skip past the payment window before the payment lands: wait on the plain client first.
  const plain = engine.client.workflow.getHandle(purchaseWorkflowId(orderNo));
  await waitForState(
    () => plain.query(purchaseStateQuery),
    (s) => s.status === 'ACCRUING',
  );
  const final = await env.client.workflow.getHandle(purchaseWorkflowId(orderNo)).result();
  const wallMs = performance.now() - start;
  if (final.status !== 'COMPLETED') throw new Error(`purchase ${orderNo} ended ${final.status}`);
  return { wallMs, ...(await shapeOf(plain)) };
}

async function runBaseline(
  env: TestWorkflowEnvironment,
  input: BareWorkflowInput,
  workflowId: string,
): Promise<RunMeasure> {
  const start = performance.now();
  const handle = await env.client.workflow.start('bareWorkflow', {
    taskQueue: BARE_TASK_QUEUE,
    workflowId,
    args: [input],
  });
  await handle.result();
  const wallMs = performance.now() - start;
  return { wallMs, ...(await shapeOf(handle)) };
}

function summarizeSide(measures: readonly RunMeasure[]): WorkflowSideResult {
  return {
    wallMs: summarize(measures.map((m) => round(m.wallMs, 1))),
    eventsPerRun: summarize(measures.map((m) => m.events)),
    activitiesPerRun: summarize(measures.map((m) => m.activities)),
    timersPerRun: summarize(measures.map((m) => m.timers)),
  };
}

/** A time-skipping server with the whole engine and the baseline's worker beside the purchase worker. */
async function withFreshServer<T>(body: (env: TestWorkflowEnvironment, engine: TestEngine) => Promise<T>): Promise<T> {
  const env = await createTimeSkippingTestEnv();
  try {
    const engine = await startTestEngine(env, {
      logger: createLogger('bench-api', { level: process.env.LOG_LEVEL ?? 'warn' }),
    });
    try {
      const bareWorker = await Worker.create({
        connection: env.nativeConnection,
        namespace: env.namespace ?? 'default',
        taskQueue: BARE_TASK_QUEUE,
        workflowBundle: await bareWorkflowBundle(),
        activities: createNoopActivities(),
      });
      const bareRunning = bareWorker.run();
      try {
        return await body(env, engine);
      } finally {
        bareWorker.shutdown();
        await bareRunning;
      }
    } finally {
      await engine.stop();
    }
  } finally {
    await env.teardown();
  }
}

/**
 * One purchase and then its baseline, on a server of their own. The test server's clock only moves
 * forward, and the partners stamp payments with the real clock: a second purchase on a server that
 * has already skipped a month would find every accrual day past and run without its daily timers.
 * The baseline copies its own purchase's shape (ActivityTaskScheduled and TimerStarted events), as
 * the payout stage's count of status queries varies with how the simulator's real-time steps fall.
 */
async function measurePair(memberId: string): Promise<{ purchase: RunMeasure; baseline: RunMeasure }> {
  return withFreshServer(async (env, engine) => {
    const purchase = await runPurchase(engine, env, memberId);
    const baseline = await runBaseline(
      env,
      { activities: purchase.activities, timers: purchase.timers },
      `bench-bare-${memberId}`,
    );
    return { purchase, baseline };
  });
}

function describe(label: string, m: RunMeasure): string {
  return `${label} ${round(m.wallMs, 1)} ms (${m.events} events, ${m.activities} activities, ${m.timers} timers)`;
}

/** One warm-up pair, then `runs` measured pairs, sequentially. */
export async function runWorkflowBench(runs: number, progress: (line: string) => void): Promise<WorkflowBenchResult> {
  const warm = await measurePair('M19000');
  progress(`warm-up: ${describe('purchase', warm.purchase)}, ${describe('baseline', warm.baseline)}`);
  const pairs: Array<{ purchase: RunMeasure; baseline: RunMeasure }> = [];
  for (let i = 1; i <= runs; i++) {
    const pair = await measurePair(`M1900${i}`);
    pairs.push(pair);
    progress(`run ${i}/${runs}: ${describe('purchase', pair.purchase)}, ${describe('baseline', pair.baseline)}`);
  }
  const purchase = summarizeSide(pairs.map((p) => p.purchase));
  const baseline = summarizeSide(pairs.map((p) => p.baseline));
  return {
    productId: PRODUCT_ID,
    runs,
    warmUpRuns: 1,
    purchase,
    baseline,
    ratio: round(purchase.wallMs.median / baseline.wallMs.median, 3),
    pairRatio: summarize(pairs.map((p) => round(p.purchase.wallMs / p.baseline.wallMs, 3))),
    pairs: pairs.map((p) => ({ purchase: roundMeasure(p.purchase), baseline: roundMeasure(p.baseline) })),
  };
}

function roundMeasure(m: RunMeasure): RunMeasure {
  return { ...m, wallMs: round(m.wallMs, 1) };
}

let bareBundle: ReturnType<typeof bundleWorkflowCode> | undefined;

/** Bundled once per process, as the purchase worker's bundle is (src/temporal/workflow-bundle.ts). */
function bareWorkflowBundle(): ReturnType<typeof bundleWorkflowCode> {
  bareBundle ??= bundleWorkflowCode({
    workflowsPath: path.resolve(__dirname, 'fixtures/bare-workflow.ts'),
    logger: quietBundlerLogger,
  });
  return bareBundle;
}
