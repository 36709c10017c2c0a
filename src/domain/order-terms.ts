import type { DayCountBasis } from './interest';
import type { ProductOffer } from './purchase-eligibility';
import type { RedemptionTerms } from './redemption-terms';
import type { Term } from './term';

/** How proceeds leave at maturity: straight to the investor's card, or held until the investor withdraws. */
export const PAYOUT_MODES = ['AUTO', 'ON_WITHDRAWAL'] as const;

/** One of {@link PAYOUT_MODES}. */
export type PayoutMode = (typeof PAYOUT_MODES)[number];

/**
 * A product's terms frozen when the investor orders: the one shape the API, the workflow, the
 * activities and the order row share, so the ledger never depends on the live catalogue again.
 * The rate stays an exact decimal string (`"0.0425"`) so it travels through workflow history as is.
 */
export interface OrderTerms {
  readonly productId: string;
  readonly productCode: string;
  readonly productName: string;
  readonly annualRate: string;
  readonly term: Term;
  readonly dayCountBasis: DayCountBasis;
  readonly interestStartRule: string;
  readonly payoutMode: PayoutMode;
  /** The bank that accepted the bills (承兑银行), as the contract names it. */
  readonly acceptingBank: string;
  /** Early redemption and service fee, when the product states them (absent: held to maturity, no fee). */
  readonly redemption?: RedemptionTerms;
}

/** The product as fetched once for one order: its frozen terms, and the offer the eligibility check reads. */
export interface ProductSnapshot {
  readonly terms: OrderTerms;
  readonly offer: ProductOffer;
}
