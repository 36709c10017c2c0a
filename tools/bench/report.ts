/** The ladder's results as Markdown tables: printed by `npm run bench`, pasted into README's Performance. */
import { CPU_PARTS, type CpuMs } from './cpu-probe';
import type { LadderResult } from './ladder';
import type { AccrualScaleResult } from './accrual-scale';
import { round, type Summary } from './stats';

function table(header: readonly string[], rows: ReadonlyArray<ReadonlyArray<string | number>>): string[] {
  const cells = [header, ...rows.map((r) => r.map(String))];
  const widths = header.map((_, i) => Math.max(...cells.map((r) => (r[i] ?? '').length)));
  const line = (r: readonly string[]) => `| ${r.map((c, i) => c.padEnd(widths[i] ?? 0)).join(' | ')} |`;
  return [line(cells[0]!), `| ${widths.map((w) => '-'.repeat(w)).join(' | ')} |`, ...cells.slice(1).map(line)];
}

const fmt = (n: number) => n.toLocaleString('en', { maximumFractionDigits: 2 });
const cpu = (c: CpuMs) =>
  CPU_PARTS.filter((p) => c[p] !== 0)
    .map((p) => `${p} ${fmt(c[p])}`)
    .join(', ');
const summary = (s: Summary, decimals: number) =>
  `${fmt(round(s.median, decimals))} (${fmt(round(s.min, decimals))}–${fmt(round(s.max, decimals))})`;

export function reportLines(r: LadderResult): string[] {
  const { http, purchaseBreakdown: b, endToEnd: e2e, accrualScale: scale, accrualHistory: hist } = r;
  const workflow = r.workflowOverhead;
  const cs = http.concurrencies;
  return [
    `Benchmark ladder${r.quick ? ' (quick)' : ''}: ${r.at}, Node ${r.node}, ${r.cpus} cores, load average ${r.loadAverageAtStart} at start, ${fmt(round(r.totalMs / 1000, 1))} s`,
    '',
    `HTTP ladder, one CLI dev server (POST body of ${http.productId} at ${http.amountFen / 100} yuan; closed loop; latency ms)`,
    '',
    ...table(
      ['rung', ...cs.flatMap((c) => [`c=${c} p50`, `c=${c} p99`, `c=${c} req/s`])],
      http.rungs.map((rung) => [
        rung.rung,
        ...rung.runs.flatMap((run) => [fmt(run.p50Ms), fmt(run.p99Ms), fmt(run.reqPerSec)]),
      ]),
    ),
    '',
    ...table(
      ['concurrency', 'POST p99', 'update-with-start p99', 'ratio'],
      http.ratios.map((x) => [x.concurrency, fmt(x.purchaseP99Ms), fmt(x.updateWithStartP99Ms), `${x.ratio}×`]),
    ),
    '',
    'CPU ms per request by process (c=8): temporal = dev server, postgres, bench = this process (API, simulators, workers, load thread)',
    '',
    ...table(
      ['rung', 'CPU ms per request', 'failed'],
      http.rungs.map((rung) => {
        const run = rung.runs[cs.indexOf(8)] ?? rung.runs[0]!;
        return [rung.rung, cpu(run.cpuMsPerRequest), rung.runs.reduce((s, x) => s + x.failed, 0)];
      }),
    ),
    '',
    `POST /v1/purchases taken apart (c=1, median of ${b.probes}; ms)`,
    '',
    ...table(
      ['step', 'ms'],
      [
        ['total, request to response', fmt(b.totalMs)],
        ['API before the run starts (auth, XJP product, order row, start call)', fmt(b.apiBeforeStartMs)],
        ['  of which the XJP product fetch alone', fmt(b.xjpProductFetchMs)],
        ['  of which the order insert alone', fmt(b.orderInsertMs)],
        [
          `run start → Update answered (${b.activitiesBeforeAnswer} activities, ${b.workflowTasksBeforeAnswer} workflow tasks)`,
          fmt(b.runUntilAnswerMs),
        ],
        ['  activities running', fmt(b.activityWorkMs)],
        ['  activities waiting for the worker', fmt(b.activityDispatchMs)],
        ['  workflow tasks waiting for the worker', fmt(b.workflowTaskDispatchMs)],
        ['  workflow tasks running', fmt(b.workflowTaskRunMs)],
        ['Update answered → response received', fmt(b.afterAnswerMs)],
      ],
    ),
    '',
    `End to end: ${e2e.purchases} purchases bought and paid until ACCRUING vs a bare workflow of ${e2e.activitiesPerPurchase} no-op activities, concurrency ${e2e.concurrency}`,
    '',
    ...table(
      ['side', 'per second', 'wall s', 'CPU ms each', 'machine busy'],
      [
        [
          'purchase',
          fmt(e2e.purchasesPerSec),
          fmt(e2e.purchaseWallMs / 1000),
          cpu(e2e.cpuMsPerPurchase),
          `${round(e2e.machineBusyPurchase * 100, 0)}%`,
        ],
        [
          'bare workflow',
          fmt(e2e.bareWorkflowsPerSec),
          fmt(e2e.bareWallMs / 1000),
          cpu(e2e.cpuMsPerBareWorkflow),
          `${round(e2e.machineBusyBare * 100, 0)}%`,
        ],
        ['ratio', `${e2e.ratio}×`, '', '', ''],
      ],
    ),
    '',
    ...accrualScaleLines(scale),
    '',
    `Accrual history: one ${hist.productId} order (${hist.termDays} days) on the time-skipping server, bought to COMPLETED in ${fmt(hist.purchaseWallMs / 1000)} s (bare workflow of the same shape: ${fmt(hist.baselineWallMs / 1000)} s)`,
    '',
    ...table(
      ['run', 'events', 'ledger settlements', 'continued as new'],
      hist.runs.map((run, i) => [i + 1, run.events, run.settlements, run.continuedAsNew ? 'yes' : 'no']),
    ),
    '',
    `${hist.totalEvents} events in all; the accrual stage ${hist.accrualStageEvents} events, ${hist.eventsPerOrderDay} per accrual day; ${hist.eventsPerTermDay} per day of term`,
    '',
    `Workflow overhead (${workflow.productId}, ${workflow.runs} pair(s), time-skipping server; median (min–max))`,
    '',
    ...table(
      ['', 'purchase', 'baseline'],
      [
        ['wall ms', summary(workflow.purchase.wallMs, 1), summary(workflow.baseline.wallMs, 1)],
        ['events per run', summary(workflow.purchase.eventsPerRun, 0), summary(workflow.baseline.eventsPerRun, 0)],
        [
          'activities per run',
          summary(workflow.purchase.activitiesPerRun, 0),
          summary(workflow.baseline.activitiesPerRun, 0),
        ],
        ['timers per run', summary(workflow.purchase.timersPerRun, 0), summary(workflow.baseline.timersPerRun, 0)],
        ['ratio purchase/baseline', `${workflow.ratio}× (per pair ${summary(workflow.pairRatio, 3)})`, ''],
      ],
    ),
    '',
    `Interest computation (${r.interest.termDays}-day schedule, ${r.interest.rounds} rounds of ${r.interest.roundMs} ms; ops/s)`,
    '',
    ...table(
      ['', 'ops/s median (min–max)'],
      [
        ['buildAccrualSchedule', summary(r.interest.opsPerSec.buildAccrualSchedule, 0)],
        ['naive decimal.js', summary(r.interest.opsPerSec.naiveDecimal, 0)],
        ['ratio', `${r.interest.ratio}×`],
      ],
    ),
    '',
    'Targets (issue 12)',
    '',
    ...table(
      ['target', 'measured', 'verdict'],
      r.targets.map((t) => [t.target, t.measured, t.verdict]),
    ),
  ];
}

