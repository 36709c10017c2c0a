import { addDays } from '../../src/domain/calendar';
import { holidayYearOf, isBusinessDay, nextBusinessDay } from '../../src/domain/business-days';
import { CHINA_HOLIDAYS } from '../../src/domain/china-holidays';
import { InvalidDateError } from '../../src/domain/errors';
import { thrown } from './thrown';

describe('isBusinessDay', () => {
  it.each([
    ['2026-12-07', true, 'a Monday'],
    ['2026-12-05', false, 'a Saturday'],
    ['2026-12-06', false, 'a Sunday'],
    ['2026-10-01', false, 'National Day'],
    ['2026-10-07', false, 'the last day of the National Day week (a Wednesday)'],
    ['2026-10-10', true, 'a Saturday worked for National Day'],
    ['2026-02-14', true, 'a Saturday worked for the Spring Festival'],
    ['2026-02-23', false, 'the Monday ending the Spring Festival'],
    ['2026-01-04', true, 'the Sunday worked for New Year'],
    ['2027-10-01', false, 'National Day 2027 (provisional)'],
    ['2027-10-08', true, 'the Friday after the National Day week 2027'],
    ['2028-10-02', true, 'a Monday in a year the table does not cover (weekends only)'],
  ])('%s is %p: %s', (date, expected) => {
    expect(isBusinessDay(date)).toBe(expected);
  });

  it('refuses a date that does not exist', () => {
    expect(thrown(() => isBusinessDay('2026-02-30'))).toBeInstanceOf(InvalidDateError);
  });
});

describe('nextBusinessDay', () => {
  it.each([
    ['2026-12-07', '2026-12-07', 'a business day stays'],
    ['2026-12-05', '2026-12-07', 'Saturday moves to Monday'],
    ['2026-10-01', '2026-10-08', 'National Day moves past the holiday week'],
    ['2026-10-03', '2026-10-08', 'a Saturday inside the holiday week'],
    ['2026-02-15', '2026-02-24', 'the Spring Festival run'],
    ['2026-02-28', '2026-02-28', 'an adjusted working Saturday stays'],
    ['2027-10-01', '2027-10-08', 'National Day 2027 (provisional)'],
    ['2026-12-31', '2026-12-31', 'the last day of a year'],
  ])('%s → %s: %s', (date, expected) => {
    expect(nextBusinessDay(date)).toBe(expected);
  });

  it('never answers a day off, and never more than a holiday run later, for every day of the tabled years', () => {
    for (const { year } of CHINA_HOLIDAYS) {
      for (let day = `${year}-01-01`; day.startsWith(String(year)); day = addDays(day, 1)) {
        const next = nextBusinessDay(day);
        expect(isBusinessDay(next)).toBe(true);
        expect(next >= day && next <= addDays(day, 10)).toBe(true);
      }
    }
  });
});

describe('the holiday table', () => {
  it('states its source for every year and marks 2027 provisional until the notice is published', () => {
    expect(CHINA_HOLIDAYS.map((y) => [y.year, y.provisional])).toEqual([
      [2026, false],
      [2027, true],
    ]);
    expect(holidayYearOf('2026-05-01')?.source).toContain('国务院办公厅关于2026年部分节假日安排的通知');
    expect(holidayYearOf('2028-01-03')).toBeUndefined();
  });

  it('lists each year’s own dates only, each once, never a day both off and worked', () => {
    for (const { year, daysOff, workingWeekendDays } of CHINA_HOLIDAYS) {
      for (const date of [...daysOff, ...workingWeekendDays]) expect(date.startsWith(`${year}-`)).toBe(true);
      expect(new Set(daysOff).size).toBe(daysOff.length);
      for (const date of workingWeekendDays) expect(daysOff).not.toContain(date);
    }
  });
});
