/**
 * What a product says about leaving it: early redemption (违约赎回) — whether it is offered, after
 * which lock-in, at which penalty — and the service fee (服务费) charged on every redemption. All
 * figures exact in fen, rounded half up on integers (docs/domain.md#early-redemption-and-the-service-fee).
 */
import { daysBetween } from './calendar';
import { InvalidAmountError, describeValue } from './errors';
import { ledgerInterestForDays, interestForDays, type LedgerTerms } from './interest';
import { divideRoundHalfUp } from './money';
import { parseAnnualRate } from './rate';

const BP_PER_UNIT = 10_000n;

/**
 * How leaving early is paid for: the interest of the days held recomputed at a lower annual rate
 * (`PENALTY_RATE`), or a fee in basis points of principal (`PRINCIPAL_FEE`) with the interest kept.
 */
export type EarlyRedemptionPenalty =
  | { readonly kind: 'PENALTY_RATE'; readonly annualRate: string }
  | { readonly kind: 'PRINCIPAL_FEE'; readonly bp: number };

/** A product's early-redemption terms; `allowed: false` products are held to maturity. */
export interface EarlyRedemptionTerms {
  readonly allowed: boolean;
  /** Accrual days that must have passed before a request is taken: 0 allows it from the interest start date. */
  readonly lockInDays: number;
  readonly penalty: EarlyRedemptionPenalty;
}

/** The service fee on a redemption: basis points of the interest paid, or a fixed sum (never more than the interest). */
export type ServiceFeeTerms =
  { readonly kind: 'INTEREST_BP'; readonly bp: number } | { readonly kind: 'FIXED'; readonly fen: number };

/** The redemption terms frozen on an order; both absent on products that state neither. */
export interface RedemptionTerms {
  readonly earlyRedemption?: EarlyRedemptionTerms;
  readonly serviceFee?: ServiceFeeTerms;
}

function bpOf(amountFen: number, bp: number): number {
  if (!Number.isSafeInteger(bp) || bp < 0)
    throw new InvalidAmountError(`basis points must be whole ≥ 0: ${describeValue(bp)}`);
  return Number(divideRoundHalfUp(BigInt(amountFen) * BigInt(bp), BP_PER_UNIT));
}

/**
 * The service fee on `interestFen` of redeemed interest: round_half_up(interest × bp / 10000), or
 * the fixed fee capped at the interest, so the fee never eats into principal.
 */
export function serviceFeeFen(fee: ServiceFeeTerms | undefined, interestFen: number): number {
  if (fee === undefined) return 0;
  return fee.kind === 'INTEREST_BP' ? bpOf(interestFen, fee.bp) : Math.min(fee.fen, interestFen);
}

/** Why an early redemption is refused, as the stable codes the API answers with. */
export type EarlyRedemptionRefusal = 'EARLY_REDEMPTION_NOT_ALLOWED' | 'IN_LOCK_IN' | 'WRONG_STATE';

/**
 * Whether an order may be redeemed early on `requestDate` (Shanghai): the product must offer it, the
 * lock-in must have passed (request date ≥ interest start + lock-in days), and maturity must be ahead.
 */
export function earlyRedemptionRefusal(
  terms: EarlyRedemptionTerms | undefined,
  dates: { interestStartDate: string; maturityDate: string },
  requestDate: string,
): EarlyRedemptionRefusal | undefined {
  if (terms === undefined || !terms.allowed) return 'EARLY_REDEMPTION_NOT_ALLOWED';
  if (requestDate >= dates.maturityDate) return 'WRONG_STATE';
  if (daysBetween(dates.interestStartDate, requestDate) < terms.lockInDays) return 'IN_LOCK_IN';
  return undefined;
}

/** What an early redemption pays, as quoted and as paid. */
export interface EarlyRedemptionFigures {
  /** The Shanghai date of the request: accrual stops here, the day itself is not earned. */
  readonly redemptionDate: string;
  /** Accrual days earned: [interest start, redemption date). */
  readonly daysHeld: number;
  readonly principalFen: number;
  /** The interest the ledger holds for the days held at the order's own rate, before any penalty. */
  readonly earnedInterestFen: number;
  /** The interest the investor keeps: after the penalty rate, or all of it under a principal fee. */
  readonly interestKeptFen: number;
  /** What leaving early costs: interest given up (penalty rate) or the fee on principal. */
  readonly penaltyFen: number;
  /** The part of the penalty taken from principal (the principal fee; 0 under a penalty rate). */
  readonly principalFeeFen: number;
  readonly serviceFeeFen: number;
  /** principal + interest kept − principal fee − service fee. */
  readonly payoutFen: number;
}

/**
 * The figures of redeeming early on `redemptionDate`. Under a penalty rate the interest kept is
 * round_half_up(P × penalty rate × days held / basis), never more than what the days earned; under a
 * principal fee the days keep their interest and round_half_up(P × bp / 10000) is taken from principal
 * (never more than principal + interest). The service fee applies to the interest kept.
 */
export function earlyRedemptionFigures(
  ledger: LedgerTerms,
  terms: RedemptionTerms & { earlyRedemption: EarlyRedemptionTerms },
  redemptionDate: string,
): EarlyRedemptionFigures {
  const total = daysBetween(ledger.interestStartDate, ledger.maturityDate);
  const daysHeld = Math.min(Math.max(daysBetween(ledger.interestStartDate, redemptionDate), 0), total);
  const earnedInterestFen = ledgerInterestForDays(ledger, daysHeld);
  const { penalty } = terms.earlyRedemption;
  const principalFen = ledger.principalFen;
  let interestKeptFen: number;
  let principalFeeFen: number;
  if (penalty.kind === 'PENALTY_RATE') {
    const recomputed = interestForDays(principalFen, parseAnnualRate(penalty.annualRate), daysHeld, ledger.basis);
    interestKeptFen = Math.min(recomputed, earnedInterestFen);
    principalFeeFen = 0;
  } else {
    interestKeptFen = earnedInterestFen;
    principalFeeFen = Math.min(bpOf(principalFen, penalty.bp), principalFen + interestKeptFen);
  }
  const fee = serviceFeeFen(terms.serviceFee, interestKeptFen);
  return {
    redemptionDate,
    daysHeld,
    principalFen,
    earnedInterestFen,
    interestKeptFen,
    penaltyFen: earnedInterestFen - interestKeptFen + principalFeeFen,
    principalFeeFen,
    serviceFeeFen: fee,
    payoutFen: principalFen + interestKeptFen - principalFeeFen - fee,
  };
}
