import { addDays, addMonths, daysBetween, shanghaiDate } from '../common/shanghai-time';
import type { SimProduct } from './catalogue';

/** "0.0425" → 425 / 10000, exactly. */
function parseRate(rate: string): { numerator: bigint; denominator: bigint } {
  const match = /^(\d+)(?:\.(\d+))?$/.exec(rate);
  if (match === null) throw new Error(`not a decimal rate: ${rate}`);
  const [, whole = '0', fraction = ''] = match;
  return { numerator: BigInt(whole + fraction), denominator: 10n ** BigInt(fraction.length) };
}

/** Simple interest `round_half_up(principal × rate × days / basis)`, in integer arithmetic. */
export function simpleInterestFen(principalFen: number, annualRate: string, days: number, basis: number): number {
  const { numerator, denominator } = parseRate(annualRate);
  const dividend = BigInt(principalFen) * numerator * BigInt(days);
  const divisor = denominator * BigInt(basis);
  return Number((2n * dividend + divisor) / (2n * divisor));
}

/**
 * The terms XJP quotes for an order placed at `orderTime`: interest runs from T+1 for the product's
 * term (moved by the product's maturity-shift knob), and the interest is for those days.
 */
export function quoteTerms(
  product: SimProduct,
  amountFen: number,
  orderTime: Date,
): {
  interestStartDate: string;
  interestEndDate: string;
  maturityInterestFen: number;
} {
  const interestStartDate = addDays(shanghaiDate(orderTime), 1);
  const termEnd =
    product.termUnit === 'DAY' ? addDays(interestStartDate, product.term) : addMonths(interestStartDate, product.term);
  const interestEndDate = addDays(termEnd, product.maturityShiftDays);
  const days = daysBetween(interestStartDate, interestEndDate);
  return {
    interestStartDate,
    interestEndDate,
    maturityInterestFen: simpleInterestFen(amountFen, product.annualRate, days, product.dayCountBasis),
  };
}
