import {
  addDays,
  addMonths,
  daysBetween,
  interestStartDate,
  isCalendarDate,
  parseCalendarDate,
  shanghaiDate,
  shanghaiMidnight,
} from '../../src/domain/calendar';
import { DomainError, InvalidDateError, InvalidInterestStartRuleError } from '../../src/domain/errors';
import { thrown } from './thrown';

function expectCode(action: () => unknown, type: new (message: string) => DomainError, code: string): void {
  const error = thrown(action);
  expect(error).toBeInstanceOf(type);
  expect((error as DomainError).code).toBe(code);
}

describe('parseCalendarDate', () => {
  it.each(['2026-01-01', '2028-02-29', '2026-12-31', '1992-01-01', '9999-12-31'])('accepts %p', (date) => {
    expect(parseCalendarDate(date)).toBe(date);
    expect(isCalendarDate(date)).toBe(true);
  });

  it.each([
    '2026-02-29',
    '2026-04-31',
    '2026-13-01',
    '2026-00-10',
    '2026-01-00',
    '2026-1-5',
    '20260105',
    '2026-01-05T00:00:00Z',
    '1991-12-31',
    '',
    20260105,
    null,
  ])('refuses %p', (date) => {
    expectCode(() => parseCalendarDate(date), InvalidDateError, 'INVALID_DATE');
    expect(isCalendarDate(date)).toBe(false);
  });
});

describe('shanghaiDate', () => {
  it.each([
    ['2026-01-05T15:59:59.999Z', '2026-01-05'],
    ['2026-01-05T16:00:00.000Z', '2026-01-06'],
    ['2026-01-05T00:00:00.000Z', '2026-01-05'],
    ['2025-12-31T16:00:00.000Z', '2026-01-01'],
    ['2028-02-28T16:30:00.000Z', '2028-02-29'],
    ['2026-07-01T03:00:00+08:00', '2026-07-01'],
  ])('places %p on %p in Shanghai', (instant, date) => {
    expect(shanghaiDate(new Date(instant))).toBe(date);
  });

  it('refuses an invalid instant', () => {
    expectCode(() => shanghaiDate(new Date('nonsense')), InvalidDateError, 'INVALID_DATE');
  });
});

describe('shanghaiMidnight', () => {
  it('is 16:00 UTC on the previous day', () => {
    expect(shanghaiMidnight('2026-01-06').toISOString()).toBe('2026-01-05T16:00:00.000Z');
    expect(shanghaiMidnight('2026-03-01').toISOString()).toBe('2026-02-28T16:00:00.000Z');
  });

  it('is the first instant of its Shanghai day', () => {
    const midnight = shanghaiMidnight('2026-11-22');
    expect(shanghaiDate(midnight)).toBe('2026-11-22');
    expect(shanghaiDate(new Date(midnight.getTime() - 1))).toBe('2026-11-21');
  });
});

describe('addDays', () => {
  it.each([
    ['2026-01-05', 90, '2026-04-05'],
    ['2026-02-28', 1, '2026-03-01'],
    ['2028-02-28', 1, '2028-02-29'],
    ['2026-12-31', 1, '2027-01-01'],
    ['2026-03-01', -1, '2026-02-28'],
    ['2026-03-01', 0, '2026-03-01'],
    ['2026-01-01', 365, '2027-01-01'],
  ])('%p + %p days = %p', (date, days, expected) => {
    expect(addDays(date, days)).toBe(expected);
  });

  it('refuses fractional days and results outside the supported years', () => {
    expectCode(() => addDays('2026-01-01', 1.5), InvalidDateError, 'INVALID_DATE');
    expectCode(() => addDays('9999-12-31', 1), InvalidDateError, 'INVALID_DATE');
  });
});

describe('addMonths', () => {
  it.each([
    ['2026-01-31', 1, '2026-02-28'],
    ['2028-01-31', 1, '2028-02-29'],
    ['2026-01-31', 2, '2026-03-31'],
    ['2026-01-31', 3, '2026-04-30'],
    ['2026-03-31', -1, '2026-02-28'],
    ['2026-08-31', 6, '2027-02-28'],
    ['2026-11-15', 2, '2027-01-15'],
    ['2026-01-15', -1, '2025-12-15'],
    ['2028-02-29', 12, '2029-02-28'],
    ['2026-03-15', 12, '2027-03-15'],
    ['2026-03-15', 0, '2026-03-15'],
  ])('%p + %p months = %p', (date, months, expected) => {
    expect(addMonths(date, months)).toBe(expected);
  });
});

describe('daysBetween', () => {
  it.each([
    ['2026-01-05', '2026-04-05', 90],
    ['2026-01-31', '2026-04-30', 89],
    ['2027-03-15', '2028-03-15', 366],
    ['2026-04-05', '2026-01-05', -90],
    ['2026-01-05', '2026-01-05', 0],
  ])('from %p to %p is %p days', (from, to, days) => {
    expect(daysBetween(from, to)).toBe(days);
  });
});

describe('interestStartDate', () => {
  it.each([
    ['2026-01-05T10:00:00+08:00', 'T+1', '2026-01-06'],
    ['2026-01-05T23:59:59+08:00', 'T+1', '2026-01-06'],
    ['2026-01-05T16:00:00Z', 'T+1', '2026-01-07'],
    ['2026-01-05T10:00:00+08:00', 'T+0', '2026-01-05'],
    ['2026-02-27T10:00:00+08:00', 'T+2', '2026-03-01'],
    ['2026-12-31T12:00:00+08:00', 'T+1', '2027-01-01'],
  ])('payment at %p under %p starts interest on %p', (paidAt, rule, expected) => {
    expect(interestStartDate(new Date(paidAt), rule)).toBe(expected);
  });

  it.each(['T+31', 'T-1', 'T1', 't+1', 'T+', 'T+1 ', 'D+1', ''])('refuses the rule %p', (rule) => {
    expectCode(
      () => interestStartDate(new Date('2026-01-05T00:00:00Z'), rule),
      InvalidInterestStartRuleError,
      'INVALID_INTEREST_START_RULE',
    );
  });
});
