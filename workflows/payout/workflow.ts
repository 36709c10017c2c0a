/**
 * Paying a redeemed order out through LianLian (代付), as its own workflow: check the figures, apply,
 * follow the payout to a final answer (notification, or query), then watch for a bank reversal.
 * Never pays twice: an unknown outcome is followed, never replaced; a new payout id is used only once
 * the previous attempt's answer is final. Every dead end waits for an operator with a reason code.
 */
import {
  ActivityFailure,
  allHandlersFinished,
  ApplicationFailure,
  condition,
  proxyActivities,
  setHandler,
  upsertSearchAttributes,
} from '@temporalio/workflow';
import type { PayoutActivities } from '../../activities/payout';
import type { OrderStatus } from '../../src/domain/order-status';
import type { ParkReason } from '../../src/domain/payout-safety';
import { searchAttributes } from '../shared/search-attributes';
import {
  auditOf,
  type OperatorPayoutAction,
  operatorPayoutActionUpdate,
  type PayoutInput,
  type PayoutNotice,
  payoutNotifiedSignal,
  type PayoutResult,
  type PayoutState,
  payoutStateQuery,
  payoutTotalFen,
} from './contract';
import {
  FINAL_RESULTS,
  MAX_MALFORMED_ANSWERS,
  MAX_PAYOUT_QUERIES,
  PAYOUT_QUERY_INTERVAL,
  REVERSAL_WATCH_DAYS,
} from './following';

/** LianLian and database calls: retried while either is down; every call is idempotent on the payout id. */
const act = proxyActivities<PayoutActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '2 minutes' },
});

/** Rounds an order may take (each after the first an operator's decision); then only a manual payout settles it. */
const MAX_PAYOUT_ROUNDS = 20;

/** Park reasons after which no attempt can still pay, so finance may pay by hand. */
const NOTHING_CAN_STILL_PAY: ReadonlySet<ParkReason> = new Set([
  'PAYOUT_FAILED',
  'PAYOUT_REVERSED',
  'PAYOUT_ATTEMPTS_EXHAUSTED',
  'REDEMPTION_MISMATCH',
  'LEDGER_MISMATCH',
]);

type Actor = 'SYSTEM' | 'OPERATOR' | 'PARTNER';

/** Where one round ended: paid (by payout id), or parked, possibly with an attempt still to follow. */
type RoundEnd = { kind: 'PAID'; payoutId: string } | { kind: 'PARKED'; reason: ParkReason; follow?: string };

/** The payout's state, the messages it received and the run's inputs: the one place they live. */
interface Run {
  input: PayoutInput;
  state: PayoutState;
  latest: Map<string, string>;
  reversed: Set<string>;
  queryNow: boolean;
  decision?: OperatorPayoutAction;
}

/** The payout workflow: principal + interest to the investor's card, exactly once. */
export async function payoutWorkflow(input: PayoutInput): Promise<PayoutResult> {
  const run = startRun(input);
  const result = await payOut(run);
  // An operator's update that ended the payout gets its answer before the run closes.
  await condition(allHandlersFinished);
  return result;
}

async function payOut(run: Run): Promise<PayoutResult> {
  const { input } = run;
  await moveTo(run, 'PAYING_OUT', 'PAYOUT_STARTED', 'SYSTEM', {
    principalFen: input.principalFen,
    interestFen: input.interestFen,
    ...(input.serviceFeeFen ? { serviceFeeFen: input.serviceFeeFen } : {}),
    ...(input.penaltyFen ? { penaltyFen: input.penaltyFen } : {}),
    ...(input.reinvestedFen ? { reinvestedFen: input.reinvestedFen } : {}),
  });
  let follow: string | undefined;
  for (let round = 1; round <= MAX_PAYOUT_ROUNDS; round++) {
    let end = await payRound(run, follow);
    if (end.kind === 'PAID') {
      await moveTo(run, 'COMPLETED', 'PAYOUT_SUCCEEDED', 'PARTNER', {
        payoutId: end.payoutId,
        totalFen: run.state.totalFen,
      });
      if (!(await watchForReversal(run, end.payoutId))) {
        return { outcome: 'PAID', payoutId: end.payoutId, attempts: run.state.attempts, totalFen: run.state.totalFen };
      }
      await act.recordPayoutResult({ payoutId: end.payoutId, resultPay: 'CANCEL' });
      end = { kind: 'PARKED', reason: 'PAYOUT_REVERSED' };
    }
    const decision = await park(run, end.reason);
    if (decision.action === 'MARK_PAID_BY_HAND') return paidByHand(run, decision);
    follow = end.follow;
    await moveTo(
      run,
      'PAYING_OUT',
      'OPERATOR_RETRIED_PAYOUT',
      'OPERATOR',
      { ...auditOf(decision), ...(follow ? { follows: follow } : {}) },
      decision.operator,
    );
  }
  // Bounded: past this many rounds something is wrong beyond a retry; finance settles it by hand.
  return paidByHand(run, await park(run, 'PAYOUT_ATTEMPTS_EXHAUSTED'));
}

