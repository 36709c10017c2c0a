import { ApplicationFailure } from '@temporalio/activity';
import {
  ensureDemandHolding,
  postDemandIncome,
  recordDemandMovement,
  type DemandHoldingInput,
} from '../../src/db/repositories/demand';
import { dailyIncomeFen, parseDemandFigure } from '../../src/domain/demand/income';
import type { RedemptionKind } from '../../src/domain/demand/cut-off';
import type { XjpDemandRedemption, XjpDemandSubscription } from '../../src/partners/xjp';
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

    /** Subscribes at XJP (idempotent there on subscriptionId) and records the confirmation (idempotent here on it). */
    async subscribeDemand(call: DemandSubscribeCall): Promise<XjpDemandSubscription> {
      const { holdingId, ...request } = call;
      const confirmed = await callPartner(() => xjp.demand.subscribe({ requestId: call.subscriptionId, ...request }));
      await recordDemandMovement(orm.em.fork(), {
        id: call.subscriptionId,
        holdingId,
        kind: 'SUBSCRIPTION',
        amountFen: confirmed.amountFen,
        requestedAt: new Date(confirmed.requestedAt),
        tradeDate: confirmed.tradeDate,
        effectiveDate: confirmed.countsFrom,
        payDate: null,
        xjpReference: confirmed.xjpSubscriptionNo,
        at: new Date(),
      });
      return confirmed;
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
