import { randomBytes } from 'node:crypto';
import { shanghaiCompactDate } from '../common/shanghai-time';
import type { PersistentBooks } from '../common/state-file';

/** A payment XJP asked LianLian to collect through the cashier. */
export interface SimPayment {
  token: string;
  oid_partner: string;
  no_order: string;
  dt_order: string;
  moneyFen: number;
  name_goods: string;
  /** The merchant's order description: XJP puts the platform's order number here. */
  info_order?: string;
  /** Minutes the payment may be made in, from `dt_order`. */
  valid_order?: number;
  /** Where the investor goes back to after paying. */
  url_return?: string;
  notify_url: string;
  status: 'WAITING' | 'PAID' | 'CANCELLED';
  oid_paybill?: string;
  paidAt?: string;
  /** What arrived (the order's amount unless the cashier was told otherwise): the most a refund returns. */
  paidFen?: number;
  createdAt: string;
}

/** The fields of `/gateway/pay/create` the book acts on. */
export type PaymentRequest = Pick<
  SimPayment,
  | 'oid_partner'
  | 'no_order'
  | 'dt_order'
  | 'moneyFen'
  | 'name_goods'
  | 'info_order'
  | 'valid_order'
  | 'url_return'
  | 'notify_url'
>;

/** What the payment book writes to its state file. */
export interface PaymentBooks {
  payments: SimPayment[];
  sequence: number;
}

/** LianLian's book of cashier payments. */
export class PaymentBook implements PersistentBooks<PaymentBooks> {
  private byToken = new Map<string, SimPayment>();
  private tokenByOrder = new Map<string, string>();
  private sequence = 0;

  reset(): void {
    this.byToken = new Map();
    this.tokenByOrder = new Map();
    this.sequence = 0;
  }

  snapshot(): PaymentBooks {
    return { payments: this.list(), sequence: this.sequence };
  }

  restore(saved: PaymentBooks): void {
    this.byToken = new Map(saved.payments.map((p) => [p.token, p]));
    this.tokenByOrder = new Map(saved.payments.map((p) => [`${p.oid_partner}/${p.no_order}`, p.token]));
    this.sequence = saved.sequence;
  }

  list(): SimPayment[] {
    return [...this.byToken.values()];
  }

  find(token: string): SimPayment | undefined {
    return this.byToken.get(token);
  }

  /** The paid payment with this bill, as a refund names it. */
  findByBill(oidPaybill: string): SimPayment | undefined {
    return this.list().find((p) => p.oid_paybill === oidPaybill);
  }

  /**
   * Creates the payment, or returns the existing one for the same merchant order: idempotent on
   * `no_order`. 'conflict' when the same `no_order` arrives with a different amount or goods.
   */
  create(request: PaymentRequest, now: Date): SimPayment | 'conflict' {
    const key = `${request.oid_partner}/${request.no_order}`;
    const existingToken = this.tokenByOrder.get(key);
    const existing = existingToken === undefined ? undefined : this.byToken.get(existingToken);
    if (existing !== undefined) {
      const same = existing.moneyFen === request.moneyFen && existing.name_goods === request.name_goods;
      return same ? existing : 'conflict';
    }
    const payment: SimPayment = {
      ...request,
      token: randomBytes(12).toString('hex'),
      status: 'WAITING',
      createdAt: now.toISOString(),
    };
    this.byToken.set(payment.token, payment);
    this.tokenByOrder.set(key, payment.token);
    return payment;
  }

  /** Pays a waiting payment with what arrived; paying twice changes nothing. */
  pay(payment: SimPayment, now: Date, arrivedFen: number): boolean {
    if (payment.status !== 'WAITING') return false;
    this.sequence += 1;
    payment.status = 'PAID';
    payment.paidAt = now.toISOString();
    payment.paidFen = arrivedFen;
    // Payment bills carry a 1 after the date, payout bills a 2, so the two never collide.
    payment.oid_paybill = `${shanghaiCompactDate(now)}1${String(this.sequence).padStart(9, '0')}`;
    return true;
  }
}
