import { ApplicationFailure, Context, log } from '@temporalio/activity';
import { AccrualConflictError, catchUpAccruals } from '../../src/db/repositories/accruals';
import { holidayYearOf, nextBusinessDay } from '../../src/domain/business-days';
import { shanghaiMidnight } from '../../src/domain/calendar';
import { ledgerDays, type LedgerTerms } from '../../src/domain/interest';
import { parseAnnualRate } from '../../src/domain/rate';
import type { OrderStatus } from '../../src/domain/order-status';
import { recordOrderNote, transitionOrder, type OrderChanges } from '../../src/db/repositories/orders';
import { OrderNotFoundError } from '../../src/db/repositories/errors';
import type { EventActor } from '../../src/db/entities/order-event';
import type { ActivityDependencies } from '../dependencies';

/** Fields a status change may set, as they travel in workflow history (instants as ISO strings). */
export interface TransitionChanges {
  xjpOrderId?: string;
  xjpOrderNo?: string;
  paymentUrl?: string;
  payBefore?: string;
  interestStartDate?: string;
  maturityDate?: string;
  expectedInterestFen?: number;
  agreedInterestFen?: number;
  paidAt?: string;
}

/** An order's ledger terms as they travel in workflow history (the rate as its decimal string). */
export interface SettleAccrualInput {
  orderNo: string;
  terms: Omit<LedgerTerms, 'annualRate'> & { annualRate: string };
  maturityInterestFen: number;
}

/** The ledger at maturity: every day posted, `caughtUp` of them by this call rather than the batch. */
export interface SettledAccrual {
  days: number;
  caughtUp: number;
  accruedInterestFen: number;
}

/** One status change as the workflow asks for it. */
export interface TransitionRequest {
  orderNo: string;
  to: OrderStatus;
  /** Stable code of why (`XJP_SUBSCRIBED`, `PAYMENT_WINDOW_ELAPSED`, …). */
  cause: string;
  actor: EventActor;
  actorRef?: string;
  reasonCode?: string;
  changes?: TransitionChanges;
  detail?: Record<string, unknown>;
}

function toOrderChanges(request: TransitionRequest): OrderChanges {
  const { payBefore, paidAt, ...rest } = request.changes ?? {};
  return {
    ...rest,
    ...(payBefore === undefined ? {} : { payBefore: new Date(payBefore) }),
    ...(paidAt === undefined ? {} : { paidAt: new Date(paidAt) }),
    ...(request.reasonCode === undefined ? {} : { rejectReason: request.reasonCode }),
  };
}

/**
 * A ledger that disagrees with the order's own figures: alerted, and retried (with the ledger
 * options' backoff) rather than failing the run, so the order holds at ACCRUING, its money in, until
 * finance has looked; the Web UI shows the pending activity with this failure.
 */
function ledgerAlert(orderNo: string, message: string, type: string): ApplicationFailure {
  log.error('accrual ledger disagrees with the order at maturity', { alert: type, orderNo });
  return ApplicationFailure.retryable(message, type);
}

/**
 * Alerts that do not hold the order for a person: a payment claim XJP does not confirm is dropped
 * and the run waits on. Every other alert parks the order, and the platform is told (`order.parked`).
 */
const ALERTS_THAT_DO_NOT_PARK: ReadonlySet<string> = new Set(['PAYMENT_NOT_CONFIRMED']);

