/**
 * The calendar dates the API accepts in a filter or query: wide enough for any order's life, narrow
 * enough that date arithmetic on them (a day after `to`, an instant at midnight) stays in range.
 */
export const DATE_RANGE = { from: '1970-01-01', to: '2999-12-31' } as const;

/** True when a `YYYY-MM-DD` date lies within {@link DATE_RANGE} (such strings order as dates do). */
export function withinDateRange(date: string): boolean {
  return date >= DATE_RANGE.from && date <= DATE_RANGE.to;
}

/** The field message for a date outside the range. */
export const DATE_RANGE_MESSAGE = `must be between ${DATE_RANGE.from} and ${DATE_RANGE.to}`;
