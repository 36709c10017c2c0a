/**
 * The rules that keep a payout from leaving twice or leaving wrongly, as pure functions the payout
 * workflow and its activities share (DOMAIN: nothing leaves that did not come in, nothing leaves twice).
 */

/** Why an order waits for a person; every dead end of the money paths ends in one of these, never in a failed run. */
export const PARK_REASONS = [
  /** LianLian answered FAILURE or CLOSED: nothing left, a retry may pay under a new payout id. */
  'PAYOUT_FAILED',
  /** The bank reversed a successful payout (CANCEL after SUCCESS). */
  'PAYOUT_REVERSED',
  /** Asked for days and still no final answer: the payout may yet pay, so it is followed again, never replaced. */
  'PAYOUT_OUTCOME_UNKNOWN',
  /** LianLian held the payout as a suspected duplicate while another attempt of the order may still pay. */
  'PAYOUT_HELD_AS_DUPLICATE',
  /** LianLian's answers break the wire contract: people must look before money moves. */
  'MALFORMED_PARTNER_ANSWER',
  /** The rounds an order may take are used up: only finance's manual payout settles it now. */
  'PAYOUT_ATTEMPTS_EXHAUSTED',
  /** XJP's redemption figures differ from principal + ledger interest. */
  'REDEMPTION_MISMATCH',
  /** The interest to pay differs from what the ledger holds. */
  'LEDGER_MISMATCH',
  /** The database refused a second successful payout of the order. */
  'SECOND_SUCCESSFUL_PAYOUT',
  /** Any other refusal an activity reported (its type is kept in the event detail). */
  'UNEXPECTED_REFUSAL',
] as const;

/** One of {@link PARK_REASONS}. */
export type ParkReason = (typeof PARK_REASONS)[number];

/** True when `value` names a park reason. */
export function isParkReason(value: unknown): value is ParkReason {
  return typeof value === 'string' && (PARK_REASONS as readonly string[]).includes(value);
}

/** LianLian payout states after which the payout can no longer pay (CANCEL: it paid and was reversed). */
const CANNOT_PAY: ReadonlySet<string> = new Set(['FAILURE', 'CLOSED', 'CANCEL']);

/** One payout attempt as our books know it. */
export interface AttemptStatus {
  payoutNo: string;
  status: string;
}

/**
 * True when some attempt other than `payoutNo` has paid or may still pay: anything not FAILURE,
 * CLOSED or CANCEL, including PENDING (its apply may have reached LianLian). A payout LianLian holds
 * in CHECK is confirmed only when this is false.
 */
export function anotherAttemptMayPay(attempts: readonly AttemptStatus[], payoutNo: string): boolean {
  return attempts.some((a) => a.payoutNo !== payoutNo && !CANNOT_PAY.has(a.status));
}

/** XJP's redemption settlement as recorded; `penaltyFen` is an early redemption's fee on principal. */
export interface RedemptionFigures {
  principalFen: number;
  interestFen: number;
  penaltyFen?: number;
  totalFen: number;
}

/** What a payout keeps back from principal + interest, as asked or as the books hold it. */
export interface Deductions {
  serviceFeeFen: number;
  penaltyFen: number;
  /** What bought the order after this one (续投), kept at XJP to pay it. */
  reinvestedFen?: number;
}

/** What we are about to pay and what backs it; deductions absent are none. */
export interface PayoutFigures {
  principalFen: number;
  interestFen: number;
  ledgerInterestFen: number;
  /** What this payout keeps back. */
  deductions?: Deductions;
  /** What the books hold as the redemption's service fee and fee on principal. */
  bookedDeductions?: Deductions;
  redemption: RedemptionFigures | null;
}

const NONE: Deductions = { serviceFeeFen: 0, penaltyFen: 0 };

/**
 * The reason a payout of these figures must not leave, or undefined when it may: the interest must
 * be the ledger's and the deductions the booked ones (a reinvested part: the order it bought); XJP's redemption (principal, interest, fee on
 * principal, total) must equal principal + ledger interest − the booked fee on principal.
 */
export function payoutFiguresRefusal(figures: PayoutFigures): 'LEDGER_MISMATCH' | 'REDEMPTION_MISMATCH' | undefined {
  const asked = figures.deductions ?? NONE;
  const booked = figures.bookedDeductions ?? NONE;
  if (
    figures.interestFen !== figures.ledgerInterestFen ||
    asked.serviceFeeFen !== booked.serviceFeeFen ||
    asked.penaltyFen !== booked.penaltyFen ||
    (asked.reinvestedFen ?? 0) !== (booked.reinvestedFen ?? 0)
  )
    return 'LEDGER_MISMATCH';
  const { redemption } = figures;
  if (redemption === null) return 'REDEMPTION_MISMATCH';
  const penaltyFen = redemption.penaltyFen ?? 0;
  const agrees =
    redemption.principalFen === figures.principalFen &&
    redemption.interestFen === figures.ledgerInterestFen &&
    penaltyFen === booked.penaltyFen &&
    redemption.totalFen === figures.principalFen + figures.ledgerInterestFen - penaltyFen;
  return agrees ? undefined : 'REDEMPTION_MISMATCH';
}
