/**
 * Paying a demand redemption out (代付): XJP settles it to the platform (fast: at once; standard: on its
 * pay date), and this run pays the member's card through LianLian on the pay date, exactly once. The
 * fixed-term payout's rules, for a redemption instead of an order: the amount must be what XJP settled
 * before anything leaves; a payout is followed to a final answer (notification, or query when none
 * comes); an unknown outcome is followed, never replaced; a new payout id only after a final failure;
 * a paid payout is watched for a bank's reversal; every dead end parks with a reason code until
 * finance retries.
 */
import {
  ActivityFailure,
  allHandlersFinished,
  ApplicationFailure,
  condition,
  log,
  proxyActivities,
  setHandler,
  sleep,
} from '@temporalio/workflow';
import type { DemandPayoutActivities } from '../../activities/demand-payout';
import { shanghaiMidnight } from '../../src/domain/calendar';
import type { ParkReason } from '../../src/domain/payout-safety';
import type { OperatorAudit, PayoutNotice } from '../payout/contract';
import {
  demandPayoutNotifiedSignal,
  demandPayoutRetryUpdate,
  demandPayoutStateQuery,
  type DemandPayoutInput,
  type DemandPayoutResult,
  type DemandPayoutState,
} from './contract';
import {
  FINAL_RESULTS,
  MAX_MALFORMED_ANSWERS,
  MAX_PAYOUT_QUERIES,
  PAYOUT_QUERY_INTERVAL,
  REVERSAL_WATCH_DAYS,
} from '../payout/following';

/** LianLian and database calls: retried while either is down; every call is idempotent on the payout id. */
const act = proxyActivities<DemandPayoutActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '2 minutes' },
});

/** XJP settles a standard redemption to the platform in the pay date's morning; the payout leaves after it. */
const PAYS_AFTER_MIDNIGHT_MS = 9 * 3600 * 1000;
/** Attempts (payout ids) a redemption may take; past them the retry is refused and finance settles by hand. */
const MAX_ATTEMPTS = 20;

/** Where one round ended: paid (by payout id), or parked, possibly with an attempt still to follow. */
type RoundEnd = { kind: 'PAID'; payoutId: string } | { kind: 'PARKED'; reason: ParkReason; follow?: string };

