import { log } from '@temporalio/activity';
import {
  listOrdersToReconcile,
  listDemandPayoutsToReconcile,
  listPayoutsToReconcile,
  listRedemptionsToReconcile,
  listRefundsToReconcile,
  replaceReconciliation,
} from '../../src/db/repositories/reconciliation';
import { listDemandIncomeOn, listDemandMovementsOn } from '../../src/db/repositories/demand';
import { asStoredFinding, reconcileDemandStatement } from '../../src/reconciliation/demand';
import type { ReconciliationSummary } from '../../src/reconciliation/findings';
import { countFindings, isDiscrepancy, type Finding } from '../../src/reconciliation/findings';
import { matchRecords } from '../../src/reconciliation/match';
import { lianLianStatusAgrees, redemptionStatusAgrees, xjpStatusAgrees } from '../../src/reconciliation/sides';
import type { ActivityDependencies } from '../dependencies';
import { callPartner } from '../partner-failure';

/**
 * Daily reconciliation (对账): read a partner's statement, read our books, match. Read-only towards
 * partners and orders: a discrepancy is stored and alerted for an operator, never corrected here.
 */
export function createReconciliationActivities({ orm, xjp, lianlian }: ActivityDependencies) {
  return {
    /**
     * XJP's daily statement against our books: its subscriptions and payments against our orders of the
     * date (amounts, status, interest dates), its redemption settlements against what we pay out.
     */
    async collectXjpFindings(input: { businessDate: string }): Promise<Finding[]> {
      const statement = await callPartner(() => xjp.dailyStatement({ businessDate: input.businessDate }));
      const em = orm.em.fork();
      const orders = await listOrdersToReconcile(
        em,
        input.businessDate,
        statement.records.map((r) => r.purchaseRecordId),
      );
      const subscriptions = matchRecords(
        'XJP',
        orders.map((o) => ({
          key: o.orderNo,
          partnerReference: o.xjpOrderNo,
          amountFen: o.amountFen,
          status: o.status,
          // Fixed once interest starts; an order not yet accruing has no dates of ours to compare.
          ...(o.interestStartDate !== null && o.maturityDate !== null
            ? { dates: { interestStartDate: o.interestStartDate, maturityDate: o.maturityDate } }
            : {}),
        })),
        statement.records.map((r) => ({
          key: r.purchaseRecordId,
          partnerReference: r.xjpOrderNo,
          // Both the subscribed amount and, once paid, the amount received must be ours.
          amountsFen: r.paidAmountFen === undefined ? [r.amountFen] : [r.amountFen, r.paidAmountFen],
          status: r.payStatus,
          dates: { interestStartDate: r.interestStartDate, maturityDate: r.interestEndDate },
        })),
        xjpStatusAgrees,
      );
      const redemptions = await listRedemptionsToReconcile(
        em,
        input.businessDate,
        statement.redemptions.map((r) => r.purchaseRecordId),
      );
      const settlements = matchRecords(
        'XJP',
        redemptions.map((r) => ({
          key: r.orderNo,
          partnerReference: r.xjpRedemptionId ?? r.xjpOrderNo,
          amountFen: r.payoutFen,
          status: r.status,
        })),
        statement.redemptions.map((r) => ({
          key: r.purchaseRecordId,
          partnerReference: r.redemptionId,
          // XJP settles principal + interest to the platform; the investor must be paid exactly that.
          amountsFen: [r.totalFen],
          status: 'SETTLED',
        })),
        redemptionStatusAgrees,
        'REDEMPTION',
      );
      return [...subscriptions, ...settlements];
    },

    /** Our payouts of the date (orders' and demand redemptions') against LianLian's payout statement (matched on `no_order`). */
    async collectLianLianFindings(input: { businessDate: string }): Promise<Finding[]> {
      const statement = await callPartner(() => lianlian.payoutStatement({ date: input.businessDate }));
      const named = statement.records.map((r) => r.payoutId);
      const [payouts, demandPayouts] = await Promise.all([
        listPayoutsToReconcile(orm.em.fork(), input.businessDate, named),
        listDemandPayoutsToReconcile(orm.em.fork(), input.businessDate, named),
      ]);
      return matchRecords(
        'LIANLIAN',
        [
          ...payouts.map((p) => ({
            key: p.payoutNo,
            partnerReference: p.oidPaybill,
            amountFen: p.totalFen,
            status: p.status,
          })),
          // Demand redemptions' payouts leave through the same LianLian account and statement.
          ...demandPayouts.map((p) => ({
            key: p.payoutId,
            partnerReference: p.lianlianBillNo,
            amountFen: p.amountFen,
            status: p.status,
          })),
        ],
        statement.records.map((r) => ({
          key: r.payoutId,
          partnerReference: r.lianlianBillNo,
          amountsFen: [r.amountFen],
          status: r.resultPay,
        })),
        lianLianStatusAgrees,
      );
    },

    /** Our refunds of the date against LianLian's refund statement (matched on `no_refund`). */
    async collectRefundFindings(input: { businessDate: string }): Promise<Finding[]> {
      const statement = await callPartner(() => lianlian.refundStatement({ date: input.businessDate }));
      const refunds = await listRefundsToReconcile(
        orm.em.fork(),
        input.businessDate,
        statement.records.map((r) => r.refundId),
      );
      return matchRecords(
        'LIANLIAN',
        refunds.map((r) => ({
          key: r.refundNo,
          partnerReference: r.lianlianRefundNo,
          amountFen: r.amountFen,
          status: r.status,
        })),
        statement.records.map((r) => ({
          key: r.refundId,
          partnerReference: r.lianlianRefundNo,
          amountsFen: [r.amountFen],
          status: r.state,
        })),
        lianLianStatusAgrees,
        'REFUND',
      );
    },

    /**
     * XJP's demand statement against our demand books: the date's subscriptions and redemptions (by
     * our id: amount and the date the cut-off gave) and every holding's income of the date.
     */
    async collectDemandFindings(input: { businessDate: string }): Promise<Finding[]> {
      const statement = await callPartner(() => xjp.demand.dailyStatement({ businessDate: input.businessDate }));
      const em = orm.em.fork();
      const [movements, income] = await Promise.all([
        listDemandMovementsOn(em.fork(), input.businessDate),
        listDemandIncomeOn(em.fork(), input.businessDate),
      ]);
      return reconcileDemandStatement(statement, { movements, income }).map(asStoredFinding);
    },

    /** Replaces the date's run and findings atomically (a re-run is idempotent) and alerts on discrepancies. */
    async storeReconciliation(input: {
      businessDate: string;
      workflowId: string;
      findings: Finding[];
    }): Promise<ReconciliationSummary> {
      await replaceReconciliation(orm.em.fork(), { ...input, at: new Date() });
      const counts = countFindings(input.findings);
      const discrepancies = input.findings.filter((f) => isDiscrepancy(f.kind)).length;
      if (discrepancies > 0) {
        // The alert operators watch for: structured, one line per run, the findings themselves in the database.
        log.warn('reconciliation found discrepancies', {
          alert: 'RECONCILIATION_DISCREPANCY',
          businessDate: input.businessDate,
          discrepancies,
          counts,
        });
      }
      return { businessDate: input.businessDate, counts, discrepancies };
    },
  };
}
