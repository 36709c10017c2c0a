import type { EntityManager } from '@mikro-orm/postgresql';
import { newId } from '../ids';
import type { InterestAccrual } from '../entities/interest-accrual';
import { InterestAccrualSchema } from '../entities/interest-accrual';
import { type LedgerCorrection, LedgerCorrectionSchema } from '../entities/ledger-correction';
import { PurchaseOrderSchema } from '../entities/purchase-order';
import { DbError, OrderNotFoundError } from './errors';

/** A second post for the same order and day with different figures: the ledger would disagree with itself. */
export class AccrualConflictError extends DbError {
  constructor(
    readonly orderNo: string,
    readonly accrualDate: string,
  ) {
    super('ACCRUAL_CONFLICT', `accrual of ${orderNo} on ${accrualDate} was already posted with different figures`);
    this.name = 'AccrualConflictError';
  }
}

export interface AccrualInput {
  orderNo: string;
  /** `YYYY-MM-DD`, Asia/Shanghai. */
  accrualDate: string;
  dayIndex: number;
  amountFen: number;
  cumulativeFen: number;
  at: Date;
}

export interface PostAccrualResult {
  /** True for the call that wrote the row; false when it was already there (a retry or a race). */
  created: boolean;
  accrual: InterestAccrual;
}

/**
 * Posts one day's interest. Idempotent on (order, accrual date) through `insert … on conflict do
 * nothing`, so concurrent or retried posts leave exactly one row and exactly one caller sees
 * `created: true`. A repeat with different figures throws AccrualConflictError.
 */
export async function postAccrual(em: EntityManager, input: AccrualInput): Promise<PostAccrualResult> {
  const order = await em.findOne(PurchaseOrderSchema, { orderNo: input.orderNo }, { fields: ['id'] });
  if (!order) throw new OrderNotFoundError(input.orderNo);
  const inserted = await em
    .createQueryBuilder(InterestAccrualSchema)
    .insert({
      id: newId('acr'),
      order: order.id,
      accrualDate: input.accrualDate,
      dayIndex: input.dayIndex,
      amountFen: input.amountFen,
      cumulativeFen: input.cumulativeFen,
      postedAt: input.at,
    })
    .onConflict(['order', 'accrualDate'])
    .ignore()
    .execute('run');
  const accrual = await em.findOneOrFail(
    InterestAccrualSchema,
    { order: order.id, accrualDate: input.accrualDate },
    { refresh: true },
  );
  const same =
    accrual.dayIndex === input.dayIndex &&
    accrual.amountFen === input.amountFen &&
    accrual.cumulativeFen === input.cumulativeFen;
  if (!same) throw new AccrualConflictError(input.orderNo, input.accrualDate);
  return { created: inserted.affectedRows === 1, accrual };
}

/** An order's accruals in date order. */
export async function listAccruals(em: EntityManager, orderNo: string): Promise<InterestAccrual[]> {
  return em.find(InterestAccrualSchema, { order: { orderNo } }, { orderBy: { accrualDate: 'asc' } });
}

/** Interest posted so far for an order (0 before the first accrual). */
export async function accruedInterestFen(em: EntityManager, orderNo: string): Promise<number> {
  const last = await em.findOne(InterestAccrualSchema, { order: { orderNo } }, { orderBy: { accrualDate: 'desc' } });
  return last?.cumulativeFen ?? 0;
}

/** The interest the ledger holds for an order: accrued days plus finance's signed corrections. */
export async function ledgerInterestFen(em: EntityManager, orderNo: string): Promise<number> {
  const corrections = await em.find(LedgerCorrectionSchema, { order: { orderNo } });
  return (await accruedInterestFen(em, orderNo)) + corrections.reduce((sum, c) => sum + c.amountFen, 0);
}

export interface LedgerCorrectionInput {
  orderNo: string;
  amountFen: number;
  operator: string;
  reason: string;
  evidenceRef: string;
  at: Date;
}

/** Appends a signed correction row; accrual rows themselves are never edited. */
export async function addLedgerCorrection(em: EntityManager, input: LedgerCorrectionInput): Promise<LedgerCorrection> {
  const order = await em.findOne(PurchaseOrderSchema, { orderNo: input.orderNo });
  if (!order) throw new OrderNotFoundError(input.orderNo);
  const correction = em.create(LedgerCorrectionSchema, {
    id: newId('lcr'),
    order,
    amountFen: input.amountFen,
    operator: input.operator,
    reason: input.reason,
    evidenceRef: input.evidenceRef,
    createdAt: input.at,
  });
  await em.flush();
  return correction;
}
