import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { RefundCause, RefundStatus } from '../../domain/refund';
import { newId } from '../ids';
import { type Refund, RefundSchema } from '../entities/refund';
import { DbError, isUniqueViolation } from './errors';

/** A refund number reused for another payment, attempt, amount or cause. */
export class RefundConflictError extends DbError {
  constructor(readonly refundNo: string) {
    super('REFUND_CONFLICT', `refund ${refundNo} already exists with different figures`);
    this.name = 'RefundConflictError';
  }
}

/** A refund would become successful while another of the same payment stands successful. */
export class SecondSuccessfulRefundError extends DbError {
  constructor(readonly refundNo: string) {
    super('SECOND_SUCCESSFUL_REFUND', `refund ${refundNo} succeeded while another refund of its payment stands`);
    this.name = 'SecondSuccessfulRefundError';
  }
}

/** No refund has this number. */
export class RefundNotFoundError extends DbError {
  constructor(readonly refundNo: string) {
    super('REFUND_NOT_FOUND', `no refund ${refundNo}`);
    this.name = 'RefundNotFoundError';
  }
}

export interface NewRefundInput {
  refundNo: string;
  orderNo: string | null;
  xjpOrderNo: string;
  paymentBillNo: string;
  attempt: number;
  amountFen: number;
  cause: RefundCause;
  status: Extract<RefundStatus, 'AWAITING_APPROVAL' | 'PENDING'>;
  at: Date;
}

/**
 * Creates a refund row before LianLian is called (or before finance approves it). Idempotent on
 * `refundNo`: the same call again returns the existing row; other figures throw RefundConflictError.
 */
export async function createRefund(em: EntityManager, input: NewRefundInput): Promise<Refund> {
  await em
    .createQueryBuilder(RefundSchema)
    .insert({
      id: newId('rfd'),
      refundNo: input.refundNo,
      orderNo: input.orderNo,
      xjpOrderNo: input.xjpOrderNo,
      paymentBillNo: input.paymentBillNo,
      attempt: input.attempt,
      amountFen: input.amountFen,
      cause: input.cause,
      status: input.status,
      lianlianRefundNo: null,
      operator: null,
      evidenceRef: null,
      lastError: null,
      settleDate: null,
      createdAt: input.at,
      updatedAt: input.at,
      settledAt: null,
    })
    .onConflict(['refundNo'])
    .ignore()
    .execute('run');
  const refund = await em.findOneOrFail(RefundSchema, { refundNo: input.refundNo }, { refresh: true });
  const same =
    refund.paymentBillNo === input.paymentBillNo &&
    refund.attempt === input.attempt &&
    refund.amountFen === input.amountFen &&
    refund.cause === input.cause;
  if (!same) throw new RefundConflictError(input.refundNo);
  return refund;
}

const FINAL: ReadonlySet<RefundStatus> = new Set(['SUCCESS', 'FAILURE', 'REFUNDED_BY_HAND']);

export interface RefundResultInput {
  refundNo: string;
  status: RefundStatus;
  lianlianRefundNo?: string;
  settleDate?: string;
  error?: string;
  /** Finance's name and evidence, for an approval or a refund made by hand. */
  operator?: string;
  evidenceRef?: string;
  at: Date;
}

/**
 * Records what is known of a refund (an answer, a notification, finance's action). A final status is
 * never overwritten. A second successful refund of one payment is refused by the database:
 * SecondSuccessfulRefundError. Returns the row and whether the status moved.
 */
export async function recordRefundResult(
  em: EntityManager,
  input: RefundResultInput,
): Promise<{ refund: Refund; statusChanged: boolean }> {
  try {
    return await em.transactional(async (tx) => {
      const refund = await tx.findOne(
        RefundSchema,
        { refundNo: input.refundNo },
        { lockMode: LockMode.PESSIMISTIC_WRITE },
      );
      if (!refund) throw new RefundNotFoundError(input.refundNo);
      const statusChanged = refund.status !== input.status && !FINAL.has(refund.status);
      tx.assign(refund, {
        updatedAt: input.at,
        lastError: input.error ?? null,
        ...(input.lianlianRefundNo === undefined ? {} : { lianlianRefundNo: input.lianlianRefundNo }),
        ...(input.settleDate === undefined ? {} : { settleDate: input.settleDate }),
        ...(input.operator === undefined ? {} : { operator: input.operator }),
        ...(input.evidenceRef === undefined ? {} : { evidenceRef: input.evidenceRef }),
        ...(statusChanged ? { status: input.status } : {}),
        ...(statusChanged && FINAL.has(input.status) ? { settledAt: input.at } : {}),
      });
      return { refund, statusChanged };
    });
  } catch (err) {
    if (isUniqueViolation(err, 'refund_one_success_per_payment')) throw new SecondSuccessfulRefundError(input.refundNo);
    throw err;
  }
}

/** The refund with this number, or null. */
export async function findRefund(em: EntityManager, refundNo: string): Promise<Refund | null> {
  return em.findOne(RefundSchema, { refundNo });
}

/** Refunds, newest first: of one order, one payment, in one status, or all (bounded). */
export async function listRefunds(
  em: EntityManager,
  filter: { orderNo?: string; paymentBillNo?: string; status?: RefundStatus; limit?: number } = {},
): Promise<Refund[]> {
  const where = {
    ...(filter.orderNo === undefined ? {} : { orderNo: filter.orderNo }),
    ...(filter.paymentBillNo === undefined ? {} : { paymentBillNo: filter.paymentBillNo }),
    ...(filter.status === undefined ? {} : { status: filter.status }),
  };
  return em.find(RefundSchema, where, { orderBy: { createdAt: 'desc', id: 'desc' }, limit: filter.limit ?? 200 });
}
