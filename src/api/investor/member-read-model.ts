/** Read models of the investor centre: holdings and income history, from PostgreSQL only. */
import type { EntityManager } from '@mikro-orm/postgresql';
import { z } from 'zod';
import { PurchaseOrderSchema, type PurchaseOrder } from '../../db/entities/purchase-order';
import { daysBetween } from '../../domain/calendar';
import { parseFen } from '../../domain/money';
import { statusesIn } from '../../domain/order-status';
import { rateFromMicros, rateToDecimalString } from '../../domain/rate';
import type { HoldingView, HoldingsView, IncomeHistoryView } from './schemas';

// Sums arrive from PostgreSQL as text (bigint); parseFen refuses anything that is not exact fen.
const accruedRow = z.object({ order_no: z.string(), accrued: z.string() });
const incomeRow = z.object({ date: z.string(), order_no: z.string(), product_code: z.string(), amount: z.string() });

async function accruedByOrder(em: EntityManager, memberId: string): Promise<Map<string, number>> {
  const rows = await em.getConnection().execute(
    `select o.order_no, sum(a.amount_fen)::text as accrued
       from purchase_order o join interest_accrual a on a.order_id = o.id
      where o.member_id = ? group by o.order_no`,
    [memberId],
  );
  return new Map(
    z
      .array(accruedRow)
      .parse(rows)
      .map((r) => [r.order_no, parseFen(r.accrued)]),
  );
}

/** Days to maturity, counted from the interest start while it is still ahead (a 90-day order paid today has 90 left). */
function daysLeft(order: PurchaseOrder, today: string): number | null {
  if (order.maturityDate === null) return null;
  const from = order.interestStartDate !== null && order.interestStartDate > today ? order.interestStartDate : today;
  return Math.max(daysBetween(from, order.maturityDate), 0);
}

function holdingView(order: PurchaseOrder, accruedFen: number, today: string): HoldingView {
  return {
    orderNo: order.orderNo,
    status: order.status,
    productId: order.productId,
    productCode: order.productCode,
    productName: order.productName,
    principalFen: order.amountFen,
    annualRate: rateToDecimalString(rateFromMicros(order.annualRateMicros)),
    term: { unit: order.termUnit, value: order.termValue },
    paidAt: order.paidAt?.toISOString() ?? null,
    interestStartDate: order.interestStartDate,
    maturityDate: order.maturityDate,
    accruedInterestFen: accruedFen,
    expectedInterestFen: order.expectedInterestFen,
    daysLeft: daysLeft(order, today),
  };
}

/**
 * A member's holdings on `today` (Asia/Shanghai): every held order, newest first, and totals over
 * them. Not paged: held orders are few per member, and totals must cover all of them.
 */
export async function memberHoldings(em: EntityManager, memberId: string, today: string): Promise<HoldingsView> {
  const [orders, accrued] = await Promise.all([
    em.find(
      PurchaseOrderSchema,
      { memberId, status: { $in: statusesIn('HELD') } },
      { orderBy: { createdAt: 'desc', orderNo: 'desc' } },
    ),
    accruedByOrder(em, memberId),
  ]);
  const holdings = orders.map((order) => holdingView(order, accrued.get(order.orderNo) ?? 0, today));
  return {
    memberId,
    asOf: today,
    orders: holdings,
    totals: {
      principalHeldFen: holdings.reduce((sum, h) => sum + h.principalFen, 0),
      incomeToDateFen: holdings.reduce((sum, h) => sum + h.accruedInterestFen, 0),
      expectedIncomeFen: holdings.reduce((sum, h) => sum + (h.expectedInterestFen ?? 0), 0),
    },
  };
}

/** A member's daily income from the `interest_accrual` ledger between two dates (inclusive), all orders. */
export async function memberIncome(
  em: EntityManager,
  memberId: string,
  from: string,
  to: string,
): Promise<IncomeHistoryView> {
  const raw = await em.getConnection().execute(
    `select a.accrual_date::text as date, o.order_no, o.product_code, a.amount_fen::text as amount
       from interest_accrual a join purchase_order o on o.id = a.order_id
      where o.member_id = ? and a.accrual_date between ?::date and ?::date
      order by a.accrual_date, o.order_no`,
    [memberId, from, to],
  );
  const days: IncomeHistoryView['days'] = [];
  for (const row of z.array(incomeRow).parse(raw)) {
    const amountFen = parseFen(row.amount);
    let day = days.at(-1);
    if (day?.date !== row.date) {
      day = { date: row.date, amountFen: 0, orders: [] };
      days.push(day);
    }
    day.amountFen += amountFen;
    day.orders.push({ orderNo: row.order_no, productCode: row.product_code, amountFen });
  }
  const totalFen = days.reduce((sum, d) => sum + d.amountFen, 0);
  const redemptionEntries = await memberRedemptionEntries(em, memberId, from, to);
  const netFen = redemptionEntries.reduce(
    (sum, e) => (e.kind === 'INTEREST_REVERSAL' ? sum + e.amountFen : sum - e.amountFen),
    totalFen,
  );
  return { memberId, from, to, totalFen, days, redemptionEntries, netFen };
}

const redemptionEntryRow = z.object({
  date: z.string(),
  order_no: z.string(),
  product_code: z.string(),
  kind: z.enum(['INTEREST_REVERSAL', 'EARLY_REDEMPTION_PENALTY', 'SERVICE_FEE']),
  amount: z.string(),
});

/** The member's redemption entries whose redemption date (Shanghai) is between `from` and `to`, inclusive. */
async function memberRedemptionEntries(
  em: EntityManager,
  memberId: string,
  from: string,
  to: string,
): Promise<IncomeHistoryView['redemptionEntries']> {
  const raw = await em.getConnection().execute(
    `select d.date::text as date, o.order_no, o.product_code, e.kind, e.amount_fen::text as amount
       from redemption_entry e
       join purchase_order o on o.id = e.order_id
       left join redemption r on r.order_id = e.order_id
       cross join lateral (
         select coalesce(r.redemption_date, (e.created_at at time zone 'Asia/Shanghai')::date) as date
       ) d
      where o.member_id = ? and d.date between ?::date and ?::date
      order by d.date, o.order_no, e.kind`,
    [memberId, from, to],
  );
  return z
    .array(redemptionEntryRow)
    .parse(raw)
    .map((row) => ({
      date: row.date,
      orderNo: row.order_no,
      productCode: row.product_code,
      kind: row.kind,
      amountFen: Number(row.amount),
    }));
}
