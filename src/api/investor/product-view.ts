import { formatRate, parseAnnualRate, rateToDecimalString } from '../../domain/rate';
import type { XjpProduct } from '../../partners/xjp';
import type { ProductView } from './schemas';

/**
 * Raised / target as a percentage with two decimals, computed on integers: floored, so a product
 * shows "100.00" only when it is really full, and capped there if XJP over-reports.
 */
export function raiseProgressPercent(raisedFen: number, raiseTargetFen: number): string {
  if (raiseTargetFen <= 0) return '0.00';
  const basisPoints = (BigInt(raisedFen) * 10_000n) / BigInt(raiseTargetFen);
  const capped = basisPoints > 10_000n ? 10_000n : basisPoints;
  return `${capped / 100n}.${String(capped % 100n).padStart(2, '0')}`;
}

/** A catalogue product as the platform shows it. */
export function productView(product: XjpProduct): ProductView {
  const rate = parseAnnualRate(product.annualRate);
  return {
    productId: product.productId,
    productCode: product.productCode,
    name: product.name,
    annualRate: rateToDecimalString(rate),
    annualRatePercent: formatRate(rate),
    term: { unit: product.termUnit, value: product.term },
    minAmountFen: product.minAmountFen,
    stepAmountFen: product.stepAmountFen,
    raiseTargetFen: product.raiseTargetFen,
    raisedFen: product.raisedFen,
    remainingFen: Math.max(product.raiseTargetFen - product.raisedFen, 0),
    raiseProgressPercent: raiseProgressPercent(product.raisedFen, product.raiseTargetFen),
    status: product.status,
    acceptingBank: product.acceptingBank,
    dayCountBasis: product.dayCountBasis,
    payoutMode: product.payoutMode,
    memberLimitFen: product.memberLimitFen ?? null,
  };
}