/** The demand payout: what XJP settled for the redemption, to the member's card, once. */
export async function demandPayoutWorkflow(input: DemandPayoutInput): Promise<DemandPayoutResult> {
  const state: DemandPayoutState = {
    redemptionId: input.redemptionId,
    amountFen: input.amountFen,
    payDate: input.payDate,
    awaiting: 'NOTHING',
    attempts: 0,
    paid: false,
  };
  const latest = new Map<string, string>();
  const reversed = new Set<string>();
  let retry: OperatorAudit | undefined;

  setHandler(demandPayoutStateQuery, () => state);
  // Results arriving out of order never move a final result back; a repeat changes nothing.
  setHandler(demandPayoutNotifiedSignal, (notice: PayoutNotice) => {
    if (!FINAL_RESULTS.has(latest.get(notice.payoutId) ?? '')) latest.set(notice.payoutId, notice.resultPay);
    if (notice.resultPay === 'CANCEL') reversed.add(notice.payoutId);
  });
  setHandler(
    demandPayoutRetryUpdate,
    async (audit) => {
      retry = audit;
      await condition(() => state.awaiting !== 'OPERATOR_REVIEW');
      return state;
    },
    { validator: (audit) => refuseUnlessRetriable(state, audit) },
  );

  const payAt = shanghaiMidnight(input.payDate).getTime() + PAYS_AFTER_MIDNIGHT_MS;
  const untilPayAt = payAt - new Date().getTime();
  if (untilPayAt > 0) {
    state.awaiting = 'PAY_DATE';
    await sleep(untilPayAt);
    state.awaiting = 'NOTHING';
  }

  let follow: string | undefined;
  // Bounded: each pass after the first is an operator's retry, which the validator refuses past MAX_ATTEMPTS.
  for (;;) {
    let end = await payRound(follow);
    if (end.kind === 'PAID') {
      state.paid = true;
      if (!(await reversedInWatch(end.payoutId))) {
        await condition(allHandlersFinished);
        return { outcome: 'PAID', payoutId: end.payoutId, attempts: state.attempts, amountFen: input.amountFen };
      }
      // The bank returned the money: the row leaves SUCCESS (so a retry may succeed) and finance decides.
      state.paid = false;
      await act.recordDemandPayoutResult({ payoutId: end.payoutId, resultPay: 'CANCEL' });
      end = { kind: 'PARKED', reason: 'PAYOUT_REVERSED' };
    }
    state.awaiting = 'OPERATOR_REVIEW';
    state.parkReason = end.reason;
    log.warn('demand payout parked for finance', {
      alert: 'DEMAND_PAYOUT_PARKED',
      reasonCode: end.reason,
      redemptionId: input.redemptionId,
      payoutId: state.payoutId,
    });
    await condition(() => retry !== undefined);
    log.info('demand payout retried by finance', { redemptionId: input.redemptionId, ...retry });
    retry = undefined;
    follow = end.follow;
    state.awaiting = 'NOTHING';
    delete state.parkReason;
  }

  /** Waits out the reversal watch; true when the bank reversed the payout (notified, or found by the daily query). */
  async function reversedInWatch(payoutId: string): Promise<boolean> {
    state.awaiting = 'REVERSAL_WATCH';
    try {
      for (let day = 0; day < REVERSAL_WATCH_DAYS; day++) {
        if (await condition(() => reversed.has(payoutId), '1 day')) return true;
        const answer = await act.queryPayout({ payoutId });
        if (answer.kind === 'ANSWERED' && answer.resultPay === 'CANCEL') return true;
      }
      return false;
    } finally {
      state.awaiting = 'NOTHING';
    }
  }

  /** One round: the amount must be what XJP settled; then apply (or follow `followId`) to a final answer. */
  async function payRound(followId: string | undefined): Promise<RoundEnd> {
    let payoutId = followId;
    try {
      if (payoutId === undefined) {
        const refusal = await act.checkDemandPayout({ redemptionId: input.redemptionId, amountFen: input.amountFen });
        if (refusal !== undefined) return { kind: 'PARKED', reason: refusal.reason };
        state.attempts += 1;
        payoutId = `${input.redemptionId}P${String(state.attempts).padStart(2, '0')}`;
        state.payoutId = payoutId;
      }
      // Re-sending the same payout is idempotent at LianLian: it answers the existing payout's state.
      const { resultPay } = await act.applyDemandPayout({
        redemptionId: input.redemptionId,
        memberId: input.memberId,
        payoutId,
        attempt: state.attempts,
        amountFen: input.amountFen,
      });
      return await followToFinal(payoutId, resultPay);
    } catch (err) {
      // A refusal no retry cures (the database refusing a second success, no card on file): a person decides.
      const type =
        err instanceof ActivityFailure && err.cause instanceof ApplicationFailure ? err.cause.type : undefined;
      if (type === undefined || type === null) throw err;
      log.warn('demand payout refused', { redemptionId: input.redemptionId, payoutId, type });
      return {
        kind: 'PARKED',
        reason: type === 'SECOND_SUCCESSFUL_PAYOUT' ? type : 'UNEXPECTED_REFUSAL',
        ...(payoutId ? { follow: payoutId } : {}),
      };
    }
  }

  /** Follows one payout until LianLian's answer is final, by notification or query. */
  async function followToFinal(payoutId: string, known: string): Promise<RoundEnd> {
    let result = latest.get(payoutId) ?? known;
    let malformed = 0;
    state.awaiting = 'PAYOUT_RESULT';
    for (let queries = 0; !FINAL_RESULTS.has(result) && queries < MAX_PAYOUT_QUERIES; queries++) {
      // Held as a suspected duplicate: a new attempt follows only final failures, so no other can still pay.
      if (result === 'CHECK') await act.confirmPayout({ payoutId });
      if (await condition(() => FINAL_RESULTS.has(latest.get(payoutId) ?? ''), PAYOUT_QUERY_INTERVAL)) {
        result = latest.get(payoutId) ?? result;
        continue;
      }
      const answer = await act.queryPayout({ payoutId });
      if (answer.kind === 'MALFORMED') {
        malformed += 1;
        if (malformed >= MAX_MALFORMED_ANSWERS)
          return { kind: 'PARKED', reason: 'MALFORMED_PARTNER_ANSWER', follow: payoutId };
      } else {
        malformed = 0;
        if (answer.kind === 'ANSWERED') result = answer.resultPay;
      }
    }
    state.awaiting = 'NOTHING';
    if (!FINAL_RESULTS.has(result)) return { kind: 'PARKED', reason: 'PAYOUT_OUTCOME_UNKNOWN', follow: payoutId };
    await act.recordDemandPayoutResult({ payoutId, resultPay: result });
    if (result === 'SUCCESS') return { kind: 'PAID', payoutId };
    return { kind: 'PARKED', reason: result === 'CANCEL' ? 'PAYOUT_REVERSED' : 'PAYOUT_FAILED' };
  }
}

/** Throws WRONG_STATE unless the payout is parked and may take another attempt; the audit must be complete. */
function refuseUnlessRetriable(state: DemandPayoutState, audit: OperatorAudit): void {
  for (const field of ['operator', 'reason', 'evidenceRef'] as const)
    if (typeof audit?.[field] !== 'string' || audit[field].trim().length === 0)
      throw ApplicationFailure.nonRetryable(`${field} is required`, 'INVALID_AUDIT');
  const parked = state.awaiting === 'OPERATOR_REVIEW';
  if (!parked || state.attempts >= MAX_ATTEMPTS)
    throw ApplicationFailure.nonRetryable(
      `payout of redemption ${state.redemptionId} is ${parked ? `parked for ${state.parkReason}, attempts used up` : `awaiting ${state.awaiting}`}: a retry does not apply`,
      'WRONG_STATE',
    );
}
