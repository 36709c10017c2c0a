/**
 * The purchase lifecycle of one 小金票 order, top to bottom as docs/domain.md#the-purchase-flow tells it:
 * validate → XJP account → subscribe → wait for payment → accrue daily → mature → redeem → pay out.
 * Deterministic: every side effect is an activity; `new Date()` here is workflow time.
 */
import {
  ActivityFailure,
  ApplicationFailure,
  condition,
  continueAsNew,
  patched,
  proxyActivities,
  setHandler,
  sleep,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { PurchaseActivities } from '../../activities/purchase';
import type { TransitionRequest } from '../../activities/purchase/order-activities';
import { assertTransition, type OrderStatus } from '../../src/domain/order-status';
import { addDays, daysBetween, interestStartDate, shanghaiMidnight } from '../../src/domain/calendar';
import { agreedInterestForDays, buildAccrualSchedule, interestForDays } from '../../src/domain/interest';
import { parseAnnualRate } from '../../src/domain/rate';
import {
  type AccrualProgress,
  type Awaiting,
  cancelRequestedSignal,
  type MismatchDecision,
  operatorMismatchDecisionSignal,
  type OrderTerms,
  type PaymentNotice,
  paymentNotifiedSignal,
  type PurchaseContinuation,
  type PurchaseInput,
  type PurchaseState,
  purchaseStateQuery,
  searchAttributes,
  withdrawRequestedSignal,
} from './contract';
import { payOutUntilCompleted, type PayoutInbox, registerPayoutInbox } from '../payout/workflow';

/** Partner calls: retried with backoff while the partner is down; idempotent on our request ids. */
const partner = proxyActivities<PurchaseActivities>({
  startToCloseTimeout: '30 seconds',
  // A partner outage longer than this ends the order (REJECTED) rather than leaving it hanging unseen.
  scheduleToCloseTimeout: '30 minutes',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '2 minutes' },
});

/** Ledger writes: PostgreSQL only, so quick; retried until the database answers. */
const ledger = proxyActivities<PurchaseActivities>({
  startToCloseTimeout: '15 seconds',
  retry: { initialInterval: '500 milliseconds', backoffCoefficient: 2, maximumInterval: '1 minute' },
});

/**
 * Redemption at maturity: retried until XJP answers. The investor's money is already in, so an
 * outage only delays the payout; a time budget here would fail the whole workflow instead.
 */
const redemption = proxyActivities<PurchaseActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '2 minutes' },
});

type Actor = TransitionRequest['actor'];

/** Continue-as-new past this many events so a 365-day accrual never builds a huge history. */
export const HISTORY_EVENTS_LIMIT = 1500;

