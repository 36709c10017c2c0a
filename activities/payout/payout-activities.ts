import { ApplicationFailure } from '@temporalio/activity';
import { z } from 'zod';
import { PAYOUT_STATUSES } from '../../src/db/entities/payout';
import { ledgerInterestFen } from '../../src/db/repositories/accruals';
import { findOrderByNo, findReinvestmentOf, readInvestorPii } from '../../src/db/repositories/orders';
import {
  createPayout,
  listPayouts,
  recordPayoutResult,
  SecondSuccessfulPayoutError,
} from '../../src/db/repositories/payouts';
import { redemptionEntryAmounts } from '../../src/db/repositories/redemption-entries';
import { findRedemption } from '../../src/db/repositories/redemptions';
import { anotherAttemptMayPay, payoutFiguresRefusal } from '../../src/domain/payout-safety';
import { PARTNER_ERROR_CODES, PartnerError } from '../../src/partners/errors';
import { LIANLIAN_RET_CODES, type PayoutResult } from '../../src/partners/lianlian';
import type { ActivityDependencies } from '../dependencies';
import { callPartner } from '../partner-failure';
import { applyToCard } from './apply-to-card';

/** A result as the workflow reports it: one of LianLian's final `result_pay` states. */
const reportedResultSchema = z.enum(PAYOUT_STATUSES);

/** LianLian's answer to a payout query, as the workflow acts on it. */
export type PayoutQueryAnswer =
  { kind: 'ANSWERED'; resultPay: PayoutResult } | { kind: 'NOT_FOUND' } | { kind: 'MALFORMED'; message: string };

/** One payout attempt of an order. */
export interface PayoutAttemptInput {
  orderNo: string;
  payoutId: string;
  attempt: number;
  principalFen: number;
  interestFen: number;
  serviceFeeFen?: number;
  penaltyFen?: number;
  reinvestedFen?: number;
}

