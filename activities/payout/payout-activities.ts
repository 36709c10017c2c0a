import { ApplicationFailure } from '@temporalio/activity';
import { z } from 'zod';
import { PAYOUT_STATUSES, type PayoutStatus } from '../../src/db/entities/payout';
import { PurchaseOrderSchema } from '../../src/db/entities/purchase-order';
import { accruedInterestFen } from '../../src/db/repositories/accruals';
import { readInvestorPii } from '../../src/db/repositories/orders';
import { createPayout, recordPayoutResult } from '../../src/db/repositories/payouts';
import type { PayoutResult } from '../../src/partners/lianlian';
import type { ActivityDependencies } from '../dependencies';
import { callPartner } from '../partner-failure';

/** LianLian refusals of an application that end this payout attempt (the order waits for an operator). */
const FAILED_APPLICATION_CODES = new Set(['4001', '4002']);

/** A result as the workflow reports it: LianLian's last `result_pay` (still in progress when queries ran out). */
const reportedResultSchema = z.enum(PAYOUT_STATUSES);

/** Paying matured orders out through LianLian (代付), each payout idempotent on our payout id. */
export function createPayoutActivities({ orm, lianlian, pii, payoutNotifyUrl }: ActivityDependencies) {
  async function recordStatus(payoutNo: string, status: PayoutStatus, extra: { oidPaybill?: string; error?: string } = {}): Promise<void> {
    await recordPayoutResult(orm.em.fork(), { payoutNo, status, ...extra, at: new Date() });
  }

  return {
    /**
     * Applies one payout of principal + ledger interest to the investor's card. Idempotent on
     * `payoutId` (LianLian's no_order): a retry re-sends the same request and gets the same payout.
     */
    async applyPayout(input: { orderNo: string; payoutId: string; attempt: number; amountFen: number }): Promise<{ resultPay: PayoutResult }> {
      const em = orm.em.fork();
      const order = await em.findOneOrFail(PurchaseOrderSchema, { orderNo: input.orderNo });
      // The same payout id with other figures (PayoutConflictError) is left retryable on purpose:
      // the activity stays visible as failing and resumes once the row is put right, where a
      // non-retryable failure would end the workflow with the payout question open.
      const payout = await createPayout(em, {
        orderNo: input.orderNo,
        payoutNo: input.payoutId,
        attempt: input.attempt,
        principalFen: order.amountFen,
        interestFen: input.amountFen - order.amountFen,
        at: new Date(),
      });
      const investor = readInvestorPii(order, pii);
      try {
        const applied = await callPartner(() =>
          lianlian.applyPayout({
            payoutId: input.payoutId,
            amountFen: payout.totalFen,
            cardNo: investor.bankCardNo,
            accountName: investor.name,
            bankCode: investor.bankCode ?? '',
            info: `小金票 ${order.orderNo} 到期本息`,
            notifyUrl: payoutNotifyUrl,
            // Fixed at the payout's creation so a retried apply repeats the request exactly.
            orderedAt: payout.createdAt,
          }),
        );
        await recordStatus(input.payoutId, applied.resultPay, { oidPaybill: applied.lianlianBillNo });
        return { resultPay: applied.resultPay };
      } catch (err) {
        if (err instanceof ApplicationFailure && FAILED_APPLICATION_CODES.has(err.type ?? '')) {
          await recordStatus(input.payoutId, 'FAILURE', { error: err.message });
          return { resultPay: 'FAILURE' };
        }
        throw err;
      }
    },

    /** Releases a payout LianLian holds as a suspected duplicate: each payout id is a distinct order of ours. */
    async confirmPayout(input: { payoutId: string }): Promise<void> {
      await callPartner(() => lianlian.confirmPayout({ payoutId: input.payoutId }));
    },

    /** LianLian's payout query: the truth when a result notification is late or lost. */
    async queryPayout(input: { payoutId: string }): Promise<{ resultPay: PayoutResult }> {
      const status = await callPartner(() => lianlian.queryPayout({ payoutId: input.payoutId }));
      return { resultPay: status.resultPay };
    },

    /** Records where a payout ended (or a later bank reversal). */
    async recordPayoutResult(input: { orderNo: string; payoutId: string; resultPay: string }): Promise<void> {
      await recordStatus(input.payoutId, reportedResultSchema.parse(input.resultPay));
    },

    /** Checks, before an order completes, that the payout equals principal + the interest in the ledger. */
    async completeOrder(input: { orderNo: string; payoutId: string; paidAmountFen: number }): Promise<void> {
      const em = orm.em.fork();
      const order = await em.findOneOrFail(PurchaseOrderSchema, { orderNo: input.orderNo });
      const ledgerInterest = await accruedInterestFen(em, input.orderNo);
      if (input.paidAmountFen !== order.amountFen + ledgerInterest) {
        throw ApplicationFailure.nonRetryable(
          `payout ${input.payoutId} of ${input.paidAmountFen} fen ≠ principal ${order.amountFen} + ledger interest ${ledgerInterest}`,
          'LEDGER_MISMATCH',
        );
      }
    },
  };
}
