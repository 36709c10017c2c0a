/**
 * Early redemption (违约赎回) and the service fee end to end on the time-skipping server, over the
 * API and the simulators. Time on a test server only moves forward and is shared by the file, so
 * every order is bought at the start (one Shanghai day, so they share their dates) and the tests walk
 * one timeline in order: day 1, the lock-in's end, mid-term, the day before maturity, maturity itself,
 * then the payouts' reversal watch. Products (tools/sim/xjp/catalogue.ts):
 * - XJP-P-0003: 180 days at 4.20 %, basis 360; early redemption from day 1 for 0.5 % of principal; fee 5 yuan fixed.
 * - XJP-P-0002: 90 days at 3.80 %, basis 365; after a 7-day lock-in at a 0.35 % penalty rate; fee 10 % of interest.
 * - XJP-P-0001: 30 days, held to maturity, no fee.
 */
import { InterestAccrualSchema } from '../../src/db/entities/interest-accrual';
import { OrderEventSchema } from '../../src/db/entities/order-event';
import { PayoutSchema } from '../../src/db/entities/payout';
import { RedemptionSchema } from '../../src/db/entities/redemption';
import { RedemptionEntrySchema } from '../../src/db/entities/redemption-entry';
import { ledgerInterestFen } from '../../src/db/repositories/accruals';
import { addDays, shanghaiDate, shanghaiMidnight } from '../../src/domain/calendar';
import { interestForDays } from '../../src/domain/interest';
import { parseAnnualRate } from '../../src/domain/rate';
import { purchaseStateQuery, purchaseWorkflowId, type PurchaseState } from '../../workflows/purchase/contract';
import { reconciliationWorkflowId } from '../../workflows/reconciliation/contract';
import { postAccrualNights } from '../../tools/testing/accrual-nights';
import { TEST_OPERATOR, useTestEngine } from '../../tools/testing/engine';
import { skipUntilClosed, untilPayoutsAnswered } from '../../tools/testing/skip-time';
import request from 'supertest';
import {
  asPlatformFor,
  buy,
  earlyRedemptionCall,
  payAtCashier,
  purchaseBody,
  simState,
} from '../../tools/testing/purchases';
import { waitForState } from '../../tools/testing/wait';

const running = useTestEngine();

const HOUR_MS = 3600 * 1000;
const MINUTE_MS = 60 * 1000;

/** The orders of the timeline, each its own amount (LianLian holds same-card, same-amount payouts as duplicates). */
const orders = {
  dayOne: { product: 'XJP-P-0003', amountFen: 1_000_000, orderNo: '' },
  midTerm: { product: 'XJP-P-0002', amountFen: 2_000_000, orderNo: '' },
  heldToMaturity: { product: 'XJP-P-0001', amountFen: 1_500_000, orderNo: '' },
  refusedQuotes: { product: 'XJP-P-0002', amountFen: 3_000_000, orderNo: '' },
  dayBeforeMaturity: { product: 'XJP-P-0002', amountFen: 2_500_000, orderNo: '' },
  racingMaturity: { product: 'XJP-P-0002', amountFen: 3_500_000, orderNo: '' },
};

/** The orders bought so far. */
function orderNumbers(): string[] {
  return Object.values(orders)
    .map((o) => o.orderNo)
    .filter((orderNo) => orderNo !== '');
}

/** The shared dates of the 90-day orders. */
let interestStartDate = '';
let maturityDate = '';

function stateOf(orderNo: string): Promise<PurchaseState> {
  return running.engine.client.workflow.getHandle(purchaseWorkflowId(orderNo)).query(purchaseStateQuery);
}

/** Lets every payout's notification land (see untilPayoutsAnswered), then moves the server's clock forward to `instantMs` (never back). */
async function moveClockTo(instantMs: number): Promise<void> {
  await untilPayoutsAnswered(running.engine.client, orderNumbers());
  const now = await running.env.currentTimeMs();
  if (instantMs > now) await running.env.sleep(instantMs - now);
}

