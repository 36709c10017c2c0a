/**
 * What a whole order leaves in history, on the time-skipping server where its days pass in moments:
 * one purchase through its whole life, every run of its workflow id counted (following
 * continue-as-new, should a run ever continue). The nightly accrual batch posts the days in its own
 * histories (one per night for every order at once), so the purchase's accrual stage is one timer
 * and one settlement whatever the term. The full ladder runs one pair of the 365-day product for it
 * (workflow-overhead.ts: the purchase and a bare workflow of the same shape); the quick one counts
 * the 30-day purchase of its workflow-overhead pair.
 */
import { EventType, type HistoryEvent, scheduledIndexes } from './history-shape';
import { round } from './stats';
import { measurePair, type PairMeasure } from './workflow-overhead';

/** The accrual stage's activity: it settles (verifies and catches up) every day of the ledger at maturity. */
const SETTLE_ACTIVITY = 'settleAccrual';
/** The activity that moves the order to ACCRUING (its first scheduling after payment opens the stage). */
const TRANSITION_ACTIVITY = 'recordTransition';

export interface RunShape {
  readonly events: number;
  /** Settlements of the ledger in the run: one for the run that reached maturity. */
  readonly settlements: number;
  readonly continuedAsNew: boolean;
}

export interface AccrualHistoryResult {
  readonly productId: string;
  readonly termDays: number;
  readonly runs: readonly RunShape[];
  readonly totalEvents: number;
  readonly maxEventsPerRun: number;
  /** Events of the accrual stage (from ACCRUING to the settled ledger) ÷ accrual days. */
  readonly eventsPerOrderDay: number;
  /** The accrual stage's own events, whatever the term. */
  readonly accrualStageEvents: number;
  /** All events ÷ accrual days: the order's whole life per day of term. */
  readonly eventsPerTermDay: number;
  /** The whole life (buy to COMPLETED) against the bare workflow of the same activities and timers. */
  readonly purchaseWallMs: number;
  readonly baselineWallMs: number;
}

/**
 * Events from the transition to ACCRUING (the third status change: SUBSCRIBED, PAID, ACCRUING)
 * through the settlement's completion: the timer, its workflow tasks and the settling activity.
 */
function accrualStageEvents(events: readonly HistoryEvent[]): number | undefined {
  const toAccruing = scheduledIndexes(events, TRANSITION_ACTIVITY)[2];
  const settle = scheduledIndexes(events, SETTLE_ACTIVITY)[0];
  if (toAccruing === undefined || settle === undefined) return undefined;
  const completed = events.findIndex(
    (e, i) => i > settle && e.eventType === EventType.EVENT_TYPE_ACTIVITY_TASK_COMPLETED,
  );
  return completed < 0 ? undefined : completed - toAccruing;
}

/** Counts a measured pair's purchase histories. */
export function historyOf(pair: PairMeasure): AccrualHistoryResult {
  const histories = pair.purchaseHistories;
  const runs = histories.map((events) => ({
    events: events.length,
    settlements: scheduledIndexes(events, SETTLE_ACTIVITY).length,
    continuedAsNew: events.some((e) => e.eventType === EventType.EVENT_TYPE_WORKFLOW_EXECUTION_CONTINUED_AS_NEW),
  }));
  const stage = histories.length === 1 ? accrualStageEvents(histories[0]!) : undefined;
  if (stage === undefined) throw new Error(`the ${pair.productId} order's accrual stage could not be found in one run`);
  const totalEvents = runs.reduce((sum, r) => sum + r.events, 0);
  return {
    productId: pair.productId,
    termDays: pair.termDays,
    runs,
    totalEvents,
    maxEventsPerRun: Math.max(...runs.map((r) => r.events)),
    eventsPerOrderDay: round(stage / pair.termDays, 3),
    accrualStageEvents: stage,
    eventsPerTermDay: round(totalEvents / pair.termDays, 2),
    purchaseWallMs: round(pair.purchase.wallMs, 0),
    baselineWallMs: round(pair.baseline.wallMs, 0),
  };
}

/** One order of `productId` through its whole life on a fresh time-skipping server, counted. */
export async function runAccrualHistory(productId: string): Promise<AccrualHistoryResult> {
  return historyOf(await measurePair(productId, 'M19500'));
}
