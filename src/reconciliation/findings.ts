/**
 * The vocabulary of reconciliation (对账): which partner's books a finding is about and what kind
 * of agreement or disagreement it records. Pure: imported by workflows, activities, DB and API.
 */

/** Whose statement we compared with: XJP (subscriptions/payments, redemptions) or LianLian (payouts). */
export const RECONCILIATION_SIDES = ['XJP', 'LIANLIAN'] as const;
export type ReconciliationSide = (typeof RECONCILIATION_SIDES)[number];

/**
 * What was compared: SUBSCRIPTION — an order against XJP's subscription and payment (amounts, status,
 * interest dates); REDEMPTION — XJP's redemption settlement against what we pay the investor out;
 * PAYOUT — our payout attempt against LianLian's; REFUND — our refund against LianLian's;
 * DEMAND_SUBSCRIPTION, DEMAND_REDEMPTION, DEMAND_INCOME — a demand holding's movements (amount, the
 * date its cut-off gave) and its day's income (units and income) against XJP's demand statement.
 */
export const FINDING_CATEGORIES = [
  'SUBSCRIPTION',
  'REDEMPTION',
  'PAYOUT',
  'REFUND',
  'DEMAND_SUBSCRIPTION',
  'DEMAND_REDEMPTION',
  'DEMAND_INCOME',
] as const;
export type FindingCategory = (typeof FINDING_CATEGORIES)[number];

/**
 * MATCHED: both books agree. MISSING_AT_PARTNER: we hold it, the partner's statement does not.
 * MISSING_AT_US: the partner's statement holds it, we do not. AMOUNT_MISMATCH / STATUS_MISMATCH /
 * DATE_MISMATCH (interest start or maturity): both hold it but disagree. DUPLICATE: one reference
 * appears more than once on one side (reported once).
 */
export const FINDING_KINDS = [
  'MATCHED',
  'MISSING_AT_PARTNER',
  'MISSING_AT_US',
  'AMOUNT_MISMATCH',
  'STATUS_MISMATCH',
  'DATE_MISMATCH',
  'DUPLICATE',
] as const;
export type FindingKind = (typeof FINDING_KINDS)[number];

/** One finding; amounts are integer fen, null where that side has no record. */
export interface Finding {
  side: ReconciliationSide;
  category: FindingCategory;
  kind: FindingKind;
  /** Our reference: the order number (XJP's purchaseRecordId) or the payout number (LianLian's no_order). */
  reference: string;
  /** The partner's own reference (XJP order number, LianLian bill number), when known. */
  partnerReference: string | null;
  ourAmountFen: number | null;
  partnerAmountFen: number | null;
  ourStatus: string | null;
  partnerStatus: string | null;
  /** A short human explanation for the operator. */
  detail: string | null;
}

/** Count of findings per kind, every kind present (zero when none). */
export type FindingCounts = Record<FindingKind, number>;

/** Counts findings per kind. */
export function countFindings(findings: readonly Pick<Finding, 'kind'>[]): FindingCounts {
  const counts = Object.fromEntries(FINDING_KINDS.map((kind) => [kind, 0])) as FindingCounts;
  for (const finding of findings) counts[finding.kind] += 1;
  return counts;
}

/** True for every kind an operator must look at. */
export function isDiscrepancy(kind: FindingKind): boolean {
  return kind !== 'MATCHED';
}

/** What a run reports (also kept in the run summary row). */
export interface ReconciliationSummary {
  businessDate: string;
  counts: FindingCounts;
  /** Findings an operator must look at: everything but MATCHED. */
  discrepancies: number;
}