/** An instant on the `day`-th accrual day (1 = the interest start date), Shanghai time `hour`:00. */
function onAccrualDay(day: number, hour = 10): number {
  return shanghaiMidnight(addDays(interestStartDate, day - 1)).getTime() + hour * HOUR_MS;
}

/** A quote asked at about `askedAt` + 5 minutes is valid until then (the server's clock moved a few ms while it answered). */
function expectValidFor(validUntil: unknown, expectedMs: number): void {
  const until = Date.parse(validUntil as string);
  expect(until).toBeGreaterThanOrEqual(expectedMs);
  expect(until).toBeLessThan(expectedMs + 10_000);
}

async function quote(orderNo: string) {
  return earlyRedemptionCall(running.engine, orderNo, 'quote');
}

async function confirm(orderNo: string, quoteId: unknown) {
  return earlyRedemptionCall(running.engine, orderNo, 'confirm', { quoteId });
}

/** What the books say of an order once it has ended. */
async function booksOf(orderNo: string) {
  const em = running.engine.db.orm.em.fork();
  const payouts = await em.find(PayoutSchema, { order: { orderNo } }, { orderBy: { attempt: 'asc' } });
  const accruals = await em.find(InterestAccrualSchema, { order: { orderNo } });
  const entries = await em.find(RedemptionEntrySchema, { order: { orderNo } });
  const redemption = await em.findOne(RedemptionSchema, { order: { orderNo } });
  const events = await em.find(OrderEventSchema, { order: { orderNo } }, { orderBy: { occurredAt: 'asc', id: 'asc' } });
  const paidAtLianLian = (
    await simState<{ payouts: Array<{ no_order: string; moneyFen: number; result_pay: string }> }>(
      running.engine.lianlianUrl,
    )
  ).payouts.filter((p) => p.no_order.startsWith(orderNo) && p.result_pay === 'SUCCESS');
  const entry = (kind: string) => entries.find((e) => e.kind === kind)?.amountFen ?? 0;
  return {
    succeeded: payouts.filter((p) => p.status === 'SUCCESS'),
    payouts,
    accrualSumFen: accruals.reduce((sum, a) => sum + a.amountFen, 0),
    accrualDays: accruals.length,
    reversalFen: entry('INTEREST_REVERSAL'),
    principalFeeFen: entry('EARLY_REDEMPTION_PENALTY'),
    serviceFeeFen: entry('SERVICE_FEE'),
    ledgerFen: await ledgerInterestFen(em, orderNo),
    redemption,
    causes: events.map((e) => e.cause),
    paidAtLianLian,
  };
}

/** Each order's run, once the server's clock has passed its end. */
async function endOf(orderNo: string): Promise<PurchaseState> {
  return (await running.engine.client.workflow.getHandle(purchaseWorkflowId(orderNo)).result()) as PurchaseState;
}

beforeAll(async () => {
  for (const order of Object.values(orders)) {
    const created = await buy(running.engine, purchaseBody(order.product, order.amountFen));
    expect(created.status).toBe(201);
    order.orderNo = created.body.orderNo as string;
    await payAtCashier(created.body.paymentUrl as string);
  }
  for (const order of Object.values(orders)) {
    const state = await waitForState(
      () => stateOf(order.orderNo),
      (s) => s.status === 'ACCRUING',
    );
    if (order.product === 'XJP-P-0002') ({ interestStartDate = '', maturityDate = '' } = state);
  }
  expect(maturityDate).toBe(addDays(interestStartDate, 90));
});

