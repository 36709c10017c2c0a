import type { EntityManager } from '@mikro-orm/postgresql';
import { addDays, shanghaiMidnight } from '../../domain/calendar';
import { countFindings, type Finding } from '../../reconciliation/findings';
import { newId } from '../ids';
import type { Payout } from '../entities/payout';
import { PayoutSchema } from '../entities/payout';
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
    { orderBy: { side: 'asc', kind: 'asc', reference: 'asc', id: 'asc' } },
  );
  return { run, findings };
}
