/**
 * Why an order ended REJECTED: XJP's refusal codes passed through unchanged, plus our own
 * INVESTOR_INELIGIBLE (backend eligibility check), INTEREST_MISMATCH (XJP's maturity interest
 * differs from ours) and XJP_ACCOUNT_CONFLICT (the investor's account number belongs to another
 * member). A const tuple so `z.enum(REJECTION_REASONS)` works.
 */
export const REJECTION_REASONS = [
  'PRODUCT_NOT_FOUND',
  'PRODUCT_NOT_ON_SALE',
  'BELOW_MINIMUM',
  'NOT_ON_STEP',
  'QUOTA_EXCEEDED',
  'ACCOUNT_NOT_FOUND',
  'XJP_ACCOUNT_CONFLICT',
  'INVALID_ID_CARD',
  'INVALID_MOBILE',
  'INVESTOR_INELIGIBLE',
  'INTEREST_MISMATCH',
] as const;

/** One of {@link REJECTION_REASONS}. */
export type RejectionReason = (typeof REJECTION_REASONS)[number];

/** True when `value` is a known rejection reason code. */
export function isRejectionReason(value: unknown): value is RejectionReason {
  return typeof value === 'string' && (REJECTION_REASONS as readonly string[]).includes(value);
}