/** Writes to our own records: every status change with its event row, through the lifecycle table. */
export function createOrderActivities({ orm }: Pick<ActivityDependencies, 'orm'>) {
  /** An audit row that changes no status: something an operator must see on the order. */
  async function recordAlert(orderNo: string, cause: string, detail: Record<string, unknown>): Promise<void> {
    await recordOrderNote(orm.em.fork(), {
      orderNo,
      cause,
      actor: 'SYSTEM',
      detail,
      at: new Date(),
      ...(ALERTS_THAT_DO_NOT_PARK.has(cause) ? {} : { parkedFor: cause }),
    });
  }

  return {
    /** Puts an alert on the order's audit trail without moving its status (a payout parked again, …). */
    async recordAlert(input: { orderNo: string; cause: string; detail: Record<string, unknown> }): Promise<void> {
      await recordAlert(input.orderNo, input.cause, input.detail);
      log.warn('order parked for an operator', { alert: input.cause, orderNo: input.orderNo, ...input.detail });
    },

    /** Moves the order to `to` with an audit event; a retry after a lost reply writes nothing twice. */
    async recordTransition(request: TransitionRequest): Promise<void> {
      try {
        await transitionOrder(orm.em.fork(), {
          orderNo: request.orderNo,
          to: request.to,
          cause: request.cause,
          actor: request.actor,
          ...(request.actorRef === undefined ? {} : { actorRef: request.actorRef }),
          at: new Date(),
          changes: toOrderChanges(request),
          ...(request.detail === undefined ? {} : { detail: request.detail }),
        });
      } catch (err) {
        if (err instanceof OrderNotFoundError) throw ApplicationFailure.nonRetryable(err.message, err.code);
        if (err instanceof Error && 'code' in err && err.code === 'ILLEGAL_TRANSITION') {
          throw ApplicationFailure.nonRetryable(err.message, 'ILLEGAL_TRANSITION');
        }
        throw err;
      }
    },

    /**
     * The day the order is redeemed and paid out: its maturity date, or the next business day when
     * that is a day off (interest still ends at maturity). Decided here rather than in the workflow so
     * the answer is kept in history: a later edit of the holiday table (a provisional year replaced by
     * its notice) never changes a running order's replay. A moved date goes on the order's audit trail.
     */
    async fixPayDate(input: { orderNo: string; maturityDate: string }): Promise<{ payDate: string }> {
      const payDate = nextBusinessDay(input.maturityDate);
      const calendar = holidayYearOf(input.maturityDate);
      if (calendar === undefined)
        log.warn('no holiday table for the maturity year, weekends only: amend src/domain/china-holidays.ts', {
          orderNo: input.orderNo,
          maturityDate: input.maturityDate,
        });
      if (payDate !== input.maturityDate) {
        await recordOrderNote(orm.em.fork(), {
          orderNo: input.orderNo,
          cause: 'PAY_DATE_MOVED',
          actor: 'SYSTEM',
          detail: {
            maturityDate: input.maturityDate,
            payDate,
            calendar: calendar === undefined ? 'weekends only' : calendar.source,
          },
          at: new Date(),
          once: true,
        });
      }
      return { payDate };
    },

    /** Records and alerts a maturity-interest mismatch with XJP; the order then waits for an operator. */
    async recordInterestMismatch(input: { orderNo: string; oursFen: number; xjpFen: number }): Promise<void> {
      await recordAlert(input.orderNo, 'INTEREST_MISMATCH', { oursFen: input.oursFen, xjpFen: input.xjpFen });
      log.warn('maturity interest differs from XJP: waiting for an operator', { alert: 'INTEREST_MISMATCH', ...input });
    },

    /**
     * At maturity, before the redemption: posts every accrual day the end-of-day batch did not
     * (a missed night, an order that reached ACCRUING after its first days ended), checks every row
     * against the order's own figures and that the days sum to its maturity interest. Idempotent on
     * (order, date), so it may race the batch or run again after a lost reply.
     */
    async settleAccrual(input: SettleAccrualInput): Promise<SettledAccrual> {
      const { terms } = input;
      const lastDayEnd = shanghaiMidnight(terms.maturityDate).getTime();
      if (lastDayEnd > Context.current().info.currentAttemptScheduledTimestampMs) {
        // Workflow time says the last day has ended; a server clock a moment behind catches up on the retry.
        throw ApplicationFailure.retryable(
          `the last accrual day of ${input.orderNo} has not ended`,
          'ACCRUAL_DAY_NOT_ENDED',
        );
      }
      const days = ledgerDays({ ...terms, annualRate: parseAnnualRate(terms.annualRate) });
      let settled;
      try {
        settled = await catchUpAccruals(orm.em.fork(), { orderNo: input.orderNo, days, at: new Date() });
      } catch (err) {
        if (err instanceof OrderNotFoundError) throw ApplicationFailure.nonRetryable(err.message, err.code);
        if (err instanceof AccrualConflictError) throw ledgerAlert(input.orderNo, err.message, err.code);
        throw err;
      }
      const sumFen = settled.accruals.reduce((sum, a) => sum + a.amountFen, 0);
      if (settled.accruals.length !== days.length || sumFen !== input.maturityInterestFen) {
        throw ledgerAlert(
          input.orderNo,
          `ledger of ${input.orderNo} holds ${settled.accruals.length} of ${days.length} days summing to ${sumFen} fen, not ${input.maturityInterestFen}`,
          'ACCRUAL_SUM_MISMATCH',
        );
      }
      if (settled.posted > 0)
        log.warn('accrual days caught up at maturity', { orderNo: input.orderNo, days: settled.posted });
      return { days: days.length, caughtUp: settled.posted, accruedInterestFen: sumFen };
    },
  };
}
