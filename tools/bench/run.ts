/**
 * `npm run bench`: workflow overhead and interest computation, each reported as a ratio against a
 * baseline measured in the same run (never an absolute threshold). Results go to stdout as a table
 * and to .cache/bench/latest.json. BENCH_RUNS sets the measured purchase/baseline pairs (default 5).
 */
import { mkdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { DefaultLogger, makeTelemetryFilterString, Runtime } from '@temporalio/worker';
import { z } from 'zod';
import { runInterestBench } from './interest';
import { round, type Summary } from './stats';
import { runWorkflowBench } from './workflow-overhead';

const RESULTS_PATH = path.resolve(__dirname, '../../.cache/bench/latest.json');
const runs = z.coerce
  .number()
  .int()
  .min(1)
  .max(50)
  .parse(process.env.BENCH_RUNS ?? 5);

function row(label: string, s: Summary, unit: string, decimals: number): string {
  const cells = [round(s.median, decimals), round(s.min, decimals), round(s.max, decimals)].map((v) =>
    String(v).padStart(10),
  );
  return `${label.padEnd(34)}${cells.join('')}  ${`${round(s.spread * 100, 1)}%`.padStart(8)}  ${unit}`;
}

async function main(): Promise<void> {
  // Worker lifecycle lines would bury the table: warnings and errors only, from the SDK and its core.
  Runtime.install({
    logger: new DefaultLogger('WARN'),
    telemetryOptions: { logging: { filter: makeTelemetryFilterString({ core: 'ERROR' }) } },
  });
  const started = performance.now();
  const log = (line: string) => process.stderr.write(`${line}\n`);

  log('interest computation: buildAccrualSchedule vs naive decimal.js, 365-day term…');
  const interest = runInterestBench();
  log(`workflow overhead: one warm-up pair, then ${runs} purchase/baseline pairs, each pair on a fresh test server…`);
  const workflow = await runWorkflowBench(runs, log);

  const header = `${''.padEnd(34)}${['median', 'min', 'max'].map((h) => h.padStart(10)).join('')}  ${'spread'.padStart(8)}`;
  const lines = [
    '',
    `Workflow overhead (${workflow.productId}, n=${workflow.runs}, time-skipping test server)`,
    header,
    row('purchase wall time', workflow.purchase.wallMs, 'ms', 1),
    row('baseline wall time', workflow.baseline.wallMs, 'ms', 1),
    row('purchase events/run', workflow.purchase.eventsPerRun, 'events', 0),
    row('baseline events/run', workflow.baseline.eventsPerRun, 'events', 0),
    row('purchase activities/run', workflow.purchase.activitiesPerRun, 'scheduled', 0),
    row('purchase timers/run', workflow.purchase.timersPerRun, 'started', 0),
    row('baseline activities/run', workflow.baseline.activitiesPerRun, 'scheduled', 0),
    row('baseline timers/run', workflow.baseline.timersPerRun, 'started', 0),
    `${'ratio purchase/baseline (medians)'.padEnd(34)}${workflow.ratio}`,
    row('ratio purchase/baseline per pair', workflow.pairRatio, '×', 3),
    '',
    `Interest computation (${interest.termDays}-day schedule, ${interest.rounds} rounds of ${interest.roundMs} ms)`,
    header,
    row('buildAccrualSchedule', interest.opsPerSec.buildAccrualSchedule, 'ops/s', 0),
    row('naive decimal.js', interest.opsPerSec.naiveDecimal, 'ops/s', 0),
    `${'ratio buildAccrualSchedule/naive'.padEnd(34)}${interest.ratio}`,
    '',
    'spread = (max − min) / median',
  ];
  process.stdout.write(`${lines.join('\n')}\n`);

  const totalMs = round(performance.now() - started, 0);
  const results = {
    at: new Date().toISOString(),
    node: process.version,
    cpus: os.cpus().length,
    totalMs,
    workflowOverhead: workflow,
    interest,
  };
  await mkdir(path.dirname(RESULTS_PATH), { recursive: true });
  await writeFile(RESULTS_PATH, `${JSON.stringify(results, null, 2)}\n`);
  log(`results: ${path.relative(process.cwd(), RESULTS_PATH)} (total ${round(totalMs / 1000, 1)} s)`);
}

main().catch((err: unknown) => {
  process.stderr.write(`bench failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exitCode = 1;
});
