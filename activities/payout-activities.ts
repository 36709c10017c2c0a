import { ApplicationFailure } from '@temporalio/activity';
import { PayoutSchema, type PayoutStatus } from '../src/db/entities/payout';
import { PurchaseOrderSchema } from '../src/db/entities/purchase-order';
import { newId } from '../src/db/ids';
import { accruedInterestFen } from '../src/db/repositories/accruals';
import { readInvestorPii } from '../src/db/repositories/orders';
import type { PayoutResult } from '../src/partners/lianlian';
import type { ActivityDependencies } from './dependencies';
import { callPartner } from './partner-failure';

/** LianLian refusals of an application that end this payout attempt (the order waits for an operator). */
const FAILED_APPLICATION_CODES = new Set(['4001', '4002']);

/** Paying matured orders out through LianLian (代付), each payout idempotent on our payout id. */
export function createPayoutActivities({ orm, lianlian, pii, payoutNotifyUrl }: ActivityDependencies) {
  async function recordStatus(payoutId: string, status: PayoutStatus, extra: { oidPaybill?: string; lastError?: string } = {}): Promise<void> {
    const em = orm.em.fork();
    const payout = await em.findOneOrFail(PayoutSchema, { payoutNo: payoutId });
    em.assign(payout, { status, callCount: payout.callCount + 1, updatedAt: new Date(), ...extra, ...(status === 'SUCCESS' ? { settledAt: new Date() } : {}) });
    await em.flush();
  }

  return {
    /**
     * Applies one payout of principal + ledger interest to the investor's card. Idempotent on
     * `payoutId` (LianLian's no_order): a retry re-sends the same request and gets the same payout.
     */
    async applyPayout(input: { orderNo: string; payoutId: string; attempt: number; amountFen: number }): Promise<{ resultPay: PayoutResult }> {
      const em = orm.em.fork();
      const order = await em.findOneOrFail(PurchaseOrderSchema, { orderNo: input.orderNo });
      await em
        .createQueryBuilder(PayoutSchema)
        .insert({
          id: newId('pay'),
          order: order.id,
          payoutNo: input.payoutId,
          attempt: input.attempt,
          principalFen: order.amountFen,
          interestFen: input.amountFen - order.amountFen,
          totalFen: input.amountFen,
          status: 'PENDING',
          callCount: 0,
          createdAt: new Date(),
          updatedAt: new Date(),
        })
        .onConflict(['payoutNo'])
        .ignore()
        .execute('run');
      const payout = await em.findOneOrFail(PayoutSchema, { payoutNo: input.payoutId }, { refresh: true });
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
          await recordStatus(input.payoutId, 'FAILURE', { lastError: err.message });
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
      const status = (input.resultPay === 'UNKNOWN' ? 'PROCESSING' : input.resultPay) as PayoutStatus;
      await recordStatus(input.payoutId, status);
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
