import { z } from 'zod';
import { shanghaiCompactDate } from '../common/shanghai-time';
import type { PersistentBooks } from '../common/state-file';
import type { TimerSet } from '../common/timers';
import type { PayoutTiming } from './options';

/**
 * `POST /admin/payout-faults`: the next `count` payouts fail, are reversed after success, are held in
 * CHECK, or (`conflict`) are accepted and paid while the first answer to their apply is a 4002 refusal.
 */
export const payoutFaultSchema = z.object({
  kind: z.enum(['fail', 'reverse', 'hold', 'conflict']),
  count: z.number().int().min(1),
});
export type PayoutFault = z.infer<typeof payoutFaultSchema>;

/** A payout's `result_pay`. */
export type PayoutState = 'APPLY' | 'CHECK' | 'WAITING' | 'PROCESSING' | 'SUCCESS' | 'FAILURE' | 'CLOSED' | 'CANCEL';

/** A payout (代付) to an investor's card and every state it went through. */
export interface SimPayout {
  oid_partner: string;
  no_order: string;
  oid_paybill: string;
  dt_order: string;
  moneyFen: number;
  card_no: string;
  acct_name: string;
  bank_code: string;
  info_order: string;
  notify_url: string;
  result_pay: PayoutState;
  settle_date?: string;
  fault?: PayoutFault['kind'];
  /** A `conflict` fault answers the first apply with 4002 only. */
  conflictAnswered?: boolean;
  createdAt: string;
  history: { state: PayoutState; at: string }[];
}

/** The fields of `/gateway/payout/apply` the desk acts on. */
export type PayoutRequest = Pick<
  SimPayout,
  | 'oid_partner'
  | 'no_order'
  | 'dt_order'
  | 'moneyFen'
  | 'card_no'
  | 'acct_name'
  | 'bank_code'
  | 'info_order'
  | 'notify_url'
>;

/** Payouts that settle to one of these have moved money (or decided not to) and notify. */
const NOTIFIED: ReadonlySet<PayoutState> = new Set(['SUCCESS', 'FAILURE', 'CLOSED', 'CANCEL']);

/** What the payout desk writes to its state file. */
export interface PayoutBooks {
  payouts: SimPayout[];
  faults: PayoutFault[];
  sequence: number;
}

/** LianLian's payout desk: the state machine, its timers and its faults. */
export class PayoutDesk implements PersistentBooks<PayoutBooks> {
  private payouts = new Map<string, SimPayout>();
  private faults: PayoutFault[] = [];
  private sequence = 0;

  constructor(
    private readonly timing: PayoutTiming,
    private readonly timers: TimerSet,
    private readonly notify: (payout: SimPayout) => void,
  ) {}

  reset(): void {
    this.payouts = new Map();
    this.faults = [];
    this.sequence = 0;
  }

  snapshot(): PayoutBooks {
    return { payouts: this.list(), faults: this.pendingFaults(), sequence: this.sequence };
  }

  /** Reads the books back; a payout that was on its way to the bank when the desk stopped goes on from WAITING. */
  restore(saved: PayoutBooks): void {
    this.payouts = new Map(saved.payouts.map((p) => [`${p.oid_partner}/${p.no_order}`, p]));
    this.faults = saved.faults;
    this.sequence = saved.sequence;
    for (const payout of this.payouts.values()) {
      if (payout.result_pay === 'WAITING' || payout.result_pay === 'PROCESSING') this.proceed(payout);
    }
  }

  addFault(fault: PayoutFault): void {
    this.faults.push({ ...fault });
  }

  pendingFaults(): PayoutFault[] {
    return this.faults.map((f) => ({ ...f }));
  }

  list(): SimPayout[] {
    return [...this.payouts.values()];
  }

  find(oidPartner: string, noOrder: string): SimPayout | undefined {
    return this.payouts.get(`${oidPartner}/${noOrder}`);
  }

  /**
   * Accepts a payout, or returns the existing one for the same `no_order`: idempotent, so a
   * retried apply never pays twice. 'conflict' when the same `no_order` carries other content.
   */
  apply(request: PayoutRequest, now: Date): SimPayout | 'conflict' {
    const existing = this.find(request.oid_partner, request.no_order);
    if (existing !== undefined) return sameContent(existing, request) ? existing : 'conflict';
    this.sequence += 1;
    const payout: SimPayout = {
      ...request,
      oid_paybill: `${shanghaiCompactDate(now)}2${String(this.sequence).padStart(9, '0')}`,
      result_pay: 'APPLY',
      fault: this.takeFault(),
      createdAt: now.toISOString(),
      history: [{ state: 'APPLY', at: now.toISOString() }],
    };
    const suspected = payout.fault === 'hold' || this.looksLikeDuplicate(payout, now);
    this.payouts.set(`${payout.oid_partner}/${payout.no_order}`, payout);
    if (suspected) {
      this.move(payout, 'CHECK');
      this.timers.after(this.timing.checkHoldMs, () => {
        if (payout.result_pay === 'CHECK') this.move(payout, 'CLOSED');
      });
    } else {
      this.proceed(payout);
    }
    return payout;
  }

  /** Releases a payout held in CHECK; confirming anything else changes nothing. */
  confirm(payout: SimPayout): void {
    if (payout.result_pay === 'CHECK') this.proceed(payout);
  }

  private takeFault(): PayoutFault['kind'] | undefined {
    const fault = this.faults[0];
    if (fault === undefined) return undefined;
    fault.count -= 1;
    if (fault.count === 0) this.faults.shift();
    return fault.kind;
  }

  private looksLikeDuplicate(payout: SimPayout, now: Date): boolean {
    const since = now.getTime() - this.timing.duplicateWindowMs;
    return [...this.payouts.values()].some(
      (other) =>
        other.card_no === payout.card_no &&
        other.moneyFen === payout.moneyFen &&
        Date.parse(other.createdAt) >= since &&
        !['CLOSED', 'FAILURE'].includes(other.result_pay),
    );
  }

  private proceed(payout: SimPayout): void {
    const { stepDelayMs, reversalDelayMs } = this.timing;
    this.move(payout, 'WAITING');
    this.timers.after(stepDelayMs, () => {
      this.move(payout, 'PROCESSING');
      this.timers.after(stepDelayMs, () => {
        if (payout.fault === 'fail') {
          this.move(payout, 'FAILURE');
          return;
        }
        payout.settle_date = shanghaiCompactDate(new Date());
        this.move(payout, 'SUCCESS');
        if (payout.fault === 'reverse') this.timers.after(reversalDelayMs, () => this.move(payout, 'CANCEL'));
      });
    });
  }

  private move(payout: SimPayout, state: PayoutState): void {
    payout.result_pay = state;
    payout.history.push({ state, at: new Date().toISOString() });
    if (NOTIFIED.has(state)) this.notify(payout);
  }
}

function sameContent(existing: SimPayout, request: PayoutRequest): boolean {
  return (
    existing.moneyFen === request.moneyFen &&
    existing.card_no === request.card_no &&
    existing.acct_name === request.acct_name &&
    existing.bank_code === request.bank_code
  );
}
