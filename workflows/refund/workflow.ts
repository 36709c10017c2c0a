/**
 * Returning a payment the order cannot keep, through LianLian (退款 to the paying card), as its own
 * workflow: confirm the money arrived, apply, follow the refund to a final answer (notification, or
 * query). Never refunds twice: LianLian is idempotent on the refund id, an unknown outcome is
 * followed under the same id, and a new id is used only after a definite failure. Every dead end
 * waits for finance with a reason code.
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
import type { RefundActivities } from '../../activities/refund';
import { needsApproval, refundId, type RefundStatus } from '../../src/domain/refund';
import { searchAttributes } from '../shared/search-attributes';
import { auditOf } from '../payout/contract';
import {
  type OperatorRefundAction,
  operatorRefundActionUpdate,
  type RefundInput,
  type RefundNotice,
  refundNotifiedSignal,
  type RefundParkReason,
  type RefundResult,
  type RefundState,
  refundStateQuery,
} from './contract';

/** LianLian, XJP and database calls: retried while any is down; every call is idempotent on the refund id. */
const act = proxyActivities<RefundActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '2 minutes' },
});

/** How often to ask LianLian when its notification has not come. */
const REFUND_QUERY_INTERVAL = '10 minutes';
/** Queries before an unknown refund is handed to finance: 7 days of asking every 10 minutes. */
const MAX_REFUND_QUERIES = 7 * 24 * 6;
/** Attempts (each after a definite failure and finance's retry); then only a refund by hand settles it. */
const MAX_REFUND_ATTEMPTS = 10;

type Final = Extract<RefundStatus, 'SUCCESS' | 'FAILURE'>;
const isFinal = (state: string | undefined): state is Final => state === 'SUCCESS' || state === 'FAILURE';

/** Where one attempt ended: refunded, or parked (with the attempt to follow when its outcome is open). */
type AttemptEnd = { kind: 'REFUNDED' } | { kind: 'PARKED'; reason: RefundParkReason; follow: boolean };

interface Run {
  input: RefundInput;
  state: RefundState;
  latest: Map<string, string>;
  queryNow: boolean;
  decision?: OperatorRefundAction;
}

/** The refund workflow: the payment's money back to the card it came from, exactly once. */
export async function refundWorkflow(input: RefundInput): Promise<RefundResult> {
  const run = startRun(input);
  const result = await refund(run);
  // An operator's update that ended the refund gets its answer before the run closes.
  await condition(allHandlersFinished);
  return result;
}

async function refund(run: Run): Promise<RefundResult> {
  const { input, state } = run;
  state.attempts = 1;
  state.refundId = refundId(input.paymentBillNo, 1);
  if (needsApproval(input.cause)) {
    await act.openRefund({ ...current(run), status: 'AWAITING_APPROVAL' });
    state.status = 'AWAITING_APPROVAL';
    const decision = await park(run, 'REFUND_APPROVAL_NEEDED');
    if (decision.action === 'MARK_REFUNDED_BY_HAND') return refundedByHand(run, decision);
    await act.recordRefundAudit({ ...current(run), ...auditOf(decision), event: 'REFUND_APPROVED' });
    state.status = 'PENDING';
  }
  for (;;) {
    const end = await attempt(run);
    if (end.kind === 'REFUNDED') {
      return { outcome: 'REFUNDED', refundId: state.refundId, attempts: state.attempts, amountFen: input.amountFen };
    }
    const decision = await park(run, end.reason);
    if (decision.action === 'MARK_REFUNDED_BY_HAND') return refundedByHand(run, decision);
    await act.recordRefundAudit({ ...current(run), ...auditOf(decision), event: 'REFUND_RETRIED' });
    if (!end.follow) {
      if (state.attempts >= MAX_REFUND_ATTEMPTS)
        return refundedByHand(run, await park(run, 'REFUND_ATTEMPTS_EXHAUSTED'));
      state.attempts += 1;
      state.refundId = refundId(input.paymentBillNo, state.attempts);
    }
  }
}

function startRun(input: RefundInput): Run {
  const run: Run = {
    input,
    state: {
      paymentBillNo: input.paymentBillNo,
      orderNo: input.orderNo,
      amountFen: input.amountFen,
      cause: input.cause,
      status: 'PENDING',
      awaiting: 'NOTHING',
      attempts: 0,
    },
    latest: new Map(),
    queryNow: false,
  };
  setHandler(refundStateQuery, () => run.state);
  // A final answer is never moved back by a late or reordered one.
  setHandler(refundNotifiedSignal, (notice: RefundNotice) => {
    if (!isFinal(run.latest.get(notice.refundId))) run.latest.set(notice.refundId, notice.state);
  });
  setHandler(
    operatorRefundActionUpdate,
    async (action) => {
      if (action.action === 'QUERY_NOW') {
        run.queryNow = true;
        return run.state;
      }
      run.decision = action;
      // Answer once the run has taken the decision up, so the caller sees the state it led to.
      await condition(() => run.decision === undefined);
      return run.state;
    },
    { validator: (action) => refuseUnlessApplicable(run.state, action) },
  );
  return run;
}

