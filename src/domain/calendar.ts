import { InvalidDateError, InvalidInterestStartRuleError, describeValue } from './errors';

// China Standard Time is a fixed UTC+8 with no daylight saving (since 1991), so plain UTC
// arithmetic shifted by eight hours is exact and deterministic, inside workflows too.
const SHANGHAI_OFFSET_MS = 8 * 60 * 60 * 1000;
const MS_PER_DAY = 24 * 60 * 60 * 1000;
const DATE_STRING = /^(\d{4})-(\d{2})-(\d{2})$/;
// Orders live in this window; outside it the four-digit `YYYY` form or the fixed offset stops holding.
const MIN_YEAR = 1992;
const MAX_YEAR = 9999;
// Bounds the `T+N` rule so a mistyped product setting cannot push interest start years away.
const MAX_INTEREST_START_OFFSET_DAYS = 30;
const INTEREST_START_RULE = /^T\+(\d{1,2})$/;

/** Validates a calendar date string `YYYY-MM-DD` (a real day, years 1992–9999) and returns it. */
export function parseCalendarDate(value: unknown): string {
  toEpochDay(value);
  return value as string;
}

/** True when `value` is a valid calendar date string `YYYY-MM-DD`. */
export function isCalendarDate(value: unknown): value is string {
  try {
    toEpochDay(value);
    return true;
  } catch {
    return false;
  }
}

/** The Asia/Shanghai calendar date an instant falls on. */
export function shanghaiDate(instant: Date): string {
  const ms = instant instanceof Date ? instant.getTime() : NaN;
  if (Number.isNaN(ms)) throw new InvalidDateError(`not a valid instant: ${describeValue(instant)}`);
  return fromEpochDay(Math.floor((ms + SHANGHAI_OFFSET_MS) / MS_PER_DAY));
}

/** The instant an Asia/Shanghai calendar day starts (16:00 UTC the day before); workflows set timers to it. */
export function shanghaiMidnight(date: string): Date {
  return new Date(toEpochDay(date) * MS_PER_DAY - SHANGHAI_OFFSET_MS);
}

/** The date `days` calendar days after `date` (before it when negative). */
export function addDays(date: string, days: number): string {
  assertInteger(days, 'days');
  return fromEpochDay(toEpochDay(date) + days);
}

/** The date `months` months after `date`, clamped to the month's last day (Jan 31 + 1 month = Feb 28/29). */
export function addMonths(date: string, months: number): string {
  assertInteger(months, 'months');
  const { year, month, day } = splitDate(date);
  const monthIndex = year * 12 + (month - 1) + months;
  const targetYear = Math.floor(monthIndex / 12);
  const targetMonth = monthIndex - targetYear * 12 + 1;
  const targetDay = Math.min(day, daysInMonth(targetYear, targetMonth));
  return fromEpochDay(toEpochDay(formatDate(targetYear, targetMonth, targetDay)));
}

/** Whole days from `from` to `to`: positive when `to` is later, negative when earlier. */
export function daysBetween(from: string, to: string): number {
  return toEpochDay(to) - toEpochDay(from);
}

/** The Shanghai date interest starts for a payment at `paidAt` under a product rule `T+N` (N in 0..30). */
export function interestStartDate(paidAt: Date, rule: string): string {
  const match = typeof rule === 'string' ? INTEREST_START_RULE.exec(rule) : null;
  const offset = match ? Number(match[1]) : NaN;
  if (!(offset <= MAX_INTEREST_START_OFFSET_DAYS)) {
    throw new InvalidInterestStartRuleError(
      `interest start rule must be T+N with N in 0..${MAX_INTEREST_START_OFFSET_DAYS}: ${describeValue(rule)}`,
    );
  }
  return addDays(shanghaiDate(paidAt), offset);
}

function splitDate(value: unknown): { year: number; month: number; day: number } {
  const match = typeof value === 'string' ? DATE_STRING.exec(value) : null;
  if (!match) throw new InvalidDateError(`not a YYYY-MM-DD date: ${describeValue(value)}`);
  const [year, month, day] = match.slice(1).map(Number) as [number, number, number];
  if (year < MIN_YEAR || year > MAX_YEAR || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) {
    throw new InvalidDateError(`no such date in ${MIN_YEAR}–${MAX_YEAR}: ${describeValue(value)}`);
  }
  return { year, month, day };
}

function toEpochDay(value: unknown): number {
  const { year, month, day } = splitDate(value);
  return Date.UTC(year, month - 1, day) / MS_PER_DAY;
}

function fromEpochDay(epochDay: number): string {
  const date = new Date(epochDay * MS_PER_DAY);
  const year = date.getUTCFullYear();
  if (!(year >= MIN_YEAR && year <= MAX_YEAR)) throw new InvalidDateError(`date outside ${MIN_YEAR}–${MAX_YEAR}`);
  return formatDate(year, date.getUTCMonth() + 1, date.getUTCDate());
}

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

function formatDate(year: number, month: number, day: number): string {
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

function assertInteger(value: number, name: string): void {
  if (!Number.isSafeInteger(value)) throw new InvalidDateError(`${name} must be an integer: ${describeValue(value)}`);
}
