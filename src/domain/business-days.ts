/**
 * Business days (工作日) in mainland China: Monday to Friday unless the holiday table takes the day
 * off, and the Saturdays and Sundays the table makes working days. Pure, so workflows may use it.
 */
import { addDays, daysBetween, parseCalendarDate } from './calendar';
import { CHINA_HOLIDAYS, type HolidayYear } from './china-holidays';
import { InvalidDateError } from './errors';

// A known Monday inside the calendar's range, to count weekdays from.
const A_MONDAY = '2000-01-03';
/** The longest run of days off the table could ever hold (Spring Festival is nine); bounds the search. */
const MAX_DAYS_TO_NEXT_BUSINESS_DAY = 31;

const byYear = new Map<number, { year: HolidayYear; daysOff: Set<string>; workingWeekendDays: Set<string> }>(
  CHINA_HOLIDAYS.map((year) => [
    year.year,
    { year, daysOff: new Set(year.daysOff), workingWeekendDays: new Set(year.workingWeekendDays) },
  ]),
);

/** The holiday table's entry for `date`'s year, or undefined when the table does not cover it (weekends only then). */
export function holidayYearOf(date: string): HolidayYear | undefined {
  return byYear.get(Number(parseCalendarDate(date).slice(0, 4)))?.year;
}

/** True when `date` is a Saturday or Sunday. */
function isWeekend(date: string): boolean {
  // 0 is Monday, so 5 and 6 are Saturday and Sunday.
  const weekday = ((daysBetween(A_MONDAY, date) % 7) + 7) % 7;
  return weekday >= 5;
}

/** True when banks and XJP settle on `date`: a weekday not taken off, or an adjusted working weekend day. */
export function isBusinessDay(date: string): boolean {
  const year = byYear.get(Number(parseCalendarDate(date).slice(0, 4)));
  if (year?.daysOff.has(date) === true) return false;
  if (isWeekend(date)) return year?.workingWeekendDays.has(date) === true;
  return true;
}

/** `date` itself when it is a business day, else the first business day after it. */
export function nextBusinessDay(date: string): string {
  let day = parseCalendarDate(date);
  for (let step = 0; step < MAX_DAYS_TO_NEXT_BUSINESS_DAY; step += 1) {
    if (isBusinessDay(day)) return day;
    day = addDays(day, 1);
  }
  // Unreachable with a table of real holidays: reaching it means the table itself is wrong.
  throw new InvalidDateError(
    `no business day within ${MAX_DAYS_TO_NEXT_BUSINESS_DAY} days of ${date}: check china-holidays.ts`,
  );
}
