import { parseFen } from '../money';
import { dailyIncomeFen } from './income';

/** Money on its way in that earns from `countsFrom`. */
export interface PendingSubscription {
  id: string;
  amountFen: number;
  countsFrom: string;
}

/** Units on their way out that earn nothing from `effectiveDate`. */
export interface PendingRedemption {
  id: string;
  amountFen: number;
  effectiveDate: string;
}

/**
 * A demand holding's books between two income days: the units that earn, and the requests not yet
 * in them. One unit is one fen (NAV fixed at 1), so units and money are the same integer.
 */
export interface HoldingLedger {
  /** Units that earned on `lastIncomeDate` plus that day's income (income is reinvested daily). */
  unitsFen: number;
  /** Σ income rows posted so far. */
  cumulativeIncomeFen: number;
  /** The last natural day whose income is posted; the day before the first `countsFrom` when none is. */
  lastIncomeDate: string;
  subscriptions: PendingSubscription[];
  redemptions: PendingRedemption[];
}

/** Units that earn on `date`: the ledger's units, plus subscriptions counting by then, less redemptions effective by then. */
export function earningUnitsOn(ledger: HoldingLedger, date: string): number {
  let units = ledger.unitsFen;
  for (const s of ledger.subscriptions) if (s.countsFrom <= date) units += s.amountFen;
  for (const r of ledger.redemptions) if (r.effectiveDate <= date) units -= r.amountFen;
  return parseFen(units);
}

/**
 * What a member may redeem on `today`: confirmed units (earning by today) less every redemption
 * already asked for, whether or not it is effective yet.
 */
export function availableFen(ledger: HoldingLedger, today: string): number {
  let units = ledger.unitsFen;
  for (const s of ledger.subscriptions) if (s.countsFrom <= today) units += s.amountFen;
  for (const r of ledger.redemptions) units -= r.amountFen;
  return Math.max(0, units);
}

/** Everything held or on its way in: what the per-member cap bounds. */
export function heldAndIncomingFen(ledger: HoldingLedger): number {
  let units = ledger.unitsFen;
  for (const s of ledger.subscriptions) units += s.amountFen;
  for (const r of ledger.redemptions) units -= r.amountFen;
  return units;
}

/** One posted day: the units that earned and what they earned. */
export interface IncomeDay {
  date: string;
  unitsFen: number;
  incomeFen: number;
}

/**
 * Posts `date`'s income (the day after `lastIncomeDate`) and folds the requests that took effect by
 * then into the units, so the pending lists only hold what is still ahead.
 */
export function postIncomeDay(
  ledger: HoldingLedger,
  date: string,
  incomePer10kFen: string,
): { ledger: HoldingLedger; day: IncomeDay } {
  const unitsFen = earningUnitsOn(ledger, date);
  const incomeFen = dailyIncomeFen(unitsFen, incomePer10kFen);
  return {
    day: { date, unitsFen, incomeFen },
    ledger: {
      unitsFen: unitsFen + incomeFen,
      cumulativeIncomeFen: ledger.cumulativeIncomeFen + incomeFen,
      lastIncomeDate: date,
      subscriptions: ledger.subscriptions.filter((s) => s.countsFrom > date),
      redemptions: ledger.redemptions.filter((r) => r.effectiveDate > date),
    },
  };
}