/** The accrual-at-scale rung: the ramp's steps, the slopes and the night for every order (also `npm run bench:accrual`). */
export function accrualScaleLines(scale: AccrualScaleResult): string[] {
  return [
    `Accrual scale: one worker process (pid ${scale.workerPid}), steps of ${scale.step}, stopped by ${scale.stoppedBy === 'budget' ? `the ${scale.budgetMs / 1000} s budget` : 'reaching the order cap'}`,
    '',
    ...table(
      ['orders accruing', 'worker RSS MiB', 'sticky cache', 'step s', 'batch order-days/s', 'machine busy'],
      [
        [0, fmt(scale.baselineRssMiB), 0, '', '', ''],
        ...scale.steps.map((s) => [
          fmt(s.orders),
          fmt(s.rssMiB),
          s.stickyCache === undefined ? '?' : fmt(s.stickyCache),
          fmt(s.stepMs / 1000),
          fmt(s.orderDaysPerSec),
          `${round(s.machineBusy * 100, 0)}%`,
        ]),
      ],
    ),
    '',
    `RSS slope ${scale.slopeKiBPerOrder} KiB per order over every step` +
      (scale.cachedSlopeKiBPerOrder === undefined
        ? ''
        : `, ${scale.cachedSlopeKiBPerOrder} KiB per order while every run was cached`) +
      (scale.pastBoundSlopeKiBPerOrder === undefined
        ? ''
        : `, ${scale.pastBoundSlopeKiBPerOrder} KiB per order past the sticky cache's bound of ${scale.stickyCacheBound}`) +
      `; projected from ${scale.projectedFrom}: ${fmt(scale.projectedRssMiBAt10k)} MiB at 10,000 orders. ` +
      `One night for all ${fmt(scale.night.orders)} accruing orders: ${fmt(scale.night.posted)} order-days in ${fmt(scale.night.ms / 1000)} s ` +
      `(${scale.night.chunks} chunk(s)), ${scale.orderDaysPerSec} order-days/s; ${scale.eventsPerAccruingRun} events in an accruing run; ` +
      `CPU ms per order of the ramp: ${cpu(scale.cpuMsPerOrderDay)}`,
  ];
}
