import type { Finding, FindingKind, ReconciliationSide } from './findings';

/** One of our records, keyed by our reference. */
export interface OurRecord {
  key: string;
  partnerReference: string | null;
  amountFen: number;
  /** Our own status word (order status, payout status), shown to the operator as is. */
  status: string;
}

/** One line of a partner's statement, keyed by our reference as the partner echoes it. */
export interface PartnerRecord {
  key: string;
  partnerReference: string | null;
  /** Every amount the line states (XJP: subscribed and paid); each must equal ours. */
  amountsFen: readonly number[];
  status: string;
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
  MATCHED: 5,
};

/**
 * Matches our records with a partner's statement by our reference. Each reference yields at most one
 * DUPLICATE (however many copies either side holds: the copies are collapsed, never reported one by
 * one), then either one MISSING_* finding, or AMOUNT_MISMATCH and/or STATUS_MISMATCH, or — only when
 * nothing else was found for it — MATCHED. Findings come sorted (kind, then reference) so a re-run
 * of the same books produces the same list.
 */
export function matchRecords(
  side: ReconciliationSide,
  ours: readonly OurRecord[],
  theirs: readonly PartnerRecord[],
  statusAgrees: StatusAgreement,
): Finding[] {
  const ourGroups = groupByKey(ours);
  const theirGroups = groupByKey(theirs);
  const keys = new Set([...ourGroups.keys(), ...theirGroups.keys()]);
  const findings: Finding[] = [];
  for (const key of keys) {
    const mine = ourGroups.get(key) ?? [];
    const partner = theirGroups.get(key) ?? [];
    findings.push(...compareKey(side, key, mine, partner, statusAgrees));
  }
  return findings.sort((a, b) => KIND_ORDER[a.kind] - KIND_ORDER[b.kind] || a.reference.localeCompare(b.reference));
}

function compareKey(
  side: ReconciliationSide,
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
  return findings.length === 0 ? [finding('MATCHED', null)] : findings;
}
