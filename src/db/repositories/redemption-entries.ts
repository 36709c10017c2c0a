import type { EntityManager } from '@mikro-orm/postgresql';
import { newId } from '../ids';
import { type RedemptionEntryKind, RedemptionEntrySchema } from '../entities/redemption-entry';
import { PurchaseOrderSchema } from '../entities/purchase-order';
import { DbError, OrderNotFoundError } from './errors';

/** A second booking of one kind for one order with another amount: the books would disagree with themselves. */
export class RedemptionEntryConflictError extends DbError {
  constructor(
    readonly orderNo: string,
    readonly kind: RedemptionEntryKind,
  ) {
    super('REDEMPTION_ENTRY_CONFLICT', `${kind} of ${orderNo} was already booked with another amount`);
    this.name = 'RedemptionEntryConflictError';
  }
}

/** The amounts an order's redemption booked, by kind (0 for a kind not booked). */
export type RedemptionEntryAmounts = Record<RedemptionEntryKind, number>;

/**
 * Books one redemption entry (amount 0 books nothing). Idempotent on (order, kind) through
 * `insert … on conflict do nothing`; a repeat with another amount throws RedemptionEntryConflictError.
 */
export async function bookRedemptionEntry(
  em: EntityManager,
  input: { orderNo: string; kind: RedemptionEntryKind; amountFen: number; at: Date },
): Promise<void> {
  if (input.amountFen === 0) return;
  const order = await em.findOne(PurchaseOrderSchema, { orderNo: input.orderNo }, { fields: ['id'] });
  if (!order) throw new OrderNotFoundError(input.orderNo);
  await em
    .createQueryBuilder(RedemptionEntrySchema)
    .insert({ id: newId('rde'), order: order.id, kind: input.kind, amountFen: input.amountFen, createdAt: input.at })
    .onConflict(['order', 'kind'])
    .ignore()
    .execute('run');
  const booked = await em.findOneOrFail(
    RedemptionEntrySchema,
    { order: order.id, kind: input.kind },
    { refresh: true },
  );
  if (booked.amountFen !== input.amountFen) throw new RedemptionEntryConflictError(input.orderNo, input.kind);
}

/** What an order's redemption has booked so far. */
export async function redemptionEntryAmounts(em: EntityManager, orderNo: string): Promise<RedemptionEntryAmounts> {
  const entries = await em.find(RedemptionEntrySchema, { order: { orderNo } });
  const amounts: RedemptionEntryAmounts = { INTEREST_REVERSAL: 0, EARLY_REDEMPTION_PENALTY: 0, SERVICE_FEE: 0 };
  for (const entry of entries) amounts[entry.kind] += entry.amountFen;
  return amounts;
}
