import { InvalidTermError, type DomainError } from '../../src/domain/errors';
import {
  accruedToDate,
  buildAccrualSchedule,
  expectedIncome,
  interestForDays,
  type AccrualInput,
  type DayCountBasis,
} from '../../src/domain/interest';
import { parseAnnualRate } from '../../src/domain/rate';
import type { Term } from '../../src/domain/term';
import { thrown } from './thrown';

function input(
  principalFen: number,
  rate: string,
  term: Term,
  basis: DayCountBasis,
  interestStartDate: string,
): AccrualInput {
  return { principalFen, annualRate: parseAnnualRate(rate), term, basis, interestStartDate };
}

// Each row checked by hand: principal × rate × days / basis, then half-up to whole fen.
const WORKED_EXAMPLES: Array<[string, AccrualInput, string, number, number]> = [
  [
    '¥10,000 at 4.25% for 90 days, basis 365',
    input(1_000_000, '0.0425', { unit: 'DAY', value: 90 }, 365, '2026-01-05'),
    '2026-04-05',
    90,
    10479,
  ],
  [
    '¥10,000 at 4.25% for 90 days, basis 360',
    input(1_000_000, '0.0425', { unit: 'DAY', value: 90 }, 360, '2026-01-05'),
    '2026-04-05',
    90,
    10625,
  ],
  [
    '¥50,000 at 3.8% for 3 months from Jan 31 (EOM to Apr 30)',
    input(5_000_000, '0.038', { unit: 'MONTH', value: 3 }, 365, '2026-01-31'),
    '2026-04-30',
    89,
    46329,
  ],
  [
    '¥20,000 at 5% for 1 month from Jan 31 in a leap year',
    input(2_000_000, '0.05', { unit: 'MONTH', value: 1 }, 365, '2028-01-31'),
    '2028-02-29',
    29,
    7945,
  ],
  [
    '¥20,000 at 5% for 1 month from Jan 31, basis 360',
    input(2_000_000, '0.05', { unit: 'MONTH', value: 1 }, 360, '2026-01-31'),
    '2026-02-28',
    28,
    7778,
  ],
  [
    '¥1,000,000 at 5.5% for 365 days, basis 360',
    input(100_000_000, '0.055', { unit: 'DAY', value: 365 }, 360, '2026-03-15'),
    '2027-03-15',
    365,
    5576389,
  ],
  [
    '¥300,000 at 4.15% for 12 months',
    input(30_000_000, '0.0415', { unit: 'MONTH', value: 12 }, 365, '2026-03-15'),
    '2027-03-15',
    365,
    1245000,
  ],
  [
    '¥300,000 at 4.15% for 12 months over Feb 29',
    input(30_000_000, '0.0415', { unit: 'MONTH', value: 12 }, 365, '2027-03-15'),
    '2028-03-15',
    366,
    1248411,
  ],
  [
    '¥123,456.78 at 3.1234% for 6 months from Aug 31',
    input(12_345_678, '0.031234', { unit: 'MONTH', value: 6 }, 365, '2026-08-31'),
    '2027-02-28',
    181,
    191218,
  ],
  [
    '¥1 at 1.8% for 100 days, basis 360: exactly half a fen rounds up',
    input(100, '0.018', { unit: 'DAY', value: 100 }, 360, '2026-06-01'),
    '2026-09-09',
    100,
    1,
  ],
  [
    '¥1 at 10% for 365 days: most days accrue 0',
    input(100, '0.1', { unit: 'DAY', value: 365 }, 365, '2026-06-01'),
    '2027-06-01',
    365,
    10,
  ],
];

describe('buildAccrualSchedule worked examples', () => {
  it.each(WORKED_EXAMPLES)('%s', (_name, accrualInput, maturity, days, interestFen) => {
    const schedule = buildAccrualSchedule(accrualInput);
    expect(schedule.interestStartDate).toBe(accrualInput.interestStartDate);
    expect(schedule.maturityDate).toBe(maturity);
    expect(schedule.days).toBe(days);
    expect(schedule.accruals).toHaveLength(days);
    expect(schedule.maturityInterestFen).toBe(interestFen);
    expect(schedule.accruals.reduce((sum, day) => sum + day.amountFen, 0)).toBe(interestFen);
    expect(expectedIncome(accrualInput)).toBe(interestFen);
  });
});

