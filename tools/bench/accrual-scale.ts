/**
 * Accrual at scale on one worker process: K orders accruing at once, the worker's RSS as K grows
 * (the slope per order), how fast the nightly batch posts one day for all of them, and the
 * server-side events one accruing run holds.
 *
 * Getting K orders to ACCRUING through buy-and-pay would take most of the budget, so each run is
 * started at its accrual stage (order row seeded through the repository, status ACCRUING): it sets
 * its one timer until maturity and sleeps. Interest started yesterday (Asia/Shanghai), so day 1 has
 * ended: after each step the accrual batch posts it for every accruing order (the steps before
 * included, whose rows it finds posted), and once the ramp ends the day is posted again from an
 * empty ledger for all K orders at once: the night the target is about.
 *
 * K is chosen by a time-boxed ramp: steps of `step` runs until `maxOrders` (the 10,000) or
 * until a step ends past `budgetMs` (seeding included), whichever comes first.
 */
import { performance } from 'node:perf_hooks';
import { setTimeout as delay } from 'node:timers/promises';
import { InterestAccrualSchema } from '../../src/db/entities/interest-accrual';
import { PurchaseOrderSchema } from '../../src/db/entities/purchase-order';
import { addDays, shanghaiDate } from '../../src/domain/calendar';
import type { ProductSnapshot } from '../../src/domain/order-terms';
import { buildAccrualSchedule } from '../../src/domain/interest';
import { parseAnnualRate } from '../../src/domain/rate';
import { productSnapshot } from '../../src/partners/xjp';
import { ACCRUAL_POSTING_WORKFLOW_TYPE, type AccrualDayResult } from '../../workflows/accrual/contract';
import type { accrualPostingWorkflow } from '../../workflows/accrual/workflow';
import { type AccruingOrder, type PurchaseInput, purchaseWorkflowId } from '../../workflows/purchase/contract';
import type { purchaseWorkflow } from '../../workflows/purchase/workflow';
import { busyShare, cpuPer, cpuSpent, cpuSum, machineCpu, NO_CPU, type CpuMs, type CpuProbe } from './cpu-probe';
import type { BenchStack } from './dev-stack';
import type { BenchOptions } from './options';
import { insertLadderOrder, LADDER_AMOUNT_FEN, LADDER_PRODUCT_ID, ladderMember } from './purchase-requests';
import { linearFit, round, summarize } from './stats';
import { startWorkerProcess, type WorkerProcess } from './worker-process';

/** The accrual runs' own task queue: only the measured worker process polls it. */
export const ACCRUAL_TASK_QUEUE = 'bench-accrual';
/** The SDK's sticky cache gauge (workflow runs held in memory between tasks). */
const STICKY_CACHE_METRIC = 'temporal_sticky_cache_size';
/** Seeding and starting both go this many at a time: the database pool and the client keep up. */
const PARALLEL = 16;
const TARGET_ORDERS = 10_000;
/** A run started at its accrual stage is asleep once its history holds: started, one workflow task (3), its timer. */
const EVENTS_ONCE_ASLEEP = 5;

export interface AccrualStep {
  /** Orders accruing on the worker after this step. */
  readonly orders: number;
  readonly rssMiB: number;
  /** Runs in the worker's sticky cache, when its metrics say. */
  readonly stickyCache: number | undefined;
  /** From the first start of the step until its runs sleep and the batch has posted their day. */
  readonly stepMs: number;
  /** The batch after the step: every accruing order walked (earlier steps' days found posted) ÷ its time. */
  readonly orderDaysPerSec: number;
  /** Share of the machine's two cores busy during the step (all processes). */
  readonly machineBusy: number;
}

