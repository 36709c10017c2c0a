import type { EntityManager } from '@mikro-orm/postgresql';
import { type DemandMovement, DemandMovementSchema } from '../entities/demand';
import { type DemandPayout, DemandPayoutSchema } from '../entities/demand-payout';
import type { PayoutStatus } from '../entities/payout';
import { DbError, isUniqueViolation } from './errors';

/** A demand payout would become SUCCESS while another of the same redemption stands successful: refused. */
export class SecondDemandPayoutError extends DbError {
  constructor(readonly payoutId: string) {
    super(
      'SECOND_SUCCESSFUL_PAYOUT',
      `payout ${payoutId} succeeded while another payout of its redemption stands successful`,
    );
    this.name = 'SecondDemandPayoutError';
  }
}

/** A payout id reused with another redemption, attempt or amount. */
export class DemandPayoutConflictError extends DbError {
  constructor(readonly payoutId: string) {
    super('PAYOUT_CONFLICT', `demand payout ${payoutId} already exists with different figures`);
    this.name = 'DemandPayoutConflictError';
  }
}

/** One payout attempt of a redemption, before LianLian is called. */
export interface NewDemandPayout {
  payoutId: string;
  redemptionId: string;
  attempt: number;
  amountFen: number;
  at: Date;
}

/** Creates a PENDING attempt; idempotent on the payout id (the same figures again answer the existing row). */
export async function createDemandPayout(em: EntityManager, input: NewDemandPayout): Promise<DemandPayout> {
  await em.getConnection().execute(
    `insert into demand_payout (payout_id, redemption_id, attempt, amount_fen, status, created_at, updated_at)
     values (?, ?, ?, ?, 'PENDING', ?, ?) on conflict (payout_id) do nothing`,
    [input.payoutId, input.redemptionId, input.attempt, input.amountFen, input.at, input.at],
  );
  const row = await em.findOneOrFail(DemandPayoutSchema, { payoutId: input.payoutId }, { refresh: true });
  if (row.redemption.id !== input.redemptionId || row.attempt !== input.attempt || row.amountFen !== input.amountFen)
    throw new DemandPayoutConflictError(input.payoutId);
  return row;
}

const FINAL: ReadonlySet<PayoutStatus> = new Set(['SUCCESS', 'FAILURE', 'CLOSED', 'CANCEL']);

/**
 * Records what LianLian said of an attempt: a final result is never overwritten (only SUCCESS →
 * CANCEL, a bank reversal); a second SUCCESS of one redemption is refused by PostgreSQL.
 */
export async function recordDemandPayoutResult(
  em: EntityManager,
  input: { payoutId: string; status: PayoutStatus; lianlianBillNo?: string; error?: string; at: Date },
): Promise<void> {
  try {
    await em.getConnection().execute(
      `update demand_payout set
         status = case when status = 'SUCCESS' and ? = 'CANCEL' then ? when status in ('SUCCESS', 'FAILURE', 'CLOSED', 'CANCEL') then status else ? end,
         settled_at = case when settled_at is null and ? then ? else settled_at end,
         lianlian_bill_no = coalesce(?, lianlian_bill_no),
         last_error = ?,
         updated_at = ?
       where payout_id = ?`,
      [
        input.status,
        input.status,
        input.status,
        FINAL.has(input.status),
        input.at,
        input.lianlianBillNo ?? null,
        input.error ?? null,
        input.at,
        input.payoutId,
      ],
    );
  } catch (err) {
    if (isUniqueViolation(err, 'demand_payout_one_success_per_redemption'))
      throw new SecondDemandPayoutError(input.payoutId);
    throw err;
  }
}

/** The attempt with this payout id, or null. */
export async function findDemandPayout(em: EntityManager, payoutId: string): Promise<DemandPayout | null> {
  return em.findOne(DemandPayoutSchema, { payoutId }, { populate: ['redemption'] });
}

/** The redemption's movement row (what XJP settled), or null. */
export async function findDemandRedemption(em: EntityManager, redemptionId: string): Promise<DemandMovement | null> {
  return em.findOne(DemandMovementSchema, { id: redemptionId, kind: { $ne: 'SUBSCRIPTION' } });
}
