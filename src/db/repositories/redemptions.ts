import type { EntityManager } from '@mikro-orm/postgresql';
import { newId } from '../ids';
import type { Redemption, RedemptionStatus } from '../entities/redemption';
import { RedemptionSchema } from '../entities/redemption';
import { PurchaseOrderSchema } from '../entities/purchase-order';
import { OrderNotFoundError } from './errors';

export interface RedemptionInput {
  orderNo: string;
  status: RedemptionStatus;
  xjpRedemptionId?: string;
  principalFen: number;
  interestFen: number;
  /** An early redemption's fee on principal, kept by XJP from the total. */
  penaltyFen?: number;
  /** An early redemption's stop date. */
  redemptionDate?: string;
  at: Date;
  /** When XJP settled it; with status SETTLED. */
  settledAt?: Date;
}

/**
 * Records the order's redemption, creating it or bringing it up to date: one row per order
 * (`insert … on conflict (order_id) do update`), so a retried redemption activity never makes two.
 * A SETTLED row is never moved back to REQUESTED.
 */
export async function upsertRedemption(em: EntityManager, input: RedemptionInput): Promise<Redemption> {
  const order = await em.findOne(PurchaseOrderSchema, { orderNo: input.orderNo }, { fields: ['id'] });
  if (!order) throw new OrderNotFoundError(input.orderNo);
  const penaltyFen = input.penaltyFen ?? 0;
  const totalFen = input.principalFen + input.interestFen - penaltyFen;
  await em.execute(
    `insert into redemption (id, order_id, xjp_redemption_id, principal_fen, interest_fen, penalty_fen, total_fen, redemption_date, status, requested_at, settled_at, updated_at)
     values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
     on conflict (order_id) do update set
       xjp_redemption_id = coalesce(excluded.xjp_redemption_id, redemption.xjp_redemption_id),
       principal_fen = excluded.principal_fen,
       interest_fen = excluded.interest_fen,
       penalty_fen = excluded.penalty_fen,
       total_fen = excluded.total_fen,
       redemption_date = excluded.redemption_date,
       status = case when redemption.status = 'SETTLED' then redemption.status else excluded.status end,
       settled_at = coalesce(redemption.settled_at, excluded.settled_at),
       updated_at = excluded.updated_at`,
    [
      newId('rdm'),
      order.id,
      input.xjpRedemptionId ?? null,
      input.principalFen,
      input.interestFen,
      penaltyFen,
      totalFen,
      input.redemptionDate ?? null,
      input.status,
      input.at,
      input.settledAt ?? null,
      input.at,
    ],
    'run',
  );
  return em.findOneOrFail(RedemptionSchema, { order: order.id }, { refresh: true });
}

/** The order's redemption, or null before one was requested. */
export async function findRedemption(em: EntityManager, orderNo: string): Promise<Redemption | null> {
  return em.findOne(RedemptionSchema, { order: { orderNo } });
}
