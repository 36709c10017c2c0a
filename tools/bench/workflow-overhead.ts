/**
 * Workflow overhead: the real purchase lifecycle of a product, driven end to end (buy over HTTP,
 * pay at the cashier, for a product paid out on withdrawal sleep to maturity and withdraw, await
 * the result), against a bare workflow with the same number of activities and timers and no-op
 * activities, on the same time-skipping server and worker setup. Each purchase and its baseline get
 * a fresh server (see measurePair); starting it is not timed. The pairs of the table use the 30-day
 * product; the accrual-history rung runs one pair of the 365-day product (accrual-history.ts).
 */
import { performance } from 'node:perf_hooks';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { findOrderByNo } from '../../src/db/repositories/orders';
import { createLogger } from '../../src/logging/logger';
import { purchaseStateQuery, purchaseWorkflowId, type PurchaseState } from '../../workflows/purchase/contract';
import { startTestEngine, type TestEngine } from '../testing/engine';
import { buy, memberAction, payAtCashier, purchaseBody } from '../testing/purchases';
import { createTimeSkippingTestEnv } from '../testing/temporal';
import { waitForState } from '../testing/wait';
import { BARE_TASK_QUEUE, startBareWorker } from './fixtures/bare-worker';
import type { BareWorkflowInput } from './fixtures/bare-workflow';
import { countEvents, EventType, historiesOfChain, type HistoryEvent } from './history-shape';
import { round, summarize, type Summary } from './stats';

/** The product of the overhead table: 30 days, paid out automatically. */
export const OVERHEAD_PRODUCT_ID = 'XJP-P-0001';
const AMOUNT_FEN = 1_000_000;
const DAY_MS = 24 * 3600 * 1000;
/** Past maturity (T+1 start, and a payment late in a Shanghai day), for a product that waits for withdrawal. */
const DAYS_PAST_TERM = 5;

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

/** One pair as measured, with the purchase's histories (every run of its workflow id, oldest first). */
export interface PairMeasure {
  readonly productId: string;
  readonly purchase: RunMeasure;
  readonly baseline: RunMeasure;
  readonly purchaseHistories: HistoryEvent[][];
  /** Days from interest start to maturity. */
  readonly termDays: number;
}

/** The work the histories hold, summed over the runs (a long term continues as new). */
function shapeOf(histories: readonly HistoryEvent[][]): RunShape {
  const sum = (count: (events: HistoryEvent[]) => number) => histories.reduce((total, h) => total + count(h), 0);
  return {
    events: sum((h) => h.length),
    activities: sum((h) => countEvents(h, EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED)),
    timers: sum((h) => countEvents(h, EventType.EVENT_TYPE_TIMER_STARTED)),
  };
}

async function runPurchase(
  engine: TestEngine,
  env: TestWorkflowEnvironment,
  productId: string,
  memberId: string,
): Promise<{ measure: RunMeasure; histories: HistoryEvent[][]; termDays: number }> {
  const start = performance.now();
  const created = await buy(engine, purchaseBody(productId, AMOUNT_FEN, memberId));
  if (created.status !== 201) throw new Error(`purchase refused: ${created.status} ${JSON.stringify(created.body)}`);
  const orderNo = String(created.body.orderNo);
  await payAtCashier(String(created.body.paymentUrl));
  // Time must not skip past the payment window before the payment lands: wait on the plain client first.
  const plain = engine.client.workflow.getHandle(purchaseWorkflowId(orderNo));
  const accruing: PurchaseState = await waitForState(
    () => plain.query(purchaseStateQuery),
    (s) => s.status === 'ACCRUING',
  );
  const termDays = Math.round(
    (Date.parse(accruing.maturityDate ?? '') - Date.parse(accruing.interestStartDate ?? '')) / DAY_MS,
  );
  const order = await findOrderByNo(engine.db.orm.em.fork(), orderNo);
  if (order?.payoutMode === 'ON_WITHDRAWAL') {
    // Nothing but the investor moves the order on from maturity: sleep through the term, then withdraw.
    await env.sleep((termDays + DAYS_PAST_TERM) * DAY_MS);
    await waitForState(
      () => plain.query(purchaseStateQuery),
      (s) => s.awaiting === 'WITHDRAWAL',
    );
    const withdrawn = await memberAction(engine, orderNo, 'withdraw', memberId);
    if (withdrawn.status !== 200) throw new Error(`withdrawal answered ${withdrawn.status}`);
  }
  const final = await env.client.workflow.getHandle(purchaseWorkflowId(orderNo)).result();
  const wallMs = performance.now() - start;
  if (final.status !== 'COMPLETED') throw new Error(`purchase ${orderNo} ended ${final.status}`);
  const histories = await historiesOfChain(engine.client, purchaseWorkflowId(orderNo));
  return { measure: { wallMs, ...shapeOf(histories) }, histories, termDays };
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
  return { wallMs, ...shapeOf([(await handle.fetchHistory()).events ?? []]) };
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
      const bare = await startBareWorker(env.nativeConnection, env.namespace ?? 'default');
      try {
        return await body(env, engine);
      } finally {
        await bare.stop();
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
export async function measurePair(productId: string, memberId: string): Promise<PairMeasure> {
  return withFreshServer(async (env, engine) => {
    const { measure: purchase, histories, termDays } = await runPurchase(engine, env, productId, memberId);
    const baseline = await runBaseline(
      env,
      { activities: purchase.activities, timers: purchase.timers },
      `bench-bare-${memberId}`,
    );
    return { productId, purchase, baseline, purchaseHistories: histories, termDays };
  });
}

function describe(label: string, m: RunMeasure): string {
  return `${label} ${round(m.wallMs, 1)} ms (${m.events} events, ${m.activities} activities, ${m.timers} timers)`;
}

/** One warm-up pair (unless told not to), then `runs` measured pairs, sequentially; also the last pair itself. */
export async function runWorkflowBench(
  runs: number,
  progress: (line: string) => void,
  warmUp = true,
): Promise<{ result: WorkflowBenchResult; lastPair: PairMeasure }> {
  if (warmUp) {
    const warm = await measurePair(OVERHEAD_PRODUCT_ID, 'M19000');
    progress(`warm-up: ${describe('purchase', warm.purchase)}, ${describe('baseline', warm.baseline)}`);
  }
  const pairs: PairMeasure[] = [];
  for (let i = 1; i <= runs; i++) {
    const pair = await measurePair(OVERHEAD_PRODUCT_ID, `M1900${i}`);
    pairs.push(pair);
    progress(`run ${i}/${runs}: ${describe('purchase', pair.purchase)}, ${describe('baseline', pair.baseline)}`);
  }
  const lastPair = pairs.at(-1);
  if (lastPair === undefined) throw new RangeError('no pair measured');
  const purchase = summarizeSide(pairs.map((p) => p.purchase));
  const baseline = summarizeSide(pairs.map((p) => p.baseline));
  const result = {
    productId: OVERHEAD_PRODUCT_ID,
    runs,
    warmUpRuns: warmUp ? 1 : 0,
    purchase,
    baseline,
    ratio: round(purchase.wallMs.median / baseline.wallMs.median, 3),
    pairRatio: summarize(pairs.map((p) => round(p.purchase.wallMs / p.baseline.wallMs, 3))),
    pairs: pairs.map((p) => ({ purchase: roundMeasure(p.purchase), baseline: roundMeasure(p.baseline) })),
  };
  return { result, lastPair };
}

function roundMeasure(m: RunMeasure): RunMeasure {
  return { ...m, wallMs: round(m.wallMs, 1) };
}
