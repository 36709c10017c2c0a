/** What the backend re-checks about a product before subscribing (docs/domain.md#validation-twice). */
export interface ProductOffer {
  status: string;
  minAmountFen: number;
  stepAmountFen: number;
  raiseTargetFen: number;
  raisedFen: number;
}

/** The offer of a product XJP no longer names: the eligibility check refuses it (PRODUCT_NOT_ON_SALE). */
export const WITHDRAWN_OFFER: ProductOffer = {
  status: 'WITHDRAWN',
  minAmountFen: 0,
  stepAmountFen: 0,
  raiseTargetFen: 0,
  raisedFen: 0,
};

/** Reason codes of a purchase refused before subscription; stable, shown to the platform. */
export type EligibilityRefusal = 'PRODUCT_NOT_ON_SALE' | 'BELOW_MINIMUM' | 'NOT_ON_STEP' | 'QUOTA_EXCEEDED';

/**
 * Checks an amount against a live product: on sale, at least the minimum, rising from the
 * minimum in whole steps (XJP's own rule, 起投 + n × 递增: XJP decides the subscription, so a
 * stricter or looser check here would refuse orders it takes or pass orders it refuses), and
 * within the quota still open. A SOLD_OUT product has no quota left, so it is QUOTA_EXCEEDED;
 * any other status but ON_SALE (ENDED) is PRODUCT_NOT_ON_SALE. Returns the first refusal, or undefined.
 */
export function purchaseRefusal(product: ProductOffer, amountFen: number): EligibilityRefusal | undefined {
  if (product.status === 'SOLD_OUT') return 'QUOTA_EXCEEDED';
  if (product.status !== 'ON_SALE') return 'PRODUCT_NOT_ON_SALE';
  if (amountFen < product.minAmountFen) return 'BELOW_MINIMUM';
  if (product.stepAmountFen > 0 && (amountFen - product.minAmountFen) % product.stepAmountFen !== 0)
    return 'NOT_ON_STEP';
  if (amountFen > product.raiseTargetFen - product.raisedFen) return 'QUOTA_EXCEEDED';
  return undefined;
}

/**
 * The most of `availableFen` one order of the product can take: the minimum plus whole steps (a
 * reinvestment of principal and interest rarely falls on a step; the rest is paid out); 0 under the minimum.
 */
export function largestOrderWithin(product: ProductOffer, availableFen: number): number {
  if (availableFen < product.minAmountFen) return 0;
  if (product.stepAmountFen <= 0) return availableFen;
  const steps = Math.floor((availableFen - product.minAmountFen) / product.stepAmountFen);
  return product.minAmountFen + steps * product.stepAmountFen;
}
