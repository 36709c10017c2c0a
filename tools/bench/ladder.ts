/**
 * The benchmark ladder of issue 12, every rung with its baseline in the same run: the HTTP ladder,
 * a POST taken apart, end to end and accrual at scale on one CLI dev server; a whole order's
 * history on the time-skipping server; then the earlier rows (workflow overhead on the
 * time-skipping server, interest computation).
 */
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { historyOf, runAccrualHistory, type AccrualHistoryResult } from './accrual-history';
import { runAccrualScale, startAccrualWorker, type AccrualScaleResult } from './accrual-scale';
import { startBenchStack } from './dev-stack';
import { runEndToEnd, type EndToEndResult } from './end-to-end';
import { runHttpLadder, type HttpLadderResult } from './http-ladder';
import { runInterestBench, type InterestBenchResult } from './interest';
import type { BenchOptions } from './options';
import { runPurchaseBreakdown, type PurchaseBreakdown } from './purchase-breakdown';
import { round } from './stats';
import { targetChecks, type TargetCheck } from './targets';
import { runWorkflowBench, type WorkflowBenchResult } from './workflow-overhead';

export interface LadderResult {
  readonly at: string;
  readonly quick: boolean;
  readonly node: string;
  readonly cpus: number;
  /** The machine's 1-minute load average when the ladder started (other work on the machine). */
  readonly loadAverageAtStart: number;
  readonly totalMs: number;
  readonly http: HttpLadderResult;
  readonly purchaseBreakdown: PurchaseBreakdown;
  readonly endToEnd: EndToEndResult;
  readonly accrualScale: AccrualScaleResult;
  readonly accrualHistory: AccrualHistoryResult;
  readonly workflowOverhead: WorkflowBenchResult;
  readonly interest: InterestBenchResult;
  readonly targets: readonly TargetCheck[];
}

/** Requests one at a time that the POST breakdown takes apart. */
const BREAKDOWN_PROBES = { quick: 3, full: 20 };

export async function runLadder(options: BenchOptions, progress: (line: string) => void): Promise<LadderResult> {
  const started = performance.now();
  const log = (line: string) =>
    progress(`${String(round((performance.now() - started) / 1000, 0)).padStart(4)} s ${line}`);
  const loadAverageAtStart = round(os.loadavg()[0] ?? 0, 2);
  log('starting the CLI dev server, PostgreSQL, the simulators, the API and the workers…');
  const stack = await startBenchStack();
  // The accrual worker process bundles its workflows as it starts (tens of seconds of CPU). The full
  // ladder starts it only when its rung comes, so it never competes with another rung's figures;
  // the quick one, whose figures only prove the rungs work, starts it now to finish sooner.
  let accrualWorker = options.quick ? startAccrualWorker(stack) : undefined;
  // A worker started early must still be stopped if an earlier rung fails.
  accrualWorker?.catch(() => undefined);
  let http: HttpLadderResult;
  let purchaseBreakdown: PurchaseBreakdown;
  let endToEnd: EndToEndResult;
  let accrualScale: AccrualScaleResult;
  try {
    log('HTTP ladder: node:http → Express → workflow.start → update-with-start → POST /v1/purchases…');
    http = await runHttpLadder(stack, options, log);
    log('POST /v1/purchases taken apart, one at a time…');
    purchaseBreakdown = await runPurchaseBreakdown(
      stack,
      options.quick ? BREAKDOWN_PROBES.quick : BREAKDOWN_PROBES.full,
    );
    log(`end to end: ${options.endToEnd.purchases} purchases bought and paid until ACCRUING, then the bare workflow…`);
    endToEnd = await runEndToEnd(stack, options.endToEnd.purchases, options.endToEnd.concurrency);
    log(`accrual scale: ramp of ${options.accrual.step} orders a step on one worker process…`);
    accrualWorker ??= startAccrualWorker(stack);
    accrualScale = await runAccrualScale(stack, accrualWorker, options.accrual, log);
  } finally {
    await accrualWorker?.then((w) => w.stop()).catch(() => undefined);
    await stack.stop();
  }
  const { runs, warmUp } = options.workflowOverhead;
  log(
    `workflow overhead: ${warmUp ? 'one warm-up pair, then ' : ''}${runs} purchase/baseline pairs, each on a fresh test server…`,
  );
  const { result: workflowOverhead, lastPair } = await runWorkflowBench(runs, log, warmUp);
  let accrualHistory: AccrualHistoryResult;
  if (options.history.fromOverheadPair) {
    log(`accrual history: the last overhead pair's ${lastPair.productId} order, counted`);
    accrualHistory = historyOf(lastPair);
  } else {
    log(`accrual history: one ${options.history.productId} order through its whole life on the time-skipping server…`);
    accrualHistory = await runAccrualHistory(options.history.productId);
  }
  log('interest computation: buildAccrualSchedule vs naive decimal.js, 365-day term…');
  const interest = runInterestBench(options.interest.rounds, options.interest.roundMs);
  const measured = { http, endToEnd, accrualScale, accrualHistory };
  return {
    at: new Date().toISOString(),
    quick: options.quick,
    node: process.version,
    cpus: os.cpus().length,
    loadAverageAtStart,
    totalMs: round(performance.now() - started, 0),
    ...measured,
    purchaseBreakdown,
    workflowOverhead,
    interest,
    targets: targetChecks(measured),
  };
}
