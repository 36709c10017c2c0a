/**
 * The accrual stage: interest starts on XJP's dates (T+1 in Asia/Shanghai by the product's rule);
 * the end-of-day batch (workflows/accrual) posts each day for every accruing order once the day has
 * ended in Shanghai, day d earning interest(d) − interest(d−1), so the days sum exactly to the
 * maturity interest. The run itself sleeps on one durable timer until the pay date (maturity, or the
 * next business day when maturity is a day off), then settles its ledger: posts any day the batch
 * missed and checks the sum, so a missed night never loses a day.
 */
import { setCurrentDetails, sleep, upsertSearchAttributes } from '@temporalio/workflow';
import { daysBetween, shanghaiMidnight } from '../../src/domain/calendar';
import { buildAccrualSchedule } from '../../src/domain/interest';
import { differingDates, ourInterestDates } from '../../src/domain/payment-check';
import { parseAnnualRate } from '../../src/domain/rate';
import { ledger } from './activity-options';
import { type AccrualProgress, type AccruingOrder, searchAttributes } from './contract';
import type { PurchaseRun } from './run';
import type { Subscription } from './subscribe';

/**
 * Fixes the interest schedule and moves the order to ACCRUING. Interest runs on XJP's dates, which
 * XJP settles the redemption by: the payment step held any difference from ours (computed from the
 * payment) for finance, so here they are ours, or dates an operator accepted. On accepted dates the
 * ledger spreads XJP's maturity interest over them, as the redemption will pay exactly that; the
 * order row keeps that figure so the batch spreads it too.
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
    changes: {
      interestStartDate: start,
      maturityDate,
      expectedInterestFen: maturityInterestFen,
      ...(agreedInterestFen === undefined ? {} : { agreedInterestFen }),
    },
  });
  return {
    interestStartDate: start,
    maturityDate,
    maturityInterestFen,
    ...(agreedInterestFen === undefined ? {} : { agreedMaturityInterestFen: agreedInterestFen }),
  };
}

/**
 * The order's interest terms as the ledger settles them (at maturity or early): principal, rate and
 * basis, XJP's dates, and XJP's maturity interest when an operator accepted it over ours.
 */
export function ledgerTerms(run: PurchaseRun, accrual: AccrualProgress) {
  const { terms } = run.input.product;
  return {
    principalFen: run.input.amountFen,
    annualRate: terms.annualRate,
    basis: terms.dayCountBasis,
    interestStartDate: accrual.interestStartDate,
    maturityDate: accrual.maturityDate,
    ...(accrual.agreedMaturityInterestFen === undefined
      ? {}
      : { agreedMaturityInterestFen: accrual.agreedMaturityInterestFen }),
  };
}

/**
 * Sleeps until the pay date starts (Shanghai midnight): the maturity date, or the next business day
 * when that is a day off; then settles the ledger and resolves to the interest it holds, which is the
 * maturity interest.
 */
export async function accrue(run: PurchaseRun, accruing: AccruingOrder): Promise<number> {
  const { input } = run;
  const { accrual } = accruing;
  const totalDays = daysBetween(accrual.interestStartDate, accrual.maturityDate);
  // Interest ends at maturity whatever the pay date; only the redemption and payout wait for a business day.
  const { payDate } = await ledger.fixPayDate({ orderNo: input.orderNo, maturityDate: accrual.maturityDate });
  run.state.payDate = payDate;
  const moved = payDate === accrual.maturityDate ? '' : `, paid out ${payDate} (the next business day)`;
  setCurrentDetails(
    `Accruing until ${accrual.maturityDate}${moved}: the nightly accrual batch posts each day to the ledger ` +
      `(GET /ops/orders/<orderNo> shows the days posted); at the pay date this run posts any it missed.`,
  );
  await sleepUntil(
    shanghaiMidnight(payDate),
    `accrual of ${totalDays} days until maturity ${accrual.maturityDate}${moved}`,
  );
  const settled = await ledger.settleAccrual.executeWithOptions({ summary: `settle ${totalDays} accrual days` }, [
    {
      orderNo: input.orderNo,
      terms: ledgerTerms(run, accrual),
      maturityInterestFen: accrual.maturityInterestFen,
    },
  ]);
  run.state.accruedInterestFen = settled.accruedInterestFen;
  return settled.accruedInterestFen;
}

/** Sleeps until an instant of workflow time; an instant already past returns at once (an order paid late). */
async function sleepUntil(instant: Date, summary: string): Promise<void> {
  const waitMs = instant.getTime() - new Date().getTime();
  if (waitMs > 0) await sleep(waitMs, { summary });
}
