import { ApplicationFailure, log } from '@temporalio/activity';
import {
  accruedInterestFen,
  AccrualConflictError,
  ledgerInterestFen,
  listAccruals,
  postAccrual,
} from '../../src/db/repositories/accruals';
import { bookRedemptionEntry, RedemptionEntryConflictError } from '../../src/db/repositories/redemption-entries';
import { upsertRedemption } from '../../src/db/repositories/redemptions';
import { LedgerCorrectionSchema } from '../../src/db/entities/ledger-correction';
import { ledgerDays } from '../../src/domain/interest';
import { parseAnnualRate } from '../../src/domain/rate';
import type { ActivityDependencies } from '../dependencies';
import { callPartner } from '../partner-failure';
import type { SettleAccrualInput } from './order-activities';

/** What an early redemption books, as the workflow computed it from the order's frozen terms. */
export interface SettleEarlyRedemptionInput {
  orderNo: string;
  terms: SettleAccrualInput['terms'];
  /** Accrual stops here: days before it are earned (posted if a night missed them), the rest reversed. */
  redemptionDate: string;
  interestKeptFen: number;
  principalFeeFen: number;
  serviceFeeFen: number;
}

/**
 * A ledger that cannot be brought to the quoted figures: alerted and retried with the ledger's backoff,
 * like the maturity settlement, so the order holds (its money in) until finance has looked.
 */
function ledgerAlert(orderNo: string, message: string, type: string): ApplicationFailure {
  log.error('ledger disagrees with the early redemption', { alert: type, orderNo });
  return ApplicationFailure.retryable(message, type);
}

/** Early redemption at XJP and its books: the settlement, the days earned, the reversal, the fees. */
export function createRedemptionActivities({ orm, xjp }: ActivityDependencies) {
  return {
    /**
     * Redeems the order at XJP before maturity, as of `redemptionDate` (idempotent on our request id),
     * and records XJP's settlement. XJP's refusals (its own lock-in, not offered, matured, already
     * redeemed) are non-retryable failures typed with XJP's code, for the workflow to answer the investor.
     */
    async redeemEarlyAtXjp(input: { orderNo: string; xjpOrderNo: string; redemptionDate: string }) {
      const settled = await callPartner(() =>
        xjp.redeemEarly({
          requestId: `${input.orderNo}-EARLY-REDEEM`,
          xjpOrderNo: input.xjpOrderNo,
          redemptionDate: input.redemptionDate,
        }),
      );
      await upsertRedemption(orm.em.fork(), {
        orderNo: input.orderNo,
        status: 'SETTLED',
        xjpRedemptionId: settled.redemptionId,
        principalFen: settled.principalFen,
        interestFen: settled.interestFen,
        penaltyFen: settled.penaltyFen,
        redemptionDate: settled.redemptionDate,
        at: new Date(),
        settledAt: new Date(settled.settledAt),
      });
      return {
        principalFen: settled.principalFen,
        interestFen: settled.interestFen,
        penaltyFen: settled.penaltyFen,
        totalFen: settled.totalFen,
      };
    },

    /**
     * Brings the ledger to an early redemption's figures without editing a row: posts any day before
     * the redemption date a missed night left out, books the interest not earned as one reversal row
     * (posted interest − interest kept), then the fee on principal and the service fee. Idempotent:
     * every row is unique per order and day or kind. Resolves to the ledger's interest afterwards.
     */
    async settleEarlyRedemption(input: SettleEarlyRedemptionInput): Promise<{ ledgerInterestFen: number }> {
      const { orderNo } = input;
      const days = ledgerDays({ ...input.terms, annualRate: parseAnnualRate(input.terms.annualRate) }).filter(
        (d) => d.date < input.redemptionDate,
      );
      const at = new Date();
      try {
        const present = new Set((await listAccruals(orm.em.fork(), orderNo)).map((a) => a.accrualDate));
        for (const day of days.filter((d) => !present.has(d.date))) {
          await postAccrual(orm.em.fork(), {
            orderNo,
            accrualDate: day.date,
            dayIndex: day.dayNumber,
            amountFen: day.amountFen,
            cumulativeFen: day.cumulativeFen,
            at,
          });
        }
        const em = orm.em.fork();
        const corrections = await em.find(LedgerCorrectionSchema, { order: { orderNo } });
        const postedFen =
          (await accruedInterestFen(em, orderNo)) + corrections.reduce((sum, c) => sum + c.amountFen, 0);
        if (postedFen < input.interestKeptFen) {
          throw ledgerAlert(
            orderNo,
            `ledger of ${orderNo} holds ${postedFen} fen, less than the ${input.interestKeptFen} fen kept`,
            'LEDGER_BELOW_INTEREST_KEPT',
          );
        }
        await bookRedemptionEntry(em, {
          orderNo,
          kind: 'INTEREST_REVERSAL',
          amountFen: input.interestKeptFen - postedFen,
          at,
        });
        await bookRedemptionEntry(em, {
          orderNo,
          kind: 'EARLY_REDEMPTION_PENALTY',
          amountFen: input.principalFeeFen,
          at,
        });
        await bookRedemptionEntry(em, { orderNo, kind: 'SERVICE_FEE', amountFen: input.serviceFeeFen, at });
        return { ledgerInterestFen: await ledgerInterestFen(orm.em.fork(), orderNo) };
      } catch (err) {
        if (err instanceof AccrualConflictError || err instanceof RedemptionEntryConflictError)
          throw ledgerAlert(orderNo, err.message, err.code);
        throw err;
      }
    },

    /** Books the service fee of a redemption at maturity (its own ledger row; 0 books nothing). */
    async bookServiceFee(input: { orderNo: string; serviceFeeFen: number }): Promise<void> {
      try {
        await bookRedemptionEntry(orm.em.fork(), {
          orderNo: input.orderNo,
          kind: 'SERVICE_FEE',
          amountFen: input.serviceFeeFen,
          at: new Date(),
        });
      } catch (err) {
        if (err instanceof RedemptionEntryConflictError) throw ledgerAlert(input.orderNo, err.message, err.code);
        throw err;
      }
    },
  };
}
