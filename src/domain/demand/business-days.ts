import { addDays, parseCalendarDate } from '../calendar';
import { CHINA_HOLIDAYS } from '../china-holidays';

/**
 * The days off of mainland public holidays, from the one holiday table (../china-holidays.ts, each
 * year with its source). XJP's demand product trades on weekdays that are not days off: unlike bank
 * working days (../business-days.ts), the weekend days the State Council makes working days (调休)
 * are not trading days, as XJP, like the funds it follows, never trades on a Saturday or Sunday. A
 * year the table does not cover counts weekends only.
 */
export const DEMAND_HOLIDAYS: ReadonlySet<string> = new Set(CHINA_HOLIDAYS.flatMap((year) => year.daysOff));

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
