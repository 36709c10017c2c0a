import { randomUUID } from 'node:crypto';
import { redemptionDates, subscriptionDates, type RedemptionKind } from '../../../../src/domain/demand/cut-off';
import { addDays, shanghaiDate } from '../../common/shanghai-time';
import type { PersistentBooks } from '../../common/state-file';
import { XjpRefusal } from '../store';
import { incomePer10kTenThousandths, SIM_DEMAND_PRODUCT, type SimDemandProduct } from './product';

/**
 * Where a demand subscription stands: placed and waiting for the member's payment at LianLian's
 * cashier; PAID (LianLian reported the money, the platform has not applied it yet); CONFIRMED (its
 * units count); EXPIRED (unpaid when the platform closed its window); REFUSED (paid, but applying
 * it would pass the holding cap: the platform returns the money).
 */
export type SimDemandSubscriptionStatus = 'AWAITING_PAYMENT' | 'PAID' | 'CONFIRMED' | 'EXPIRED' | 'REFUSED';

/** What LianLian reported of a subscription's payment. */
export interface SimDemandPayment {
  paidAmountFen: number;
  lianlianBillNo: string;
  receivedAt: string;
}

/** A demand subscription in XJP's books. */
export interface SimDemandSubscription {
  subscriptionId: string;
  xjpSubscriptionNo: string;
  /** XJP's internal id, named in its payment notification as a fixed-term order's is. */
  xjpOrderId: string;
  productCode: string;
  accountNo: string;
  amountFen: number;
  requestedAt: string;
  /** LianLian's cashier for the payment, and the end of the window (from `requestedAt`). */
  cashierUrl: string;
  payBefore: string;
  status: SimDemandSubscriptionStatus;
  payment?: SimDemandPayment;
  /** Set when confirmed: the payment time the platform applied it at, and the dates the cut-off gave. */
  paidAt?: string;
  tradeDate?: string;
  countsFrom?: string;
  /** Why a paid subscription was refused. */
  refusal?: string;
}

/** A subscription whose units count. */
type ConfirmedSubscription = SimDemandSubscription & { countsFrom: string };

function isConfirmed(s: SimDemandSubscription): s is ConfirmedSubscription {
  return s.status === 'CONFIRMED' && s.countsFrom !== undefined;
}

/**
 * A demand redemption. XJP settles the money to the platform, never to the member (the platform pays
 * the member's card through LianLian 代付): fast ones SETTLED at once, standard ones ACCEPTED and
 * settled to the platform on their pay date.
 */
export interface SimDemandRedemption {
  redemptionId: string;
  xjpRedemptionNo: string;
  productCode: string;
  accountNo: string;
  amountFen: number;
  kind: RedemptionKind;
  requestedAt: string;
  effectiveDate: string;
  payDate: string;
  status: 'SETTLED' | 'ACCEPTED';
  /** Who XJP pays: always the platform. */
  settlesTo: 'PLATFORM';
}

/** One natural day of a holding in XJP's books. */
export interface SimIncomeDay {
  accountNo: string;
  productCode: string;
  date: string;
  unitsFen: number;
  incomeFen: number;
}

/** The fields of a subscription request the book acts on. */
export interface DemandSubscribeRequest {
  subscriptionId: string;
  productCode: string;
  accountNo: string;
  amountFen: number;
  requestedAt: string;
}

/** Applies a paid subscription at the payment time the platform dates it (its notification's arrival). */
export interface DemandConfirmRequest {
  subscriptionId: string;
  paidAt: string;
}

/** The fields of a redemption request the book acts on. */
export interface DemandRedeemRequest {
  redemptionId: string;
  productCode: string;
  accountNo: string;
  amountFen: number;
  kind: RedemptionKind;
  requestedAt: string;
}

