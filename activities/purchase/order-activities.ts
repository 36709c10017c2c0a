import { ApplicationFailure, log } from '@temporalio/activity';
import { postAccrual } from '../../src/db/repositories/accruals';
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
  paidAt?: string;
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
 * Alerts that do not hold the order for a person: a payment claim XJP does not confirm is dropped
 * and the run waits on. Every other alert parks the order, and the platform is told (`order.parked`).
 */
const ALERTS_THAT_DO_NOT_PARK: ReadonlySet<string> = new Set(['PAYMENT_NOT_CONFIRMED']);

/** Writes to our own records: every status change with its event row, through the lifecycle table. */
export function createOrderActivities({ orm }: ActivityDependencies) {
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

    /** Records and alerts a maturity-interest mismatch with XJP; the order then waits for an operator. */
    async recordInterestMismatch(input: { orderNo: string; oursFen: number; xjpFen: number }): Promise<void> {
      await recordAlert(input.orderNo, 'INTEREST_MISMATCH', { oursFen: input.oursFen, xjpFen: input.xjpFen });
      log.warn('maturity interest differs from XJP: waiting for an operator', { alert: 'INTEREST_MISMATCH', ...input });
    },

    /** Posts one accrual day to the ledger; idempotent on (order, date), so a replayed day never counts twice. */
    async postAccrual(input: {
      orderNo: string;
      accrualDate: string;
      dayNumber: number;
      amountFen: number;
      cumulativeFen: number;
    }): Promise<{ posted: boolean }> {
      const { created } = await postAccrual(orm.em.fork(), {
        orderNo: input.orderNo,
        accrualDate: input.accrualDate,
        dayIndex: input.dayNumber,
        amountFen: input.amountFen,
        cumulativeFen: input.cumulativeFen,
        at: new Date(),
      });
      return { posted: created };
    },
  };
}