/** Throws WRONG_STATE unless `action` applies to the refund as it stands. */
function refuseUnlessApplicable(state: RefundState, { action }: OperatorRefundAction): void {
  const parked = state.awaiting === 'OPERATOR_REVIEW' ? state.parkReason : undefined;
  const applies = {
    QUERY_NOW: state.awaiting === 'REFUND_RESULT',
    APPROVE: parked === 'REFUND_APPROVAL_NEEDED',
    RETRY: parked !== undefined && parked !== 'REFUND_APPROVAL_NEEDED' && parked !== 'REFUND_ATTEMPTS_EXHAUSTED',
    // By hand only when no attempt can still return the money: never beside an open outcome.
    MARK_REFUNDED_BY_HAND: parked !== undefined && parked !== 'REFUND_OUTCOME_UNKNOWN',
  }[action];
  if (!applies) {
    const now = parked === undefined ? `awaiting ${state.awaiting}` : `parked for ${parked}`;
    throw ApplicationFailure.nonRetryable(
      `refund of bill ${state.paymentBillNo} is ${state.status}, ${now}: ${action} does not apply`,
      'WRONG_STATE',
    );
  }
}

/** One attempt: the money confirmed as arrived and not yet returned, then apply (or re-apply: idempotent) and follow. */
async function attempt(run: Run): Promise<AttemptEnd> {
  const { state } = run;
  const id = state.refundId as string;
  try {
    const refusal = await act.checkRefundable(current(run));
    if (refusal !== undefined) return { kind: 'PARKED', reason: 'REFUND_NOT_CONFIRMED', follow: false };
    const applied = await act.applyRefund(current(run));
    if (applied.state === 'REFUSED') return { kind: 'PARKED', reason: 'REFUND_REFUSED', follow: false };
    state.status = applied.state === 'UNKNOWN' ? 'PENDING' : applied.state;
    return await followToFinal(run, id, applied.state);
  } catch (err) {
    // A refusal no retry cures (the database refusing a second success): a person decides; the attempt stays open.
    const type = err instanceof ActivityFailure && err.cause instanceof ApplicationFailure ? err.cause.type : undefined;
    if (type === undefined || type === null) throw err;
    return { kind: 'PARKED', reason: 'REFUND_OUTCOME_UNKNOWN', follow: true };
  }
}

/** Follows one refund until LianLian's answer is final, by notification or query. */
async function followToFinal(run: Run, id: string, known: string): Promise<AttemptEnd> {
  let result = run.latest.get(id) ?? known;
  run.state.awaiting = 'REFUND_RESULT';
  upsertSearchAttributes([{ key: searchAttributes.awaiting, value: 'REFUND_RESULT' }]);
  for (let queries = 0; !isFinal(result) && queries < MAX_REFUND_QUERIES; queries++) {
    const notified = await condition(() => isFinal(run.latest.get(id)) || run.queryNow, REFUND_QUERY_INTERVAL);
    run.queryNow = false;
    const latest = run.latest.get(id);
    if (notified && isFinal(latest)) {
      result = latest;
      continue;
    }
    const answer = await act.queryRefund({ refundId: id });
    if (answer.kind === 'ANSWERED') result = answer.state;
    // LianLian never took the application (it was lost on the way): sending it again is safe, the id is the key.
    if (answer.kind === 'NOT_FOUND') {
      const applied = await act.applyRefund(current(run));
      if (applied.state === 'REFUSED') return { kind: 'PARKED', reason: 'REFUND_REFUSED', follow: false };
      if (applied.state !== 'UNKNOWN') result = applied.state;
    }
  }
  run.state.awaiting = 'NOTHING';
  if (!isFinal(result)) return { kind: 'PARKED', reason: 'REFUND_OUTCOME_UNKNOWN', follow: true };
  await act.recordRefundResult({ ...current(run), state: result });
  run.state.status = result;
  return result === 'SUCCESS' ? { kind: 'REFUNDED' } : { kind: 'PARKED', reason: 'REFUND_FAILED', follow: false };
}

/** Parks the refund for finance with `reason`, visible in /ops and as search attributes, until someone decides. */
async function park(run: Run, reason: RefundParkReason): Promise<OperatorRefundAction> {
  const { state } = run;
  await act.recordRefundAlert({ ...current(run), reason });
  state.awaiting = 'OPERATOR_REVIEW';
  state.parkReason = reason;
  upsertSearchAttributes([
    { key: searchAttributes.awaiting, value: 'OPERATOR_REVIEW' },
    { key: searchAttributes.parkReason, value: reason },
  ]);
  await condition(() => run.decision !== undefined);
  const decision = run.decision as OperatorRefundAction;
  state.awaiting = 'NOTHING';
  delete state.parkReason;
  upsertSearchAttributes([
    { key: searchAttributes.awaiting, value: 'NOTHING' },
    { key: searchAttributes.parkReason, value: null },
  ]);
  run.decision = undefined;
  return decision;
}

/** Finance returned the money outside LianLian: recorded with the operator's evidence. */
async function refundedByHand(run: Run, decision: OperatorRefundAction): Promise<RefundResult> {
  const { input, state } = run;
  // An attempt LianLian answered keeps its answer; the money returned by hand is a row of its own.
  if (state.status !== 'AWAITING_APPROVAL') {
    state.attempts += 1;
    state.refundId = refundId(input.paymentBillNo, state.attempts);
  }
  await act.recordRefundResult({ ...current(run), ...auditOf(decision), state: 'REFUNDED_BY_HAND' });
  state.status = 'REFUNDED_BY_HAND';
  return {
    outcome: 'REFUNDED_BY_HAND',
    operator: decision.operator,
    evidenceRef: decision.evidenceRef,
    attempts: state.attempts,
    amountFen: input.amountFen,
  };
}

/** The refund attempt the run is on, as the activities take it. */
function current(run: Run) {
  return { ...run.input, refundId: run.state.refundId as string, attempt: run.state.attempts };
}