/**
 * XJP's demand books: subscriptions, redemptions and, computed from them and the published
 * figures, every holding's daily income (units × figure ÷ 10,000 floored to the fen, reinvested).
 * The request's `requestedAt` (the member's order time on the platform) decides the cut-off, so
 * the books follow the engine's clock, which tests move ahead of the wall clock.
 */
/** What the demand book writes to the simulator's state file. */
export interface DemandBooks {
  subscriptions: SimDemandSubscription[];
  redemptions: SimDemandRedemption[];
  sequence: number;
}

export class DemandBook implements PersistentBooks<DemandBooks> {
  subscriptions = new Map<string, SimDemandSubscription>();
  redemptions = new Map<string, SimDemandRedemption>();
  private sequence = 0;

  /** Admin knob: the product's holding cap, lowered (or raised) while the books run. */
  private holdingCapFen: number | undefined;

  constructor(private readonly hasAccount: (accountNo: string) => boolean) {}

  reset(): void {
    this.subscriptions = new Map();
    this.redemptions = new Map();
    this.sequence = 0;
    this.holdingCapFen = undefined;
  }

  /** Sets the holding cap the product states (`null`: back to the seeded one). */
  setHoldingCap(fen: number | null): void {
    this.holdingCapFen = fen ?? undefined;
  }

  snapshot(): DemandBooks {
    return {
      subscriptions: [...this.subscriptions.values()],
      redemptions: [...this.redemptions.values()],
      sequence: this.sequence,
    };
  }

  restore(saved: DemandBooks): void {
    this.subscriptions = new Map(saved.subscriptions.map((s) => [s.subscriptionId, s]));
    this.redemptions = new Map(saved.redemptions.map((r) => [r.redemptionId, r]));
    this.sequence = saved.sequence;
  }

  product(productCode: string): SimDemandProduct {
    if (productCode !== SIM_DEMAND_PRODUCT.productCode)
      throw new XjpRefusal(404, 'PRODUCT_NOT_FOUND', `no demand product ${productCode}`);
    return this.holdingCapFen === undefined
      ? SIM_DEMAND_PRODUCT
      : { ...SIM_DEMAND_PRODUCT, holdingCapFen: this.holdingCapFen };
  }

  /**
   * Places a subscription waiting for its payment (`payBefore` = `requestedAt` + the window); the
   * cashier URL is set once LianLian created the payment. Refused below the minimum or when the
   * holding with everything on its way in would pass the cap.
   */
  place(request: DemandSubscribeRequest, paymentWindowMinutes: number): SimDemandSubscription {
    const product = this.product(request.productCode);
    if (!this.hasAccount(request.accountNo)) throw new XjpRefusal(404, 'ACCOUNT_NOT_FOUND', 'no such account');
    if (request.amountFen < product.minAmountFen)
      throw new XjpRefusal(422, 'BELOW_MINIMUM', `the minimum is ${product.minAmountFen} fen`);
    const requestedAt = new Date(request.requestedAt);
    const held = this.balance(request.accountNo, request.productCode, shanghaiDate(requestedAt), true);
    const incoming = [...this.subscriptions.values()]
      .filter((s) => s.accountNo === request.accountNo && (s.status === 'AWAITING_PAYMENT' || s.status === 'PAID'))
      .reduce((sum, s) => sum + s.amountFen, 0);
    if (held + incoming + request.amountFen > product.holdingCapFen)
      throw new XjpRefusal(422, 'HOLDING_CAP_EXCEEDED', `a member may hold at most ${product.holdingCapFen} fen`);
    const subscription: SimDemandSubscription = {
      ...request,
      xjpSubscriptionNo: `HQS${String(++this.sequence).padStart(10, '0')}`,
      xjpOrderId: randomUUID(),
      cashierUrl: '',
      payBefore: new Date(requestedAt.getTime() + paymentWindowMinutes * 60_000).toISOString(),
      status: 'AWAITING_PAYMENT',
    };
    this.subscriptions.set(subscription.subscriptionId, subscription);
    return subscription;
  }

