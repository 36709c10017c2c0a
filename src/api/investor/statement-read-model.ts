/** A member's monthly statement (月度对账单), from PostgreSQL only: holdings, income by day and payouts. */
import type { EntityManager } from '@mikro-orm/postgresql';
import { z } from 'zod';
import type { PiiCipher } from '../../db/pii-cipher';
import { addDays, addMonths, shanghaiMidnight } from '../../domain/calendar';
import { parseFen } from '../../domain/money';
import { formatRate, rateFromMicros } from '../../domain/rate';
import { memberIncome } from './member-read-model';
import type { StatementView } from './schemas';

// Amounts arrive as text (bigint) and go through parseFen, which refuses anything that is not exact fen.
const holdingRow = z.object({
  order_no: z.string(),
  product_name: z.string(),
  amount: z.string(),
  annual_rate_micros: z.number(),
  interest_start_date: z.string().nullable(),
  maturity_date: z.string().nullable(),
  in_month: z.string(),
  to_month_end: z.string(),
});
const payoutRow = z.object({
  order_no: z.string(),
  settled_on: z.string(),
  principal: z.string(),
  interest: z.string(),
  total: z.string(),
  status: z.string(),
  bank_card_masked: z.string(),
});
const nameRow = z.object({ investor_name_enc: z.string() });

/** The first and last day of `month` (`YYYY-MM`) and the instants that bound it in Shanghai. */
export function monthBounds(month: string): { from: string; to: string; start: Date; end: Date } {
  const from = `${month}-01`;
  const next = addMonths(from, 1);
  return { from, to: addDays(next, -1), start: shanghaiMidnight(from), end: shanghaiMidnight(next) };
}

async function holdings(
  em: EntityManager,
  memberId: string,
  b: ReturnType<typeof monthBounds>,
): Promise<StatementView['holdings']> {
  // Held during the month: paid before it ended, and not paid out (successfully) before it began.
  const rows = await em.getConnection().execute(
    `select o.order_no, o.product_name, o.amount_fen::text as amount, o.annual_rate_micros,
            o.interest_start_date::text as interest_start_date, o.maturity_date::text as maturity_date,
            coalesce(sum(a.amount_fen) filter (where a.accrual_date between ?::date and ?::date), 0)::text as in_month,
            coalesce(sum(a.amount_fen) filter (where a.accrual_date <= ?::date), 0)::text as to_month_end
       from purchase_order o left join interest_accrual a on a.order_id = o.id
      where o.member_id = ? and o.paid_at < ?
        and not exists (select 1 from payout p where p.order_id = o.id and p.status = 'SUCCESS' and p.settled_at < ?)
      group by o.id order by o.paid_at, o.order_no`,
    [b.from, b.to, b.to, memberId, b.end, b.start],
  );
  return z
    .array(holdingRow)
    .parse(rows)
    .map((r) => ({
      orderNo: r.order_no,
      productName: r.product_name,
      principalFen: parseFen(r.amount),
      annualRatePercent: formatRate(rateFromMicros(r.annual_rate_micros)),
      interestStartDate: r.interest_start_date,
      maturityDate: r.maturity_date,
      incomeInMonthFen: parseFen(r.in_month),
      incomeToMonthEndFen: parseFen(r.to_month_end),
    }));
}

async function payouts(
  em: EntityManager,
  memberId: string,
  b: ReturnType<typeof monthBounds>,
): Promise<StatementView['payouts']> {
  const rows = await em.getConnection().execute(
    `select o.order_no, to_char(p.settled_at at time zone 'Asia/Shanghai', 'YYYY-MM-DD') as settled_on,
            p.principal_fen::text as principal, p.interest_fen::text as interest, p.total_fen::text as total, p.status, o.bank_card_masked
       from payout p join purchase_order o on o.id = p.order_id
      where o.member_id = ? and p.status = 'SUCCESS' and p.settled_at >= ? and p.settled_at < ?
      order by p.settled_at, o.order_no`,
    [memberId, b.start, b.end],
  );
  return z
    .array(payoutRow)
    .parse(rows)
    .map((r) => ({
      orderNo: r.order_no,
      settledOn: r.settled_on,
      principalFen: parseFen(r.principal),
      interestFen: parseFen(r.interest),
      totalFen: parseFen(r.total),
      status: r.status,
      bankCardMasked: r.bank_card_masked,
    }));
}

async function investorName(em: EntityManager, pii: PiiCipher, memberId: string): Promise<string | null> {
  const rows = z
    .array(nameRow)
    .parse(
      await em
        .getConnection()
        .execute(`select investor_name_enc from purchase_order where member_id = ? order by created_at desc limit 1`, [
          memberId,
        ]),
    );
  const latest = rows[0];
  return latest === undefined ? null : pii.decrypt(latest.investor_name_enc);
}

/** The statement of `month` (`YYYY-MM`, Asia/Shanghai) for one member. */
export async function memberStatement(
  em: EntityManager,
  pii: PiiCipher,
  memberId: string,
  month: string,
): Promise<StatementView> {
  const bounds = monthBounds(month);
  const [held, income, paid, name] = await Promise.all([
    holdings(em, memberId, bounds),
    memberIncome(em, memberId, bounds.from, bounds.to),
    payouts(em, memberId, bounds),
    investorName(em, pii, memberId),
  ]);
  return {
    memberId,
    investorName: name,
    month,
    from: bounds.from,
    to: bounds.to,
    holdings: held,
    income: income.days.map((d) => ({ date: d.date, amountFen: d.amountFen })),
    payouts: paid,
    totals: {
      principalHeldFen: held.reduce((sum, h) => sum + h.principalFen, 0),
      incomeFen: income.totalFen,
      paidOutFen: paid.reduce((sum, p) => sum + p.totalFen, 0),
    },
  };
}
