import { ApplicationFailure } from '@temporalio/workflow';
import { shanghaiDate } from '../../src/domain/calendar';
import { availableFen, heldAndIncomingFen, type HoldingLedger } from '../../src/domain/demand/holding-ledger';
import type {
  AwaitingPayment,
  DemandPaymentNotice,
  DemandRedeemRequest,
  DemandSubscribeRequest,
  DemandTerms,
  FastRedeemedDay,
} from './contract';

/** Stable codes of the requests a holding refuses (the API answers them as 409 with the code). */
export const DEMAND_REFUSALS = {
  INVALID_AMOUNT: 'DEMAND_INVALID_AMOUNT',
  BELOW_MINIMUM: 'DEMAND_BELOW_MINIMUM',
  HOLDING_CAP_EXCEEDED: 'DEMAND_HOLDING_CAP_EXCEEDED',
  INSUFFICIENT_UNITS: 'DEMAND_INSUFFICIENT_UNITS',
  FAST_LIMIT_EXCEEDED: 'DEMAND_FAST_LIMIT_EXCEEDED',
  DUPLICATE_REQUEST: 'DEMAND_DUPLICATE_REQUEST',
} as const;

function refuse(code: string, message: string): never {
  throw ApplicationFailure.nonRetryable(message, code);
}

/**
 * The run's live books: the ledger, money reserved by requests XJP has not answered yet,
 * subscriptions waiting for their payment, payment notices not taken up yet, and the day's fast redemptions. Checks read only; reservations change it synchronously, so two requests
 * in one workflow task cannot both spend the same units.
 */
export class LiveHolding {
  /** Subscriptions sent to XJP and not yet confirmed: they count against the cap. */
  incomingFen = 0;
  readonly requestIds = new Set<string>();
  /** Notices in the order they arrived; the main loop takes them up. */
  readonly notices: DemandPaymentNotice[] = [];

  constructor(
    public ledger: HoldingLedger,
    public fastRedeemed: FastRedeemedDay,
    private readonly terms: DemandTerms,
    public awaiting: AwaitingPayment[],
  ) {}

  /** Fast redemptions asked for on `today`. */
  fastToday(today: string): number {
    return this.fastRedeemed.date === today ? this.fastRedeemed.amountFen : 0;
  }

  /** What may be redeemed now. */
  available(now: Date): number {
    return availableFen(this.ledger, shanghaiDate(now));
  }

  checkSubscription(request: DemandSubscribeRequest): void {
    this.checkRequest(request.subscriptionId, request.amountFen);
    if (request.amountFen < this.terms.minAmountFen)
      refuse(DEMAND_REFUSALS.BELOW_MINIMUM, `the minimum subscription is ${this.terms.minAmountFen} fen`);
    const unpaidFen = this.awaiting.reduce((sum, a) => sum + a.amountFen, 0);
    if (heldAndIncomingFen(this.ledger) + this.incomingFen + unpaidFen + request.amountFen > this.terms.holdingCapFen)
      refuse(DEMAND_REFUSALS.HOLDING_CAP_EXCEEDED, `a member may hold at most ${this.terms.holdingCapFen} fen`);
  }

  checkRedemption(request: DemandRedeemRequest, now: Date): void {
    this.checkRequest(request.redemptionId, request.amountFen);
    if (request.kind !== 'FAST' && request.kind !== 'STANDARD')
      refuse(DEMAND_REFUSALS.INVALID_AMOUNT, `unknown redemption kind ${String(request.kind)}`);
    const available = this.available(now);
    if (request.amountFen > available)
      refuse(DEMAND_REFUSALS.INSUFFICIENT_UNITS, `${request.amountFen} fen asked, ${available} fen available`);
    const limit = this.terms.fastRedemptionDailyLimitFen;
    if (request.kind === 'FAST' && this.fastToday(shanghaiDate(now)) + request.amountFen > limit)
      refuse(DEMAND_REFUSALS.FAST_LIMIT_EXCEEDED, `fast redemptions are limited to ${limit} fen a day`);
  }

  private checkRequest(id: string, amountFen: number): void {
    if (typeof id !== 'string' || id.length === 0 || id.length > 64)
      refuse(DEMAND_REFUSALS.INVALID_AMOUNT, 'a request id of 1–64 characters is required');
    const pending = [...this.ledger.subscriptions, ...this.ledger.redemptions, ...this.awaiting].some(
      (r) => r.id === id,
    );
    if (this.requestIds.has(id) || pending) refuse(DEMAND_REFUSALS.DUPLICATE_REQUEST, `request ${id} was already made`);
    if (!Number.isSafeInteger(amountFen) || amountFen <= 0)
      refuse(DEMAND_REFUSALS.INVALID_AMOUNT, 'the amount must be a positive whole number of fen');
  }
}