/** The purchase workflow. `continuation` is set when an accrual run continues as new. */
export async function purchaseWorkflow(input: PurchaseInput, continuation?: PurchaseContinuation): Promise<PurchaseState> {
  const state: PurchaseState = {
    orderNo: input.orderNo,
    status: continuation ? 'ACCRUING' : 'CREATED',
    awaiting: 'NOTHING',
    amountFen: input.amountFen,
    accruedInterestFen: continuation?.accrual.accruedInterestFen ?? 0,
    payoutAttempts: 0,
    xjpOrderNo: continuation?.xjpOrderNo,
    expectedInterestFen: continuation?.accrual.maturityInterestFen,
    interestStartDate: continuation?.accrual.interestStartDate,
    maturityDate: continuation?.accrual.maturityDate,
  };
  let payment: PaymentNotice | undefined;
  let cancelRequested = false;
  let withdrawRequested = false;
  let mismatchDecision: MismatchDecision | undefined;
  setHandler(purchaseStateQuery, () => state);
  // The first notification wins; duplicates are already filtered by the API's inbox, this guards the rest.
  setHandler(paymentNotifiedSignal, (notice) => void (payment ??= notice));
  setHandler(cancelRequestedSignal, () => void (cancelRequested = true));
  setHandler(withdrawRequestedSignal, () => void (withdrawRequested = true));
  setHandler(operatorMismatchDecisionSignal, (decision) => void (mismatchDecision ??= decision));
  const payouts: PayoutInbox = registerPayoutInbox();

  async function moveTo(to: OrderStatus, cause: string, actor: Actor, extra: Omit<TransitionRequest, 'orderNo' | 'to' | 'cause' | 'actor'> = {}): Promise<void> {
    assertTransition(state.status, to);
    await ledger.recordTransition({ orderNo: input.orderNo, to, cause, actor, ...extra });
    state.status = to;
    if (extra.reasonCode !== undefined) state.rejectReason = extra.reasonCode;
    upsertSearchAttributes([{ key: searchAttributes.status, value: to }]);
  }

  function waitingFor(awaiting: Awaiting): void {
    state.awaiting = awaiting;
  }

  let terms: OrderTerms;
  let xjpOrderNo: string;
  let accrual: AccrualProgress;
  let agreedInterestFen: number | undefined;
  if (continuation) {
    ({ terms, xjpOrderNo, accrual } = continuation);
  } else {
    // 1. Validate against the live product; 2. the investor's XJP account; 3. subscribe.
    const subscribed = await subscribe();
    if (!subscribed) return state;
    ({ terms, xjpOrderNo, agreedInterestFen } = subscribed);
    // 4. Wait for the payment, within the window.
    const paidAt = await awaitPayment(xjpOrderNo);
    if (paidAt === undefined) return state;
    // 5. Interest starts on the product's rule (T+1 in Asia/Shanghai).
    accrual = await startAccrual(terms, paidAt, agreedInterestFen);
  }

  await accrueDaily(terms, xjpOrderNo, accrual);

  // 6. Maturity: redeem at XJP, then pay principal + ledger interest out to the investor's card.
  await moveTo('MATURED', 'MATURITY_REACHED', 'SYSTEM');
  await redemption.redeemAtXjp({ orderNo: input.orderNo, xjpOrderNo });
  if (terms.payoutMode === 'ON_WITHDRAWAL') {
    waitingFor('WITHDRAWAL');
    await condition(() => withdrawRequested);
  }
  await payOutUntilCompleted({
    orderNo: input.orderNo,
    amountFen: input.amountFen + accrual.accruedInterestFen,
    state,
    inbox: payouts,
    moveTo,
    waitingFor,
  });
  return state;

  async function subscribe(): Promise<{ terms: OrderTerms; xjpOrderNo: string; agreedInterestFen?: number } | undefined> {
    try {
      const terms = await partner.validateOrder({ orderNo: input.orderNo, productId: input.productId, amountFen: input.amountFen });
      const { accountNo } = await partner.ensureXjpAccount({ orderNo: input.orderNo, channel: input.channel });
      const order = await partner.subscribeAtXjp({ orderNo: input.orderNo, accountNo });
      const ours = buildAccrualSchedule({
        principalFen: input.amountFen,
        annualRate: parseAnnualRate(terms.annualRate),
        basis: terms.dayCountBasis,
        interestStartDate: order.interestStartDate,
        term: terms.term,
      }).maturityInterestFen;
      let agreed: number | undefined;
      if (ours !== order.maturityInterestFen) {
        await ledger.recordInterestMismatch({ orderNo: input.orderNo, oursFen: ours, xjpFen: order.maturityInterestFen });
        waitingFor('OPERATOR_REVIEW');
        await condition(() => mismatchDecision !== undefined);
        if (mismatchDecision?.decision === 'REJECT') {
          await partner.cancelXjpSubscription({ orderNo: input.orderNo, xjpOrderNo: order.xjpOrderNo });
          await moveTo('REJECTED', 'OPERATOR_REJECTED_INTEREST_MISMATCH', 'OPERATOR', { actorRef: mismatchDecision.operator, reasonCode: 'INTEREST_MISMATCH' });
          return undefined;
        }
        // The ledger then spreads XJP's figure, so the payout equals what XJP settles at redemption.
        if (patched('accrual-honours-agreed-interest')) agreed = order.maturityInterestFen;
      }
      const payBefore = new Date(new Date().getTime() + input.paymentWindowMs).toISOString();
      Object.assign(state, {
        xjpOrderNo: order.xjpOrderNo,
        paymentUrl: order.cashierUrl,
        payBefore,
        expectedInterestFen: order.maturityInterestFen,
        interestStartDate: order.interestStartDate,
        maturityDate: order.interestEndDate,
      });
      await moveTo('SUBSCRIBED', 'XJP_SUBSCRIBED', 'PARTNER', {
        changes: { xjpOrderId: order.xjpOrderId, xjpOrderNo: order.xjpOrderNo, paymentUrl: order.cashierUrl, payBefore, expectedInterestFen: order.maturityInterestFen },
      });
      return { terms, xjpOrderNo: order.xjpOrderNo, ...(agreed === undefined ? {} : { agreedInterestFen: agreed }) };
    } catch (err) {
      const refusal = refusalCode(err);
      if (refusal === undefined) throw err;
      await moveTo('REJECTED', 'REFUSED_BEFORE_PAYMENT', 'SYSTEM', { reasonCode: refusal });
      return undefined;
    }
  }

  /** Resolves to the payment instant, or undefined when the order ended unpaid. */
  async function awaitPayment(xjpOrderNo: string): Promise<string | undefined> {
    waitingFor('PAYMENT');
    const settled = await condition(() => payment !== undefined || cancelRequested, input.paymentWindowMs);
    if (payment) return recordPaid(payment.paidAt, payment.paidAmountFen, 'XJP_PAYMENT_NOTIFIED', payment.notificationId);
    if (!settled) {
      // The notification may be late or lost: XJP's payment query is the truth before giving up.
      const result = await partner.queryXjpPayment({ xjpOrderNo });
      if (result.paid) return recordPaid(result.paidAt, result.paidAmountFen, 'XJP_PAYMENT_QUERIED');
    }
    const cancelled = await partner.cancelXjpSubscription({ orderNo: input.orderNo, xjpOrderNo });
    if (cancelled.outcome === 'ALREADY_PAID') {
      const result = await partner.queryXjpPayment({ xjpOrderNo });
      if (result.paid) return recordPaid(result.paidAt, result.paidAmountFen, 'PAID_BEFORE_CANCELLATION');
    }
    state.awaiting = 'NOTHING';
    if (cancelRequested) await moveTo('CANCELLED', 'INVESTOR_CANCELLED', 'INVESTOR');
    else await moveTo('EXPIRED', 'PAYMENT_WINDOW_ELAPSED', 'SYSTEM');
    return undefined;
  }

  async function recordPaid(paidAt: string, paidAmountFen: number, cause: string, notificationId?: string): Promise<string> {
    state.awaiting = 'NOTHING';
    // The money is at XJP either way, so the order goes on; the difference waits for an operator and reconciliation.
    if (paidAmountFen !== input.amountFen && patched('paid-amount-checked')) {
      await ledger.recordPaidAmountMismatch({ orderNo: input.orderNo, amountFen: input.amountFen, paidAmountFen });
    }
    await moveTo('PAID', cause, 'PARTNER', { changes: { paidAt }, detail: { paidAmountFen, ...(notificationId === undefined ? {} : { notificationId }) } });
    return paidAt;
  }

  async function startAccrual(terms: OrderTerms, paidAt: string, agreedInterestFen: number | undefined): Promise<AccrualProgress> {
    const computed = buildAccrualSchedule({
      principalFen: input.amountFen,
      annualRate: parseAnnualRate(terms.annualRate),
      basis: terms.dayCountBasis,
      interestStartDate: interestStartDate(new Date(paidAt), terms.interestStartRule),
      term: terms.term,
    });
    const schedule = { ...computed, maturityInterestFen: agreedInterestFen ?? computed.maturityInterestFen };
    Object.assign(state, {
      interestStartDate: schedule.interestStartDate,
      maturityDate: schedule.maturityDate,
      expectedInterestFen: schedule.maturityInterestFen,
    });
    upsertSearchAttributes([{ key: searchAttributes.maturityDate, value: shanghaiMidnight(schedule.maturityDate) }]);
    await moveTo('ACCRUING', 'INTEREST_STARTED', 'SYSTEM', {
      changes: { interestStartDate: schedule.interestStartDate, maturityDate: schedule.maturityDate, expectedInterestFen: schedule.maturityInterestFen },
    });
    return {
      interestStartDate: schedule.interestStartDate,
      maturityDate: schedule.maturityDate,
      maturityInterestFen: schedule.maturityInterestFen,
      daysPosted: 0,
      accruedInterestFen: 0,
      ...(agreedInterestFen === undefined ? {} : { agreedMaturityInterestFen: agreedInterestFen }),
    };
  }

  /** One ledger posting per accrual day, each after its day has ended in Shanghai; day d earns interest(d) − interest(d−1). */
  async function accrueDaily(terms: OrderTerms, xjpOrderNo: string, progress: AccrualProgress): Promise<void> {
    const rate = parseAnnualRate(terms.annualRate);
    const totalDays = daysBetween(progress.interestStartDate, progress.maturityDate);
    const agreed = progress.agreedMaturityInterestFen;
    const earned = (days: number) =>
      agreed === undefined ? interestForDays(input.amountFen, rate, days, terms.dayCountBasis) : agreedInterestForDays(agreed, days, totalDays);
    while (progress.daysPosted < totalDays) {
      const day = progress.daysPosted + 1;
      const accrualDate = addDays(progress.interestStartDate, day - 1);
      await sleepUntil(shanghaiMidnight(addDays(accrualDate, 1)));
      const amountFen = earned(day) - earned(day - 1);
      await ledger.postAccrual({ orderNo: input.orderNo, accrualDate, dayNumber: day, amountFen, cumulativeFen: earned(day) });
      progress.daysPosted = day;
      progress.accruedInterestFen = earned(day);
      state.accruedInterestFen = progress.accruedInterestFen;
      if (progress.daysPosted < totalDays && (workflowInfo().continueAsNewSuggested || workflowInfo().historyLength > HISTORY_EVENTS_LIMIT)) {
        await continueAsNew<typeof purchaseWorkflow>(input, { terms, xjpOrderNo, accrual: progress });
      }
    }
  }
}

/** Sleeps until an instant of workflow time; an instant already past returns at once (catch-up after downtime). */
async function sleepUntil(instant: Date): Promise<void> {
  const waitMs = instant.getTime() - new Date().getTime();
  if (waitMs > 0) await sleep(waitMs);
}

/** The stable reason code of a business refusal from an activity, or undefined for anything else. */
function refusalCode(err: unknown): string | undefined {
  if (err instanceof ActivityFailure && err.cause instanceof ApplicationFailure && err.cause.nonRetryable) {
    return err.cause.type ?? 'REFUSED';
  }
  if (err instanceof ActivityFailure) return 'PARTNER_UNAVAILABLE';
  return undefined;
}
