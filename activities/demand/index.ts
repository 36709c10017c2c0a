import { ApplicationFailure } from '@temporalio/activity';
import {
  endDemandSubscription,
  ensureDemandHolding,
  findDemandSubscription,
  recordPlacedDemandSubscription,
  postDemandIncome,
  recordDemandMovement,
  type DemandHoldingInput,
} from '../../src/db/repositories/demand';
import { dailyIncomeFen, parseDemandFigure } from '../../src/domain/demand/income';
import type { RedemptionKind } from '../../src/domain/demand/cut-off';
import { PartnerError } from '../../src/partners/errors';
import type { XjpDemandRedemption } from '../../src/partners/xjp';
import type { ActivityDependencies } from '../dependencies';
import { callPartner } from '../partner-failure';

/** Which holding a call is for. */
export interface HoldingRef {
  holdingId: string;
  productCode: string;
  accountNo: string;
}

/** A subscription to send to XJP; `requestedAt` (workflow time, ISO) is what XJP's cut-off applies to. */
export interface DemandSubscribeCall extends HoldingRef {
  subscriptionId: string;
  amountFen: number;
  requestedAt: string;
}

/** What a placed subscription tells the member: where and until when to pay. */
export interface PlacedDemandSubscription {
  subscriptionId: string;
  xjpSubscriptionNo: string;
  amountFen: number;
  requestedAt: string;
  paymentUrl: string;
  payBefore: string;
}

/** A paid subscription to apply at XJP; `paidAt` (workflow time, ISO) is what XJP's cut-off applies to. */
export interface DemandConfirmCall {
  holdingId: string;
  subscriptionId: string;
  paidAt: string;
}

/** How applying a paid subscription ended. */
export type DemandConfirmOutcome =
  | { outcome: 'CONFIRMED'; tradeDate: string; countsFrom: string; amountFen: number }
  | { outcome: 'NOT_PAID'; code: string }
  | { outcome: 'REFUSED'; code: string; paymentBillNo: string; paidAmountFen: number };

/** A redemption to send to XJP. */
export interface DemandRedeemCall extends HoldingRef {
  redemptionId: string;
  amountFen: number;
  kind: RedemptionKind;
  requestedAt: string;
}

/** A day to post: the units that earned on it and the holding's Σ income before it. */
export interface DemandDayCall {
  holdingId: string;
  productCode: string;
  date: string;
  unitsFen: number;
  cumulativeIncomeFen: number;
}

/** The figure a day was posted with and what the holding earned. */
export interface PostedDemandDay {
  incomePer10kFen: string;
  sevenDayYield: string;
  incomeFen: number;
}

