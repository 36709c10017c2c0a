import type { EntityManager } from '@mikro-orm/postgresql';
import type { DemandMovementKind, DemandSubscriptionStatus } from '../entities/demand';

/** The holding row a demand run keeps current. */
export interface DemandHoldingInput {
  id: string;
  memberId: string;
  productCode: string;
  accountNo: string;
  at: Date;
}

/** Creates the holding row once; later calls leave it as it is. */
export async function ensureDemandHolding(em: EntityManager, input: DemandHoldingInput): Promise<void> {
  await em.getConnection().execute(
    `insert into demand_holding (id, member_id, product_code, account_no, units_fen, cumulative_income_fen, last_income_date, created_at, updated_at)
     values (?, ?, ?, ?, 0, 0, null, ?, ?) on conflict (id) do nothing`,
    [input.id, input.memberId, input.productCode, input.accountNo, input.at, input.at],
  );
}

/** A subscription or redemption XJP confirmed. */
export interface DemandMovementInput {
  id: string;
  holdingId: string;
  kind: DemandMovementKind;
  amountFen: number;
  requestedAt: Date;
  tradeDate: string;
  effectiveDate: string;
  payDate: string | null;
  xjpReference: string;
  at: Date;
}

/** Records a confirmed movement; idempotent on its id (an activity retry writes nothing twice). */
export async function recordDemandMovement(em: EntityManager, input: DemandMovementInput): Promise<void> {
  await em.getConnection().execute(
    `insert into demand_movement (id, holding_id, kind, amount_fen, requested_at, trade_date, effective_date, pay_date, xjp_reference, created_at)
     values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) on conflict (id) do nothing`,
    [
      input.id,
      input.holdingId,
      input.kind,
      input.amountFen,
      input.requestedAt,
      input.tradeDate,
      input.effectiveDate,
      input.payDate,
      input.xjpReference,
      input.at,
    ],
  );
}

/** One day's income and the holding as it stands after it. */
export interface DemandIncomeInput {
  holdingId: string;
  date: string;
  unitsFen: number;
  incomePer10kFen: string;
  sevenDayYield: string;
  incomeFen: number;
  /** The holding after the day: units (income reinvested) and Σ income. */
  unitsAfterFen: number;
  cumulativeIncomeFen: number;
  at: Date;
}

/**
 * Posts one day's income row and moves the holding to it, in one transaction. Idempotent on
 * (holding, date): a retry finds the row and changes nothing; the holding only moves forward.
 */
export async function postDemandIncome(em: EntityManager, input: DemandIncomeInput): Promise<void> {
  await em.transactional(async (tx) => {
    const connection = tx.getConnection();
    await connection.execute(
      `insert into demand_income (id, holding_id, income_date, units_fen, income_per10k_fen, seven_day_yield, income_fen, posted_at)
       values (?, ?, ?, ?, ?, ?, ?, ?) on conflict (holding_id, income_date) do nothing`,
      [
        `${input.holdingId}/${input.date}`,
        input.holdingId,
        input.date,
        input.unitsFen,
        input.incomePer10kFen,
        input.sevenDayYield,
        input.incomeFen,
        input.at,
      ],
      'run',
      tx.getTransactionContext(),
    );
    await connection.execute(
      `update demand_holding set units_fen = ?, cumulative_income_fen = ?, last_income_date = ?, updated_at = ?
       where id = ? and (last_income_date is null or last_income_date < ?)`,
      [input.unitsAfterFen, input.cumulativeIncomeFen, input.date, input.at, input.holdingId, input.date],
      'run',
      tx.getTransactionContext(),
    );
  });
}

/** A posted income day as the centre and the back office read it. */
export interface DemandIncomeRow {
  date: string;
  unitsFen: number;
  incomePer10kFen: string;
  sevenDayYield: string;
  incomeFen: number;
}

/** A holding row. */
export interface DemandHoldingRow {
  id: string;
  memberId: string;
  productCode: string;
  accountNo: string;
  unitsFen: number;
  cumulativeIncomeFen: number;
  lastIncomeDate: string | null;
}

const HOLDING_COLUMNS = `id, member_id as "memberId", product_code as "productCode", account_no as "accountNo",
  units_fen::float8 as "unitsFen", cumulative_income_fen::float8 as "cumulativeIncomeFen",
  to_char(last_income_date, 'YYYY-MM-DD') as "lastIncomeDate"`;

/** One holding, or undefined. */
export async function findDemandHolding(em: EntityManager, id: string): Promise<DemandHoldingRow | undefined> {
  const rows = await em
    .getConnection()
    .execute<DemandHoldingRow[]>(`select ${HOLDING_COLUMNS} from demand_holding where id = ?`, [id]);
  return rows[0];
}

/** Holdings by id, a page at a time. */
export async function listDemandHoldings(
  em: EntityManager,
  page: { limit: number; offset: number },
): Promise<DemandHoldingRow[]> {
  return em
    .getConnection()
    .execute<DemandHoldingRow[]>(`select ${HOLDING_COLUMNS} from demand_holding order by id limit ? offset ?`, [
      page.limit,
      page.offset,
    ]);
}

/** A holding's income rows from `from` through `to` (inclusive), oldest first. */
export async function listDemandIncome(
  em: EntityManager,
  holdingId: string,
  range: { from: string; to: string },
): Promise<DemandIncomeRow[]> {
  return em.getConnection().execute<DemandIncomeRow[]>(
    `select to_char(income_date, 'YYYY-MM-DD') as date, units_fen::float8 as "unitsFen",
            income_per10k_fen as "incomePer10kFen", seven_day_yield as "sevenDayYield", income_fen::float8 as "incomeFen"
     from demand_income where holding_id = ? and income_date between ? and ? order by income_date`,
    [holdingId, range.from, range.to],
  );
}

