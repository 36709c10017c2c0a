import { randomUUID } from 'node:crypto';
import { seedCatalogue, type SimProduct } from './catalogue';
import { shanghaiCompactDate } from '../common/shanghai-time';
import { quoteTerms, simpleInterestFen } from './interest';
import { daysBetween } from '../common/shanghai-time';
import type { EarlyRedemptionTerms } from '../../../src/domain/redemption-terms';
import type { PersistentBooks } from '../common/state-file';

/** A refusal XJP answers with `status` and a stable `code`. */
export class XjpRefusal extends Error {
  constructor(
    readonly status: 404 | 422 | 502,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** The product as XJP publishes it on the wire. */
export interface ProductView extends Pick<
  SimProduct,
  | 'productId'
  | 'productCode'
  | 'name'
  | 'annualRate'
  | 'term'
  | 'termUnit'
  | 'minAmountFen'
  | 'stepAmountFen'
  | 'raiseTargetFen'
  | 'acceptingBank'
  | 'dayCountBasis'
  | 'interestStartRule'
  | 'payoutMode'
  | 'memberLimitFen'
  | 'earlyRedemption'
  | 'serviceFee'
> {
  /** Seeded plus locked by orders here. */
  raisedFen: number;
  status: 'ON_SALE' | 'SOLD_OUT' | 'ENDED';
}

/** An investor account at XJP. */
export interface SimAccount {
  accountNo: string;
  memberId: string;
  accountName: string;
  mobile: string;
  idCardNo: string;
  email?: string;
  channel: string;
  openedAt: string;
}

/** What XJP answers when it settles a redemption. */
export interface Redemption {
  xjpOrderNo: string;
  redemptionId: string;
  principalFen: number;
  interestFen: number;
  /** An early redemption's fee on principal (0 at maturity and under a penalty rate). */
  penaltyFen: number;
  totalFen: number;
  settledAt: string;
  status: 'SETTLED';
  /** Set on an early redemption: the day accrual stopped (not earned), and the request it answered. */
  early?: { redemptionDate: string; requestId: string };
}

/** The XjpOrder of the wire. */
export interface XjpOrderView {
  purchaseRecordId: string;
  xjpOrderId: string;
  xjpOrderNo: string;
  productId: string;
  productName: string;
  amountFen: number;
  term: number;
  termUnit: 'DAY' | 'MONTH';
  annualRate: string;
  maturityAmountFen: number;
  maturityInterestFen: number;
  orderTime: string;
  interestStartDate: string;
  interestEndDate: string;
  payStatus: 'UNPAID' | 'PAID' | 'CANCELLED';
  cashierUrl: string;
}

/** An order with what XJP keeps beside the wire view. */
export interface SimOrder extends XjpOrderView {
  accountNo: string;
  /** Fen held against the product's raise target: the amount until cancelled. */
  quotaLockedFen: number;
  requestIds: string[];
  paidAt?: string;
  paidAmountFen?: number;
  lianlianBillNo?: string;
  /** Admin knob: LianLian's notification for this order is acknowledged and ignored. */
  paymentNever: boolean;
  redemption?: Redemption;
  /** The subscription this order's redeemed funds paid (续投): they pay one only. */
  reinvestedInto?: string;
  /** The redeemed order whose settlement paid this subscription (续投). */
  fundedBy?: string;
}

/** The fields of a subscription request the store acts on. */
export interface SubscriptionRequest {
  requestId: string;
  purchaseRecordId: string;
  productId: string;
  accountNo: string;
  amountFen: number;
  /** A reinvestment (续投): the redeemed order whose settlement pays this subscription at once, no cashier. */
  fundedByXjpOrderNo?: string;
}

/** The fields of an account-opening request the store acts on. */
export interface AccountRequest {
  channel: string;
  memberId: string;
  name: string;
  mobile: string;
  idCardNo: string;
  email?: string;
}

const ORDER_VIEW_KEYS = [
  'purchaseRecordId',
  'xjpOrderId',
  'xjpOrderNo',
  'productId',
  'productName',
  'amountFen',
  'term',
  'termUnit',
  'annualRate',
  'maturityAmountFen',
  'maturityInterestFen',
  'orderTime',
  'interestStartDate',
  'interestEndDate',
  'payStatus',
  'cashierUrl',
] as const satisfies readonly (keyof XjpOrderView)[];

/** The wire view of an order. */
export function orderView(order: SimOrder): XjpOrderView {
  return Object.fromEntries(ORDER_VIEW_KEYS.map((key) => [key, order[key]])) as unknown as XjpOrderView;
}

/** What the XJP store writes to its state file. */
export interface XjpBooks {
  products: SimProduct[];
  accounts: SimAccount[];
  orders: SimOrder[];
  sequence: number;
}

/** XJP's in-memory books: catalogue, accounts, orders. */
export class XjpStore implements PersistentBooks<XjpBooks> {
  products = new Map<string, SimProduct>();
  accounts = new Map<string, SimAccount>();
  orders = new Map<string, SimOrder>();
  private orderNoByPurchaseRecord = new Map<string, string>();
  private sequence = 0;

  constructor() {
    this.reset();
  }

  reset(): void {
    this.products = new Map(seedCatalogue().map((p) => [p.productId, p]));
    this.accounts = new Map();
    this.orders = new Map();
    this.orderNoByPurchaseRecord = new Map();
    this.sequence = 0;
  }

  snapshot(): XjpBooks {
    return {
      products: [...this.products.values()],
      accounts: [...this.accounts.values()],
      orders: [...this.orders.values()],
      sequence: this.sequence,
    };
  }

  restore(saved: XjpBooks): void {
    this.products = new Map(saved.products.map((p) => [p.productId, p]));
    this.accounts = new Map(saved.accounts.map((a) => [a.memberId, a]));
    this.orders = new Map(saved.orders.map((o) => [o.xjpOrderNo, o]));
    this.orderNoByPurchaseRecord = new Map(saved.orders.map((o) => [o.purchaseRecordId, o.xjpOrderNo]));
    this.sequence = saved.sequence;
  }

  private next(): number {
    this.sequence += 1;
    return this.sequence;
  }

  raisedFen(product: SimProduct): number {
    let raised = product.seedRaisedFen;
    for (const order of this.orders.values()) if (order.productId === product.productId) raised += order.quotaLockedFen;
    return raised;
  }

  productView(product: SimProduct): ProductView {
    const raisedFen = this.raisedFen(product);
    const status = product.ended ? 'ENDED' : raisedFen >= product.raiseTargetFen ? 'SOLD_OUT' : 'ON_SALE';
    const { productId, productCode, name, annualRate, term, termUnit, minAmountFen, stepAmountFen, raiseTargetFen } =
      product;
    const { acceptingBank, dayCountBasis, interestStartRule, payoutMode, memberLimitFen, earlyRedemption, serviceFee } =
      product;
    return {
      productId,
      productCode,
      name,
      annualRate,
      term,
      termUnit,
      minAmountFen,
      stepAmountFen,
      raiseTargetFen,
      raisedFen,
      status,
      acceptingBank,
      dayCountBasis,
      interestStartRule,
      payoutMode,
      ...(memberLimitFen === undefined ? {} : { memberLimitFen }),
      ...(earlyRedemption === undefined ? {} : { earlyRedemption }),
      ...(serviceFee === undefined ? {} : { serviceFee }),
    };
  }

  /** Listed products only: a delisted product is invisible to the platform. */
  listedProducts(): SimProduct[] {
    return [...this.products.values()].filter((p) => p.listed);
  }

  findListedProduct(by: { productId?: string; productCode?: string }): SimProduct {
    const product = this.listedProducts().find((p) => p.productId === by.productId || p.productCode === by.productCode);
    if (product === undefined) throw new XjpRefusal(404, 'PRODUCT_NOT_FOUND', 'no such product');
    return product;
  }

  /** Opens an account, or returns the member's existing one: idempotent per member. */
  openAccount(request: AccountRequest, now: Date): { account: SimAccount; created: boolean } {
    const existing = this.accounts.get(request.memberId);
    if (existing !== undefined) return { account: existing, created: false };
    const account: SimAccount = {
      accountNo: `XJPA${String(8_000_000 + this.next()).padStart(10, '0')}`,
      memberId: request.memberId,
      accountName: request.name,
      mobile: request.mobile,
      idCardNo: request.idCardNo,
      email: request.email,
      channel: request.channel,
      openedAt: now.toISOString(),
    };
    this.accounts.set(account.memberId, account);
    return { account, created: true };
  }

  /** The account with this number; refused `ACCOUNT_NOT_FOUND` when there is none. */
  findAccount(accountNo: string): SimAccount {
    const account = [...this.accounts.values()].find((a) => a.accountNo === accountNo);
    if (account === undefined) throw new XjpRefusal(404, 'ACCOUNT_NOT_FOUND', 'no such account');
    return account;
  }

  orderForPurchaseRecord(purchaseRecordId: string): SimOrder | undefined {
    const orderNo = this.orderNoByPurchaseRecord.get(purchaseRecordId);
    return orderNo === undefined ? undefined : this.orders.get(orderNo);
  }

  findOrder(xjpOrderNo: string): SimOrder {
    const order = this.orders.get(xjpOrderNo);
    if (order === undefined) throw new XjpRefusal(404, 'ORDER_NOT_FOUND', 'no such order');
    return order;
  }

  /** Checks the request, then creates the order and locks its quota; the cashier URL comes later. */
  reserveSubscription(request: SubscriptionRequest, now: Date): SimOrder {
    const product = this.products.get(request.productId);
    if (product === undefined) throw new XjpRefusal(404, 'PRODUCT_NOT_FOUND', 'no such product');
    if (![...this.accounts.values()].some((a) => a.accountNo === request.accountNo)) {
      throw new XjpRefusal(422, 'ACCOUNT_NOT_FOUND', 'no such account');
    }
    const view = this.productView(product);
    if (!product.listed || view.status !== 'ON_SALE') {
      throw new XjpRefusal(422, 'PRODUCT_NOT_ON_SALE', `product is ${product.listed ? view.status : 'delisted'}`);
    }
    if (request.amountFen < product.minAmountFen) {
      throw new XjpRefusal(422, 'BELOW_MINIMUM', `minimum is ${product.minAmountFen} fen`);
    }
    if ((request.amountFen - product.minAmountFen) % product.stepAmountFen !== 0) {
      throw new XjpRefusal(422, 'NOT_ON_STEP', `amount must rise in steps of ${product.stepAmountFen} fen`);
    }
    const remaining = product.raiseTargetFen - view.raisedFen;
    if (request.amountFen > remaining) throw new XjpRefusal(422, 'QUOTA_EXCEEDED', `only ${remaining} fen remain`);
    const funding = request.fundedByXjpOrderNo === undefined ? undefined : this.redeemedFunds(request);

    const terms = quoteTerms(product, request.amountFen, now);
    const maturityInterestFen = terms.maturityInterestFen + product.interestSkewFen;
    const sequence = this.next();
    const order: SimOrder = {
      purchaseRecordId: request.purchaseRecordId,
      xjpOrderId: randomUUID(),
      xjpOrderNo: `XJP${shanghaiCompactDate(now)}${String(sequence).padStart(8, '0')}`,
      productId: product.productId,
      productName: product.name,
      amountFen: request.amountFen,
      term: product.term,
      termUnit: product.termUnit,
      annualRate: product.annualRate,
      maturityAmountFen: request.amountFen + maturityInterestFen,
      maturityInterestFen,
      orderTime: now.toISOString(),
      interestStartDate: terms.interestStartDate,
      interestEndDate: terms.interestEndDate,
      payStatus: 'UNPAID',
      cashierUrl: '',
      accountNo: request.accountNo,
      quotaLockedFen: request.amountFen,
      requestIds: [request.requestId],
      paymentNever: false,
    };
    if (funding !== undefined) {
      Object.assign(order, {
        payStatus: 'PAID',
        paidAt: now.toISOString(),
        paidAmountFen: request.amountFen,
        fundedBy: funding.xjpOrderNo,
      });
      funding.reinvestedInto = order.xjpOrderNo;
    }
    this.orders.set(order.xjpOrderNo, order);
    this.orderNoByPurchaseRecord.set(order.purchaseRecordId, order.xjpOrderNo);
    return order;
  }

  /** The redeemed order whose settlement pays a reinvestment: redeemed, not yet reinvested, and enough. */
  private redeemedFunds(request: SubscriptionRequest): SimOrder {
    const funding = this.orders.get(request.fundedByXjpOrderNo ?? '');
    const settled = funding?.redemption?.totalFen ?? 0;
    if (funding === undefined || funding.reinvestedInto !== undefined || settled < request.amountFen) {
      throw new XjpRefusal(422, 'FUNDS_NOT_AVAILABLE', 'no redeemed, unreinvested settlement covers the amount');
    }
    return funding;
  }

  /** Undoes a reservation whose payment could not be created, so a retry starts clean. */
  dropReservation(order: SimOrder): void {
    this.orders.delete(order.xjpOrderNo);
    this.orderNoByPurchaseRecord.delete(order.purchaseRecordId);
  }

  /**
   * Cancels an unpaid order and releases its quota; cancelling twice is a no-op. A reinvestment paid
   * from a redeemed settlement may be cancelled too: the settlement is free again, to be paid out.
   */
  cancel(xjpOrderNo: string): SimOrder {
    const order = this.findOrder(xjpOrderNo);
    const funding = order.fundedBy === undefined ? undefined : this.orders.get(order.fundedBy);
    if (order.payStatus === 'PAID' && funding === undefined)
      throw new XjpRefusal(422, 'ORDER_ALREADY_PAID', 'a paid order cannot be cancelled');
    if (funding?.reinvestedInto === order.xjpOrderNo) delete funding.reinvestedInto;
    order.payStatus = 'CANCELLED';
    order.quotaLockedFen = 0;
    return order;
  }

  /**
   * Records LianLian's payment; false when it changes nothing (already paid, or ignored). Money paid
   * at the cashier after the subscription was cancelled is recorded beside it (the order stays
   * CANCELLED, no quota comes back): the platform is told, so it can return the money.
   */
  markPaid(xjpOrderNo: string, payment: { paidAmountFen: number; lianlianBillNo: string }, now: Date): boolean {
    const order = this.orders.get(xjpOrderNo);
    if (order === undefined || order.paymentNever || order.lianlianBillNo !== undefined) return false;
    if (order.payStatus === 'PAID') return false;
    if (order.payStatus === 'UNPAID') order.payStatus = 'PAID';
    order.paidAt = now.toISOString();
    order.paidAmountFen = payment.paidAmountFen;
    order.lianlianBillNo = payment.lianlianBillNo;
    return true;
  }

  /** Settles principal and the quoted interest; a second call returns the first settlement. */
  redeem(xjpOrderNo: string, requestId: string, now: Date): Redemption {
    const order = this.findOrder(xjpOrderNo);
    if (order.redemption !== undefined) return order.redemption;
    if (order.payStatus !== 'PAID') throw new XjpRefusal(422, 'ORDER_NOT_PAID', 'only a paid order can be redeemed');
    order.requestIds.push(requestId);
    order.redemption = {
      xjpOrderNo,
      redemptionId: `XR${String(this.next()).padStart(10, '0')}`,
      principalFen: order.amountFen,
      interestFen: order.maturityInterestFen,
      penaltyFen: 0,
      totalFen: order.amountFen + order.maturityInterestFen,
      settledAt: now.toISOString(),
      status: 'SETTLED',
    };
    return order.redemption;
  }

  /**
   * Settles an order before maturity as of `redemptionDate` (that day not earned), by the product's
   * terms: refused when the product does not offer it, inside the lock-in, on or after maturity, or
   * when the order is already redeemed; a repeat of the same request answers the first settlement.
   */
  redeemEarly(xjpOrderNo: string, requestId: string, redemptionDate: string, now: Date): Redemption {
    const order = this.findOrder(xjpOrderNo);
    if (order.redemption !== undefined) {
      if (order.redemption.early?.requestId === requestId) return order.redemption;
      throw new XjpRefusal(422, 'ALREADY_REDEEMED', 'the order is already redeemed');
    }
    if (order.payStatus !== 'PAID') throw new XjpRefusal(422, 'ORDER_NOT_PAID', 'only a paid order can be redeemed');
    const product = this.products.get(order.productId);
    const terms = product?.earlyRedemption;
    if (product === undefined || terms === undefined || !terms.allowed)
      throw new XjpRefusal(422, 'EARLY_REDEMPTION_NOT_ALLOWED', 'the product is held to maturity');
    if (redemptionDate >= order.interestEndDate)
      throw new XjpRefusal(422, 'ORDER_MATURED', 'the order has reached maturity: it is redeemed at maturity');
    const daysHeld = Math.max(daysBetween(order.interestStartDate, redemptionDate), 0);
    if (daysHeld < terms.lockInDays)
      throw new XjpRefusal(422, 'IN_LOCK_IN', `early redemption opens after ${terms.lockInDays} days`);
    const { principalFen, interestFen, penaltyFen } = earlyFigures(order, product, terms, daysHeld);
    order.requestIds.push(requestId);
    order.redemption = {
      xjpOrderNo,
      redemptionId: `XR${String(this.next()).padStart(10, '0')}`,
      principalFen,
      interestFen,
      penaltyFen,
      totalFen: principalFen + interestFen - penaltyFen,
      settledAt: now.toISOString(),
      status: 'SETTLED',
      early: { redemptionDate, requestId },
    };
    return order.redemption;
  }
}

/** XJP's own arithmetic of an early redemption (the engine computes the same independently, and checks). */
function earlyFigures(
  order: SimOrder,
  product: SimProduct,
  terms: EarlyRedemptionTerms,
  daysHeld: number,
): { principalFen: number; interestFen: number; penaltyFen: number } {
  const principalFen = order.amountFen;
  const basis = product.dayCountBasis;
  const earned = simpleInterestFen(principalFen, order.annualRate, daysHeld, basis);
  if (terms.penalty.kind === 'PENALTY_RATE') {
    const kept = simpleInterestFen(principalFen, terms.penalty.annualRate, daysHeld, basis);
    return { principalFen, interestFen: Math.min(kept, earned), penaltyFen: 0 };
  }
  const fee = Math.floor((2 * principalFen * terms.penalty.bp + 10_000) / 20_000);
  return { principalFen, interestFen: earned, penaltyFen: Math.min(fee, principalFen + earned) };
}