test('on day 1 a principal-fee product quotes no interest, 0.5 % of principal kept and no service fee (none earned); confirming redeems at XJP, books the fee and pays the quote', async () => {
  const { orderNo, amountFen } = orders.dayOne;
  await moveClockTo(onAccrualDay(1));

  const quoted = await quote(orderNo);
  expect(quoted.status).toBe(200);
  const principalFeeFen = 5_000; // 1 000 000 × 50 / 10 000
  expect(quoted.body).toMatchObject({
    orderNo,
    penaltyKind: 'PRINCIPAL_FEE',
    redemptionDate: interestStartDate,
    daysHeld: 0,
    principalFen: amountFen,
    interestKeptFen: 0,
    penaltyFen: principalFeeFen,
    principalFeeFen,
    serviceFeeFen: 0,
    payoutFen: amountFen - principalFeeFen,
  });
  expectValidFor(quoted.body.validUntil, onAccrualDay(1) + 5 * MINUTE_MS);

  const confirmed = await confirm(orderNo, quoted.body.quoteId);
  expect(confirmed.status).toBe(200);
  expect(confirmed.body).toMatchObject({
    orderNo,
    status: 'MATURED',
    earlyRedemption: { payoutFen: amountFen - principalFeeFen, principalFeeFen },
  });
  // A second confirmation of the same quote: the order is no longer accruing.
  expect(await confirm(orderNo, quoted.body.quoteId)).toMatchObject({
    status: 409,
    body: { error: { code: 'WRONG_STATE' } },
  });
});

test('inside the 7-day lock-in a quote is refused (409 IN_LOCK_IN); a product held to maturity refuses it (422 EARLY_REDEMPTION_NOT_ALLOWED); the order stays ACCRUING', async () => {
  for (const day of [1, 7]) {
    await moveClockTo(onAccrualDay(day));
    expect(await quote(orders.midTerm.orderNo)).toMatchObject({ status: 409, body: { error: { code: 'IN_LOCK_IN' } } });
  }
  expect(await quote(orders.heldToMaturity.orderNo)).toMatchObject({
    status: 422,
    body: { error: { code: 'EARLY_REDEMPTION_NOT_ALLOWED' } },
  });
  expect((await stateOf(orders.midTerm.orderNo)).status).toBe('ACCRUING');
});

test('after the lock-in an unknown quote id is refused (422 QUOTE_UNKNOWN), a quote past its few minutes (409 QUOTE_EXPIRED); the order goes on accruing', async () => {
  const { orderNo } = orders.refusedQuotes;
  await moveClockTo(onAccrualDay(8));
  expect(await confirm(orderNo, `${orderNo}Q999`)).toMatchObject({
    status: 422,
    body: { error: { code: 'QUOTE_UNKNOWN' } },
  });
  const quoted = await quote(orderNo);
  expect(quoted.status).toBe(200);
  await running.env.sleep(6 * MINUTE_MS);
  expect(await confirm(orderNo, quoted.body.quoteId)).toMatchObject({
    status: 409,
    body: { error: { code: 'QUOTE_EXPIRED' } },
  });
  expect((await stateOf(orderNo)).status).toBe('ACCRUING');
});

