import { addDays, daysBetween } from './calendar';
import { InvalidAmountError, InvalidTermError, describeValue } from './errors';
import { divideRoundHalfUp, parseFen } from './money';
import { RATE_MICROS_PER_UNIT, rateFromMicros, type AnnualRate } from './rate';
import { maturityDate, type Term } from './term';

/** Day-count bases a product may use: interest per day is `rate / basis`. */
export const DAY_COUNT_BASES = [360, 365] as const;

/** One of {@link DAY_COUNT_BASES}. */
export type DayCountBasis = (typeof DAY_COUNT_BASES)[number];

/** What fixes a fixed-term order's interest: principal, annual rate, basis, interest start date and term. */
export interface AccrualInput {
  readonly principalFen: number;
  readonly annualRate: AnnualRate;
  readonly basis: DayCountBasis;
  readonly interestStartDate: string;
  readonly term: Term;
}

/** One accrual day: `date` is the day earned, `amountFen` is interest(dayNumber) − interest(dayNumber − 1). */
export interface DailyAccrual {
  readonly date: string;
  readonly dayNumber: number;
  readonly amountFen: number;
  readonly cumulativeFen: number;
}

/** An order's whole interest picture; the accrual days are [interestStartDate, maturityDate). */
export interface AccrualSchedule {
  readonly interestStartDate: string;
  readonly maturityDate: string;
  readonly days: number;
  readonly maturityInterestFen: number;
  readonly accruals: readonly DailyAccrual[];
}

const MAX_SAFE_BIGINT = BigInt(Number.MAX_SAFE_INTEGER);

/** Simple interest for the first `days` accrual days: round_half_up(principal × rate × days / basis), in fen. */
export function interestForDays(principalFen: number, rate: AnnualRate, days: number, basis: DayCountBasis): number {
  if (!Number.isSafeInteger(days) || days < 0)
    throw new InvalidTermError(`accrual days must be a whole number ≥ 0: ${describeValue(days)}`);
  return interestOf(accrualFactors(principalFen, rate, basis), days);
}

/** The interest earned by maturity (预期收益), without building the daily schedule. */
export function expectedIncome(input: AccrualInput): number {
  return interestOf(accrualFactors(input.principalFen, input.annualRate, input.basis), accrualDays(input));
}

/** Interest earned by the start of `asOfDate`: the accrual days before it, so 0 on the start date and all of it at maturity. */
export function accruedToDate(input: AccrualInput, asOfDate: string): number {
  const days = Math.min(Math.max(daysBetween(input.interestStartDate, asOfDate), 0), accrualDays(input));
  return interestOf(accrualFactors(input.principalFen, input.annualRate, input.basis), days);
}

/** The day-by-day schedule; the daily amounts telescope, so they sum exactly to the maturity interest. */
export function buildAccrualSchedule(input: AccrualInput): AccrualSchedule {
  const factors = accrualFactors(input.principalFen, input.annualRate, input.basis);
  const maturity = maturityDate(input.interestStartDate, input.term);
  const days = daysBetween(input.interestStartDate, maturity);
  const accruals: DailyAccrual[] = [];
  let previous = 0;
  for (let dayNumber = 1; dayNumber <= days; dayNumber++) {
    const cumulativeFen = interestOf(factors, dayNumber);
    accruals.push({
      date: addDays(input.interestStartDate, dayNumber - 1),
      dayNumber,
      amountFen: cumulativeFen - previous,
      cumulativeFen,
    });
    previous = cumulativeFen;
  }
  return {
    interestStartDate: input.interestStartDate,
    maturityDate: maturity,
    days,
    maturityInterestFen: previous,
    accruals,
  };
}

interface AccrualFactors {
  readonly principalTimesMicros: bigint;
  readonly denominator: bigint;
}

function accrualDays(input: AccrualInput): number {
  return daysBetween(input.interestStartDate, maturityDate(input.interestStartDate, input.term));
}

function accrualFactors(principalFen: number, rate: AnnualRate, basis: DayCountBasis): AccrualFactors {
  if (!DAY_COUNT_BASES.includes(basis))
    throw new InvalidTermError(`day-count basis must be 360 or 365: ${describeValue(basis)}`);
  const principal = BigInt(parseFen(principalFen));
  const micros = BigInt(rateFromMicros(rate.micros).micros);
  return { principalTimesMicros: principal * micros, denominator: BigInt(basis) * BigInt(RATE_MICROS_PER_UNIT) };
}

function interestOf(factors: AccrualFactors, days: number): number {
  const fen = divideRoundHalfUp(factors.principalTimesMicros * BigInt(days), factors.denominator);
  if (fen > MAX_SAFE_BIGINT) throw new InvalidAmountError('interest beyond a safe integer of fen');
  return Number(fen);
}

/**
 * Interest of the first `days` of `totalDays` when the maturity interest is an agreed figure
 * (an operator accepted XJP's): the figure spread pro rata, half up, so the days still sum
 * exactly to it and no day is negative.
 */
export function agreedInterestForDays(agreedInterestFen: number, days: number, totalDays: number): number {
  if (!Number.isSafeInteger(agreedInterestFen) || agreedInterestFen < 0)
    throw new InvalidAmountError(`agreed interest must be whole fen ≥ 0: ${describeValue(agreedInterestFen)}`);
  if (!Number.isSafeInteger(totalDays) || totalDays < 1)
    throw new InvalidTermError(`total days must be a whole number ≥ 1: ${describeValue(totalDays)}`);
  if (!Number.isSafeInteger(days) || days < 0 || days > totalDays)
    throw new InvalidTermError(`days must lie in 0..${totalDays}: ${describeValue(days)}`);
  return Number(divideRoundHalfUp(BigInt(agreedInterestFen) * BigInt(days), BigInt(totalDays)));
}

/**
 * What fixes an order's ledger once it accrues: the days [interestStartDate, maturityDate) as XJP
 * dated them, and either the simple-interest figures or an agreed maturity interest to spread.
 */
export interface LedgerTerms {
  readonly principalFen: number;
  readonly annualRate: AnnualRate;
  readonly basis: DayCountBasis;
  readonly interestStartDate: string;
  readonly maturityDate: string;
  /** XJP's maturity interest when an operator accepted it over ours: the days spread this figure instead. */
  readonly agreedMaturityInterestFen?: number;
}

/** Interest of the first `days` accrual days of an order's ledger: simple interest, or the agreed figure pro rata. */
export function ledgerInterestForDays(terms: LedgerTerms, days: number): number {
  return terms.agreedMaturityInterestFen === undefined
    ? interestForDays(terms.principalFen, terms.annualRate, days, terms.basis)
    : agreedInterestForDays(
        terms.agreedMaturityInterestFen,
        days,
        daysBetween(terms.interestStartDate, terms.maturityDate),
      );
}

/** Every ledger day of an order, day d earning interest(d) − interest(d − 1): they sum exactly to the maturity interest. */
export function ledgerDays(terms: LedgerTerms): DailyAccrual[] {
  const days = daysBetween(terms.interestStartDate, terms.maturityDate);
  const accruals: DailyAccrual[] = [];
  let previous = 0;
  for (let dayNumber = 1; dayNumber <= days; dayNumber++) {
    const cumulativeFen = ledgerInterestForDays(terms, dayNumber);
    accruals.push({
      date: addDays(terms.interestStartDate, dayNumber - 1),
      dayNumber,
      amountFen: cumulativeFen - previous,
      cumulativeFen,
    });
    previous = cumulativeFen;
  }
  return accruals;
}
