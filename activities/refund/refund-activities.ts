import { ApplicationFailure, log } from '@temporalio/activity';
import { findOrderByNo, recordOrderNote } from '../../src/db/repositories/orders';
import {
  createRefund,
  listRefunds,
  recordRefundResult,
  RefundConflictError,
  SecondSuccessfulRefundError,
} from '../../src/db/repositories/refunds';
import { type RefundCause, refundRefusal, type RefundStatus } from '../../src/domain/refund';
import { PARTNER_ERROR_CODES, PartnerError } from '../../src/partners/errors';
import { LIANLIAN_RET_CODES, type RefundState } from '../../src/partners/lianlian';
import type { ActivityDependencies } from '../dependencies';
import { callPartner } from '../partner-failure';

/** Refusals of an application that leave its outcome open: the id may already be refunding (4002), or the answer was unreadable. */
const OUTCOME_UNKNOWN_CODES: ReadonlySet<string> = new Set([
  LIANLIAN_RET_CODES.CONFLICTING_PAYOUT,
  PARTNER_ERROR_CODES.MALFORMED_RESPONSE,
]);
/** Definite refusals: LianLian created nothing under the id. */
const REFUSED_CODES: ReadonlySet<string> = new Set([
  LIANLIAN_RET_CODES.REFUND_EXCEEDS_PAYMENT,
  LIANLIAN_RET_CODES.PAYMENT_NOT_FOUND,
  LIANLIAN_RET_CODES.MALFORMED_REQUEST,
]);
/** Refund rows whose money has left or may still leave. */
const MONEY_MAY_LEAVE: ReadonlySet<RefundStatus> = new Set(['PENDING', 'PROCESSING', 'SUCCESS', 'REFUNDED_BY_HAND']);

/** One refund attempt of a payment. */
export interface RefundAttemptInput {
  orderNo: string | null;
  xjpOrderNo: string;
  paymentBillNo: string;
  amountFen: number;
  cause: RefundCause;
  refundId: string;
  attempt: number;
}

/** LianLian's answer to a refund query, as the workflow acts on it. */
export type RefundQueryAnswer =
  { kind: 'ANSWERED'; state: RefundState } | { kind: 'NOT_FOUND' } | { kind: 'MALFORMED' };

/** Who decided, why, and where the evidence is. */
interface Audit {
  operator: string;
  reason: string;
  evidenceRef: string;
}

