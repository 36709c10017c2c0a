/**
 * Paying a matured order out through LianLian (代付), as part of the purchase workflow:
 * apply, wait for the result notification (query as the fallback), complete, and keep watching
 * for a bank reversal. A failure waits for an operator's retry: never dropped, never paid twice.
 */
import { condition, patched, proxyActivities, setHandler } from '@temporalio/workflow';
import type { PayoutActivities } from '../../activities/payout';
import type { TransitionRequest } from '../../activities/purchase/order-activities';
import type { OrderStatus } from '../../src/domain/order-status';
import { operatorRetryPayoutSignal, type PayoutAwaiting, type PayoutNotice, payoutNotifiedSignal, type PayoutProgress } from './contract';

/** LianLian calls: retried while LianLian is down; the payout id makes a retried apply a no-op. */
const lianlian = proxyActivities<PayoutActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '2 minutes' },
});

/** How often to ask LianLian when its notification has not come. */
const PAYOUT_QUERY_INTERVAL = '10 minutes';
/** Queries before an unknown payout is handed to an operator: 7 days of asking every 10 minutes. */
const MAX_PAYOUT_QUERIES = 7 * 24 * 6;
/** How long after success a bank reversal (CANCEL) is still watched for. */
const REVERSAL_WATCH = '30 days';
/** The same watch in days: LianLian is asked once a day, in case the CANCEL notification is lost. */
const REVERSAL_WATCH_DAYS = 30;
/** Rounds an order may take (a new payout, or following an UNKNOWN one); each after the first is an operator's decision. */
const MAX_PAYOUT_ATTEMPTS = 20;

const FINAL_RESULTS = new Set(['SUCCESS', 'FAILURE', 'CLOSED', 'CANCEL']);

/**
 * A CANCEL is a reversal even when its SUCCESS was learned by query rather than by notification
 * (before this patch such a reversal went unseen and the order stayed COMPLETED).
 */
const PATCH_CANCEL_ALWAYS_REVERSES = 'payout-cancel-always-reverses';
/**
 * An operator's retry after an UNKNOWN result follows the same payout first (it may still pay),
 * instead of paying again under a new id (before this patch: a possible double payment).
 */
const PATCH_RETRY_FOLLOWS_UNKNOWN = 'payout-retry-follows-unknown';
/**
 * Only a retry requested while the order waits for one starts an attempt (before this patch a
 * duplicate retry signal, e.g. a double click, was banked and re-paid after the next failure unasked).
 */
const PATCH_RETRY_AFTER_PARKING = 'payout-retry-after-parking';
/** The reversal watch also queries LianLian daily (before this patch a lost CANCEL notification went unseen). */
const PATCH_REVERSAL_QUERIED = 'payout-reversal-queried-daily';

/** Payout results and operator retries as they arrive by signal. */
export interface PayoutInbox {
  latest: Map<string, string>;
  reversed: Set<string>;
  retriesRequested: number;
  lastRetryBy?: string;
}

/** Registers the payout signals; results arriving out of order never move a final result back. */
export function registerPayoutInbox(): PayoutInbox {
  const inbox: PayoutInbox = { latest: new Map(), reversed: new Set(), retriesRequested: 0 };
  setHandler(payoutNotifiedSignal, (notice: PayoutNotice) => {
    const current = inbox.latest.get(notice.payoutId);
    if (notice.resultPay === 'CANCEL' && (current === 'SUCCESS' || patched(PATCH_CANCEL_ALWAYS_REVERSES))) inbox.reversed.add(notice.payoutId);
    if (current === undefined || !FINAL_RESULTS.has(current)) inbox.latest.set(notice.payoutId, notice.resultPay);
  });
  setHandler(operatorRetryPayoutSignal, ({ operator }) => {
    inbox.retriesRequested += 1;
    inbox.lastRetryBy = operator;
  });
  return inbox;
}

interface PayoutContext {
  orderNo: string;
  amountFen: number;
  state: PayoutProgress;
  inbox: PayoutInbox;
  moveTo(to: OrderStatus, cause: string, actor: TransitionRequest['actor'], extra?: Pick<TransitionRequest, 'actorRef' | 'reasonCode' | 'detail'>): Promise<void>;
  waitingFor(awaiting: PayoutAwaiting): void;
}

