/**
 * Interest computation: buildAccrualSchedule (bigint, exact) for a 365-day term against a naive
 * schedule computed with decimal.js, the same figures the obvious way. Both must agree day by day
 * before either is timed, so the comparison is between two correct implementations.
 */
import { isDeepStrictEqual } from 'node:util';
import { performance } from 'node:perf_hooks';
import Decimal from 'decimal.js';
import { buildAccrualSchedule, type AccrualInput, type DailyAccrual } from '../../src/domain/interest';
import { parseAnnualRate } from '../../src/domain/rate';
import { round, summarize, type Summary } from './stats';

const RATE = '0.0480';
const INPUT: AccrualInput = {
  principalFen: 1_000_000,
  annualRate: parseAnnualRate(RATE),
  basis: 365,
  interestStartDate: '2026-11-24',
  term: { unit: 'DAY', value: 365 },
};

export interface InterestBenchResult {
  readonly termDays: number;
  readonly rounds: number;
  readonly roundMs: number;
  readonly opsPerSec: { readonly buildAccrualSchedule: Summary; readonly naiveDecimal: Summary };
  /** buildAccrualSchedule ops/sec ÷ naive ops/sec (medians): above 1 means the domain code is faster. */
  readonly ratio: number;
}

/** The baseline: decimal.js arithmetic per day and Date arithmetic for the calendar. */
function naiveSchedule(input: AccrualInput, rate: string, days: number): DailyAccrual[] {
  const perDay = new Decimal(input.principalFen).times(rate).div(input.basis);
  const [year, month, day] = input.interestStartDate.split('-').map(Number) as [number, number, number];
  const accruals: DailyAccrual[] = [];
  let previous = 0;
  for (let dayNumber = 1; dayNumber <= days; dayNumber++) {
    const cumulativeFen = perDay.times(dayNumber).toDecimalPlaces(0, Decimal.ROUND_HALF_UP).toNumber();
    const date = new Date(Date.UTC(year, month - 1, day + dayNumber - 1)).toISOString().slice(0, 10);
    accruals.push({ date, dayNumber, amountFen: cumulativeFen - previous, cumulativeFen });
    previous = cumulativeFen;
  }
  return accruals;
}

/** Calls `fn` for about `ms` milliseconds and answers the calls per second. */
function opsPerSecond(fn: () => number, ms: number): number {
  let calls = 0;
  let sink = 0;
  const start = performance.now();
  let elapsed = 0;
  while (elapsed < ms) {
    for (let i = 0; i < 20; i++) sink += fn();
    calls += 20;
    elapsed = performance.now() - start;
  }
  // The sink keeps the engine from discarding the work; it is never 0 for these inputs.
  if (sink === 0) throw new Error('benchmark produced no interest');
  return (calls * 1000) / elapsed;
}

/** `rounds` alternating rounds of `roundMs` for each side, after one warm-up round each. */
export function runInterestBench(rounds = 5, roundMs = 400): InterestBenchResult {
  const reference = buildAccrualSchedule(INPUT);
  const naive = naiveSchedule(INPUT, RATE, reference.days);
  if (!isDeepStrictEqual(naive, reference.accruals))
    throw new Error('naive decimal.js schedule disagrees with buildAccrualSchedule');

  const exact = () => buildAccrualSchedule(INPUT).maturityInterestFen;
  const baseline = () => naiveSchedule(INPUT, RATE, reference.days).at(-1)?.cumulativeFen ?? 0;
  opsPerSecond(exact, roundMs);
  opsPerSecond(baseline, roundMs);
  // Alternating rounds spread any drift in machine load over both sides.
  const exactOps: number[] = [];
  const baselineOps: number[] = [];
  for (let r = 0; r < rounds; r++) {
    exactOps.push(opsPerSecond(exact, roundMs));
    baselineOps.push(opsPerSecond(baseline, roundMs));
  }
  const buildSummary = summarize(exactOps);
  const naiveSummary = summarize(baselineOps);
  return {
    termDays: reference.days,
    rounds,
    roundMs,
    opsPerSec: { buildAccrualSchedule: buildSummary, naiveDecimal: naiveSummary },
    ratio: round(buildSummary.median / naiveSummary.median, 3),
  };
}
