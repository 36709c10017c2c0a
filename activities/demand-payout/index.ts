import { ApplicationFailure } from '@temporalio/activity';
import { z } from 'zod';
import { PAYOUT_STATUSES } from '../../src/db/entities/payout';
import {
  createDemandPayout,
  findDemandRedemption,
  recordDemandPayoutResult,
  SecondDemandPayoutError,
} from '../../src/db/repositories/demand-payouts';
import { listOrdersByMember, readInvestorPii } from '../../src/db/repositories/orders';
import type { PayoutResult } from '../../src/partners/lianlian';
import type { ActivityDependencies } from '../dependencies';
import { callPartner } from '../partner-failure';
import { applyToCard } from '../payout/apply-to-card';
import { createPayoutActivities } from '../payout/payout-activities';

const reportedResultSchema = z.enum(PAYOUT_STATUSES);

/** One payout attempt of a demand redemption. */
export interface DemandPayoutAttempt {
  redemptionId: string;
  memberId: string;
  payoutId: string;
  attempt: number;
  amountFen: number;
}

/** XJP's redemption and our books disagree with the amount to pay: nothing leaves. */
export interface DemandPayoutRefusal {
  reason: 'REDEMPTION_MISMATCH';
  amountFen: number;
  bookedFen: number | null;
  xjpFen: number | null;
}

/**
 * Paying demand redemptions to the member's card through LianLian (代付); LianLian's query and the
 * release of a held payout are the fixed-term payout's own activities, shared by name.
 */
export function createDemandPayoutActivities(deps: ActivityDependencies) {
  const { orm, xjp, lianlian, pii, payoutNotifyUrl } = deps;
  const { queryPayout, confirmPayout } = createPayoutActivities(deps);

  async function record(
    payoutId: string,
    status: PayoutResult | 'PENDING',
    extra: { lianlianBillNo?: string; error?: string } = {},
  ) {
    try {
      await recordDemandPayoutResult(orm.em.fork(), { payoutId, status, ...extra, at: new Date() });
    } catch (err) {
      // The database's last line against paying twice: a person must look, so no retry.
      if (err instanceof SecondDemandPayoutError) throw ApplicationFailure.nonRetryable(err.message, err.code);
      throw err;
    }
  }

  return {
    queryPayout,
    confirmPayout,

    /**
     * Before any payout leaves: the amount must be what XJP settled for the redemption (its answer,
     * asked again now) and what our movement row booked. Answers the refusal, or undefined.
     */
    async checkDemandPayout(input: {
      redemptionId: string;
      amountFen: number;
    }): Promise<DemandPayoutRefusal | undefined> {
      const booked = await findDemandRedemption(orm.em.fork(), input.redemptionId);
      const settled = await callPartner(() => xjp.demand.queryRedemption({ redemptionId: input.redemptionId }));
      const xjpFen = settled.settlesTo === 'PLATFORM' ? settled.amountFen : null;
      const bookedFen = booked?.amountFen ?? null;
      if (xjpFen === input.amountFen && bookedFen === input.amountFen) return undefined;
      return { reason: 'REDEMPTION_MISMATCH', amountFen: input.amountFen, bookedFen, xjpFen };
    },

    /**
     * Applies one payout of the redemption to the member's card. The card is the one on the member's
     * latest purchase order (a member's XJP account opens with a purchase; neither the holding nor the
     * account row keeps a card). Idempotent on `payoutId`; an answer leaving the outcome open is UNKNOWN.
     */
    async applyDemandPayout(input: DemandPayoutAttempt): Promise<{ resultPay: PayoutResult | 'UNKNOWN' }> {
      const em = orm.em.fork();
      const [order] = await listOrdersByMember(em, input.memberId, 1);
      if (order === undefined)
        throw ApplicationFailure.nonRetryable(`member ${input.memberId} has no card on file`, 'DEMAND_NO_PAYOUT_CARD');
      const payout = await createDemandPayout(em, {
        payoutId: input.payoutId,
        redemptionId: input.redemptionId,
        attempt: input.attempt,
        amountFen: input.amountFen,
        at: new Date(),
      });
      const investor = readInvestorPii(order, pii);
      return applyToCard(
        lianlian,
        {
          payoutId: input.payoutId,
          amountFen: payout.amountFen,
          cardNo: investor.bankCardNo,
          accountName: investor.name,
          bankCode: investor.bankCode ?? '',
          info: `小金票活期 ${input.redemptionId} 赎回`,
          notifyUrl: payoutNotifyUrl,
          // Fixed at the attempt's creation so a repeated apply is the same request exactly.
          orderedAt: payout.createdAt,
        },
        (status, extra) => record(input.payoutId, status, extra),
      );
    },

    /** Records where a payout ended. */
    async recordDemandPayoutResult(input: { payoutId: string; resultPay: string }): Promise<void> {
      await record(input.payoutId, reportedResultSchema.parse(input.resultPay));
    },
  };
}

/** The demand payout workflow's activities. */
export type DemandPayoutActivities = ReturnType<typeof createDemandPayoutActivities>;