/** Returning payments through LianLian (退款), each refund idempotent on our refund id. */
export function createRefundActivities({ orm, xjp, lianlian, refundNotifyUrl }: ActivityDependencies) {
  /** Writes an event on the order's audit trail, when the payment named an order we have. */
  async function note(
    orderNo: string | null,
    cause: string,
    detail: Record<string, unknown>,
    operator?: string,
    parkedFor?: string,
  ): Promise<void> {
    if (orderNo === null || (await findOrderByNo(orm.em.fork(), orderNo)) === null) return;
    await recordOrderNote(orm.em.fork(), {
      orderNo,
      cause,
      actor: operator === undefined ? 'SYSTEM' : 'OPERATOR',
      ...(operator === undefined ? {} : { actorRef: operator }),
      detail,
      at: new Date(),
      ...(parkedFor === undefined ? {} : { parkedFor }),
    });
  }

  async function record(input: Parameters<typeof recordRefundResult>[1]) {
    try {
      return await recordRefundResult(orm.em.fork(), input);
    } catch (err) {
      // The database's last line against refunding twice: a person must look, so no retry.
      if (err instanceof SecondSuccessfulRefundError) throw ApplicationFailure.nonRetryable(err.message, err.code);
      throw err;
    }
  }

  async function open(input: RefundAttemptInput, status: 'AWAITING_APPROVAL' | 'PENDING') {
    try {
      return await createRefund(orm.em.fork(), {
        refundNo: input.refundId,
        orderNo: input.orderNo,
        xjpOrderNo: input.xjpOrderNo,
        paymentBillNo: input.paymentBillNo,
        attempt: input.attempt,
        amountFen: input.amountFen,
        cause: input.cause,
        status,
        at: new Date(),
      });
    } catch (err) {
      if (err instanceof RefundConflictError) throw ApplicationFailure.nonRetryable(err.message, err.code);
      throw err;
    }
  }

  return {
    /** Writes the refund's row before anything moves (one waiting for finance's approval, or about to be applied). */
    async openRefund(input: RefundAttemptInput & { status: 'AWAITING_APPROVAL' | 'PENDING' }): Promise<void> {
      await open(input, input.status);
    },

    /**
     * Just before a refund is applied: XJP's payment query, the order as it stands and the payment's
     * other refunds. Answers the refusal, or undefined when the money may go back.
     */
    async checkRefundable(input: RefundAttemptInput) {
      const em = orm.em.fork();
      const [payment, order, refunds] = await Promise.all([
        callPartner(() => xjp.queryPayment({ xjpOrderNo: input.xjpOrderNo })),
        input.orderNo === null ? Promise.resolve(null) : findOrderByNo(em.fork(), input.orderNo),
        listRefunds(em.fork(), { paymentBillNo: input.paymentBillNo }),
      ]);
      const facts = {
        cause: input.cause,
        amountFen: input.amountFen,
        paymentBillNo: input.paymentBillNo,
        xjp:
          payment.payStatus === 'PAID'
            ? { paid: true as const, paidAmountFen: payment.paidAmountFen, billNo: payment.lianlianBillNo }
            : { paid: false as const },
        otherRefundsFen: refunds
          .filter((r) => r.refundNo !== input.refundId && MONEY_MAY_LEAVE.has(r.status))
          .reduce((sum, r) => sum + r.amountFen, 0),
        order: order === null ? null : { status: order.status, amountFen: order.amountFen },
      };
      const refusal = refundRefusal(facts);
      if (refusal === undefined) return undefined;
      await note(input.orderNo, 'REFUND_NOT_CONFIRMED', { refundId: input.refundId, refusal, ...facts });
      return { refusal, ...facts };
    },

    /**
     * Applies one refund. Idempotent on `refundId` (LianLian's no_refund). A definite refusal answers
     * REFUSED; an answer that leaves the outcome open answers UNKNOWN, for the workflow to follow by query.
     */
    async applyRefund(input: RefundAttemptInput): Promise<{ state: RefundState | 'UNKNOWN' | 'REFUSED' }> {
      const refund = await open(input, 'PENDING');
      try {
        const applied = await callPartner(() =>
          lianlian.applyRefund({
            refundId: input.refundId,
            paymentBillNo: input.paymentBillNo,
            amountFen: input.amountFen,
            notifyUrl: refundNotifyUrl,
            // Fixed at the row's creation so a repeated apply is the same request exactly.
            orderedAt: refund.createdAt,
          }),
        );
        await record({
          refundNo: input.refundId,
          status: applied.state,
          lianlianRefundNo: applied.lianlianRefundNo,
          ...(applied.settleDate === undefined ? {} : { settleDate: applied.settleDate }),
          at: new Date(),
        });
        return { state: applied.state };
      } catch (err) {
        if (!(err instanceof ApplicationFailure) || err.type === undefined || err.type === null) throw err;
        if (OUTCOME_UNKNOWN_CODES.has(err.type)) {
          await record({ refundNo: input.refundId, status: 'PENDING', error: err.message, at: new Date() });
          return { state: 'UNKNOWN' };
        }
        if (REFUSED_CODES.has(err.type)) {
          await record({ refundNo: input.refundId, status: 'FAILURE', error: err.message, at: new Date() });
          await note(input.orderNo, 'REFUND_REFUSED', {
            refundId: input.refundId,
            code: err.type,
            message: err.message,
          });
          return { state: 'REFUSED' };
        }
        throw err;
      }
    },

    /** LianLian's refund query: the truth when a notification is late or lost, or an apply's answer was. */
    async queryRefund(input: { refundId: string }): Promise<RefundQueryAnswer> {
      try {
        const status = await lianlian.queryRefund({ refundId: input.refundId });
        return { kind: 'ANSWERED', state: status.state };
      } catch (err) {
        if (err instanceof PartnerError && err.code === LIANLIAN_RET_CODES.REFUND_NOT_FOUND)
          return { kind: 'NOT_FOUND' };
        if (err instanceof PartnerError && err.code === PARTNER_ERROR_CODES.MALFORMED_RESPONSE)
          return { kind: 'MALFORMED' };
        return callPartner(() => Promise.reject(err));
      }
    },

    /** Records where a refund ended (or finance's refund by hand), on its row and the order's trail. */
    async recordRefundResult(
      input: RefundAttemptInput & { state: 'SUCCESS' | 'FAILURE' | 'REFUNDED_BY_HAND' } & Partial<Audit>,
    ): Promise<void> {
      if (input.state === 'REFUNDED_BY_HAND') await open(input, 'PENDING');
      const { statusChanged } = await record({
        refundNo: input.refundId,
        status: input.state,
        ...(input.operator === undefined ? {} : { operator: input.operator }),
        ...(input.evidenceRef === undefined ? {} : { evidenceRef: input.evidenceRef }),
        at: new Date(),
      });
      if (!statusChanged) return;
      const cause = { SUCCESS: 'REFUND_SUCCEEDED', FAILURE: 'REFUND_FAILED', REFUNDED_BY_HAND: 'REFUNDED_BY_HAND' }[
        input.state
      ];
      const audit = input.operator === undefined ? {} : { reason: input.reason, evidenceRef: input.evidenceRef };
      await note(
        input.orderNo,
        cause,
        { refundId: input.refundId, amountFen: input.amountFen, refundCause: input.cause, ...audit },
        input.operator,
      );
    },

    /** Finance's approval or retry of a refund, on the order's trail (and the row, for an approval). */
    async recordRefundAudit(
      input: RefundAttemptInput & Audit & { event: 'REFUND_APPROVED' | 'REFUND_RETRIED' },
    ): Promise<void> {
      if (input.event === 'REFUND_APPROVED') {
        await record({
          refundNo: input.refundId,
          status: 'PENDING',
          operator: input.operator,
          evidenceRef: input.evidenceRef,
          at: new Date(),
        });
      }
      log.info('refund action by finance', { event: input.event, refundId: input.refundId, operator: input.operator });
      await note(
        input.orderNo,
        input.event,
        { refundId: input.refundId, reason: input.reason, evidenceRef: input.evidenceRef },
        input.operator,
      );
    },

    /** A refund parked for finance: alerted, and on the order's trail. */
    async recordRefundAlert(input: RefundAttemptInput & { reason: string }): Promise<void> {
      log.warn('refund parked for finance', {
        alert: input.reason,
        refundId: input.refundId,
        paymentBillNo: input.paymentBillNo,
        orderNo: input.orderNo,
      });
      await note(
        input.orderNo,
        input.reason,
        { refundId: input.refundId, paymentBillNo: input.paymentBillNo },
        undefined,
        input.reason,
      );
    },
  };
}