export interface AccrualScaleResult {
  readonly taskQueue: string;
  readonly step: number;
  readonly budgetMs: number;
  /** The largest K reached, and why the ramp stopped there. */
  readonly orders: number;
  readonly stoppedBy: 'maxOrders' | 'budget';
  readonly workerPid: number;
  /** The idle worker (workflows bundled, polling), before any accrual run. */
  readonly baselineRssMiB: number;
  readonly finalRssMiB: number;
  readonly steps: readonly AccrualStep[];
  /** Least-squares slope of RSS over orders, fitted to the steps' samples (and the idle worker's when there is one step). */
  readonly slopeKiBPerOrder: number;
  /** The slope while every run was in the sticky cache (baseline and those steps), when two points allow it. */
  readonly cachedSlopeKiBPerOrder: number | undefined;
  /** The sticky cache's size once it stopped growing with the orders (the worker's TEMPORAL_WORKER_MAX_CACHED_WORKFLOWS). */
  readonly stickyCacheBound: number | undefined;
  /** The slope from the step at that bound on, when two points allow it: what each order costs once runs are evicted. */
  readonly pastBoundSlopeKiBPerOrder: number | undefined;
  /** RSS projected for 10,000 orders: from the steps past the cache bound when there are two, else from every step. */
  readonly projectedRssMiBAt10k: number;
  readonly projectedFrom: 'every step' | 'steps past the cache bound';
  /** One day posted for every accruing order from an empty ledger, in one batch run: order-days ÷ its time. */
  readonly orderDaysPerSec: number;
  /** That batch: orders it covered, rows it wrote, chunks, its time from start to result. */
  readonly night: AccrualDayResult & { readonly ms: number };
  /** The median step's batch rate. */
  readonly medianStepOrderDaysPerSec: number;
  /** Events in one accruing run's history: its start, its first workflow task and its timer. */
  readonly eventsPerAccruingRun: number;
  /** CPU per order of the ramp (starting the run, its first task, its day in the batch), by part. */
  readonly cpuMsPerOrderDay: CpuMs;
}

interface Seeded {
  input: PurchaseInput;
  accruing: AccruingOrder;
}

async function inParallel<T>(items: readonly T[], each: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(PARALLEL, items.length) }, async () => {
      for (let i = next++; i < items.length; i = next++) await each(items[i]!);
    }),
  );
}

/** Order rows for `count` accruing orders (the repository's insert, then ACCRUING with the schedule's dates). */
async function seedOrders(stack: BenchStack, product: ProductSnapshot, from: number, count: number): Promise<Seeded[]> {
  const { engine } = stack;
  const interestStartDate = addDays(shanghaiDate(new Date()), -1);
  const schedule = buildAccrualSchedule({
    principalFen: LADDER_AMOUNT_FEN,
    annualRate: parseAnnualRate(product.terms.annualRate),
    basis: product.terms.dayCountBasis,
    interestStartDate,
    term: product.terms.term,
  });
  const seeded: Seeded[] = [];
  await inParallel(
    Array.from({ length: count }, (_, i) => from + i),
    async (n) => {
      const memberId = ladderMember(n);
      const order = await insertLadderOrder(engine, product.terms, memberId, `bench-accrual-${n}`);
      seeded.push({
        input: {
          orderNo: order.orderNo,
          memberId,
          amountFen: LADDER_AMOUNT_FEN,
          channel: 'PC',
          product,
          paymentWindowMs: 30 * 60_000,
        },
        accruing: {
          xjpOrderNo: `XJPBENCH${String(n).padStart(8, '0')}`,
          accrual: {
            interestStartDate,
            maturityDate: schedule.maturityDate,
            maturityInterestFen: schedule.maturityInterestFen,
          },
        },
      });
    },
  );
  await engine.db.orm.em.fork().nativeUpdate(
    PurchaseOrderSchema,
    { orderNo: { $in: seeded.map((s) => s.input.orderNo) } },
    {
      status: 'ACCRUING',
      interestStartDate,
      maturityDate: schedule.maturityDate,
      expectedInterestFen: schedule.maturityInterestFen,
    },
  );
  return seeded;
}

interface StepMeasure {
  stepMs: number;
  night: AccrualDayResult & { ms: number };
  cpu: CpuMs;
  machineBusy: number;
}

/** The nightly batch for the day every seeded order has ended (yesterday, Shanghai), on the measured worker. */
async function postNight(stack: BenchStack, accrualDate: string): Promise<AccrualDayResult & { ms: number }> {
  const start = performance.now();
  const result = await stack.engine.client.workflow.execute<typeof accrualPostingWorkflow>(
    ACCRUAL_POSTING_WORKFLOW_TYPE,
    { taskQueue: ACCRUAL_TASK_QUEUE, workflowId: `bench-accrual-night-${Date.now()}`, args: [{ accrualDate }] },
  );
  return { ...result, ms: performance.now() - start };
}

