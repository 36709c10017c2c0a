import { differingDates, judgePayment, ourInterestDates } from '../../src/domain/payment-check';

const order = { amountFen: 1_000_000, subscribedAt: '2026-11-22T02:00:00.000Z', now: '2026-11-22T03:00:00.000Z' };
const paid = (paidAt: string, paidAmountFen = 1_000_000) => ({
  paid: true as const,
  paidAt,
  paidAmountFen,
  billNo: 'B1',
});

describe('judgePayment', () => {
  test("confirms the order's amount paid between the subscription and now", () => {
    expect(judgePayment({ ...order, queried: paid('2026-11-22T02:10:00.000Z') })).toEqual({
      kind: 'CONFIRMED',
      paidAt: '2026-11-22T02:10:00.000Z',
      paidAmountFen: 1_000_000,
    });
  });

  test('a claim XJP does not confirm is not a payment', () => {
    expect(judgePayment({ ...order, queried: { paid: false } })).toEqual({ kind: 'NOT_CONFIRMED' });
  });

  test('refuses a payment time before the subscription (the 40-days-early notification) and one in the future', () => {
    expect(judgePayment({ ...order, queried: paid('2026-10-13T02:00:00.000Z') })).toMatchObject({
      kind: 'PAID_AT_REFUSED',
      reason: 'PAID_BEFORE_SUBSCRIPTION',
    });
    expect(judgePayment({ ...order, queried: paid('2026-11-22T03:05:01.000Z') })).toMatchObject({
      kind: 'PAID_AT_REFUSED',
      reason: 'PAID_IN_FUTURE',
    });
    expect(judgePayment({ ...order, queried: paid('not a time') })).toMatchObject({
      kind: 'PAID_AT_REFUSED',
      reason: 'PAID_BEFORE_SUBSCRIPTION',
    });
  });

  test('accepts a partner clock up to five minutes ahead', () => {
    expect(judgePayment({ ...order, queried: paid('2026-11-22T03:05:00.000Z') }).kind).toBe('CONFIRMED');
  });

  test.each([999_999, 1_000_001, 1])(
    'a paid amount of %i fen against 1 000 000 is a mismatch for finance',
    (paidAmountFen) => {
      expect(judgePayment({ ...order, queried: paid('2026-11-22T02:10:00.000Z', paidAmountFen) })).toEqual({
        kind: 'AMOUNT_MISMATCH',
        paidAt: '2026-11-22T02:10:00.000Z',
        paidAmountFen,
        amountFen: 1_000_000,
        billNo: 'B1',
      });
    },
  );
});

describe('judgePayment with the dates checked', () => {
  const thirtyDays = { interestStartRule: 'T+1', term: { unit: 'DAY' as const, value: 30 } };
  // Subscribed 10:00 Shanghai on 2026-11-22: XJP's dates are T+1 from then.
  const xjp = { interestStartDate: '2026-11-23', maturityDate: '2026-12-23' };

  test("a payment whose T+1 dates are XJP's is confirmed", () => {
    const verdict = judgePayment({
      ...order,
      queried: paid('2026-11-22T02:10:00.000Z'),
      dates: { xjp, ...thirtyDays },
    });
    expect(verdict.kind).toBe('CONFIRMED');
  });

  test("XJP's maturity 10 days after ours (the issue's 2026-11-23 against 2027-01-02 kind of case) is a DATE_MISMATCH naming the date", () => {
    const shifted = { ...xjp, maturityDate: '2027-01-02' };
    expect(
      judgePayment({ ...order, queried: paid('2026-11-22T02:10:00.000Z'), dates: { xjp: shifted, ...thirtyDays } }),
    ).toEqual({
      kind: 'DATE_MISMATCH',
      paidAt: '2026-11-22T02:10:00.000Z',
      paidAmountFen: 1_000_000,
      billNo: 'B1',
      ours: xjp,
      xjp: shifted,
      differing: ['maturityDate'],
    });
  });

  test('a payment after Shanghai midnight moves T+1: both dates differ from those XJP fixed at subscription', () => {
    const late = { ...order, now: '2026-11-22T17:00:00.000Z' };
    const verdict = judgePayment({ ...late, queried: paid('2026-11-22T16:00:00.000Z'), dates: { xjp, ...thirtyDays } });
    expect(verdict).toMatchObject({ kind: 'DATE_MISMATCH', differing: ['interestStartDate', 'maturityDate'] });
  });

  test('an amount or time refusal comes first: one reason at a time', () => {
    const shifted = { ...xjp, maturityDate: '2027-01-02' };
    const verdict = judgePayment({
      ...order,
      queried: paid('2026-11-22T02:10:00.000Z', 1),
      dates: { xjp: shifted, ...thirtyDays },
    });
    expect(verdict.kind).toBe('AMOUNT_MISMATCH');
  });
});

describe('ourInterestDates', () => {
  test('T+N from the Shanghai date of receipt, then the term (months clamped to the month end)', () => {
    const month = { unit: 'MONTH' as const, value: 1 };
    expect(ourInterestDates(new Date('2027-01-29T16:30:00.000Z'), 'T+1', month)).toEqual({
      interestStartDate: '2027-01-31',
      maturityDate: '2027-02-28',
    });
  });
});

describe('differingDates', () => {
  test('names each date on which we and XJP disagree', () => {
    const ours = { interestStartDate: '2026-11-23', maturityDate: '2026-12-23' };
    expect(differingDates(ours, { ...ours })).toEqual([]);
    expect(differingDates(ours, { interestStartDate: '2026-11-23', maturityDate: '2027-01-02' })).toEqual([
      'maturityDate',
    ]);
    expect(differingDates(ours, { interestStartDate: '2026-11-24', maturityDate: '2027-01-02' })).toEqual([
      'interestStartDate',
      'maturityDate',
    ]);
  });
});
