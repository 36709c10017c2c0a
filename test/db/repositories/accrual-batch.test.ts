/**
 * The end-of-day batch's set-based SQL against the per-order code: the same figures to the fen for
 * many orders, terms, rates, bases and agreed figures; only accruing orders' days that lie in their
 * term; and batch and an order's own catch-up racing for the same days leave one row each.
 */
import { InterestAccrualSchema } from '../../../src/db/entities/interest-accrual';
import { PurchaseOrderSchema } from '../../../src/db/entities/purchase-order';
import {
  AccrualConflictError,
  catchUpAccruals,
  listAccruals,
  postAccrualDayChunk,
} from '../../../src/db/repositories/accruals';
import { createOrder } from '../../../src/db/repositories/orders';
import { addDays, daysBetween } from '../../../src/domain/calendar';
import { ledgerDays, type LedgerTerms } from '../../../src/domain/interest';
import { rateFromMicros } from '../../../src/domain/rate';
import { testPiiCipher, useTestDatabase } from '../../../tools/testing/database';
import { orderInput } from './fixtures';

const db = useTestDatabase();
const cipher = testPiiCipher();
const fork = () => db.orm.em.fork();
const AT = new Date('2027-06-01T00:00:00Z');

/** A small deterministic generator, so a failure names the same orders on every run. */
function generator(seed: number): (below: number) => number {
  let state = seed;
  return (below) => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return state % below;
  };
}

/** An ACCRUING order with these ledger terms, written as the workflow leaves it. */
async function accruingOrder(terms: LedgerTerms, status: 'ACCRUING' | 'MATURED' = 'ACCRUING'): Promise<string> {
  const { orderNo } = await createOrder(fork(), cipher, orderInput());
  await fork().nativeUpdate(
    PurchaseOrderSchema,
    { orderNo },
    {
      status,
      amountFen: terms.principalFen,
      annualRateMicros: terms.annualRate.micros,
      dayCountBasis: terms.basis,
      interestStartDate: terms.interestStartDate,
      maturityDate: terms.maturityDate,
      expectedInterestFen: ledgerDays(terms).at(-1)?.cumulativeFen ?? 0,
      agreedInterestFen: terms.agreedMaturityInterestFen ?? null,
    },
  );
  return orderNo;
}

/** Runs the batch for one day in chunks of `limit` orders, as the activity does; returns the rows written. */
async function postDay(accrualDate: string, limit: number): Promise<number> {
  let afterOrderId = '';
  let posted = 0;
  for (;;) {
    const chunk = await postAccrualDayChunk(fork(), { accrualDate, afterOrderId, limit, at: AT });
    posted += chunk.posted;
    if (chunk.lastOrderId === undefined || chunk.orders < limit) return posted;
    afterOrderId = chunk.lastOrderId;
  }
}

function rowsOf(accruals: Awaited<ReturnType<typeof listAccruals>>) {
  return accruals.map((a) => ({
    date: a.accrualDate,
    dayNumber: a.dayIndex,
    amountFen: a.amountFen,
    cumulativeFen: a.cumulativeFen,
  }));
}

const RATE_MICROS = [1, 7, 32_500, 42_500, 45_000, 123_457, 999_999, 1_000_000];
const PRINCIPALS_FEN = [1, 99, 100_000, 1_000_000, 12_345_678, 5_000_000_00, 987_654_321_000];

