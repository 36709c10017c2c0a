import { addDays, parseCalendarDate } from '../calendar';

/**
 * Mainland public holidays (days off, Monday–Friday ones matter) on which XJP confirms nothing.
 * The State Council publishes the next year's table each December; a year missing here is treated
 * as weekends only, so the table is extended before the year starts. Make-up working weekends
 * (调休) are not modelled: XJP, like the funds it follows, does not trade on any Saturday or Sunday.
 */
export const DEMAND_HOLIDAYS: ReadonlySet<string> = new Set([
  // 2026
  '2026-01-01',
  '2026-01-02',
  '2026-02-16',
  '2026-02-17',
  '2026-02-18',
  '2026-02-19',
  '2026-02-20',
  '2026-02-23',
  '2026-04-06',
  '2026-05-01',
  '2026-05-04',
  '2026-05-05',
  '2026-06-19',
  '2026-09-25',
  '2026-10-01',
  '2026-10-02',
  '2026-10-05',
  '2026-10-06',
  '2026-10-07',
  '2026-10-08',
  // 2027
  '2027-01-01',
  '2027-02-05',
  '2027-02-08',
  '2027-02-09',
  '2027-02-10',
  '2027-02-11',
  '2027-04-05',
  '2027-05-03',
  '2027-05-04',
  '2027-05-05',
  '2027-06-09',
  '2027-09-15',
  '2027-10-01',
  '2027-10-04',
  '2027-10-05',
  '2027-10-06',
  '2027-10-07',
  // 2028
  '2028-01-03',
]);

/** Longest run of days off the table and weekends make (the Spring Festival week with both weekends). */
const MAX_DAYS_OFF_IN_A_ROW = 16;

/** True when XJP trades on `date` (`YYYY-MM-DD`): a weekday that is not a public holiday. */
export function isBusinessDay(date: string): boolean {
  const weekday = new Date(`${parseCalendarDate(date)}T00:00:00Z`).getUTCDay();
  return weekday !== 0 && weekday !== 6 && !DEMAND_HOLIDAYS.has(date);
}

/** The first business day strictly after `date`. */
export function nextBusinessDay(date: string): string {
  let day = date;
  // Bounded: no stretch of days off is longer than the holiday table allows.
  for (let step = 0; step <= MAX_DAYS_OFF_IN_A_ROW; step++) {
    day = addDays(day, 1);
    if (isBusinessDay(day)) return day;
  }
  throw new RangeError(`no business day within ${MAX_DAYS_OFF_IN_A_ROW} days after ${date}`);
}