/** Starts the step's runs, waits until they sleep on their timers, then posts the ended day for every accruing order. */
async function runStep(stack: BenchStack, cpu: CpuProbe, seeded: readonly Seeded[]): Promise<StepMeasure> {
  const cpuBefore = cpu.snapshot();
  const machineBefore = machineCpu();
  const start = performance.now();
  await inParallel(seeded, async ({ input, accruing }) => {
    await stack.engine.client.workflow.start<typeof purchaseWorkflow>('purchaseWorkflow', {
      taskQueue: ACCRUAL_TASK_QUEUE,
      workflowId: purchaseWorkflowId(input.orderNo),
      args: [input, accruing],
    });
  });
  // Tasks are taken in order: once the step's last runs have set their timers, the step's runs have.
  await inParallel(seeded.slice(-PARALLEL), async ({ input }) => {
    const handle = stack.engine.client.workflow.getHandle(purchaseWorkflowId(input.orderNo));
    const deadline = Date.now() + 10 * 60_000;
    while ((await handle.describe()).historyLength < EVENTS_ONCE_ASLEEP) {
      if (Date.now() > deadline) throw new Error('accrual runs did not set their timers within 10 minutes');
      await delay(100);
    }
  });
  const night = await postNight(stack, seeded[0]!.accruing.accrual.interestStartDate);
  const stepMs = performance.now() - start;
  return {
    stepMs,
    night,
    cpu: cpuSpent(cpuBefore, cpu.snapshot()),
    machineBusy: busyShare(machineBefore, machineCpu()),
  };
}

/** Empties the ledger of the day the ramp posted, so the last batch posts it for every order at once. */
async function forgetNight(stack: BenchStack, accrualDate: string): Promise<void> {
  await stack.engine.db.orm.em.fork().nativeDelete(InterestAccrualSchema, { accrualDate });
}

/** Memory after the step: the runs have set their timers; a few samples let the heap settle. */
async function settledRss(worker: WorkerProcess): Promise<number> {
  await delay(1_000);
  const samples: number[] = [];
  for (let i = 0; i < 3; i++) {
    samples.push(worker.rssMiB());
    await delay(200);
  }
  return summarize(samples).median;
}

/** The worker process the accrual rung measures, polling the accrual task queue. */
export function startAccrualWorker(stack: BenchStack): Promise<WorkerProcess> {
  return startWorkerProcess(stack, ACCRUAL_TASK_QUEUE);
}

