import type { EntityManager } from '@mikro-orm/postgresql';
import { addDays, shanghaiMidnight } from '../../domain/calendar';
import { countFindings, type Finding } from '../../reconciliation/findings';
import { newId } from '../ids';
import { type DemandPayout, DemandPayoutSchema } from '../entities/demand-payout';
import type { Payout } from '../entities/payout';
import { PayoutSchema } from '../entities/payout';
import { type Refund, RefundSchema } from '../entities/refund';
import type { PurchaseOrder } from '../entities/purchase-order';
import { PurchaseOrderSchema } from '../entities/purchase-order';
import type { ReconciliationFinding } from '../entities/reconciliation-finding';
import { ReconciliationFindingSchema } from '../entities/reconciliation-finding';
import type { ReconciliationRun } from '../entities/reconciliation-run';
import { ReconciliationRunSchema } from '../entities/reconciliation-run';

/** The instants an Asia/Shanghai business date spans: [start, end). */
function dayWindow(businessDate: string): { start: Date; end: Date } {
  return { start: shanghaiMidnight(businessDate), end: shanghaiMidnight(addDays(businessDate, 1)) };
}

/**
 * Our subscribed orders of a business date: created or paid that day, and holding an XJP order
 * number (an order XJP never accepted has nothing to reconcile). `alsoOrderNos` pulls in orders the
 * partner listed for the day that fall just outside our window (created before midnight, subscribed
 * after), so a boundary order is compared rather than reported missing on our side.
 */
export async function listOrdersToReconcile(
  em: EntityManager,
  businessDate: string,
  alsoOrderNos: readonly string[] = [],
): Promise<PurchaseOrder[]> {
  const { start, end } = dayWindow(businessDate);
  return em.find(
    PurchaseOrderSchema,
    {
      xjpOrderNo: { $ne: null },
      $or: [
        { createdAt: { $gte: start, $lt: end } },
        { paidAt: { $gte: start, $lt: end } },
        ...(alsoOrderNos.length > 0 ? [{ orderNo: { $in: [...alsoOrderNos] } }] : []),
      ],
    },
    { orderBy: { orderNo: 'asc' } },
  );
}

/** Our payouts created on a business date (LianLian's `dt_order` day), plus any the partner listed (see above). */
export async function listPayoutsToReconcile(
  em: EntityManager,
  businessDate: string,
  alsoPayoutNos: readonly string[] = [],
): Promise<Payout[]> {
  const { start, end } = dayWindow(businessDate);
  return em.find(
    PayoutSchema,
    {
      $or: [
        { createdAt: { $gte: start, $lt: end } },
        ...(alsoPayoutNos.length > 0 ? [{ payoutNo: { $in: [...alsoPayoutNos] } }] : []),
      ],
    },
    { orderBy: { payoutNo: 'asc' } },
  );
}

/** Our demand payouts applied for on a business date, plus any LianLian listed: they share LianLian's payout statement. */
export async function listDemandPayoutsToReconcile(
  em: EntityManager,
  businessDate: string,
  alsoPayoutIds: readonly string[] = [],
): Promise<DemandPayout[]> {
  const { start, end } = dayWindow(businessDate);
  const named = alsoPayoutIds.length > 0 ? [{ payoutId: { $in: [...alsoPayoutIds] } }] : [];
  return em.find(
    DemandPayoutSchema,
    { $or: [{ createdAt: { $gte: start, $lt: end } }, ...named] },
    { orderBy: { payoutId: 'asc' } },
  );
}

/** Our refunds applied for on a business date (LianLian's `dt_refund` day), plus any the partner listed. */
export async function listRefundsToReconcile(
  em: EntityManager,
  businessDate: string,
  alsoRefundNos: readonly string[] = [],
): Promise<Refund[]> {
  const { start, end } = dayWindow(businessDate);
  return em.find(
    RefundSchema,
    {
      $and: [
        {
          $or: [
            { createdAt: { $gte: start, $lt: end } },
            ...(alsoRefundNos.length > 0 ? [{ refundNo: { $in: [...alsoRefundNos] } }] : []),
          ],
        },
        // Only what LianLian holds or may hold: not one waiting for approval, refused outright, or returned by hand.
        { $or: [{ lianlianRefundNo: { $ne: null } }, { status: { $in: ['PENDING', 'PROCESSING', 'SUCCESS'] } }] },
      ],
    },
    { orderBy: { refundNo: 'asc' } },
  );
}

/** One of our redemptions as reconciliation reads it: what XJP should settle, and what we pay the investor. */
export interface RedemptionToReconcile {
  orderNo: string;
  xjpOrderNo: string | null;
  xjpRedemptionId: string | null;
  /** REQUESTED (XJP's settlement never heard of) or SETTLED. */
  status: string;
  /**
   * What XJP's settlement must equal on our books: the latest payout attempt's total plus the service
   * fee the platform kept from it once there is one; before that principal + the ledger's interest
   * (accrued days, finance's corrections, an early redemption's reversal) − the fee on principal.
   */
  payoutFen: number;
}

