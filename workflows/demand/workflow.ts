import {
  ActivityFailure,
  allHandlersFinished,
  ApplicationFailure,
  condition,
  continueAsNew,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';
import { addDays, shanghaiDate, shanghaiMidnight } from '../../src/domain/calendar';
import { redemptionDates } from '../../src/domain/demand/cut-off';
import { earningUnitsOn, postIncomeDay } from '../../src/domain/demand/holding-ledger';
import { activities } from './activity-options';
import {
  demandHoldingQuery,
  demandPaymentNotifiedSignal,
  demandRedeemUpdate,
  demandSubscribeUpdate,
  demandWorkflowId,
  type DemandHoldingInput,
  type DemandHoldingState,
  type DemandRedemptionAnswer,
  type DemandSubscriptionAnswer,
} from './contract';
import { LiveHolding } from './ledger-state';
import { startPayout } from './payout';
import { nextWindowEnd, settlePayments } from './payment';

/** XJP publishes a day's figure shortly after Shanghai midnight; ask ten minutes in. */
const FIGURE_PUBLISHED_AFTER_MS = 10 * 60 * 1000;
/** A run continues as new after this many posted days, so its history stays a few hundred events. */
const DAYS_PER_RUN = 30;
/** Or earlier, should requests make a run's history long (the server's limit is 51,200 events). */
const MAX_EVENTS_PER_RUN = 2_000;

/** The partner's refusal code inside an activity failure, so the member sees XJP's reason. */
function partnerRefusal(err: unknown): never {
  if (err instanceof ActivityFailure && err.cause instanceof ApplicationFailure)
    throw ApplicationFailure.nonRetryable(err.cause.message, err.cause.type ?? 'DEMAND_PARTNER_REFUSED');
  throw err;
}

/**
 * One member's holding of one demand product (活期), for as long as it exists: Updates bring money
 * in and out (validated against the live books before anything enters history; money in is paid at
 * LianLian's cashier and counts once XJP's payment notification is taken up), and each ended
 * Shanghai day is posted once XJP's figure is out — income = earning units × the figure, floored
 * to the fen, reinvested. Every DAYS_PER_RUN days the run continues as new with its ledger.
 */
export async function demandHoldingWorkflow(input: DemandHoldingInput): Promise<void> {
  const holdingId = demandWorkflowId(input.memberId, input.productCode);
  const ref = { holdingId, productCode: input.productCode, accountNo: input.accountNo };
  const firstDay = shanghaiDate(new Date());
  const live = new LiveHolding(
    input.carried?.ledger ?? {
      unitsFen: 0,
      cumulativeIncomeFen: 0,
      lastIncomeDate: addDays(firstDay, -1),
      subscriptions: [],
      redemptions: [],
    },
    input.carried?.fastRedeemed ?? { date: firstDay, amountFen: 0 },
    input.terms,
    input.carried?.awaiting ?? [],
  );
  let daysPosted = 0;
  // The holding's row exists before any movement row refers to it (the first Update arrives with the start).
  let opened = input.carried !== undefined;

  setHandler(
    demandSubscribeUpdate,
    async (request): Promise<DemandSubscriptionAnswer> => {
      live.checkSubscription(request);
      live.requestIds.add(request.subscriptionId);
      live.incomingFen += request.amountFen;
      try {
        await condition(() => opened);
        const placed = await activities
          .placeDemandSubscription({ ...ref, ...request, requestedAt: new Date().toISOString() })
          .catch(partnerRefusal);
        // The window is the run's to close: XJP's end of it, on the run's clock.
        live.awaiting.push({
          id: request.subscriptionId,
          xjpSubscriptionNo: placed.xjpSubscriptionNo,
          amountFen: placed.amountFen,
          payBefore: placed.payBefore,
        });
        return { ...placed, status: 'AWAITING_PAYMENT' };
      } finally {
        live.incomingFen -= request.amountFen;
      }
    },
    { validator: (request) => live.checkSubscription(request) },
  );

  setHandler(
    demandRedeemUpdate,
    async (request): Promise<DemandRedemptionAnswer> => {
      const now = new Date();
      live.checkRedemption(request, now);
      live.requestIds.add(request.redemptionId);
      // Reserved at once by the engine's own cut-off rule; XJP's dates replace it when it answers.
      const reserved = {
        id: request.redemptionId,
        amountFen: request.amountFen,
        ...redemptionDates(request.kind, now),
      };
      live.ledger.redemptions.push(reserved);
      const today = shanghaiDate(now);
      if (request.kind === 'FAST')
        live.fastRedeemed = { date: today, amountFen: live.fastToday(today) + request.amountFen };
      let accepted: Awaited<ReturnType<typeof activities.redeemDemand>>;
      try {
        await condition(() => opened);
        accepted = await activities
          .redeemDemand({ ...ref, ...request, requestedAt: now.toISOString() })
          .catch(partnerRefusal);
      } catch (err) {
        live.ledger.redemptions = live.ledger.redemptions.filter((r) => r !== reserved);
        if (request.kind === 'FAST')
          live.fastRedeemed = { date: today, amountFen: live.fastToday(today) - request.amountFen };
        throw err;
      }
      reserved.effectiveDate = accepted.effectiveDate;
      // XJP settles it to the platform; the member's card is paid by the redemption's own payout run.
      await startPayout({
        redemptionId: request.redemptionId,
        holdingId,
        memberId: input.memberId,
        kind: accepted.kind,
        amountFen: accepted.amountFen,
        payDate: accepted.payDate,
      });
      const { redemptionId, xjpRedemptionNo, amountFen, kind, requestedAt, effectiveDate, payDate, status } = accepted;
      return { redemptionId, xjpRedemptionNo, amountFen, kind, requestedAt, effectiveDate, payDate, status };
    },
    { validator: (request) => live.checkRedemption(request, new Date()) },
  );

  setHandler(demandPaymentNotifiedSignal, (notice) => {
    live.notices.push(notice);
  });

  setHandler(demandHoldingQuery, (): DemandHoldingState => {
    const now = new Date();
    const today = shanghaiDate(now);
    return {
      memberId: input.memberId,
      productCode: input.productCode,
      unitsFen: earningUnitsOn(live.ledger, today),
      availableFen: live.available(now),
      cumulativeIncomeFen: live.ledger.cumulativeIncomeFen,
      lastIncomeDate: live.ledger.lastIncomeDate,
      daysPostedThisRun: daysPosted,
      pendingSubscriptions: live.ledger.subscriptions,
      pendingRedemptions: live.ledger.redemptions,
      awaitingPayment: live.awaiting,
      fastRedeemedTodayFen: live.fastToday(today),
    };
  });

  if (input.carried === undefined)
    await activities.openDemandHolding({
      id: holdingId,
      memberId: input.memberId,
      productCode: input.productCode,
      accountNo: input.accountNo,
    });
  opened = true;

  // Bounded by the continue-as-new below: a run posts at most DAYS_PER_RUN days.
  while (daysPosted < DAYS_PER_RUN && workflowInfo().historyLength < MAX_EVENTS_PER_RUN) {
    await settlePayments(live, holdingId);
    const day = addDays(live.ledger.lastIncomeDate, 1);
    const due = shanghaiMidnight(addDays(day, 1)).getTime() + FIGURE_PUBLISHED_AFTER_MS;
    const now = new Date().getTime();
    if (due > now) {
      // Woken by a payment notice, the end of a payment window (one placed meanwhile may end first), or the day's figure.
      const wakeAt = Math.min(due, nextWindowEnd(live));
      const summary = wakeAt < due ? 'payment notice or window end' : `figure of ${day}`;
      await condition(() => live.notices.length > 0 || nextWindowEnd(live) < wakeAt, Math.max(wakeAt - now, 1), {
        summary,
      });
      continue;
    }
    await postDay(day);
    daysPosted += 1;
  }
  // Requests and payment notices that arrived meanwhile are taken up first; windows still open go on in the next run.
  do {
    await condition(allHandlersFinished);
    await settlePayments(live, holdingId);
  } while (!allHandlersFinished() || live.notices.length > 0);
  await continueAsNew<typeof demandHoldingWorkflow>({
    ...input,
    carried: { ledger: live.ledger, fastRedeemed: live.fastRedeemed, awaiting: live.awaiting },
  });

  /**
   * Posts `day` (already ended): the units that earned on it cannot change any more (every new
   * request takes effect today or later), so they are read before the activity and the live ledger
   * (with any request added meanwhile) is folded after it with the figure it returns. A day nothing earned writes no row.
   */
  async function postDay(day: string): Promise<void> {
    const before = live.ledger;
    const unitsFen = earningUnitsOn(before, day);
    if (unitsFen === 0) {
      live.ledger = postIncomeDay(before, day, '0').ledger;
      return;
    }
    const posted = await activities.postDemandDay({
      holdingId,
      productCode: input.productCode,
      date: day,
      unitsFen,
      cumulativeIncomeFen: before.cumulativeIncomeFen,
    });
    const after = postIncomeDay(live.ledger, day, posted.incomePer10kFen);
    if (after.day.incomeFen !== posted.incomeFen)
      throw ApplicationFailure.nonRetryable(`income of ${day} computed twice differently`, 'DEMAND_LEDGER_MISMATCH');
    // Assigned in the same synchronous step as the fold, so no handler can add a request in between.
    live.ledger = after.ledger;
  }
}