test('mid-term (day 46) at a penalty rate: interest kept is recomputed at 0.35 % for the 45 days held, the interest not earned reversed by one row, the service fee 10 % of what is kept', async () => {
  const { orderNo, amountFen } = orders.midTerm;
  // The nightly batch has posted the first days; the redemption posts the rest of the days held.
  await moveClockTo(onAccrualDay(46, 0) + 10 * MINUTE_MS);
  await postAccrualNights(running.engine, interestStartDate, addDays(interestStartDate, 9));
  await moveClockTo(onAccrualDay(46));

  const earnedFen = interestForDays(amountFen, parseAnnualRate('0.0380'), 45, 365);
  const keptFen = interestForDays(amountFen, parseAnnualRate('0.0035'), 45, 365);
  const serviceFeeFen = Math.floor((2 * keptFen * 1_000 + 10_000) / 20_000);
  const quoted = await quote(orderNo);
  expect(quoted.body).toMatchObject({
    penaltyKind: 'PENALTY_RATE',
    daysHeld: 45,
    earnedInterestFen: earnedFen,
    interestKeptFen: keptFen,
    penaltyFen: earnedFen - keptFen,
    principalFeeFen: 0,
    serviceFeeFen,
    payoutFen: amountFen + keptFen - serviceFeeFen,
  });
  const confirmed = await confirm(orderNo, quoted.body.quoteId);
  expect(confirmed.status).toBe(200);

  const books = await booksOf(orderNo);
  expect(books.accrualDays).toBe(45);
  expect(books.accrualSumFen).toBe(earnedFen);
  expect(books.reversalFen).toBe(keptFen - earnedFen);
  expect(books.ledgerFen).toBe(keptFen);
  expect(books.serviceFeeFen).toBe(serviceFeeFen);
  expect(books.redemption).toMatchObject({
    principalFen: amountFen,
    interestFen: keptFen,
    penaltyFen: 0,
    redemptionDate: addDays(interestStartDate, 45),
  });
  // The investor's income history shows the correction and the fee on the redemption date.
  const redeemedOn = addDays(interestStartDate, 45);
  const income = await request(running.engine.apiUrl)
    .get(`/v1/members/M10001/income?from=${interestStartDate}&to=${redeemedOn}`)
    .set(await asPlatformFor('M10001'));
  expect(income.status).toBe(200);
  const entries = (income.body.redemptionEntries as Array<{ orderNo: string }>).filter((e) => e.orderNo === orderNo);
  expect(entries).toEqual([
    { date: redeemedOn, orderNo, productCode: 'XJP90D2611', kind: 'INTEREST_REVERSAL', amountFen: keptFen - earnedFen },
    { date: redeemedOn, orderNo, productCode: 'XJP90D2611', kind: 'SERVICE_FEE', amountFen: serviceFeeFen },
  ]);
});

test('on the day before maturity (an hour before it) the early redemption wins: 89 days held, the accrual timer cancelled', async () => {
  const { orderNo, amountFen } = orders.dayBeforeMaturity;
  await moveClockTo(shanghaiMidnight(maturityDate).getTime() - HOUR_MS);
  const quoted = await quote(orderNo);
  const keptFen = interestForDays(amountFen, parseAnnualRate('0.0035'), 89, 365);
  expect(quoted.body).toMatchObject({
    daysHeld: 89,
    redemptionDate: addDays(maturityDate, -1),
    interestKeptFen: keptFen,
  });
  // Valid to the end of the Shanghai day at most: the figures are that day's.
  expectValidFor(quoted.body.validUntil, shanghaiMidnight(maturityDate).getTime() - HOUR_MS + 5 * MINUTE_MS);
  expect((await confirm(orderNo, quoted.body.quoteId)).status).toBe(200);
});

test('racing maturity: a quote taken minutes before maturity cannot be confirmed after it (409 WRONG_STATE); the order matures and is paid once in full, less its service fee', async () => {
  const { orderNo } = orders.racingMaturity;
  await moveClockTo(shanghaiMidnight(maturityDate).getTime() - 4 * MINUTE_MS);
  const quoted = await quote(orderNo);
  expect(quoted.status).toBe(200);
  expect(Date.parse(quoted.body.validUntil as string)).toBe(shanghaiMidnight(maturityDate).getTime() - 1);
  expect((await stateOf(orderNo)).status).toBe('ACCRUING');
  await moveClockTo(shanghaiMidnight(maturityDate).getTime() + MINUTE_MS);
  expect(await confirm(orderNo, quoted.body.quoteId)).toMatchObject({
    status: 409,
    body: { error: { code: 'WRONG_STATE' } },
  });
});