  /** Undoes a placement whose payment could not be created, so a retry starts clean. */
  drop(subscriptionId: string): void {
    this.subscriptions.delete(subscriptionId);
  }

  /** The subscription LianLian's `no_order` names, if it is a demand one. */
  byXjpNo(xjpSubscriptionNo: string): SimDemandSubscription | undefined {
    return [...this.subscriptions.values()].find((s) => s.xjpSubscriptionNo === xjpSubscriptionNo);
  }

  /**
   * Records LianLian's payment; false when it changes nothing (already recorded). Money paid after
   * the window closed is recorded beside the EXPIRED subscription: the platform is told, and returns it.
   */
  markPaid(xjpSubscriptionNo: string, payment: Omit<SimDemandPayment, 'receivedAt'>, now: Date): boolean {
    const subscription = this.byXjpNo(xjpSubscriptionNo);
    if (subscription === undefined || subscription.payment !== undefined) return false;
    subscription.payment = { ...payment, receivedAt: now.toISOString() };
    if (subscription.status === 'AWAITING_PAYMENT') subscription.status = 'PAID';
    return true;
  }

  /**
   * Applies a paid subscription: the cut-off applies to `paidAt`, the units count from the business
   * day after its trade date. Refused (and kept REFUSED) when the holding would pass the cap now;
   * a repeat answers the first outcome.
   */
  confirm(request: DemandConfirmRequest): SimDemandSubscription {
    const subscription = this.findSubscription(request.subscriptionId);
    if (subscription.status === 'CONFIRMED') return subscription;
    if (subscription.status === 'REFUSED')
      throw new XjpRefusal(422, subscription.refusal ?? 'HOLDING_CAP_EXCEEDED', 'the subscription was refused');
    if (subscription.status === 'EXPIRED')
      throw new XjpRefusal(422, 'SUBSCRIPTION_EXPIRED', 'the payment window closed first');
    if (subscription.payment === undefined)
      throw new XjpRefusal(422, 'SUBSCRIPTION_NOT_PAID', 'no payment has arrived for the subscription');
    const product = this.product(subscription.productCode);
    const paidAt = new Date(request.paidAt);
    const held = this.balance(subscription.accountNo, subscription.productCode, shanghaiDate(paidAt), true);
    if (held + subscription.amountFen > product.holdingCapFen) {
      subscription.status = 'REFUSED';
      subscription.refusal = 'HOLDING_CAP_EXCEEDED';
      throw new XjpRefusal(422, 'HOLDING_CAP_EXCEEDED', `a member may hold at most ${product.holdingCapFen} fen`);
    }
    Object.assign(subscription, { status: 'CONFIRMED', paidAt: request.paidAt, ...subscriptionDates(paidAt) });
    return subscription;
  }

  /** Closes an unpaid subscription's window: EXPIRED, unless its payment arrived first (answered as it is). */
  expire(subscriptionId: string): SimDemandSubscription {
    const subscription = this.findSubscription(subscriptionId);
    if (subscription.status === 'AWAITING_PAYMENT') subscription.status = 'EXPIRED';
    return subscription;
  }