/** The side effects of a demand holding's run: XJP's demand calls and the holding's rows. */
export function createDemandActivities({ orm, xjp }: ActivityDependencies) {
  return {
    /** Creates the holding's row; idempotent on its id. */
    async openDemandHolding(input: Omit<DemandHoldingInput, 'at'>): Promise<void> {
      await ensureDemandHolding(orm.em.fork(), { ...input, at: new Date() });
    },

    /**
     * Places a subscription at XJP (idempotent there on subscriptionId), which creates its payment at
     * LianLian, and records it as awaiting payment (idempotent here on it).
     */
    async placeDemandSubscription(call: DemandSubscribeCall): Promise<PlacedDemandSubscription> {
      const { holdingId, ...request } = call;
      const placed = await callPartner(() => xjp.demand.subscribe({ requestId: call.subscriptionId, ...request }));
      // XJP answers a repeated id with the first subscription: one already closed is not placed again.
      if (placed.status !== 'AWAITING_PAYMENT' && placed.status !== 'PAID')
        throw ApplicationFailure.nonRetryable(
          `subscription ${call.subscriptionId} is already ${placed.status}`,
          'DEMAND_DUPLICATE_REQUEST',
        );
      await recordPlacedDemandSubscription(orm.em.fork(), {
        id: call.subscriptionId,
        holdingId,
        amountFen: placed.amountFen,
        xjpSubscriptionNo: placed.xjpSubscriptionNo,
        paymentUrl: placed.cashierUrl,
        requestedAt: new Date(placed.requestedAt),
        payBefore: new Date(placed.payBefore),
        at: new Date(),
      });
      return {
        subscriptionId: placed.subscriptionId,
        xjpSubscriptionNo: placed.xjpSubscriptionNo,
        amountFen: placed.amountFen,
        requestedAt: placed.requestedAt,
        paymentUrl: placed.cashierUrl,
        payBefore: placed.payBefore,
      };
    },

    /**
     * Applies a paid subscription at XJP at `paidAt` (the cut-off's time; idempotent there on the
     * subscription) and records the outcome: CONFIRMED with its dates (a movement row), or REFUSED
     * with XJP's code and the payment to return. NOT_PAID when XJP has no payment for it (a claim
     * it does not confirm): nothing changes.
     */
    async confirmDemandSubscription(call: DemandConfirmCall): Promise<DemandConfirmOutcome> {
      const request = { requestId: `${call.subscriptionId}-confirm`, subscriptionId: call.subscriptionId };
      try {
        const confirmed = await xjp.demand.confirmSubscription({ ...request, paidAt: call.paidAt });
        await recordDemandMovement(orm.em.fork(), {
          id: call.subscriptionId,
          holdingId: call.holdingId,
          kind: 'SUBSCRIPTION',
          amountFen: confirmed.amountFen,
          requestedAt: new Date(confirmed.requestedAt),
          tradeDate: confirmed.tradeDate,
          effectiveDate: confirmed.countsFrom,
          payDate: null,
          xjpReference: confirmed.xjpSubscriptionNo,
          at: new Date(),
        });
        await endDemandSubscription(orm.em.fork(), {
          id: call.subscriptionId,
          status: 'CONFIRMED',
          paidAt: new Date(confirmed.paidAt),
          ...(confirmed.payment === undefined ? {} : { paymentBillNo: confirmed.payment.lianlianBillNo }),
          at: new Date(),
        });
        const { tradeDate, countsFrom, amountFen } = confirmed;
        return { outcome: 'CONFIRMED', tradeDate, countsFrom, amountFen };
      } catch (err) {
        if (!(err instanceof PartnerError) || err.retryable) throw err;
        // XJP's refusal: whether money arrived decides between a claim to drop and a payment to return.
        const subscription = await callPartner(() =>
          xjp.demand.querySubscription({ subscriptionId: call.subscriptionId }),
        );
        if (subscription.payment === undefined) return { outcome: 'NOT_PAID', code: err.code };
        const { lianlianBillNo: paymentBillNo, paidAmountFen } = subscription.payment;
        await endDemandSubscription(orm.em.fork(), {
          id: call.subscriptionId,
          status: 'REFUSED',
          paidAt: new Date(call.paidAt),
          paymentBillNo,
          reasonCode: err.code,
          at: new Date(),
        });
        return { outcome: 'REFUSED', code: err.code, paymentBillNo, paidAmountFen };
      }
    },

    /**
     * Closes an unpaid subscription's window at XJP (idempotent there) and records it EXPIRED; PAID
     * when its payment reached XJP first (the notification was late or lost): the run applies it.
     */
    async expireDemandSubscription(call: { subscriptionId: string }): Promise<{ outcome: 'EXPIRED' | 'PAID' }> {
      const subscription = await callPartner(() =>
        xjp.demand.expireSubscription({
          requestId: `${call.subscriptionId}-expire`,
          subscriptionId: call.subscriptionId,
        }),
      );
      if (subscription.status !== 'EXPIRED') return { outcome: 'PAID' };
      await endDemandSubscription(orm.em.fork(), { id: call.subscriptionId, status: 'EXPIRED', at: new Date() });
      return { outcome: 'EXPIRED' };
    },

    /**
     * A payment for a subscription the run no longer waits for: one that expired is marked
     * PAID_AFTER_EXPIRY and its money is to be returned (answered true, once); any other (a repeat
     * of a payment already applied or refused) changes nothing.
     */
    async recordLateDemandPayment(call: { subscriptionId: string; paymentBillNo: string }): Promise<boolean> {
      const row = await findDemandSubscription(orm.em.fork(), call.subscriptionId);
      if (row === undefined) return false;
      if (row.status === 'PAID_AFTER_EXPIRY') return row.paymentBillNo === call.paymentBillNo;
      return endDemandSubscription(orm.em.fork(), {
        id: call.subscriptionId,
        status: 'PAID_AFTER_EXPIRY',
        paymentBillNo: call.paymentBillNo,
        reasonCode: 'PAID_AFTER_EXPIRY',
        at: new Date(),
      });
    },

    /** Redeems at XJP (idempotent there on redemptionId), which pays the member's card, and records it. */
    async redeemDemand(call: DemandRedeemCall): Promise<XjpDemandRedemption> {
      const { holdingId, ...request } = call;
      const accepted = await callPartner(() => xjp.demand.redeem({ requestId: call.redemptionId, ...request }));
      await recordDemandMovement(orm.em.fork(), {
        id: call.redemptionId,
        holdingId,
        kind: accepted.kind === 'FAST' ? 'FAST_REDEMPTION' : 'STANDARD_REDEMPTION',
        amountFen: accepted.amountFen,
        requestedAt: new Date(accepted.requestedAt),
        tradeDate: accepted.effectiveDate,
        effectiveDate: accepted.effectiveDate,
        payDate: accepted.payDate,
        xjpReference: accepted.xjpRedemptionNo,
        at: new Date(),
      });
      return accepted;
    },

    /**
     * Fetches the day's published figure, computes the day's income (units × figure ÷ 10,000,
     * floored to the fen) and writes the income row and the holding in one transaction;
     * idempotent on (holding, date), so a retry posts nothing twice.
     */
    async postDemandDay(call: DemandDayCall): Promise<PostedDemandDay> {
      const published = await callPartner(() => xjp.demand.figure({ productCode: call.productCode, date: call.date }));
      if (published.date !== call.date)
        throw ApplicationFailure.nonRetryable(`XJP answered the figure of ${published.date}`, 'DEMAND_FIGURE_MISMATCH');
      const figure = parseDemandFigure(published);
      const incomeFen = dailyIncomeFen(call.unitsFen, figure.incomePer10kFen);
      await postDemandIncome(orm.em.fork(), {
        holdingId: call.holdingId,
        date: call.date,
        unitsFen: call.unitsFen,
        incomePer10kFen: figure.incomePer10kFen,
        sevenDayYield: figure.sevenDayYield,
        incomeFen,
        unitsAfterFen: call.unitsFen + incomeFen,
        cumulativeIncomeFen: call.cumulativeIncomeFen + incomeFen,
        at: new Date(),
      });
      return { incomePer10kFen: figure.incomePer10kFen, sevenDayYield: figure.sevenDayYield, incomeFen };
    },
  };
}

/** The demand holding workflow's activities. */
export type DemandActivities = ReturnType<typeof createDemandActivities>;