/** Runs the ramp on `starting` (from {@link startAccrualWorker}) and stops the worker after it. */
export async function runAccrualScale(
  stack: BenchStack,
  starting: Promise<WorkerProcess>,
  options: BenchOptions['accrual'],
  log: (line: string) => void,
): Promise<AccrualScaleResult> {
  const worker = await starting;
  try {
    const product = productSnapshot(
      await stack.engine.apiDependencies.xjp.getProduct({ productId: LADDER_PRODUCT_ID }),
    );
    await delay(2_000);
    const baselineRssMiB = await settledRss(worker);
    log(`  idle worker (pid ${worker.pid}): ${round(baselineRssMiB, 1)} MiB RSS`);
    const steps: AccrualStep[] = [];
    const rampStart = performance.now();
    let orders = 0;
    let firstOrderNo: string | undefined;
    let accrualDate: string | undefined;
    let stoppedBy: AccrualScaleResult['stoppedBy'] = 'maxOrders';
    const cpu = stack.cpu.withWorker(worker.pid);
    let cpuSpentOnSteps = NO_CPU;
    while (orders < options.maxOrders) {
      if (performance.now() - rampStart > options.budgetMs) {
        stoppedBy = 'budget';
        break;
      }
      const count = Math.min(options.step, options.maxOrders - orders);
      const seeded = await seedOrders(stack, product, orders, count);
      firstOrderNo ??= seeded[0]?.input.orderNo;
      const { stepMs, night, cpu: stepCpu, machineBusy } = await runStep(stack, cpu, seeded);
      cpuSpentOnSteps = cpuSum(cpuSpentOnSteps, stepCpu);
      orders += count;
      accrualDate = seeded[0]!.accruing.accrual.interestStartDate;
      const rssMiB = await settledRss(worker);
      const stickyCache = await worker.metric(STICKY_CACHE_METRIC);
      const orderDaysPerSec = round((night.orders * 1000) / night.ms, 1);
      steps.push({
        orders,
        rssMiB: round(rssMiB, 1),
        stickyCache,
        stepMs: round(stepMs, 0),
        orderDaysPerSec,
        machineBusy: round(machineBusy, 2),
      });
      log(
        `  ${orders} orders accruing: ${round(rssMiB, 1)} MiB RSS, sticky cache ${stickyCache ?? '?'}, ` +
          `step ${round(stepMs / 1000, 1)} s (${orderDaysPerSec} order-days/s, machine ${round(machineBusy * 100, 0)}% busy)`,
      );
    }
    if (firstOrderNo === undefined || accrualDate === undefined) throw new Error('no accrual run was started');
    await forgetNight(stack, accrualDate);
    const night = await postNight(stack, accrualDate);
    log(
      `  one night for every accruing order: ${night.posted} of ${night.orders} order-days posted in ` +
        `${round(night.ms / 1000, 2)} s, ${night.chunks} chunk(s)`,
    );
    const history = await stack.engine.client.workflow.getHandle(purchaseWorkflowId(firstOrderNo)).fetchHistory();
    // Over the steps alone when there are two or more: the idle worker may still hold the bundler's
    // garbage, which a collection during the ramp gives back and which would bend the line.
    const points = steps.map((s) => ({ x: s.orders, y: s.rssMiB }));
    const fit = linearFit(points.length >= 2 ? points : [{ x: 0, y: baselineRssMiB }, ...points]);
    const cached = steps.filter((s) => s.stickyCache !== undefined && s.stickyCache >= s.orders);
    const cachedPoints = [{ x: 0, y: baselineRssMiB }, ...cached.map((s) => ({ x: s.orders, y: s.rssMiB }))];
    const cachedFit = cachedPoints.length >= 2 ? linearFit(cachedPoints) : undefined;
    // Once the cache is full, older runs are evicted as new ones come: memory then grows by another slope.
    const stickyCacheBound = steps.find((s) => s.stickyCache !== undefined && s.stickyCache < s.orders)?.stickyCache;
    const pastBound = steps.filter((s) => stickyCacheBound !== undefined && s.orders >= stickyCacheBound);
    const pastBoundFit =
      pastBound.length >= 2 ? linearFit(pastBound.map((s) => ({ x: s.orders, y: s.rssMiB }))) : undefined;
    const projection = pastBoundFit ?? fit;
    return {
      taskQueue: ACCRUAL_TASK_QUEUE,
      step: options.step,
      budgetMs: options.budgetMs,
      orders,
      stoppedBy,
      workerPid: worker.pid,
      baselineRssMiB: round(baselineRssMiB, 1),
      finalRssMiB: steps.at(-1)?.rssMiB ?? round(baselineRssMiB, 1),
      steps,
      slopeKiBPerOrder: round(fit.slope * 1024, 1),
      cachedSlopeKiBPerOrder: cachedFit === undefined ? undefined : round(cachedFit.slope * 1024, 1),
      stickyCacheBound,
      pastBoundSlopeKiBPerOrder: pastBoundFit === undefined ? undefined : round(pastBoundFit.slope * 1024, 1),
      projectedRssMiBAt10k: round(projection.intercept + projection.slope * TARGET_ORDERS, 0),
      projectedFrom: pastBoundFit === undefined ? 'every step' : 'steps past the cache bound',
      orderDaysPerSec: round((night.posted * 1000) / night.ms, 1),
      night: { ...night, ms: round(night.ms, 0) },
      medianStepOrderDaysPerSec: round(summarize(steps.map((s) => s.orderDaysPerSec)).median, 1),
      eventsPerAccruingRun: (history.events ?? []).length,
      cpuMsPerOrderDay: cpuPer(cpuSpentOnSteps, orders),
    };
  } finally {
    await worker.stop();
  }
}
