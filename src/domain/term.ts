import { addDays, addMonths } from './calendar';
import { InvalidTermError, describeValue } from './errors';

/** The units a product term is quoted in (XJP's `termUnit`). */
export const TERM_UNITS = ['DAY', 'MONTH'] as const;

/** One of {@link TERM_UNITS}. */
export type TermUnit = (typeof TERM_UNITS)[number];

/** A product's investment term, e.g. `{ unit: 'DAY', value: 90 }`. */
export interface Term {
  readonly unit: TermUnit;
  readonly value: number;
}

/** Longest term accepted per unit (ten years): beyond it a value is a data error, not a product. */
export const MAX_TERM_VALUE: Readonly<Record<TermUnit, number>> = { DAY: 3660, MONTH: 120 };

/** Validates a term: a known unit and a whole value from 1 to {@link MAX_TERM_VALUE}. */
export function parseTerm(term: { unit: unknown; value: unknown }): Term {
  const { unit, value } = term;
  if (unit !== 'DAY' && unit !== 'MONTH') throw new InvalidTermError(`unknown term unit: ${describeValue(unit)}`);
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > MAX_TERM_VALUE[unit]) {
    throw new InvalidTermError(
      `term in ${unit} must be a whole number from 1 to ${MAX_TERM_VALUE[unit]}: ${describeValue(value)}`,
    );
  }
  return { unit, value };
}

/** The maturity date: interest start plus the term, month terms clamped to the month's end. */
export function maturityDate(interestStart: string, term: Term): string {
  const { unit, value } = parseTerm(term);
  return unit === 'DAY' ? addDays(interestStart, value) : addMonths(interestStart, value);
}
