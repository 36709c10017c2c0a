import type { Finding, FindingCategory, FindingKind, ReconciliationSide } from './findings';

/** An order's interest dates, as either side states them (Asia/Shanghai `YYYY-MM-DD`). */
export interface RecordDates {
  interestStartDate: string;
  maturityDate: string;
}

/** One of our records, keyed by our reference. */
export interface OurRecord {
  key: string;
  partnerReference: string | null;
  amountFen: number;
  /** Our own status word (order status, payout status), shown to the operator as is. */
  status: string;
  /** Our interest dates, once fixed (an unpaid order has none yet, so there is nothing to compare). */
  dates?: RecordDates;
}

/** One line of a partner's statement, keyed by our reference as the partner echoes it. */
export interface PartnerRecord {
  key: string;
  partnerReference: string | null;
  /** Every amount the line states (XJP: subscribed and paid); each must equal ours. */
  amountsFen: readonly number[];
  status: string;
  /** The partner's interest dates for it, when its statement states them. */
  dates?: RecordDates;
}

/** How one side's statuses are compared: does our status agree with the partner's? */
export type StatusAgreement = (ours: OurRecord, theirs: PartnerRecord) => boolean;

function groupByKey<T extends { key: string }>(records: readonly T[]): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const record of records) {
    const group = groups.get(record.key);
    if (group === undefined) groups.set(record.key, [record]);
    else group.push(record);
  }
  return groups;
}

const KIND_ORDER: Record<FindingKind, number> = {
  DUPLICATE: 0,
  MISSING_AT_PARTNER: 1,
  MISSING_AT_US: 2,
  AMOUNT_MISMATCH: 3,
  STATUS_MISMATCH: 4,
  DATE_MISMATCH: 5,
  MATCHED: 6,
};

/** What a side's records are about unless the caller says otherwise: XJP's orders, LianLian's payouts. */
const DEFAULT_CATEGORY: Record<ReconciliationSide, FindingCategory> = { XJP: 'SUBSCRIPTION', LIANLIAN: 'PAYOUT' };

/**
 * Matches our records with a partner's statement by our reference. Each reference yields at most one
 * DUPLICATE (however many copies either side holds: the copies are collapsed, never reported one by
 * one), then either one MISSING_* finding, or AMOUNT_MISMATCH, STATUS_MISMATCH and/or DATE_MISMATCH (dates
 * compared where both sides state them), or — only when nothing else was found for it — MATCHED. Findings come sorted (kind, then reference) so a re-run
 * of the same books produces the same list.
 */
export function matchRecords(
  side: ReconciliationSide,
  ours: readonly OurRecord[],
  theirs: readonly PartnerRecord[],
  statusAgrees: StatusAgreement,
  category: FindingCategory = DEFAULT_CATEGORY[side],
): Finding[] {
  const ourGroups = groupByKey(ours);
  const theirGroups = groupByKey(theirs);
  const keys = new Set([...ourGroups.keys(), ...theirGroups.keys()]);
  const findings: Finding[] = [];
  for (const key of keys) {
    const mine = ourGroups.get(key) ?? [];
    const partner = theirGroups.get(key) ?? [];
    findings.push(...compareKey({ side, category }, key, mine, partner, statusAgrees));
  }
  return findings.sort((a, b) => KIND_ORDER[a.kind] - KIND_ORDER[b.kind] || a.reference.localeCompare(b.reference));
}

function compareKey(
  { side, category }: { side: ReconciliationSide; category: FindingCategory },
  key: string,
  mine: readonly OurRecord[],
  partner: readonly PartnerRecord[],
  statusAgrees: StatusAgreement,
): Finding[] {
  const ours = mine[0];
  const theirs = partner[0];
  const finding = (
    kind: FindingKind,
    detail: string | null,
    partnerAmountFen = theirs?.amountsFen[0] ?? null,
  ): Finding => ({
    side,
    category,
    kind,
    reference: key,
    partnerReference: theirs?.partnerReference ?? ours?.partnerReference ?? null,
    ourAmountFen: ours?.amountFen ?? null,
    partnerAmountFen,
    ourStatus: ours?.status ?? null,
    partnerStatus: theirs?.status ?? null,
    detail,
  });
  const findings: Finding[] = [];
  if (mine.length > 1 || partner.length > 1) {
    const partnerRefs = [...new Set(partner.map((p) => p.partnerReference ?? '?'))].join(', ');
    findings.push(
      finding('DUPLICATE', `ours: ${mine.length} record(s); partner: ${partner.length} record(s) [${partnerRefs}]`),
    );
  }
  if (ours === undefined) return [...findings, finding('MISSING_AT_US', 'on the partner statement, not in our books')];
  if (theirs === undefined)
    return [...findings, finding('MISSING_AT_PARTNER', 'in our books, not on the partner statement')];
  const differing = theirs.amountsFen.find((amount) => amount !== ours.amountFen);
  if (differing !== undefined)
    findings.push(finding('AMOUNT_MISMATCH', `ours ${ours.amountFen} fen, partner ${differing} fen`, differing));
  if (!statusAgrees(ours, theirs))
    findings.push(finding('STATUS_MISMATCH', `ours ${ours.status}, partner ${theirs.status}`));
  const dates = differingDates(ours.dates, theirs.dates);
  if (dates !== null) findings.push(finding('DATE_MISMATCH', dates));
  return findings.length === 0 ? [finding('MATCHED', null)] : findings;
}

/** Each date on which the two sides differ, described for the operator; null when they agree or either has none. */
function differingDates(ours: RecordDates | undefined, theirs: RecordDates | undefined): string | null {
  if (ours === undefined || theirs === undefined) return null;
  const differing = (['interestStartDate', 'maturityDate'] as const)
    .filter((field) => ours[field] !== theirs[field])
    .map((field) => `${field} ours ${ours[field]}, partner ${theirs[field]}`);
  return differing.length === 0 ? null : differing.join('; ');
}