function startRun(input: PayoutInput): Run {
  const run: Run = {
    input,
    state: {
      orderNo: input.orderNo,
      status: 'MATURED',
      awaiting: 'NOTHING',
      attempts: 0,
      totalFen: payoutTotalFen(input),
    },
    latest: new Map(),
    reversed: new Set(),
    queryNow: false,
  };
  setHandler(payoutStateQuery, () => run.state);
  // Results arriving out of order never move a final result back; a CANCEL is a reversal however SUCCESS was learned.
  setHandler(payoutNotifiedSignal, (notice: PayoutNotice) => {
    if (notice.resultPay === 'CANCEL') run.reversed.add(notice.payoutId);
    if (!FINAL_RESULTS.has(run.latest.get(notice.payoutId) ?? '')) run.latest.set(notice.payoutId, notice.resultPay);
  });
  setHandler(
    operatorPayoutActionUpdate,
    async (action) => {
      if (action.action === 'QUERY_NOW') {
        run.queryNow = true;
        return run.state;
      }
      run.decision = action;
      // Answer once the run has acted on it (the order moved on), so the caller sees the state it led to.
      await condition(() => run.state.status !== 'PAYOUT_FAILED');
      return run.state;
    },
    { validator: (action) => refuseUnlessApplicable(run.state, action) },
  );
  return run;
}

/** Throws WRONG_STATE unless `action` applies to the payout as it stands. */
function refuseUnlessApplicable(state: PayoutState, { action }: OperatorPayoutAction): void {
  const parked = state.awaiting === 'OPERATOR_REVIEW' ? state.parkReason : undefined;
  const applies =
    action === 'QUERY_NOW'
      ? state.awaiting === 'PAYOUT_RESULT'
      : action === 'RETRY'
        ? parked !== undefined && parked !== 'PAYOUT_ATTEMPTS_EXHAUSTED'
        : parked !== undefined && NOTHING_CAN_STILL_PAY.has(parked);
  if (!applies) {
    const now = parked === undefined ? `awaiting ${state.awaiting}` : `parked for ${parked}`;
    throw ApplicationFailure.nonRetryable(
      `payout of ${state.orderNo} is ${state.status}, ${now}: ${action} does not apply`,
      'WRONG_STATE',
    );
  }
}

/**
 * One round: before a new payout leaves, the figures must agree; then apply (or follow `follow`,
 * an attempt whose outcome is not final) and follow it to a final answer.
 */
async function payRound(run: Run, follow: string | undefined): Promise<RoundEnd> {
  const { input, state } = run;
  let payoutId = follow;
  try {
    let known: string;
    if (payoutId === undefined) {
      const refusal = await act.checkPayoutFigures(input);
      if (refusal !== undefined) return { kind: 'PARKED', reason: refusal.reason };
      state.attempts += 1;
      payoutId = `${input.orderNo}P${String(state.attempts).padStart(2, '0')}`;
      state.payoutId = payoutId;
      ({ resultPay: known } = await act.applyPayout({ ...input, payoutId, attempt: state.attempts }));
    } else {
      // Re-sending the same payout is idempotent at LianLian: it answers the existing payout's state.
      ({ resultPay: known } = await act.applyPayout({ ...input, payoutId, attempt: state.attempts }));
    }
    return await followToFinal(run, payoutId, known);
  } catch (err) {
    // A refusal no retry cures (the database refusing a second success, an illegal move): a person decides.
    const type = err instanceof ActivityFailure && err.cause instanceof ApplicationFailure ? err.cause.type : undefined;
    if (type === undefined || type === null) throw err;
    return {
      kind: 'PARKED',
      reason: type === 'SECOND_SUCCESSFUL_PAYOUT' ? type : 'UNEXPECTED_REFUSAL',
      ...(payoutId ? { follow: payoutId } : {}),
    };
  }
}

