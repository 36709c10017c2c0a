/**
 * The accrual steps: interest starts on the product's rule (T+1 in Asia/Shanghai), then one ledger
 * posting per accrual day, each after its day has ended in Shanghai; day d earns
 * interest(d) − interest(d−1), so the days sum exactly to the maturity interest.
 */
import { continueAsNew, sleep, upsertSearchAttributes, workflowInfo } from '@temporalio/workflow';
import { addDays, daysBetween, shanghaiMidnight } from '../../src/domain/calendar';
import { agreedInterestForDays, buildAccrualSchedule, interestForDays } from '../../src/domain/interest';
import { differingDates, ourInterestDates } from '../../src/domain/payment-check';
import { parseAnnualRate } from '../../src/domain/rate';
import { ledger } from './activity-options';
import { type AccrualProgress, type AccruingOrder, searchAttributes } from './contract';
import type { PurchaseRun } from './run';
import type { Subscription } from './subscribe';
import type { purchaseWorkflow } from './workflow';

/** Continue-as-new past this many events so a 365-day accrual never builds a huge history. */
export const HISTORY_EVENTS_LIMIT = 1500;

/**
 * Fixes the interest schedule and moves the order to ACCRUING. Interest runs on XJP's dates, which
 * XJP settles the redemption by: the payment step held any difference from ours (computed from the
 * payment) for finance, so here they are ours, or dates an operator accepted. On accepted dates the
 * ledger spreads XJP's maturity interest over them, as the redemption will pay exactly that.
 */
export async function startAccrual(
  run: PurchaseRun,
  paidAt: string,
  subscription: Subscription,
): Promise<AccrualProgress> {
  const { terms } = run.input.product;
  const xjp = subscription.xjpTerms;
  const { interestStartDate: start, maturityDate } = xjp;
  const ours = ourInterestDates(new Date(paidAt), terms.interestStartRule, terms.term);
  const agreedInterestFen =
    subscription.agreedInterestFen ??
    (differingDates(ours, { interestStartDate: start, maturityDate }).length > 0 ? xjp.maturityInterestFen : undefined);
  const maturityInterestFen =
    agreedInterestFen ??
    buildAccrualSchedule({
      principalFen: run.input.amountFen,
      annualRate: parseAnnualRate(terms.annualRate),
      basis: terms.dayCountBasis,
      interestStartDate: start,
      term: terms.term,
    }).maturityInterestFen;
  Object.assign(run.state, { interestStartDate: start, maturityDate, expectedInterestFen: maturityInterestFen });
  upsertSearchAttributes([{ key: searchAttributes.maturityDate, value: shanghaiMidnight(maturityDate) }]);
  await run.moveTo('ACCRUING', 'INTEREST_STARTED', 'SYSTEM', {
    changes: { interestStartDate: start, maturityDate, expectedInterestFen: maturityInterestFen },
  });
  return {
    interestStartDate: start,
    maturityDate,
    maturityInterestFen,
    daysPosted: 0,
    accruedInterestFen: 0,
    ...(agreedInterestFen === undefined ? {} : { agreedMaturityInterestFen: agreedInterestFen }),
  };
}

/**
 * Posts every accrual day still unposted, sleeping until each day has ended; resolves to the interest
 * accrued at maturity. Continues as new when the history grows long, carrying `accruing` forward.
 */
export async function accrue(run: PurchaseRun, accruing: AccruingOrder): Promise<number> {
  const { input } = run;
  const { terms } = input.product;
  const rate = parseAnnualRate(terms.annualRate);
  let progress = accruing.accrual;
  const totalDays = daysBetween(progress.interestStartDate, progress.maturityDate);
  const agreed = progress.agreedMaturityInterestFen;
  const earned = (days: number) =>
    agreed === undefined
      ? interestForDays(input.amountFen, rate, days, terms.dayCountBasis)
      : agreedInterestForDays(agreed, days, totalDays);
  while (progress.daysPosted < totalDays) {
    const day = progress.daysPosted + 1;
    const accrualDate = addDays(progress.interestStartDate, day - 1);
    const summary = `accrual day ${day} of ${totalDays}`;
    await sleepUntil(shanghaiMidnight(addDays(accrualDate, 1)), summary);
    const posting = {
      orderNo: input.orderNo,
      accrualDate,
      dayNumber: day,
      amountFen: earned(day) - earned(day - 1),
      cumulativeFen: earned(day),
    };
    await ledger.postAccrual.executeWithOptions({ summary }, [posting]);
    progress = { ...progress, daysPosted: day, accruedInterestFen: earned(day) };
    run.state.accruedInterestFen = progress.accruedInterestFen;
    if (progress.daysPosted < totalDays && historyTooLong()) {
      await continueAsNew<typeof purchaseWorkflow>(input, { xjpOrderNo: accruing.xjpOrderNo, accrual: progress });
    }
  }
  return progress.accruedInterestFen;
}

function historyTooLong(): boolean {
  const info = workflowInfo();
  return info.continueAsNewSuggested || info.historyLength > HISTORY_EVENTS_LIMIT;
}

/** Sleeps until an instant of workflow time; an instant already past returns at once (catch-up after downtime). */
async function sleepUntil(instant: Date, summary: string): Promise<void> {
  const waitMs = instant.getTime() - new Date().getTime();
  if (waitMs > 0) await sleep(waitMs, { summary });
}
