import { isCalendarDate, parseCalendarDate } from './calendar';
import { InvalidOrderNumberError, describeValue } from './errors';

/** `XJP` + the Shanghai order date `YYYYMMDD` + a six-digit daily sequence, e.g. `XJP20261122000123`. */
export const ORDER_NUMBER_PATTERN = /^XJP(\d{4})(\d{2})(\d{2})(\d{6})$/;

/** Largest daily sequence six digits can hold. */
export const MAX_ORDER_SEQUENCE = 999_999;

/** Builds an order number from a `YYYY-MM-DD` date and a daily sequence in 1..999,999. */
export function formatOrderNumber(date: string, sequence: number): string {
  const day = parseCalendarDate(date);
  if (!Number.isInteger(sequence) || sequence < 1 || sequence > MAX_ORDER_SEQUENCE) {
    throw new InvalidOrderNumberError(
      `order sequence must be a whole number from 1 to ${MAX_ORDER_SEQUENCE}: ${describeValue(sequence)}`,
    );
  }
  return `XJP${day.replaceAll('-', '')}${String(sequence).padStart(6, '0')}`;
}

/** Splits a valid order number into its date and sequence; throws InvalidOrderNumberError otherwise. */
export function parseOrderNumber(value: unknown): { date: string; sequence: number } {
  const match = typeof value === 'string' ? ORDER_NUMBER_PATTERN.exec(value) : null;
  const [, year, month, day, sequence] = match ?? [];
  const date = `${year}-${month}-${day}`;
  if (!match || Number(sequence) < 1 || !isCalendarDate(date))
    throw new InvalidOrderNumberError(`not an XJP order number: ${describeValue(value)}`);
  return { date, sequence: Number(sequence) };
}

/** True when `value` is a valid order number. */
export function isOrderNumber(value: unknown): value is string {
  try {
    parseOrderNumber(value);
    return true;
  } catch {
    return false;
  }
}