/** Follows one payout until LianLian's answer is final, by notification or query; a hold is confirmed only when safe. */
async function followToFinal(run: Run, payoutId: string, known: string): Promise<RoundEnd> {
  let result = run.latest.get(payoutId) ?? known;
  let malformed = 0;
  run.state.awaiting = 'PAYOUT_RESULT';
  for (let queries = 0; !FINAL_RESULTS.has(result) && queries < MAX_PAYOUT_QUERIES; queries++) {
    if (result === 'CHECK') {
      // Held as a suspected duplicate: released only when no other attempt of this order can still pay.
      if (await act.anotherAttemptMayPay({ orderNo: run.input.orderNo, payoutId }))
        return { kind: 'PARKED', reason: 'PAYOUT_HELD_AS_DUPLICATE', follow: payoutId };
      await act.confirmPayout({ payoutId });
    }
    const notified = await condition(
      () => FINAL_RESULTS.has(run.latest.get(payoutId) ?? '') || run.queryNow,
      PAYOUT_QUERY_INTERVAL,
    );
    run.queryNow = false;
    const latest = run.latest.get(payoutId);
    if (notified && latest !== undefined && FINAL_RESULTS.has(latest)) {
      result = latest;
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
  run.state.awaiting = 'NOTHING';
  if (!FINAL_RESULTS.has(result)) return { kind: 'PARKED', reason: 'PAYOUT_OUTCOME_UNKNOWN', follow: payoutId };
  await act.recordPayoutResult({ payoutId, resultPay: result });
  if (result === 'SUCCESS') return { kind: 'PAID', payoutId };
  if (result === 'CANCEL') return { kind: 'PARKED', reason: 'PAYOUT_REVERSED' };
  return { kind: 'PARKED', reason: 'PAYOUT_FAILED' };
}

/** Waits out the reversal watch; true when the bank reversed the payout (notified, or found by the daily query). */
async function watchForReversal(run: Run, payoutId: string): Promise<boolean> {
  run.state.awaiting = 'REVERSAL_WATCH';
  for (let day = 0; day < REVERSAL_WATCH_DAYS; day++) {
    if (await condition(() => run.reversed.has(payoutId), '1 day')) return true;
    const answer = await act.queryPayout({ payoutId });
    if (answer.kind === 'ANSWERED' && answer.resultPay === 'CANCEL') return true;
  }
  run.state.awaiting = 'NOTHING';
  return false;
}

/** Parks the order for a person with `reason`, visible in /ops and as search attributes, until an operator decides. */
async function park(run: Run, reason: ParkReason): Promise<OperatorPayoutAction> {
  const { state } = run;
  const detail = { reasonCode: reason, ...(state.payoutId ? { payoutId: state.payoutId } : {}) };
  if (state.status === 'PAYOUT_FAILED') await act.recordAlert({ orderNo: state.orderNo, cause: reason, detail });
  else
    await moveTo(
      run,
      'PAYOUT_FAILED',
      reason,
      reason === 'PAYOUT_REVERSED' || reason === 'PAYOUT_FAILED' ? 'PARTNER' : 'SYSTEM',
      detail,
    );
  state.awaiting = 'OPERATOR_REVIEW';
  state.parkReason = reason;
  upsertSearchAttributes([{ key: searchAttributes.parkReason, value: reason }]);
  await condition(() => run.decision !== undefined);
  const decision = run.decision as OperatorPayoutAction;
  run.decision = undefined;
  state.awaiting = 'NOTHING';
  delete state.parkReason;
  upsertSearchAttributes([{ key: searchAttributes.parkReason, value: null }]);
  return decision;
}

/** Finance paid the investor outside LianLian: the order completes as MANUAL_PAYOUT, with the operator's evidence. */
async function paidByHand(run: Run, decision: OperatorPayoutAction): Promise<PayoutResult> {
  await moveTo(
    run,
    'COMPLETED',
    'MANUAL_PAYOUT',
    'OPERATOR',
    { ...auditOf(decision), totalFen: run.state.totalFen },
    decision.operator,
  );
  return {
    outcome: 'PAID_BY_HAND',
    operator: decision.operator,
    evidenceRef: decision.evidenceRef,
    attempts: run.state.attempts,
    totalFen: run.state.totalFen,
  };
}

async function moveTo(
  run: Run,
  to: OrderStatus,
  cause: string,
  actor: Actor,
  detail: Record<string, unknown>,
  actorRef?: string,
): Promise<void> {
  await act.recordTransition({
    orderNo: run.input.orderNo,
    to,
    cause,
    actor,
    detail,
    ...(actorRef === undefined ? {} : { actorRef }),
  });
  run.state.status = to;
  upsertSearchAttributes([{ key: searchAttributes.status, value: to }]);
}
