import type { EntityManager } from '@mikro-orm/postgresql';
import type { DailyAccrual } from '../../domain/interest';
import { newId } from '../ids';
import type { InterestAccrual } from '../entities/interest-accrual';
import { InterestAccrualSchema } from '../entities/interest-accrual';
import { type LedgerCorrection, LedgerCorrectionSchema } from '../entities/ledger-correction';
import { PurchaseOrderSchema } from '../entities/purchase-order';
import { RedemptionEntrySchema } from '../entities/redemption-entry';
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

/** Where one chunk of the end-of-day batch starts, and how large it is. */
export interface AccrualChunkInput {
  /** The Shanghai day to post, `YYYY-MM-DD`; the caller makes sure it has ended. */
  accrualDate: string;
  /** The chunk takes accruing orders with a greater row id ('' for the first chunk). */
  afterOrderId: string;
  limit: number;
  at: Date;
}

/** What one chunk did: the orders it covered (the last one's id is where the next chunk starts) and the rows it wrote. */
export interface AccrualChunkResult {
  orders: number;
  posted: number;
  lastOrderId: string | undefined;
}

/*
 * The per-order formula in SQL, exact in numeric: interest of the first d days is
 * round_half_up(principal × rate_micros × d / (basis × 10⁶)), or for an agreed figure A over T days
 * round_half_up(A × d / T); round_half_up(n / m) = floor((2n + m) / 2m) for n, m ≥ 0.
 */
const EARNED_SQL = (days: string) => `(case when agreed_interest_fen is null
  then div(2 * amount_fen::numeric * annual_rate_micros * ${days} + day_count_basis * 1000000, 2 * day_count_basis * 1000000::numeric)
  else div(2 * agreed_interest_fen::numeric * ${days} + total_days, 2 * total_days::numeric) end)::bigint`;

const POST_DAY_CHUNK_SQL = `
with chunk as (
  select id, amount_fen, annual_rate_micros, day_count_basis, agreed_interest_fen,
         (cast(? as date) - interest_start_date + 1) as day_index,
         (maturity_date - interest_start_date) as total_days
  from purchase_order
  where status = 'ACCRUING' and id > ? and interest_start_date <= cast(? as date) and maturity_date > cast(? as date)
  order by id
  limit ?
), earned as (
  select id, day_index, ${EARNED_SQL('day_index')} as cumulative_fen, ${EARNED_SQL('(day_index - 1)')} as previous_fen
  from chunk
), inserted as (
  insert into interest_accrual (id, order_id, accrual_date, day_index, amount_fen, cumulative_fen, posted_at)
  select 'acr_' || replace(gen_random_uuid()::text, '-', ''), id, cast(? as date), day_index,
         cumulative_fen - previous_fen, cumulative_fen, ?
  from earned
  on conflict (order_id, accrual_date) do nothing
  returning 1
)
select (select count(*) from chunk)::int as orders, (select count(*) from inserted)::int as posted,
       (select max(id) from chunk) as last_order_id`;

/**
 * Posts one ended day for a chunk of the accruing orders, in one statement computed from their rows
 * (frozen terms, XJP's dates, any agreed interest) by the same formula as {@link ledgerInterestForDays}.
 * Idempotent on (order, accrual date): a day an order's own catch-up or an earlier batch already
 * posted is left as it is, so batch and catch-up may race.
 */
export async function postAccrualDayChunk(em: EntityManager, input: AccrualChunkInput): Promise<AccrualChunkResult> {
  const { accrualDate: date } = input;
  const [row] = await em
    .getConnection()
    .execute<{ orders: number; posted: number; last_order_id: string | null }[]>(POST_DAY_CHUNK_SQL, [
      date,
      input.afterOrderId,
      date,
      date,
      input.limit,
      date,
      input.at,
    ]);
  return { orders: row?.orders ?? 0, posted: row?.posted ?? 0, lastOrderId: row?.last_order_id ?? undefined };
}

/** What an order's catch-up found: rows it wrote, and the whole ledger afterwards. */
export interface CatchUpResult {
  posted: number;
  accruals: InterestAccrual[];
}

/**
 * Posts every one of `days` the ledger lacks, in one statement (idempotent on (order, date) like
 * every posting), then checks every row against `days`: a row with other figures, or a day outside
 * them, throws AccrualConflictError.
 */
export async function catchUpAccruals(
  em: EntityManager,
  input: { orderNo: string; days: readonly DailyAccrual[]; at: Date },
): Promise<CatchUpResult> {
  const order = await em.findOne(PurchaseOrderSchema, { orderNo: input.orderNo }, { fields: ['id'] });
  if (!order) throw new OrderNotFoundError(input.orderNo);
  const present = new Set(
    (await em.find(InterestAccrualSchema, { order: order.id }, { fields: ['accrualDate'] })).map((a) => a.accrualDate),
  );
  const missing = input.days.filter((d) => !present.has(d.date));
  const inserted =
    missing.length === 0
      ? { affectedRows: 0 }
      : await em
          .createQueryBuilder(InterestAccrualSchema)
          .insert(
            missing.map((d) => ({
              id: newId('acr'),
              order: order.id,
              accrualDate: d.date,
              dayIndex: d.dayNumber,
              amountFen: d.amountFen,
              cumulativeFen: d.cumulativeFen,
              postedAt: input.at,
            })),
          )
          .onConflict(['order', 'accrualDate'])
          .ignore()
          .execute('run');
  const accruals = await listAccruals(em, input.orderNo);
  const expected = new Map(input.days.map((d) => [d.date, d]));
  for (const accrual of accruals) {
    const day = expected.get(accrual.accrualDate);
    const same =
      day !== undefined &&
      accrual.dayIndex === day.dayNumber &&
      accrual.amountFen === day.amountFen &&
      accrual.cumulativeFen === day.cumulativeFen;
    if (!same) throw new AccrualConflictError(input.orderNo, accrual.accrualDate);
  }
  return { posted: inserted.affectedRows, accruals };
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

/**
 * The interest the ledger holds for an order: accrued days plus finance's signed corrections, plus
 * an early redemption's reversal of interest posted but not earned.
 */
export async function ledgerInterestFen(em: EntityManager, orderNo: string): Promise<number> {
  const corrections = await em.find(LedgerCorrectionSchema, { order: { orderNo } });
  const reversals = await em.find(RedemptionEntrySchema, { order: { orderNo }, kind: 'INTEREST_REVERSAL' });
  return (
    (await accruedInterestFen(em, orderNo)) +
    corrections.reduce((sum, c) => sum + c.amountFen, 0) +
    reversals.reduce((sum, r) => sum + r.amountFen, 0)
  );
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