test('posted night by night in chunks, the SQL gives every order exactly the per-order code’s days, summing to its maturity interest', async () => {
  const next = generator(20261202);
  const firstStart = '2026-12-01';
  const orders: { orderNo: string; terms: LedgerTerms }[] = [];
  for (let i = 0; i < 36; i++) {
    const interestStartDate = addDays(firstStart, next(6));
    const termDays = [1, 2, 7, 30, 31, 90, 91, 180, 365, 366][next(10)]!;
    const maturityDate = addDays(interestStartDate, termDays);
    const agreed = i % 4 === 3 ? { agreedMaturityInterestFen: next(50_000_000) } : {};
    const terms: LedgerTerms = {
      principalFen: PRINCIPALS_FEN[next(PRINCIPALS_FEN.length)]!,
      annualRate: rateFromMicros(RATE_MICROS[next(RATE_MICROS.length)]!),
      basis: next(2) === 0 ? 360 : 365,
      interestStartDate,
      maturityDate,
      ...agreed,
    };
    orders.push({ orderNo: await accruingOrder(terms), terms });
  }
  const lastMaturity = orders
    .map((o) => o.terms.maturityDate)
    .sort()
    .at(-1)!;

  let posted = 0;
  for (let date = addDays(firstStart, -1); date <= lastMaturity; date = addDays(date, 1)) {
    posted += await postDay(date, 5);
  }

  const expectedDays = orders.reduce((sum, o) => sum + daysBetween(o.terms.interestStartDate, o.terms.maturityDate), 0);
  expect(posted).toBe(expectedDays);
  for (const { orderNo, terms } of orders) {
    const expected = ledgerDays(terms);
    const rows = rowsOf(await listAccruals(fork(), orderNo));
    expect({ orderNo, rows }).toEqual({ orderNo, rows: expected });
    const maturityInterest = expected.at(-1)?.cumulativeFen;
    expect(rows.reduce((sum, r) => sum + r.amountFen, 0)).toBe(maturityInterest);
  }
});

test('a night posted again writes nothing: one row per order per day', async () => {
  const terms: LedgerTerms = {
    principalFen: 1_000_000,
    annualRate: rateFromMicros(42_500),
    basis: 365,
    interestStartDate: '2027-01-10',
    maturityDate: '2027-01-20',
  };
  const orderNo = await accruingOrder(terms);
  expect(await postDay('2027-01-12', 100)).toBeGreaterThanOrEqual(1);
  expect(await postDay('2027-01-12', 100)).toBe(0);
  expect(rowsOf(await listAccruals(fork(), orderNo))).toEqual([ledgerDays(terms)[2]]);
});

test('only accruing orders get a day, and only a day inside their term: not before the start, not the maturity date', async () => {
  const terms: LedgerTerms = {
    principalFen: 1_000_000,
    annualRate: rateFromMicros(42_500),
    basis: 365,
    interestStartDate: '2028-03-01',
    maturityDate: '2028-03-04',
  };
  const accruing = await accruingOrder(terms);
  const matured = await accruingOrder(terms, 'MATURED');
  for (const date of ['2028-02-29', '2028-03-01', '2028-03-04']) await postDay(date, 100);

  expect(rowsOf(await listAccruals(fork(), accruing)).map((r) => r.date)).toEqual(['2028-03-01']);
  expect(await listAccruals(fork(), matured)).toEqual([]);
});

test('the batch and an order’s maturity catch-up racing over the same days leave exactly one row per day with the same figures', async () => {
  const terms: LedgerTerms = {
    principalFen: 3_333_333,
    annualRate: rateFromMicros(45_000),
    basis: 360,
    interestStartDate: '2029-05-01',
    maturityDate: '2029-05-11',
    agreedMaturityInterestFen: 4_170,
  };
  const orderNo = await accruingOrder(terms);
  const days = ledgerDays(terms);

  await Promise.all([
    ...days.map((d) => postDay(d.date, 100)),
    catchUpAccruals(fork(), { orderNo, days, at: AT }),
    catchUpAccruals(fork(), { orderNo, days, at: AT }),
  ]);

  expect(rowsOf(await listAccruals(fork(), orderNo))).toEqual(days);
  expect(await fork().count(InterestAccrualSchema, { order: { orderNo } })).toBe(days.length);
  const again = await catchUpAccruals(fork(), { orderNo, days, at: AT });
  expect(again.posted).toBe(0);
});

test('a catch-up that finds a day posted with other figures refuses, naming the day', async () => {
  const terms: LedgerTerms = {
    principalFen: 1_000_000,
    annualRate: rateFromMicros(42_500),
    basis: 365,
    interestStartDate: '2029-07-01',
    maturityDate: '2029-07-03',
  };
  const orderNo = await accruingOrder(terms);
  const [first, second] = ledgerDays(terms);
  await catchUpAccruals(fork(), {
    orderNo,
    days: [{ ...first!, amountFen: first!.amountFen + 1, cumulativeFen: first!.cumulativeFen + 1 }],
    at: AT,
  });

  const settling = catchUpAccruals(fork(), { orderNo, days: [first!, second!], at: AT });

  await expect(settling).rejects.toBeInstanceOf(AccrualConflictError);
  await expect(settling).rejects.toThrow('2029-07-01');
});
