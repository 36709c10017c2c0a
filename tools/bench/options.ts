/**
 * How big each rung of the ladder runs: the full ladder (`npm run bench`) or its quick version
 * (`BENCH_QUICK=1`, and the CI test), which runs every rung at a size that only proves it works.
 */
import { z } from 'zod';

/** The HTTP ladder's concurrencies: one request at a time, a few, and a burst. */
export const CONCURRENCIES = [1, 8, 32] as const;
export type Concurrency = (typeof CONCURRENCIES)[number];

/** Requests per load run, by rung family and concurrency. */
export type RequestCounts = Readonly<Record<Concurrency, number>>;

export interface BenchOptions {
  readonly quick: boolean;
  readonly http: {
    /** The bare node:http and Express rungs: sub-millisecond, so many requests. */
    readonly bare: RequestCounts;
    /** client.workflow.start and update-with-start. */
    readonly temporal: RequestCounts;
    /** POST /v1/purchases. */
    readonly purchase: RequestCounts;
    /** Requests each rung gets before its first measured run (concurrency 8), not counted. */
    readonly warmUp: number;
  };
  readonly endToEnd: { readonly purchases: number; readonly concurrency: number };
  readonly accrual: {
    /** Runs started per ramp step; RSS is sampled after each step has settled. */
    readonly step: number;
    /** The ramp stops at this many accruing orders (the target)… */
    readonly maxOrders: number;
    /** …or once a step ends past this much time into the ramp, whichever comes first. */
    readonly budgetMs: number;
  };
  /**
   * The order whose whole history is counted, on the time-skipping server: its own pair, or (quick)
   * the last workflow-overhead pair's 30-day purchase, which saves a server, a database and a term.
   */
  readonly history: { readonly productId: string; readonly fromOverheadPair: boolean };
  /** The existing time-skipping overhead pairs. */
  readonly workflowOverhead: { readonly runs: number; readonly warmUp: boolean };
  readonly interest: { readonly rounds: number; readonly roundMs: number };
}

const FULL: BenchOptions = {
  quick: false,
  http: {
    bare: { 1: 2_000, 8: 5_000, 32: 5_000 },
    temporal: { 1: 200, 8: 300, 32: 500 },
    purchase: { 1: 100, 8: 160, 32: 256 },
    warmUp: 40,
  },
  endToEnd: { purchases: 120, concurrency: 16 },
  accrual: { step: 250, maxOrders: 10_000, budgetMs: 150_000 },
  history: { productId: 'XJP-P-0004', fromOverheadPair: false },
  workflowOverhead: { runs: 5, warmUp: true },
  interest: { rounds: 5, roundMs: 400 },
};

const QUICK: BenchOptions = {
  quick: true,
  http: {
    bare: { 1: 50, 8: 80, 32: 96 },
    temporal: { 1: 5, 8: 8, 32: 32 },
    purchase: { 1: 3, 8: 8, 32: 32 },
    warmUp: 8,
  },
  endToEnd: { purchases: 8, concurrency: 4 },
  accrual: { step: 25, maxOrders: 50, budgetMs: 20_000 },
  history: { productId: 'XJP-P-0001', fromOverheadPair: true },
  workflowOverhead: { runs: 1, warmUp: false },
  interest: { rounds: 2, roundMs: 100 },
};

/** The options the environment asks for: BENCH_QUICK=1 for the quick ladder, BENCH_RUNS for the overhead pairs. */
export function benchOptions(env: NodeJS.ProcessEnv = process.env): BenchOptions {
  const quick = z.enum(['', '0', '1']).default('').parse(env.BENCH_QUICK) === '1';
  const base = quick ? QUICK : FULL;
  const runs = z.coerce.number().int().min(1).max(50).optional().parse(env.BENCH_RUNS);
  return runs === undefined ? base : { ...base, workflowOverhead: { ...base.workflowOverhead, runs } };
}
