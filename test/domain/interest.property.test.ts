import Decimal from 'decimal.js';
import fc from 'fast-check';
import { addDays, daysBetween } from '../../src/domain/calendar';
import {
  accruedToDate,
  buildAccrualSchedule,
  expectedIncome,
  interestForDays,
  type AccrualInput,
} from '../../src/domain/interest';
import { RATE_MICROS_PER_UNIT, rateToDecimalString } from '../../src/domain/rate';

// An independent oracle: arbitrary-precision decimals with enough digits that no intermediate rounds.
const Exact = Decimal.clone({ precision: 80, rounding: Decimal.ROUND_HALF_UP });

function oracleInterest(principalFen: number, rateText: string, days: number, basis: number): number {
  return new Exact(principalFen)
    .times(rateText)
    .times(days)
    .dividedBy(basis)
    .toDecimalPlaces(0, Exact.ROUND_HALF_UP)
    .toNumber();
}

const startDate = fc.integer({ min: 0, max: 36_500 }).map((offset) => addDays('2000-01-01', offset));
const term = fc.oneof(
  fc.record({ unit: fc.constant('DAY' as const), value: fc.integer({ min: 1, max: 1095 }) }),
  fc.record({ unit: fc.constant('MONTH' as const), value: fc.integer({ min: 1, max: 36 }) }),
);
const accrualInput: fc.Arbitrary<AccrualInput> = fc.record({
  principalFen: fc.integer({ min: 1, max: 100_000_000_000 }),
  annualRate: fc.integer({ min: 1, max: RATE_MICROS_PER_UNIT }).map((micros) => ({ micros })),
  basis: fc.constantFrom(360 as const, 365 as const),
  interestStartDate: startDate,
  term,
});

describe('accrual schedule properties', () => {
  it('daily accruals sum exactly to the maturity interest, none negative, cumulative never falls', () => {
    fc.assert(
      fc.property(accrualInput, (order) => {
        const schedule = buildAccrualSchedule(order);
        let sum = 0;
        let previous = 0;
        for (const day of schedule.accruals) {
          if (day.amountFen < 0 || day.cumulativeFen < previous) return false;
          sum += day.amountFen;
          if (day.cumulativeFen !== sum) return false;
          previous = day.cumulativeFen;
        }
        return sum === schedule.maturityInterestFen && schedule.accruals.length === schedule.days;
      }),
      { numRuns: 300 },
    );
  });

  it('maturity interest equals an independent decimal.js ROUND_HALF_UP computation', () => {
    fc.assert(
      fc.property(accrualInput, (order) => {
        const schedule = buildAccrualSchedule(order);
        const days = daysBetween(schedule.interestStartDate, schedule.maturityDate);
        const expected = oracleInterest(order.principalFen, rateToDecimalString(order.annualRate), days, order.basis);
        return schedule.maturityInterestFen === expected && expectedIncome(order) === expected;
      }),
      { numRuns: 500 },
    );
  });

  it('rounds exact half fen up, as the oracle does (small round inputs make ties common)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 1000 }),
        fc.integer({ min: 1, max: 1000 }),
        fc.integer({ min: 0, max: 400 }),
        fc.constantFrom(360 as const, 365 as const),
        (principalFen, rateThousandths, days, basis) => {
          const annualRate = { micros: rateThousandths * 1000 };
          const expected = oracleInterest(principalFen, rateToDecimalString(annualRate), days, basis);
          return interestForDays(principalFen, annualRate, days, basis) === expected;
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('accrued-to-date equals the schedule’s cumulative figure on every day', () => {
    fc.assert(
      fc.property(accrualInput, fc.integer({ min: -10, max: 1200 }), (order, offset) => {
        const schedule = buildAccrualSchedule(order);
        const asOf = addDays(order.interestStartDate, offset);
        const elapsed = Math.min(Math.max(offset, 0), schedule.days);
        const expected = elapsed === 0 ? 0 : schedule.accruals[elapsed - 1]?.cumulativeFen;
        return accruedToDate(order, asOf) === expected;
      }),
      { numRuns: 300 },
    );
  });

  it('day terms accrue exactly their number of days; month terms land on the same or clamped day of month', () => {
    fc.assert(
      fc.property(startDate, term, (start, t) => {
        const { days, maturityDate } = buildAccrualSchedule({
          principalFen: 1,
          annualRate: { micros: 1 },
          basis: 365,
          interestStartDate: start,
          term: t,
        });
        if (t.unit === 'DAY') return days === t.value;
        const startDay = Number(start.slice(8));
        const maturityDay = Number(maturityDate.slice(8));
        return maturityDay === startDay || (maturityDay < startDay && addDays(maturityDate, 1).endsWith('-01'));
      }),
      { numRuns: 300 },
    );
  });
});