  redeem(request: DemandRedeemRequest): SimDemandRedemption {
    // Idempotent on the platform's redemption id: a retry never pays twice.
    const existing = this.redemptions.get(request.redemptionId);
    if (existing !== undefined) return existing;
    const product = this.product(request.productCode);
    const requestedAt = new Date(request.requestedAt);
    const today = shanghaiDate(requestedAt);
    if (request.amountFen > this.available(request.accountNo, request.productCode, today))
      throw new XjpRefusal(422, 'INSUFFICIENT_UNITS', 'more than the confirmed units not already redeemed');
    if (request.kind === 'FAST') {
      const fastToday = [...this.redemptions.values()]
        .filter(
          (r) =>
            r.accountNo === request.accountNo && r.kind === 'FAST' && shanghaiDate(new Date(r.requestedAt)) === today,
        )
        .reduce((sum, r) => sum + r.amountFen, 0);
      if (fastToday + request.amountFen > product.fastRedemptionDailyLimitFen)
        throw new XjpRefusal(
          422,
          'FAST_LIMIT_EXCEEDED',
          `fast redemptions are limited to ${product.fastRedemptionDailyLimitFen} fen a day`,
        );
    }
    const redemption: SimDemandRedemption = {
      ...request,
      xjpRedemptionNo: `HQR${String(++this.sequence).padStart(10, '0')}`,
      ...redemptionDates(request.kind, requestedAt),
      status: request.kind === 'FAST' ? 'SETTLED' : 'ACCEPTED',
      settlesTo: 'PLATFORM',
    };
    this.redemptions.set(redemption.redemptionId, redemption);
    return redemption;
  }

  findSubscription(subscriptionId: string): SimDemandSubscription {
    const found = this.subscriptions.get(subscriptionId);
    if (found === undefined) throw new XjpRefusal(404, 'SUBSCRIPTION_NOT_FOUND', 'no such subscription');
    return found;
  }

  findRedemption(redemptionId: string): SimDemandRedemption {
    const found = this.redemptions.get(redemptionId);
    if (found === undefined) throw new XjpRefusal(404, 'REDEMPTION_NOT_FOUND', 'no such redemption');
    return found;
  }

  /** Every day of one holding from its first earning day through `through`. */
  incomeDays(accountNo: string, productCode: string, through: string): SimIncomeDay[] {
    const subscriptions = [...this.subscriptions.values()].filter(
      (s): s is ConfirmedSubscription => isConfirmed(s) && s.accountNo === accountNo && s.productCode === productCode,
    );
    const redemptions = [...this.redemptions.values()].filter(
      (r) => r.accountNo === accountNo && r.productCode === productCode,
    );
    const first = subscriptions.map((s) => s.countsFrom).sort()[0];
    const days: SimIncomeDay[] = [];
    let units = 0;
    for (let date = first; date !== undefined && date <= through; date = addDays(date, 1)) {
      for (const s of subscriptions) if (s.countsFrom === date) units += s.amountFen;
      for (const r of redemptions) if (r.effectiveDate === date) units -= r.amountFen;
      const incomeFen = Number((BigInt(units) * BigInt(incomePer10kTenThousandths(date))) / 100_000_000n);
      days.push({ accountNo, productCode, date, unitsFen: units, incomeFen });
      units += incomeFen;
    }
    return days;
  }

  /** Confirmed units by `today` and income before it, less every redemption asked for. */
  available(accountNo: string, productCode: string, today: string): number {
    return this.balance(accountNo, productCode, today, false);
  }

  /** Units held, income before `today`, and confirmed subscriptions not counting yet (optional), less every redemption. */
  private balance(accountNo: string, productCode: string, today: string, withIncoming: boolean): number {
    let units = this.incomeDays(accountNo, productCode, addDays(today, -1)).reduce((sum, d) => sum + d.incomeFen, 0);
    for (const s of this.subscriptions.values())
      if (
        isConfirmed(s) &&
        s.accountNo === accountNo &&
        s.productCode === productCode &&
        (withIncoming || s.countsFrom <= today)
      )
        units += s.amountFen;
    for (const r of this.redemptions.values())
      if (r.accountNo === accountNo && r.productCode === productCode) units -= r.amountFen;
    return units;
  }

  /** The holdings XJP keeps: every account and product with a confirmed subscription. */
  holdings(): { accountNo: string; productCode: string }[] {
    const keys = new Map<string, { accountNo: string; productCode: string }>();
    for (const s of [...this.subscriptions.values()].filter(isConfirmed))
      keys.set(`${s.accountNo}/${s.productCode}`, { accountNo: s.accountNo, productCode: s.productCode });
    return [...keys.values()];
  }
}
