/**
 * Demand business (活期) against XJP's demand statement of one Shanghai date: the subscriptions
 * and redemptions asked for that day, and every holding's income of it. Pure.
 */
import type { XjpDemandStatement } from '../partners/xjp/demand-schemas';
import type { Finding, FindingKind } from './findings';

/** What a demand finding compares. */
export type DemandFindingCategory = 'DEMAND_SUBSCRIPTION' | 'DEMAND_REDEMPTION' | 'DEMAND_INCOME';

/** A movement as either side records it: id (ours, which XJP echoes), amount and the date its cut-off gave it. */
export interface DemandMovementLine {
  id: string;
  category: 'DEMAND_SUBSCRIPTION' | 'DEMAND_REDEMPTION';
  amountFen: number;
  /** Subscriptions: the first earning day; redemptions: the first day without the units. */
  effectiveDate: string;
}

/** A holding's income of the day as either side records it, keyed by XJP account and product. */
export interface DemandIncomeLine {
  accountNo: string;
  productCode: string;
  unitsFen: number;
  incomeFen: number;
}

/** One comparison. */
export interface DemandFinding {
  category: DemandFindingCategory;
  kind: FindingKind;
  reference: string;
  ourAmountFen: number | null;
  partnerAmountFen: number | null;
  detail: string | null;
}

function compareMovements(ours: DemandMovementLine[], theirs: DemandMovementLine[]): DemandFinding[] {
  const partner = new Map(theirs.map((line) => [line.id, line]));
  const findings: DemandFinding[] = [];
  for (const line of ours) {
    const other = partner.get(line.id);
    partner.delete(line.id);
    const base = { category: line.category, reference: line.id, ourAmountFen: line.amountFen };
    if (other === undefined) {
      findings.push({ ...base, kind: 'MISSING_AT_PARTNER', partnerAmountFen: null, detail: null });
      continue;
    }
    const kind: FindingKind =
      other.amountFen !== line.amountFen
        ? 'AMOUNT_MISMATCH'
        : other.effectiveDate !== line.effectiveDate
          ? 'DATE_MISMATCH'
          : 'MATCHED';
    const detail = kind === 'DATE_MISMATCH' ? `ours ${line.effectiveDate}, XJP ${other.effectiveDate}` : null;
    findings.push({ ...base, kind, partnerAmountFen: other.amountFen, detail });
  }
  for (const other of partner.values())
    findings.push({
      category: other.category,
      kind: 'MISSING_AT_US',
      reference: other.id,
      ourAmountFen: null,
      partnerAmountFen: other.amountFen,
      detail: null,
    });
  return findings;
}

function compareIncome(ours: DemandIncomeLine[], theirs: DemandIncomeLine[]): DemandFinding[] {
  const key = (line: DemandIncomeLine) => `${line.accountNo}/${line.productCode}`;
  // A holding with no units that day earns nothing and has no row of ours: XJP's zero line agrees with that.
  const partner = new Map(theirs.filter((l) => l.unitsFen > 0 || l.incomeFen > 0).map((l) => [key(l), l]));
  const findings: DemandFinding[] = [];
  for (const line of ours) {
    const other = partner.get(key(line));
    partner.delete(key(line));
    const base = { category: 'DEMAND_INCOME' as const, reference: key(line), ourAmountFen: line.incomeFen };
    if (other === undefined) {
      findings.push({ ...base, kind: 'MISSING_AT_PARTNER', partnerAmountFen: null, detail: null });
      continue;
    }
    const same = other.incomeFen === line.incomeFen && other.unitsFen === line.unitsFen;
    const detail = same ? null : `units ours ${line.unitsFen}, XJP ${other.unitsFen}`;
    findings.push({ ...base, kind: same ? 'MATCHED' : 'AMOUNT_MISMATCH', partnerAmountFen: other.incomeFen, detail });
  }
  for (const other of partner.values())
    findings.push({
      category: 'DEMAND_INCOME',
      kind: 'MISSING_AT_US',
      reference: key(other),
      ourAmountFen: null,
      partnerAmountFen: other.incomeFen,
      detail: null,
    });
  return findings;
}

/** Every finding of one date: movements by our id, income by holding (units and income must both agree). */
export function reconcileDemandDay(
  ours: { movements: DemandMovementLine[]; income: DemandIncomeLine[] },
  theirs: { movements: DemandMovementLine[]; income: DemandIncomeLine[] },
): DemandFinding[] {
  return [...compareMovements(ours.movements, theirs.movements), ...compareIncome(ours.income, theirs.income)];
}

/** A demand movement as our books hold it (a `demand_movement` row). */
export interface OurDemandMovement {
  id: string;
  kind: 'SUBSCRIPTION' | 'FAST_REDEMPTION' | 'STANDARD_REDEMPTION';
  amountFen: number;
  effectiveDate: string;
}

/**
 * Every finding of one date from XJP's demand statement and our rows of it: the subscriptions
 * (first earning day) and redemptions (first day without the units) asked for that day, by our id,
 * and every holding's income of the day.
 */
export function reconcileDemandStatement(
  statement: XjpDemandStatement,
  ours: { movements: OurDemandMovement[]; income: DemandIncomeLine[] },
): DemandFinding[] {
  const theirs: DemandMovementLine[] = [
    ...statement.subscriptions.map((s) => ({
      id: s.subscriptionId,
      category: 'DEMAND_SUBSCRIPTION' as const,
      amountFen: s.amountFen,
      effectiveDate: s.countsFrom,
    })),
    ...statement.redemptions.map((r) => ({
      id: r.redemptionId,
      category: 'DEMAND_REDEMPTION' as const,
      amountFen: r.amountFen,
      effectiveDate: r.effectiveDate,
    })),
  ];
  const movements: DemandMovementLine[] = ours.movements.map((m) => ({
    id: m.id,
    category: m.kind === 'SUBSCRIPTION' ? 'DEMAND_SUBSCRIPTION' : 'DEMAND_REDEMPTION',
    amountFen: m.amountFen,
    effectiveDate: m.effectiveDate,
  }));
  return reconcileDemandDay({ movements, income: ours.income }, { movements: theirs, income: statement.income });
}

/** A demand finding as the nightly run stores it beside the fixed-term ones (XJP's side; no statuses compared). */
export function asStoredFinding(finding: DemandFinding): Finding {
  return {
    side: 'XJP',
    category: finding.category,
    kind: finding.kind,
    reference: finding.reference,
    partnerReference: null,
    ourAmountFen: finding.ourAmountFen,
    partnerAmountFen: finding.partnerAmountFen,
    ourStatus: null,
    partnerStatus: null,
    detail: finding.detail,
  };
}