/** Paying redeemed orders out through LianLian (代付), each payout idempotent on our payout id. */
export function createPayoutActivities({ orm, lianlian, pii, payoutNotifyUrl }: ActivityDependencies) {
  async function record(
    payoutNo: string,
    status: (typeof PAYOUT_STATUSES)[number],
    extra: { oidPaybill?: string; error?: string } = {},
  ) {
    try {
      await recordPayoutResult(orm.em.fork(), { payoutNo, status, ...extra, at: new Date() });
    } catch (err) {
      // The database's last line against paying twice: a person must look, so no retry.
      if (err instanceof SecondSuccessfulPayoutError) throw ApplicationFailure.nonRetryable(err.message, err.code);
      throw err;
    }
  }

  async function query(payoutId: string): Promise<PayoutQueryAnswer> {
    try {
      const status = await lianlian.queryPayout({ payoutId });
      return { kind: 'ANSWERED', resultPay: status.resultPay };
    } catch (err) {
      if (err instanceof PartnerError && err.code === LIANLIAN_RET_CODES.PAYOUT_NOT_FOUND) return { kind: 'NOT_FOUND' };
      if (err instanceof PartnerError && err.code === PARTNER_ERROR_CODES.MALFORMED_RESPONSE)
        return { kind: 'MALFORMED', message: err.message };
      return callPartner(() => Promise.reject(err));
    }
  }

  return {
    /**
     * Before any payout leaves: the interest must be the ledger's (accruals plus corrections) and XJP's
     * redemption must equal principal + ledger interest. Answers the refusal, or undefined when it may leave.
     */
    async checkPayoutFigures(input: {
      orderNo: string;
      principalFen: number;
      interestFen: number;
      serviceFeeFen?: number;
      penaltyFen?: number;
      reinvestedFen?: number;
    }) {
      const em = orm.em.fork();
      const [ledger, redemption, booked, next] = await Promise.all([
        ledgerInterestFen(em.fork(), input.orderNo),
        findRedemption(em.fork(), input.orderNo),
        redemptionEntryAmounts(em.fork(), input.orderNo),
        findReinvestmentOf(em.fork(), input.orderNo),
      ]);
      // The order bought with this one's money, unless it was undone (then nothing was kept for it).
      const reinvestedFen = next === null || next.status === 'REJECTED' ? 0 : next.amountFen;
      const figures = {
        principalFen: input.principalFen,
        interestFen: input.interestFen,
        ledgerInterestFen: ledger,
        deductions: {
          serviceFeeFen: input.serviceFeeFen ?? 0,
          penaltyFen: input.penaltyFen ?? 0,
          reinvestedFen: input.reinvestedFen ?? 0,
        },
        bookedDeductions: {
          serviceFeeFen: booked.SERVICE_FEE,
          penaltyFen: booked.EARLY_REDEMPTION_PENALTY,
          reinvestedFen,
        },
        redemption:
          redemption === null
            ? null
            : {
                principalFen: redemption.principalFen,
                interestFen: redemption.interestFen,
                penaltyFen: redemption.penaltyFen,
                totalFen: redemption.totalFen,
              },
      };
      const reason = payoutFiguresRefusal(figures);
      return reason === undefined ? undefined : { reason, ...figures };
    },

    /**
     * Applies one payout of principal + interest to the investor's card. Idempotent on `payoutId`
     * (LianLian's no_order): the same request again answers the existing payout. An answer that
     * leaves the outcome open (4002, malformed) is UNKNOWN, for the workflow to follow by query.
     */
    async applyPayout(input: PayoutAttemptInput): Promise<{ resultPay: PayoutResult | 'UNKNOWN' }> {
      const em = orm.em.fork();
      const order = await findOrderByNo(em, input.orderNo);
      if (order === null) throw ApplicationFailure.nonRetryable(`no order ${input.orderNo}`, 'ORDER_NOT_FOUND');
      const payout = await createPayout(em, {
        orderNo: input.orderNo,
        payoutNo: input.payoutId,
        attempt: input.attempt,
        principalFen: input.principalFen,
        interestFen: input.interestFen,
        deductionsFen: (input.serviceFeeFen ?? 0) + (input.penaltyFen ?? 0) + (input.reinvestedFen ?? 0),
        at: new Date(),
      });
      const investor = readInvestorPii(order, pii);
      return applyToCard(
        lianlian,
        {
          payoutId: input.payoutId,
          amountFen: payout.totalFen,
          cardNo: investor.bankCardNo,
          accountName: investor.name,
          bankCode: investor.bankCode ?? '',
          info: `小金票 ${order.orderNo} 到期本息`,
          notifyUrl: payoutNotifyUrl,
          // Fixed at the payout's creation so a repeated apply is the same request exactly.
          orderedAt: payout.createdAt,
        },
        (status, { lianlianBillNo, error }) =>
          record(input.payoutId, status, {
            ...(lianlianBillNo === undefined ? {} : { oidPaybill: lianlianBillNo }),
            ...(error === undefined ? {} : { error }),
          }),
      );
    },

    /** True when another attempt of the order has paid or may still pay (its non-final states asked of LianLian first). */
    async anotherAttemptMayPay(input: { orderNo: string; payoutId: string }): Promise<boolean> {
      const attempts = await listPayouts(orm.em.fork(), input.orderNo);
      const fresh = await Promise.all(
        attempts.map(async (a) => {
          if (a.payoutNo === input.payoutId || ['FAILURE', 'CLOSED', 'CANCEL'].includes(a.status))
            return { payoutNo: a.payoutNo, status: a.status };
          const answer = await query(a.payoutNo);
          if (answer.kind !== 'ANSWERED') return { payoutNo: a.payoutNo, status: a.status };
          await record(a.payoutNo, answer.resultPay);
          return { payoutNo: a.payoutNo, status: answer.resultPay };
        }),
      );
      return anotherAttemptMayPay(fresh, input.payoutId);
    },

    /** Releases a payout LianLian holds as a suspected duplicate; the workflow asks anotherAttemptMayPay first. */
    async confirmPayout(input: { payoutId: string }): Promise<void> {
      await callPartner(() => lianlian.confirmPayout({ payoutId: input.payoutId }));
    },

    /** LianLian's payout query: the truth when a result notification is late or lost, or an apply's answer was. */
    async queryPayout(input: { payoutId: string }): Promise<PayoutQueryAnswer> {
      return query(input.payoutId);
    },

    /** Records where a payout ended (or a later bank reversal). */
    async recordPayoutResult(input: { payoutId: string; resultPay: string }): Promise<void> {
      await record(input.payoutId, reportedResultSchema.parse(input.resultPay));
    },
  };
}
