/** What the backend re-checks about a product before subscribing (DOMAIN.md: validation twice). */
export interface ProductOffer {
  status: string;
  minAmountFen: number;
  stepAmountFen: number;
  raiseTargetFen: number;
  raisedFen: number;
}

/** Reason codes of a purchase refused before subscription; stable, shown to the platform. */
export type EligibilityRefusal = 'PRODUCT_NOT_ON_SALE' | 'BELOW_MINIMUM' | 'NOT_ON_STEP' | 'QUOTA_EXCEEDED';

/**
 * Checks an amount against a live product: on sale, at least the minimum, a multiple of
 * the step, and within the quota still open. Returns the first refusal, or undefined.
 */
export function purchaseRefusal(product: ProductOffer, amountFen: number): EligibilityRefusal | undefined {
  if (product.status !== 'ON_SALE') return 'PRODUCT_NOT_ON_SALE';
  if (amountFen < product.minAmountFen) return 'BELOW_MINIMUM';
  if (product.stepAmountFen > 0 && amountFen % product.stepAmountFen !== 0) return 'NOT_ON_STEP';
  if (amountFen > product.raiseTargetFen - product.raisedFen) return 'QUOTA_EXCEEDED';
  return undefined;
}