describe('buildAccrualSchedule days', () => {
  const schedule = buildAccrualSchedule(input(100, '0.1', { unit: 'DAY', value: 365 }, 365, '2026-06-01'));

  it('numbers days from 1 on the interest start date to the day before maturity', () => {
    expect(schedule.accruals[0]).toMatchObject({ date: '2026-06-01', dayNumber: 1 });
    expect(schedule.accruals.at(-1)).toMatchObject({ date: '2027-05-31', dayNumber: 365, cumulativeFen: 10 });
  });

  it('credits a fen only on the days the rounded running total steps up', () => {
    const amounts = schedule.accruals.map((day) => day.amountFen);
    expect(amounts.filter((fen) => fen === 1)).toHaveLength(10);
    expect(amounts.filter((fen) => fen === 0)).toHaveLength(355);
    // interest(d) = round(10d/365) first reaches 1 at d = 18.25 → day 19 (18.25 rounds down, 19 gives 0.52).
    expect(schedule.accruals.findIndex((day) => day.amountFen === 1)).toBe(18);
  });

  it('makes each day interest(d) − interest(d − 1)', () => {
    const rate = parseAnnualRate('0.1');
    for (const day of schedule.accruals) {
      expect(day.cumulativeFen).toBe(interestForDays(100, rate, day.dayNumber, 365));
      expect(day.amountFen).toBe(
        interestForDays(100, rate, day.dayNumber, 365) - interestForDays(100, rate, day.dayNumber - 1, 365),
      );
    }
  });
});

describe('accruedToDate', () => {
  const order = input(1_000_000, '0.0425', { unit: 'DAY', value: 90 }, 365, '2026-01-05');

  it.each([
    ['2025-12-31', 0],
    ['2026-01-05', 0],
    ['2026-01-06', 116],
    ['2026-02-04', 3493],
    ['2026-04-04', 10363],
    ['2026-04-05', 10479],
    ['2027-01-01', 10479],
  ])('as of %p has earned %p fen', (asOf, fen) => {
    expect(accruedToDate(order, asOf)).toBe(fen);
  });

  it('agrees with the schedule’s cumulative figure for the day before', () => {
    const schedule = buildAccrualSchedule(order);
    for (const day of schedule.accruals) {
      const nextDay = schedule.accruals[day.dayNumber]?.date ?? schedule.maturityDate;
      expect(accruedToDate(order, nextDay)).toBe(day.cumulativeFen);
    }
  });
});

describe('interestForDays', () => {
  it('is zero for zero days and for a zero principal', () => {
    expect(interestForDays(1_000_000, parseAnnualRate('0.0425'), 0, 365)).toBe(0);
    expect(interestForDays(0, parseAnnualRate('0.0425'), 90, 365)).toBe(0);
  });

  it.each([
    ['negative days', () => interestForDays(100, parseAnnualRate('0.05'), -1, 365)],
    ['fractional days', () => interestForDays(100, parseAnnualRate('0.05'), 1.5, 365)],
    ['an unknown basis', () => interestForDays(100, parseAnnualRate('0.05'), 1, 366 as DayCountBasis)],
  ])('refuses %s with INVALID_TERM', (_name, action) => {
    const error = thrown(action);
    expect(error).toBeInstanceOf(InvalidTermError);
    expect((error as DomainError).code).toBe('INVALID_TERM');
  });

  it('refuses a fractional principal and an out-of-range rate', () => {
    expect((thrown(() => interestForDays(1.5, parseAnnualRate('0.05'), 1, 365)) as DomainError).code).toBe(
      'INVALID_AMOUNT',
    );
    expect((thrown(() => interestForDays(100, { micros: 0 }, 1, 365)) as DomainError).code).toBe('INVALID_RATE');
  });
});