/** Pays out until COMPLETED (and no reversal within the watch), each failure waiting for an operator. */
export async function payOutUntilCompleted(ctx: PayoutContext): Promise<void> {
  const { orderNo, state, inbox } = ctx;
  let attempt = 0;
  let payoutId = '';
  let lastResult: string | undefined;
  for (let round = 1; round <= MAX_PAYOUT_ATTEMPTS; round++) {
    // After UNKNOWN the old payout may still pay: follow it rather than risk paying twice.
    const follow = lastResult === 'UNKNOWN' && patched(PATCH_RETRY_FOLLOWS_UNKNOWN);
    if (!follow) {
      attempt += 1;
      payoutId = `${orderNo}P${String(attempt).padStart(2, '0')}`;
    }
    state.payoutId = payoutId;
    state.payoutAttempts = attempt;
    const detail = { payoutId, amountFen: ctx.amountFen, ...(follow ? { followsUnknownPayout: true } : {}) };
    if (round === 1) await ctx.moveTo('PAYING_OUT', 'PAYOUT_STARTED', 'SYSTEM', { detail });
    else await ctx.moveTo('PAYING_OUT', 'OPERATOR_RETRIED_PAYOUT', 'OPERATOR', { actorRef: inbox.lastRetryBy ?? 'unknown', detail });
    const result = await awaitResult(ctx, payoutId, attempt, follow);
    lastResult = result;
    if (result === 'SUCCESS') {
      await lianlian.completeOrder({ orderNo, payoutId, paidAmountFen: ctx.amountFen });
      await ctx.moveTo('COMPLETED', 'PAYOUT_SUCCEEDED', 'PARTNER', { detail });
      ctx.waitingFor('NOTHING');
      const reversed = await watchForReversal(inbox, payoutId);
      if (!reversed) return;
      await lianlian.recordPayoutResult({ orderNo, payoutId, resultPay: 'CANCEL' });
      await ctx.moveTo('PAYOUT_FAILED', 'PAYOUT_REVERSED', 'PARTNER', { detail });
      lastResult = 'CANCEL';
    } else {
      await ctx.moveTo('PAYOUT_FAILED', `PAYOUT_${result}`, 'PARTNER', { detail });
    }
    const retriesBefore = patched(PATCH_RETRY_AFTER_PARKING) ? inbox.retriesRequested + 1 : round;
    ctx.waitingFor('OPERATOR_RETRY');
    await condition(() => inbox.retriesRequested >= retriesBefore);
  }
  throw new Error(`order ${orderNo} exceeded ${MAX_PAYOUT_ATTEMPTS} payout attempts`);
}

/** Waits out the reversal watch; true when the bank reversed the payout (notified, or found by the daily query). */
async function watchForReversal(inbox: PayoutInbox, payoutId: string): Promise<boolean> {
  if (!patched(PATCH_REVERSAL_QUERIED)) return condition(() => inbox.reversed.has(payoutId), REVERSAL_WATCH);
  for (let day = 0; day < REVERSAL_WATCH_DAYS; day++) {
    if (await condition(() => inbox.reversed.has(payoutId), '1 day')) return true;
    if ((await lianlian.queryPayout({ payoutId })).resultPay === 'CANCEL') return true;
  }
  return false;
}

/**
 * Applies one payout (or, with `follow`, asks after one already applied) and follows it to a final
 * result, by notification or, failing that, by query.
 */
async function awaitResult(ctx: PayoutContext, payoutId: string, attempt: number, follow: boolean): Promise<string> {
  const { inbox } = ctx;
  const known = follow
    ? inbox.latest.get(payoutId) ?? (await lianlian.queryPayout({ payoutId })).resultPay
    : (await lianlian.applyPayout({ orderNo: ctx.orderNo, payoutId, attempt, amountFen: ctx.amountFen })).resultPay;
  let result = inbox.latest.get(payoutId) ?? known;
  ctx.waitingFor('PAYOUT_RESULT');
  for (let queries = 0; !FINAL_RESULTS.has(result) && queries < MAX_PAYOUT_QUERIES; queries++) {
    if (result === 'CHECK') {
      // Held as a suspected duplicate: each payout id is a distinct order of ours, so we confirm it.
      await lianlian.confirmPayout({ payoutId });
    }
    const notified = await condition(() => FINAL_RESULTS.has(inbox.latest.get(payoutId) ?? ''), PAYOUT_QUERY_INTERVAL);
    result = notified ? (inbox.latest.get(payoutId) ?? result) : (await lianlian.queryPayout({ payoutId })).resultPay;
  }
  await lianlian.recordPayoutResult({ orderNo: ctx.orderNo, payoutId, resultPay: result });
  return FINAL_RESULTS.has(result) ? result : 'UNKNOWN';
}
