import type { EntityManager } from '@mikro-orm/postgresql';
import { addDays, daysBetween } from '../../domain/calendar';
import { parseFen } from '../../domain/money';
import { ORDER_STATUSES, type OrderStatus } from '../../domain/order-status';

/** Orders whose principal we still owe the investor: paid and not yet paid back. */
export const OUTSTANDING_STATUSES: readonly OrderStatus[] = [
  'PAID',
  'ACCRUING',
  'MATURED',
  'PAYING_OUT',
  'PAYOUT_FAILED',
];

const outstanding = OUTSTANDING_STATUSES.map((s) => `'${s}'`).join(', ');

/** The Monday of the ISO week `date` falls in. */
function mondayOf(date: string): string {
  // 1992-01-06 was a Monday; the calendar module's dates start in 1992.
  return addDays(date, -(((daysBetween('1992-01-06', date) % 7) + 7) % 7));
}

type Row = Record<string, unknown>;

const count = (row: Row | undefined): number => Number(row?.count ?? 0);
const fen = (row: Row | undefined, column: string): number => parseFen(String(row?.[column] ?? '0'));

/**
 * The back office's asset overview for one Shanghai day, from PostgreSQL: principal outstanding and
 * the interest the ledger has accrued on it, orders by state, what matures today and this (Monday to
 * Sunday) week, failed payouts, and interest mismatches waiting for an operator's decision.
 */
export async function assetOverview(em: EntityManager, today: string) {
  const connection = em.getConnection();
  const weekStart = mondayOf(today);
  const weekEnd = addDays(weekStart, 6);
  const [principal, interest, byState, maturing, failed, mismatches] = await Promise.all([
    connection.execute<Row[]>(
      `select count(*) as count, coalesce(sum(amount_fen), 0) as fen from purchase_order where status in (${outstanding})`,
    ),
    connection.execute<Row[]>(
      `select coalesce(sum(a.amount_fen), 0) as fen from interest_accrual a join purchase_order o on o.id = a.order_id where o.status in (${outstanding})`,
    ),
    connection.execute<Row[]>('select status, count(*) as count from purchase_order group by status'),
    connection.execute<Row[]>(
      `select count(*) filter (where maturity_date = ?) as today_count,
              coalesce(sum(amount_fen) filter (where maturity_date = ?), 0) as today_fen,
              count(*) as week_count, coalesce(sum(amount_fen), 0) as week_fen
         from purchase_order where status in (${outstanding}) and maturity_date between ? and ?`,
      [today, today, weekStart, weekEnd],
    ),
    connection.execute<Row[]>(
      "select count(*) as count, coalesce(sum(amount_fen), 0) as fen from purchase_order where status = 'PAYOUT_FAILED'",
    ),
    // The workflow records the mismatch (interest or dates) while the order is still CREATED and leaves CREATED once an operator decides.
    connection.execute<Row[]>(
      `select count(distinct o.id) as count from purchase_order o join order_event e on e.order_id = o.id
        where o.status = 'CREATED' and e.cause in ('INTEREST_MISMATCH', 'DATE_MISMATCH')`,
    ),
  ]);
  const states = Object.fromEntries(ORDER_STATUSES.map((s) => [s, count(byState.find((row) => row.status === s))]));
  const window = maturing[0];
  return {
    date: today,
    principalOutstanding: { orders: count(principal[0]), fen: fen(principal[0], 'fen') },
    interestAccruedFen: fen(interest[0], 'fen'),
    ordersByState: states,
    maturingToday: { orders: Number(window?.today_count ?? 0), principalFen: fen(window, 'today_fen') },
    maturingThisWeek: {
      from: weekStart,
      to: weekEnd,
      orders: Number(window?.week_count ?? 0),
      principalFen: fen(window, 'week_fen'),
    },
    payoutsFailed: { orders: count(failed[0]), principalFen: fen(failed[0], 'fen') },
    interestMismatchesAwaitingReview: count(mismatches[0]),
  };
}