/**
 * Our redemptions of a business date: requested or settled that day, plus those of the orders XJP
 * listed (`alsoOrderNos`, see {@link listOrdersToReconcile}). One query, however many orders matured.
 */
export async function listRedemptionsToReconcile(
  em: EntityManager,
  businessDate: string,
  alsoOrderNos: readonly string[] = [],
): Promise<RedemptionToReconcile[]> {
  const { start, end } = dayWindow(businessDate);
  const listed = alsoOrderNos.length === 0 ? '' : `or o.order_no in (${alsoOrderNos.map(() => '?').join(', ')})`;
  const rows = await em.getConnection().execute<
    {
      order_no: string;
      xjp_order_no: string | null;
      xjp_redemption_id: string | null;
      status: string;
      payout_fen: string | null;
      ledger_fen: string;
    }[]
  >(
    `select o.order_no, o.xjp_order_no, r.xjp_redemption_id, r.status,
            (select p.total_fen from payout p where p.order_id = o.id order by p.attempt desc limit 1)
              + coalesce((select e.amount_fen from redemption_entry e where e.order_id = o.id and e.kind = 'SERVICE_FEE'), 0)
              as payout_fen,
            o.amount_fen
              + coalesce((select a.cumulative_fen from interest_accrual a where a.order_id = o.id
                           order by a.accrual_date desc limit 1), 0)
              + coalesce((select sum(c.amount_fen) from ledger_correction c where c.order_id = o.id), 0)
              + coalesce((select sum(case when e.kind = 'INTEREST_REVERSAL' then e.amount_fen
                                          when e.kind = 'EARLY_REDEMPTION_PENALTY' then -e.amount_fen else 0 end)
                            from redemption_entry e where e.order_id = o.id), 0) as ledger_fen
       from redemption r join purchase_order o on o.id = r.order_id
      where (r.settled_at >= ? and r.settled_at < ?) or (r.requested_at >= ? and r.requested_at < ?) ${listed}
      order by o.order_no`,
    [start, end, start, end, ...alsoOrderNos],
  );
  return rows.map((row) => ({
    orderNo: row.order_no,
    xjpOrderNo: row.xjp_order_no,
    xjpRedemptionId: row.xjp_redemption_id,
    status: row.status,
    payoutFen: Number(row.payout_fen ?? row.ledger_fen),
  }));
}

/** What replacing a date's reconciliation writes. */
export interface ReconciliationResultInput {
  businessDate: string;
  workflowId: string;
  findings: readonly Finding[];
  at: Date;
}

/**
 * Stores a date's run and findings, replacing any earlier run of that date (its findings go with it,
 * by cascade) in one transaction: a reader sees the old result or the new one, never a mix, and
 * re-running a date never accumulates findings.
 */
export async function replaceReconciliation(
  em: EntityManager,
  input: ReconciliationResultInput,
): Promise<ReconciliationRun> {
  const counts = countFindings(input.findings);
  return em.transactional(async (tx) => {
    await tx.nativeDelete(ReconciliationRunSchema, { businessDate: input.businessDate });
    const run = tx.create(ReconciliationRunSchema, {
      id: newId('rcn'),
      businessDate: input.businessDate,
      workflowId: input.workflowId,
      matchedCount: counts.MATCHED,
      missingAtPartnerCount: counts.MISSING_AT_PARTNER,
      missingAtUsCount: counts.MISSING_AT_US,
      amountMismatchCount: counts.AMOUNT_MISMATCH,
      statusMismatchCount: counts.STATUS_MISMATCH,
      dateMismatchCount: counts.DATE_MISMATCH,
      duplicateCount: counts.DUPLICATE,
      completedAt: input.at,
    });
    for (const finding of input.findings) {
      tx.create(ReconciliationFindingSchema, { id: newId('rcf'), run, businessDate: input.businessDate, ...finding });
    }
    return run;
  });
}

/** A date's run and its findings (side, kind, reference order), or null when the date was never reconciled. */
export async function findReconciliation(
  em: EntityManager,
  businessDate: string,
): Promise<{ run: ReconciliationRun; findings: ReconciliationFinding[] } | null> {
  const run = await em.findOne(ReconciliationRunSchema, { businessDate });
  if (run === null) return null;
  const findings = await em.find(
    ReconciliationFindingSchema,
    { run },
    { orderBy: { side: 'asc', category: 'asc', kind: 'asc', reference: 'asc', id: 'asc' } },
  );
  return { run, findings };
}
