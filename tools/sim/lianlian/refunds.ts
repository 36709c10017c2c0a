import { z } from 'zod';
import { shanghaiCompactDate } from '../common/shanghai-time';
import type { PersistentBooks } from '../common/state-file';
import type { TimerSet } from '../common/timers';
import type { PaymentBook } from './payments';

/** `POST /admin/refund-faults`: the next `count` refunds fail at the bank (card closed, say). */
export const refundFaultSchema = z.object({ kind: z.literal('fail'), count: z.number().int().min(1) });
export type RefundFault = z.infer<typeof refundFaultSchema>;

/** A refund's `sta_refund`: `PROCESSING → SUCCESS | FAILURE`. */
export type RefundState = 'PROCESSING' | 'SUCCESS' | 'FAILURE';

/** A refund of (part of) a cashier payment, back to the card it was paid from. */
export interface SimRefund {
  oid_partner: string;
  no_refund: string;
  dt_refund: string;
  moneyFen: number;
  /** The payment's bill: what is refunded. */
  oid_paybill: string;
  oid_refundno: string;
  notify_url: string;
  sta_refund: RefundState;
  settle_date?: string;
  fault?: RefundFault['kind'];
  createdAt: string;
}

/** The fields of `/gateway/refund/apply` the desk acts on. */
export type RefundRequest = Pick<
  SimRefund,
  'oid_partner' | 'no_refund' | 'dt_refund' | 'moneyFen' | 'oid_paybill' | 'notify_url'
>;

/** Why an application is refused outright (nothing created). */
export type RefundRefusal = 'conflict' | 'no-such-payment' | 'exceeds-payment';

/** What the refund desk writes to its state file. */
export interface RefundBooks {
  refunds: SimRefund[];
  faults: RefundFault[];
  sequence: number;
}

/**
 * LianLian's refund desk: a refund names the payment's bill and never returns more than arrived
 * on it (less what was refunded already and not failed); idempotent on `no_refund`.
 */
export class RefundDesk implements PersistentBooks<RefundBooks> {
  private refunds = new Map<string, SimRefund>();
  private faults: RefundFault[] = [];
  private sequence = 0;

  constructor(
    private readonly payments: PaymentBook,
    private readonly stepDelayMs: number,
    private readonly timers: TimerSet,
    private readonly notify: (refund: SimRefund) => void,
  ) {}

  reset(): void {
    this.refunds = new Map();
    this.faults = [];
    this.sequence = 0;
  }

  snapshot(): RefundBooks {
    return { refunds: this.list(), faults: this.faults.map((f) => ({ ...f })), sequence: this.sequence };
  }

  /** Reads the books back; a refund that was processing when the desk stopped goes on. */
  restore(saved: RefundBooks): void {
    this.refunds = new Map(saved.refunds.map((r) => [`${r.oid_partner}/${r.no_refund}`, r]));
    this.faults = saved.faults;
    this.sequence = saved.sequence;
    for (const refund of this.refunds.values()) if (refund.sta_refund === 'PROCESSING') this.proceed(refund);
  }

  addFault(fault: RefundFault): void {
    this.faults.push({ ...fault });
  }

  list(): SimRefund[] {
    return [...this.refunds.values()];
  }

  find(oidPartner: string, noRefund: string): SimRefund | undefined {
    return this.refunds.get(`${oidPartner}/${noRefund}`);
  }

  apply(request: RefundRequest, now: Date): SimRefund | RefundRefusal {
    const existing = this.find(request.oid_partner, request.no_refund);
    if (existing !== undefined) {
      const same = existing.moneyFen === request.moneyFen && existing.oid_paybill === request.oid_paybill;
      return same ? existing : 'conflict';
    }
    const payment = this.payments.findByBill(request.oid_paybill);
    if (payment?.paidFen === undefined) return 'no-such-payment';
    const refunded = this.list()
      .filter((r) => r.oid_paybill === request.oid_paybill && r.sta_refund !== 'FAILURE')
      .reduce((sum, r) => sum + r.moneyFen, 0);
    if (refunded + request.moneyFen > payment.paidFen) return 'exceeds-payment';
    this.sequence += 1;
    const refund: SimRefund = {
      ...request,
      // Refund bills carry a 3 after the date (payments 1, payouts 2).
      oid_refundno: `${shanghaiCompactDate(now)}3${String(this.sequence).padStart(9, '0')}`,
      sta_refund: 'PROCESSING',
      fault: this.takeFault(),
      createdAt: now.toISOString(),
    };
    this.refunds.set(`${refund.oid_partner}/${refund.no_refund}`, refund);
    this.proceed(refund);
    return refund;
  }

  private takeFault(): RefundFault['kind'] | undefined {
    const fault = this.faults[0];
    if (fault === undefined) return undefined;
    fault.count -= 1;
    if (fault.count === 0) this.faults.shift();
    return fault.kind;
  }

  private proceed(refund: SimRefund): void {
    this.timers.after(this.stepDelayMs, () => {
      if (refund.fault === 'fail') {
        refund.sta_refund = 'FAILURE';
      } else {
        refund.sta_refund = 'SUCCESS';
        refund.settle_date = shanghaiCompactDate(new Date());
      }
      this.notify(refund);
    });
  }
}
