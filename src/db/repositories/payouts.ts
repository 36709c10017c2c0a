import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { newId } from '../ids';
import type { Payout, PayoutStatus } from '../entities/payout';
import { PayoutSchema } from '../entities/payout';
import { PurchaseOrderSchema } from '../entities/purchase-order';
import { DbError, isUniqueViolation, OrderNotFoundError } from './errors';

/** A payout number reused for a different order, attempt or amount. */
export class PayoutConflictError extends DbError {
  constructor(readonly payoutNo: string) {
    super('PAYOUT_CONFLICT', `payout ${payoutNo} already exists with different figures`);
    this.name = 'PayoutConflictError';
  }
}

/** A payout would become SUCCESS while another of the same order is SUCCESS: the database refused to pay twice. */
export class SecondSuccessfulPayoutError extends DbError {
  constructor(readonly payoutNo: string) {
    super(
      'SECOND_SUCCESSFUL_PAYOUT',
      `payout ${payoutNo} succeeded while another payout of its order stands successful`,
    );
    this.name = 'SecondSuccessfulPayoutError';
  }
}

/** No payout has this number. */
export class PayoutNotFoundError extends DbError {
  constructor(readonly payoutNo: string) {
    super('PAYOUT_NOT_FOUND', `no payout ${payoutNo}`);
    this.name = 'PayoutNotFoundError';
  }
}

export interface NewPayoutInput {
  orderNo: string;
  /** Our `no_order` at LianLian; a new one per attempt, since LianLian is idempotent on it. */
  payoutNo: string;
  attempt: number;
  principalFen: number;
  interestFen: number;
  /** Kept from principal + interest (service fee, early-redemption fee on principal); 0 when absent. */
  deductionsFen?: number;
  at: Date;
}

/**
 * Creates a PENDING payout before LianLian is called. Idempotent on `payoutNo`: the same call again
 * returns the existing row; the same number with other figures throws PayoutConflictError.
 */
export async function createPayout(em: EntityManager, input: NewPayoutInput): Promise<Payout> {
  const order = await em.findOne(PurchaseOrderSchema, { orderNo: input.orderNo }, { fields: ['id'] });
  if (!order) throw new OrderNotFoundError(input.orderNo);
  await em
    .createQueryBuilder(PayoutSchema)
    .insert({
      id: newId('pay'),
      order: order.id,
      payoutNo: input.payoutNo,
      attempt: input.attempt,
      principalFen: input.principalFen,
      interestFen: input.interestFen,
      deductionsFen: input.deductionsFen ?? 0,
      totalFen: input.principalFen + input.interestFen - (input.deductionsFen ?? 0),
      status: 'PENDING',
      oidPaybill: null,
      callCount: 0,
      lastError: null,
      settleDate: null,
      createdAt: input.at,
      updatedAt: input.at,
      settledAt: null,
    })
    .onConflict(['payoutNo'])
    .ignore()
    .execute('run');
  const payout = await em.findOneOrFail(PayoutSchema, { payoutNo: input.payoutNo }, { refresh: true });
  const same =
    payout.order.id === order.id &&
    payout.attempt === input.attempt &&
    payout.principalFen === input.principalFen &&
    payout.interestFen === input.interestFen &&
    payout.deductionsFen === (input.deductionsFen ?? 0);
  if (!same) throw new PayoutConflictError(input.payoutNo);
  return payout;
}

// A final result only gives way to a bank reversal; late non-final answers never overwrite one.
const FINAL: ReadonlySet<PayoutStatus> = new Set(['SUCCESS', 'FAILURE', 'CLOSED', 'CANCEL']);

function supersedes(current: PayoutStatus, next: PayoutStatus): boolean {
  if (current === 'SUCCESS') return next === 'CANCEL';
  return !FINAL.has(current);
}

export interface PayoutResultInput {
  payoutNo: string;
  /** What LianLian said (`result_pay`), or PENDING when the call failed before an answer. */
  status: PayoutStatus;
  oidPaybill?: string;
  settleDate?: string;
  /** The failure of this call, if it failed; cleared by a later successful call. */
  error?: string;
  at: Date;
}

/**
 * Records one call to LianLian for a payout (apply, confirm or query) or one notification about it:
 * counts the call, keeps LianLian's bill number, and moves the status unless that would overwrite a
 * final result (only SUCCESS → CANCEL is allowed past one). Returns the row and whether the status moved.
 * A second SUCCESS of one order (not reversed) is refused by the database: SecondSuccessfulPayoutError.
 */
export async function recordPayoutResult(
  em: EntityManager,
  input: PayoutResultInput,
): Promise<{ payout: Payout; statusChanged: boolean }> {
  try {
    return await writePayoutResult(em, input);
  } catch (err) {
    if (isUniqueViolation(err, 'payout_one_success_per_order')) throw new SecondSuccessfulPayoutError(input.payoutNo);
    throw err;
  }
}

async function writePayoutResult(
  em: EntityManager,
  input: PayoutResultInput,
): Promise<{ payout: Payout; statusChanged: boolean }> {
  return em.transactional(async (tx) => {
    const payout = await tx.findOne(
      PayoutSchema,
      { payoutNo: input.payoutNo },
      { lockMode: LockMode.PESSIMISTIC_WRITE },
    );
    if (!payout) throw new PayoutNotFoundError(input.payoutNo);
    const statusChanged = payout.status !== input.status && supersedes(payout.status, input.status);
    tx.assign(payout, {
      callCount: payout.callCount + 1,
      lastError: input.error ?? null,
      updatedAt: input.at,
      ...(input.oidPaybill === undefined ? {} : { oidPaybill: input.oidPaybill }),
      ...(input.settleDate === undefined ? {} : { settleDate: input.settleDate }),
      ...(statusChanged ? { status: input.status } : {}),
      ...(statusChanged && FINAL.has(input.status) ? { settledAt: input.at } : {}),
    });
    return { payout, statusChanged };
  });
}

/** The payout with this number, or null. */
export async function findPayout(em: EntityManager, payoutNo: string): Promise<Payout | null> {
  return em.findOne(PayoutSchema, { payoutNo });
}

/** An order's payout attempts, first attempt first. */
export async function listPayouts(em: EntityManager, orderNo: string): Promise<Payout[]> {
  return em.find(PayoutSchema, { order: { orderNo } }, { orderBy: { attempt: 'asc' } });
}
