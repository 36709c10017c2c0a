/**
 * What a whole order leaves in history, on the time-skipping server where its days pass in moments
 * (each accrual day a real timer, as in production): one purchase through its whole life, every run
 * of its workflow id counted, following continue-as-new. The full ladder runs one pair of the
 * 365-day product for it (workflow-overhead.ts: the purchase and a bare workflow of the same shape);
 * the quick one counts the 30-day purchase of its workflow-overhead pair.
 */
import { HISTORY_EVENTS_LIMIT } from '../../workflows/purchase/accrual';
import { EventType, medianStride, scheduledIndexes } from './history-shape';
import { round } from './stats';
import { measurePair, type PairMeasure } from './workflow-overhead';

/** The accrual activity: one scheduling of it is one order-day. */
const ACCRUAL_ACTIVITY = 'postAccrual';

export interface RunShape {
  readonly events: number;
  readonly accrualDays: number;
  readonly continuedAsNew: boolean;
}

export interface AccrualHistoryResult {
  readonly productId: string;
  readonly termDays: number;
  /** The continue-as-new threshold in workflows/purchase/accrual.ts. */
  readonly historyEventsLimit: number;
  readonly runs: readonly RunShape[];
  readonly totalEvents: number;
  readonly maxEventsPerRun: number;
  /** Events one more accrual day adds to a run (median stride between daily postings). */
  readonly eventsPerOrderDay: number;
  /** All events ÷ accrual days: the order's whole life per day of term. */
  readonly eventsPerTermDay: number;
  /** The whole life (buy to COMPLETED) against the bare workflow of the same activities and timers. */
  readonly purchaseWallMs: number;
  readonly baselineWallMs: number;
}

/** Counts a measured pair's purchase histories. */
export function historyOf(pair: PairMeasure): AccrualHistoryResult {
  const histories = pair.purchaseHistories;
  const runs = histories.map((events) => ({
    events: events.length,
    accrualDays: scheduledIndexes(events, ACCRUAL_ACTIVITY).length,
    continuedAsNew: events.some((e) => e.eventType === EventType.EVENT_TYPE_WORKFLOW_EXECUTION_CONTINUED_AS_NEW),
  }));
  // The run with the most days shows the daily loop best (the first also holds the purchase, the last the payout).
  const longest = histories.reduce((best, events) =>
    scheduledIndexes(events, ACCRUAL_ACTIVITY).length > scheduledIndexes(best, ACCRUAL_ACTIVITY).length ? events : best,
  );
  const stride = medianStride(longest, ACCRUAL_ACTIVITY);
  const totalEvents = runs.reduce((sum, r) => sum + r.events, 0);
  const days = runs.reduce((sum, r) => sum + r.accrualDays, 0);
  if (stride === undefined || days === 0) throw new Error(`the ${pair.productId} order posted too few days to count`);
  return {
    productId: pair.productId,
    termDays: pair.termDays,
    historyEventsLimit: HISTORY_EVENTS_LIMIT,
    runs,
    totalEvents,
    maxEventsPerRun: Math.max(...runs.map((r) => r.events)),
    eventsPerOrderDay: stride,
    eventsPerTermDay: round(totalEvents / days, 2),
    purchaseWallMs: round(pair.purchase.wallMs, 0),
    baselineWallMs: round(pair.baseline.wallMs, 0),
  };
}

/** One order of `productId` through its whole life on a fresh time-skipping server, counted. */
export async function runAccrualHistory(productId: string): Promise<AccrualHistoryResult> {
  return historyOf(await measurePair(productId, 'M19500'));
}
