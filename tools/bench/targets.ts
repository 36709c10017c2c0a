/**
 * The targets of issue 12 ("What must show"), each checked against figures measured in the same
 * run. A target is met, not met, or (for memory at 10,000 orders, when the ramp stopped short of
 * them) met or missed only by the measured slope's projection.
 */
import type { AccrualHistoryResult } from './accrual-history';
import type { AccrualScaleResult } from './accrual-scale';
import type { EndToEndResult } from './end-to-end';
import type { HttpLadderResult } from './http-ladder';

export type Verdict = 'met' | 'not met' | 'met by projection' | 'not met by projection';

export interface TargetCheck {
  readonly target: string;
  readonly measured: string;
  readonly verdict: Verdict;
}

const P99_RATIO = 1.5;
const END_TO_END_RATIO = 0.8;
const ORDERS_PER_WORKER = 10_000;
const RSS_LIMIT_MIB = 1024;
const ORDER_DAYS_PER_SEC = 10_000;
const HISTORY_EVENTS = 500;

const verdict = (met: boolean): Verdict => (met ? 'met' : 'not met');

export function targetChecks(m: {
  http: HttpLadderResult;
  endToEnd: EndToEndResult;
  accrualScale: AccrualScaleResult;
  accrualHistory: AccrualHistoryResult;
}): TargetCheck[] {
  const { accrualScale: scale, accrualHistory: history } = m;
  const reached = scale.orders >= ORDERS_PER_WORKER;
  const memoryMet = reached ? scale.finalRssMiB <= RSS_LIMIT_MIB : scale.projectedRssMiBAt10k <= RSS_LIMIT_MIB;
  return [
    {
      target: `POST /v1/purchases p99 ≤ ${P99_RATIO} × bare update-with-start p99 at c=1, 8, 32`,
      measured: m.http.ratios.map((r) => `c=${r.concurrency}: ${r.ratio}×`).join(', '),
      verdict: verdict(m.http.ratios.every((r) => r.ratio <= P99_RATIO)),
    },
    {
      target: `end-to-end purchases/s ≥ ${END_TO_END_RATIO} × the bare workflow`,
      measured: `${m.endToEnd.ratio}× (${m.endToEnd.purchasesPerSec} vs ${m.endToEnd.bareWorkflowsPerSec} per s)`,
      verdict: verdict(m.endToEnd.ratio >= END_TO_END_RATIO),
    },
    {
      target: `≥ ${ORDERS_PER_WORKER.toLocaleString('en')} accruing orders per worker within 1 GiB RSS`,
      measured:
        `${scale.orders.toLocaleString('en')} orders: ${scale.finalRssMiB} MiB (idle ${scale.baselineRssMiB} MiB; ` +
        `${scale.steps.at(-1)?.stickyCache ?? '?'} runs in the sticky cache; ` +
        `${scale.projectedRssMiBAt10k} MiB at 10,000 projected from ${scale.projectedFrom})`,
      verdict: reached ? verdict(memoryMet) : memoryMet ? 'met by projection' : 'not met by projection',
    },
    {
      target: `one day's accrual posted at ≥ ${ORDER_DAYS_PER_SEC.toLocaleString('en')} order-days/s`,
      measured: `${scale.orderDaysPerSec} order-days/s on one worker`,
      verdict: verdict(scale.orderDaysPerSec >= ORDER_DAYS_PER_SEC),
    },
    {
      target: `a 365-day order's history < ${HISTORY_EVENTS} events in total`,
      measured:
        `${history.termDays}-day order: ${history.totalEvents} events in ${history.runs.length} run(s), ` +
        `${history.eventsPerOrderDay} per order-day`,
      verdict: verdict(history.totalEvents < HISTORY_EVENTS),
    },
  ];
}