/** The back office's day: holdings that earned, units, income, and money moved in and out. */
export interface DemandDailyTotal {
  date: string;
  holdings: number;
  unitsFen: number;
  incomeFen: number;
}

/** Income totals per natural day from `from` through `to`. */
export async function demandDailyTotals(
  em: EntityManager,
  range: { from: string; to: string },
): Promise<DemandDailyTotal[]> {
  return em.getConnection().execute<DemandDailyTotal[]>(
    `select to_char(income_date, 'YYYY-MM-DD') as date, count(*)::int as holdings,
            sum(units_fen)::float8 as "unitsFen", sum(income_fen)::float8 as "incomeFen"
     from demand_income where income_date between ? and ? group by income_date order by income_date`,
    [range.from, range.to],
  );
}

/** Movements asked for on one Shanghai date, as reconciliation compares them. */
export async function listDemandMovementsOn(
  em: EntityManager,
  date: string,
): Promise<{ id: string; kind: DemandMovementKind; amountFen: number; effectiveDate: string }[]> {
  return em.getConnection().execute(
    `select id, kind, amount_fen::float8 as "amountFen", to_char(effective_date, 'YYYY-MM-DD') as "effectiveDate"
     from demand_movement where (requested_at at time zone 'Asia/Shanghai')::date = ? order by id`,
    [date],
  );
}

/** Every holding's income row of one date, with the holding's XJP account. */
export async function listDemandIncomeOn(
  em: EntityManager,
  date: string,
): Promise<{ accountNo: string; productCode: string; unitsFen: number; incomeFen: number }[]> {
  return em.getConnection().execute(
    `select h.account_no as "accountNo", h.product_code as "productCode",
            i.units_fen::float8 as "unitsFen", i.income_fen::float8 as "incomeFen"
     from demand_income i join demand_holding h on h.id = i.holding_id where i.income_date = ?`,
    [date],
  );
}

/** A subscription placed at XJP, waiting for its payment. */
export interface PlacedDemandSubscription {
  id: string;
  holdingId: string;
  amountFen: number;
  xjpSubscriptionNo: string;
  paymentUrl: string;
  requestedAt: Date;
  payBefore: Date;
  at: Date;
}

/** Records a placed subscription; idempotent on its id (a retried placement writes nothing twice). */
export async function recordPlacedDemandSubscription(
  em: EntityManager,
  input: PlacedDemandSubscription,
): Promise<void> {
  await em.getConnection().execute(
    `insert into demand_subscription (id, holding_id, amount_fen, xjp_subscription_no, status, payment_url, requested_at, pay_before, created_at, updated_at)
     values (?, ?, ?, ?, 'AWAITING_PAYMENT', ?, ?, ?, ?, ?) on conflict (id) do nothing`,
    [
      input.id,
      input.holdingId,
      input.amountFen,
      input.xjpSubscriptionNo,
      input.paymentUrl,
      input.requestedAt,
      input.payBefore,
      input.at,
      input.at,
    ],
  );
}

/** How a subscription ended, and its payment when one arrived. */
export interface DemandSubscriptionEnd {
  id: string;
  status: Exclude<DemandSubscriptionStatus, 'AWAITING_PAYMENT'>;
  paidAt?: Date;
  paymentBillNo?: string;
  reasonCode?: string;
  at: Date;
}

/**
 * Moves a subscription to how it ended. Only forward: from AWAITING_PAYMENT, or from EXPIRED to
 * PAID_AFTER_EXPIRY; a repeat changes nothing. True when this call moved it.
 */
export async function endDemandSubscription(em: EntityManager, end: DemandSubscriptionEnd): Promise<boolean> {
  const from = end.status === 'PAID_AFTER_EXPIRY' ? 'EXPIRED' : 'AWAITING_PAYMENT';
  const moved = await em.getConnection().execute<{ affectedRows: number }>(
    `update demand_subscription set status = ?, paid_at = coalesce(?, paid_at), payment_bill_no = coalesce(?, payment_bill_no),
       reason_code = coalesce(?, reason_code), updated_at = ? where id = ? and status = ?`,
    [end.status, end.paidAt ?? null, end.paymentBillNo ?? null, end.reasonCode ?? null, end.at, end.id, from],
    'run',
  );
  return moved.affectedRows > 0;
}

/** A subscription row as the notification route and the back office read it. */
export interface DemandSubscriptionRow {
  id: string;
  holdingId: string;
  amountFen: number;
  xjpSubscriptionNo: string;
  status: DemandSubscriptionStatus;
  paymentBillNo: string | null;
  reasonCode: string | null;
}

/** One subscription by the platform's id, or undefined. */
export async function findDemandSubscription(
  em: EntityManager,
  id: string,
): Promise<DemandSubscriptionRow | undefined> {
  const rows = await em.getConnection().execute<DemandSubscriptionRow[]>(
    `select id, holding_id as "holdingId", amount_fen::float8 as "amountFen", xjp_subscription_no as "xjpSubscriptionNo",
            status, payment_bill_no as "paymentBillNo", reason_code as "reasonCode"
     from demand_subscription where id = ?`,
    [id],
  );
  return rows[0];
}