test('every order ends COMPLETED, paid exactly once what it was quoted (or principal + interest − service fee at maturity); ledger, entries, XJP and LianLian agree', async () => {
  await untilPayoutsAnswered(running.engine.client, orderNumbers());
  await skipUntilClosed(running.env, running.engine.client, purchaseWorkflowId(orders.racingMaturity.orderNo), {
    firstMs: 2 * HOUR_MS,
    maxSteps: 40,
  });
  await skipUntilClosed(running.env, running.engine.client, purchaseWorkflowId(orders.refusedQuotes.orderNo), {
    firstMs: 0,
    maxSteps: 5,
  });

  for (const order of Object.values(orders)) {
    const final = await endOf(order.orderNo);
    expect({ orderNo: order.orderNo, status: final.status }).toEqual({ orderNo: order.orderNo, status: 'COMPLETED' });
    const books = await booksOf(order.orderNo);
    expect(books.succeeded).toHaveLength(1);
    const paid = books.succeeded[0]!;
    // What left: principal + ledger interest − the fee on principal − the service fee; XJP settled principal + ledger interest − the fee on principal.
    expect(paid.totalFen).toBe(order.amountFen + books.ledgerFen - books.principalFeeFen - books.serviceFeeFen);
    expect(paid.interestFen).toBe(books.ledgerFen);
    expect(books.ledgerFen).toBe(books.accrualSumFen + books.reversalFen);
    expect(books.redemption).toMatchObject({
      principalFen: order.amountFen,
      interestFen: books.ledgerFen,
      penaltyFen: books.principalFeeFen,
      totalFen: order.amountFen + books.ledgerFen - books.principalFeeFen,
    });
    expect(books.paidAtLianLian).toEqual([expect.objectContaining({ moneyFen: paid.totalFen })]);
    if (final.earlyRedemption !== undefined) expect(paid.totalFen).toBe(final.earlyRedemption.payoutFen);
  }

  const day1 = await booksOf(orders.dayOne.orderNo);
  expect(day1.succeeded[0]!.totalFen).toBe(995_000);
  expect(day1.causes).toContain('EARLY_REDEMPTION');

  // Matured ones: every day accrued, the fee on the interest (10 % for XJP-P-0002, none for XJP-P-0001).
  const raced = await booksOf(orders.racingMaturity.orderNo);
  const fullFen = interestForDays(orders.racingMaturity.amountFen, parseAnnualRate('0.0380'), 90, 365);
  expect(raced).toMatchObject({ accrualDays: 90, ledgerFen: fullFen, reversalFen: 0 });
  expect(raced.serviceFeeFen).toBe(Math.floor((2 * fullFen * 1_000 + 10_000) / 20_000));
  expect(raced.causes).toContain('MATURITY_REACHED');
  expect(raced.causes).not.toContain('EARLY_REDEMPTION');
  expect((await booksOf(orders.heldToMaturity.orderNo)).serviceFeeFen).toBe(0);
  const early = await booksOf(orders.dayBeforeMaturity.orderNo);
  expect(early.causes).not.toContain('MATURITY_REACHED');
}, 600_000);

test('reconciliation matches every redemption, early or with a service fee, and every payout with the partners’ statements', async () => {
  const settledDays = new Set<string>();
  for (const order of Object.values(orders)) {
    const { redemption } = await booksOf(order.orderNo);
    settledDays.add(shanghaiDate(redemption!.settledAt!));
  }
  const ours = new Set(Object.values(orders).map((o) => o.orderNo));
  const redemptions: Array<{ kind: string; reference: string }> = [];
  for (const date of settledDays) {
    const started = await fetch(`${running.engine.apiUrl}/ops/reconciliation/${date}/run`, {
      method: 'POST',
      headers: { 'x-operator-key': TEST_OPERATOR.key },
    });
    expect(started.status).toBe(202);
    await running.engine.client.workflow.getHandle(reconciliationWorkflowId(date)).result();
    const report = (await (
      await fetch(`${running.engine.apiUrl}/ops/reconciliation?date=${date}`, {
        headers: { 'x-operator-key': TEST_OPERATOR.key },
      })
    ).json()) as { findings: Array<{ category: string; kind: string; reference: string; orderNo?: string | null }> };
    redemptions.push(...report.findings.filter((f) => f.category === 'REDEMPTION'));
    expect(report.findings.filter((f) => f.category === 'PAYOUT' && f.kind !== 'MATCHED')).toEqual([]);
  }
  expect(redemptions).toHaveLength(ours.size);
  expect(redemptions.filter((f) => f.kind !== 'MATCHED')).toEqual([]);
});
