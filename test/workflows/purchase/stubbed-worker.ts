/**
 * The purchase workflow on the time-skipping server with stubbed activities: inline functions, as
 * Temporal's samples stub them, so each branch of the workflow runs in seconds without PostgreSQL,
 * the simulators or the API. The stubs answer the happy path; a test overrides what it is about and
 * reads back every call the workflow made, in order.
 */
import { randomUUID } from 'node:crypto';
import { Context } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import { type WorkflowHandleWithFirstExecutionRunId, WorkflowUpdateFailedError } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { DefaultLogger, makeTelemetryFilterString, Runtime, Worker } from '@temporalio/worker';
import type { PayoutActivities, PurchaseActivities, RefundActivities } from '../../../activities';
import { nextBusinessDay } from '../../../src/domain/business-days';
import { addDays, shanghaiDate, shanghaiMidnight } from '../../../src/domain/calendar';
import { buildAccrualSchedule, ledgerDays } from '../../../src/domain/interest';
import { ourInterestDates, type QueriedPayment } from '../../../src/domain/payment-check';
import { parseAnnualRate } from '../../../src/domain/rate';
import { registerSearchAttributes } from '../../../src/temporal/search-attributes';
import { workflowTracingSinks } from '../../../src/temporal/interceptors';
import { purchaseWorkflowBundle } from '../../../src/temporal/workflow-bundle';
import {
  paymentNotifiedSignal,
  type PurchaseInput,
  type PurchaseState,
  purchaseStateQuery,
  purchaseWorkflowId,
  WRONG_STATE,
} from '../../../workflows/purchase/contract';
import type { purchaseWorkflow } from '../../../workflows/purchase/workflow';
import { addedBesidesWorkflowTasks, historyEventTypes } from '../../../tools/testing/history';
import { createTimeSkippingTestEnv } from '../../../tools/testing/temporal';
import { waitForState } from '../../../tools/testing/wait';

// Quiet workers: each test starts and stops one, and the SDK's state-change lines would bury the results.
Runtime.install({
  logger: new DefaultLogger('WARN'),
  telemetryOptions: { logging: { filter: makeTelemetryFilterString({ core: 'ERROR' }) } },
});

/** Every activity a purchase run calls: its own and its payout stage's. */
type RunActivities = PurchaseActivities & PayoutActivities & RefundActivities;

/** One activity call the workflow made: its name and its argument. */
export interface ActivityCall {
  name: keyof RunActivities;
  input: unknown;
}

type Stubs = {
  [K in keyof RunActivities]: (
    input: Parameters<RunActivities[K]>[0],
  ) => Promise<Awaited<ReturnType<RunActivities[K]>>>;
};

let orders = 0;

/** A purchase of a 30-day AUTO product at 3.25 % on a 365-day basis; override what a test is about. */
export function purchaseInput(overrides: Partial<PurchaseInput> = {}): PurchaseInput {
  return {
    orderNo: `XJP20261202${String((orders += 1)).padStart(6, '0')}`,
    memberId: 'M10001',
    amountFen: 1_000_000,
    channel: 'PC',
    product: {
      terms: {
        productId: 'XJP-P-0001',
        productCode: 'XJP30D2612',
        productName: '小金票30天',
        annualRate: '0.0325',
        term: { unit: 'DAY', value: 30 },
        dayCountBasis: 365,
        interestStartRule: 'T+1',
        payoutMode: 'AUTO',
        acceptingBank: '中国工商银行',
      },
      offer: {
        status: 'ON_SALE',
        minAmountFen: 100_000,
        stepAmountFen: 100_000,
        raiseTargetFen: 1_000_000_000,
        raisedFen: 0,
      },
    },
    paymentWindowMs: 30 * 60 * 1000,
    ...overrides,
  };
}

/** Our maturity interest for an input, as XJP agrees it unless a test skews it. */
export function maturityInterestOf(input: PurchaseInput, interestStartDate = '2026-12-03'): number {
  const { terms } = input.product;
  return buildAccrualSchedule({
    principalFen: input.amountFen,
    annualRate: parseAnnualRate(terms.annualRate),
    basis: terms.dayCountBasis,
    interestStartDate,
    term: terms.term,
  }).maturityInterestFen;
}

/**
 * XJP's subscription of `input`, taken at `orderTime` (by default when the activity was scheduled, the
 * server's skipped clock), dated as XJP dates it (T+1, then the term) unless a test shifts the
 * maturity date by `shiftMaturityDays`; its maturity interest ours unless a test gives another.
 */
export function xjpSubscription(
  input: PurchaseInput,
  answer: { maturityInterestFen?: number; orderTime?: Date; shiftMaturityDays?: number } = {},
) {
  const orderTime = answer.orderTime ?? new Date(Context.current().info.currentAttemptScheduledTimestampMs);
  const { terms } = input.product;
  const dates = ourInterestDates(orderTime, terms.interestStartRule, terms.term);
  return {
    xjpOrderId: 'XO-1',
    xjpOrderNo: 'XJPO-1',
    cashierUrl: 'http://127.0.0.1:4200/cashier/1',
    orderTime: orderTime.toISOString(),
    maturityInterestFen: answer.maturityInterestFen ?? maturityInterestOf(input, dates.interestStartDate),
    interestStartDate: dates.interestStartDate,
    interestEndDate: addDays(dates.maturityDate, answer.shiftMaturityDays ?? 0),
  };
}

/** What XJP's books say of the order's payment: the stubbed payment query answers from here. */
interface XjpBooks {
  payment: QueriedPayment;
}

/** Stubs answering the happy path of `input`: account found, subscribed, paid only once XJP's books say so, paid out and refunded at once. */
function happyPath(input: PurchaseInput, books: XjpBooks): Stubs {
  return {
    recordTransition: async () => undefined,
    recordInterestMismatch: async () => undefined,
    fixPayDate: async ({ maturityDate }) => ({ payDate: nextBusinessDay(maturityDate) }),
    settleAccrual: async ({ terms }) => {
      const days = ledgerDays({ ...terms, annualRate: parseAnnualRate(terms.annualRate) });
      return { days: days.length, caughtUp: days.length, accruedInterestFen: days.at(-1)?.cumulativeFen ?? 0 };
    },
    ensureXjpAccount: async () => ({ accountNo: 'XA0001' }),
    subscribeAtXjp: async () => xjpSubscription(input),
    subscribeInvestor: async () => xjpSubscription(input),
    cancelXjpSubscription: async () => ({ outcome: 'CANCELLED' }),
    queryXjpPayment: async () => books.payment,
    redeemAtXjp: async () => ({ principalFen: input.amountFen, interestFen: 0, totalFen: input.amountFen }),
    redeemEarlyAtXjp: async () => ({
      principalFen: input.amountFen,
      interestFen: 0,
      penaltyFen: 0,
      totalFen: input.amountFen,
    }),
    settleEarlyRedemption: async () => ({ ledgerInterestFen: 0 }),
    bookServiceFee: async () => undefined,
    startReinvestment: async () => ({ outcome: 'REFUSED', reasonCode: 'PRODUCT_NOT_ON_SALE' }),
    recordAlert: async () => undefined,
    checkPayoutFigures: async () => undefined,
    applyPayout: async () => ({ resultPay: 'SUCCESS' }),
    anotherAttemptMayPay: async () => false,
    confirmPayout: async () => undefined,
    queryPayout: async () => ({ kind: 'ANSWERED', resultPay: 'SUCCESS' }),
    recordPayoutResult: async () => undefined,
    openRefund: async () => undefined,
    checkRefundable: async () => undefined,
    applyRefund: async () => ({ state: 'SUCCESS' }),
    queryRefund: async () => ({ kind: 'ANSWERED', state: 'SUCCESS' }),
    recordRefundResult: async () => undefined,
    recordRefundAudit: async () => undefined,
    recordRefundAlert: async () => undefined,
  };
}

/** Expects `request` to be refused by its Update validator (WRONG_STATE) with nothing of it in the run's history: no Update event, no command. */
export async function expectRefusedWithoutTrace(
  purchase: StubbedPurchase,
  request: () => Promise<unknown>,
): Promise<void> {
  const before = await historyEventTypes(purchase.handle);
  const refused = await request().then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(refused).toBeInstanceOf(WorkflowUpdateFailedError);
  expect((refused as WorkflowUpdateFailedError).cause).toMatchObject({ type: WRONG_STATE });
  expect(addedBesidesWorkflowTasks(before, await historyEventTypes(purchase.handle))).toEqual([]);
}

/** A business refusal as an activity reports it (a partner's final answer, typed with its code). */
export function refusal(code: string): Error {
  return ApplicationFailure.nonRetryable(`refused: ${code}`, code);
}

/** One purchase run on a worker with stubbed activities. */
export interface StubbedPurchase {
  readonly input: PurchaseInput;
  readonly handle: WorkflowHandleWithFirstExecutionRunId<typeof purchaseWorkflow>;
  /** Every activity call so far, in order. */
  readonly calls: ActivityCall[];
  /** The calls of one activity, their arguments in order. */
  callsOf<K extends keyof RunActivities>(name: K): Array<Parameters<RunActivities[K]>[0]>;
  /** The statuses the ledger was asked to record, in order. */
  transitions(): string[];
  /**
   * The investor pays: XJP's books record it and its notification is relayed as the API does; by
   * default the order's amount, paid now (workflow time). `claimOnly`: a notification XJP's books do not back.
   */
  notifyPaid(payment?: { paidAmountFen?: number; paidAt?: string; claimOnly?: boolean }): Promise<void>;
  /** Waits (real time, bounded) until the live state satisfies `done`. */
  until(done: (state: PurchaseState) => boolean): Promise<PurchaseState>;
  /** The run's end state, letting the server skip workflow time until it ends. */
  result(): Promise<PurchaseState>;
}

/**
 * Keeps a run's start clear of Shanghai midnight, skipping the server's clock when it is near (accrual
 * timers end at midnight, so a previous run often leaves it just past one): a payment on another day
 * than the subscription moves T+1, a date mismatch of its own that only the tests about it should meet.
 */
async function clearOfShanghaiMidnight(env: TestWorkflowEnvironment): Promise<void> {
  const now = await env.currentTimeMs();
  const today = shanghaiDate(new Date(now));
  const sinceMidnight = now - shanghaiMidnight(today).getTime();
  const untilMidnight = shanghaiMidnight(addDays(today, 1)).getTime() - now;
  if (sinceMidnight < MIDNIGHT_MARGIN_MS) await env.sleep(MIDNIGHT_MARGIN_MS - sinceMidnight);
  else if (untilMidnight < MIDNIGHT_MARGIN_MS) await env.sleep(untilMidnight + MIDNIGHT_MARGIN_MS);
}

/** Longer than any scenario's stretch between subscription and payment (the 30-minute window, with room). */
const MIDNIGHT_MARGIN_MS = 2 * 60 * 60 * 1000;

/** The time-skipping server of one test file, with the workflow bundle and search attributes ready. */
export function useStubbedPurchases(): {
  readonly env: TestWorkflowEnvironment;
  run(
    overrides: Partial<Stubs>,
    input: PurchaseInput,
    scenario: (purchase: StubbedPurchase) => Promise<void>,
  ): Promise<void>;
} {
  let env: TestWorkflowEnvironment | undefined;
  beforeAll(async () => {
    env = await createTimeSkippingTestEnv();
    await registerSearchAttributes(env.connection, env.namespace ?? 'default');
    await purchaseWorkflowBundle();
  });
  afterAll(async () => {
    await env?.teardown();
  });
  const ready = (): TestWorkflowEnvironment => {
    if (env === undefined) throw new Error('the test server is used before beforeAll started it');
    return env;
  };
  return {
    get env() {
      return ready();
    },
    async run(overrides, input, scenario) {
      const testEnv = ready();
      const taskQueue = `purchase-${randomUUID()}`;
      const calls: ActivityCall[] = [];
      const books: XjpBooks = { payment: { paid: false } };
      const stubs: Stubs = { ...happyPath(input, books), ...overrides };
      const activities = Object.fromEntries(
        Object.entries(stubs).map(([name, stub]) => [
          name,
          (arg: never) => {
            calls.push({ name: name as keyof RunActivities, input: arg });
            return (stub as (a: never) => Promise<unknown>)(arg);
          },
        ]),
      );
      const worker = await Worker.create({
        connection: testEnv.nativeConnection,
        namespace: testEnv.namespace ?? 'default',
        taskQueue,
        workflowBundle: await purchaseWorkflowBundle(),
        activities,
        // The bundle's tracing interceptors need their sink, as every worker of this bundle does.
        sinks: workflowTracingSinks(undefined),
      });
      await worker.runUntil(async () => {
        await clearOfShanghaiMidnight(testEnv);
        const handle = await testEnv.client.workflow.start<typeof purchaseWorkflow>('purchaseWorkflow', {
          workflowId: purchaseWorkflowId(input.orderNo),
          taskQueue,
          args: [input],
        });
        try {
          await scenario({
            input,
            handle,
            calls,
            callsOf: (name) => calls.filter((c) => c.name === name).map((c) => c.input) as never,
            transitions: () =>
              calls.filter((c) => c.name === 'recordTransition').map((c) => (c.input as { to: string }).to),
            notifyPaid: async (payment = {}) => {
              const paid = {
                paidAt: payment.paidAt ?? new Date(await testEnv.currentTimeMs()).toISOString(),
                paidAmountFen: payment.paidAmountFen ?? input.amountFen,
              };
              if (payment.claimOnly !== true) books.payment = { paid: true, ...paid, billNo: `bill-${input.orderNo}` };
              await handle.signal(paymentNotifiedSignal, { notificationId: `ntf-${input.orderNo}`, ...paid });
            },
            until: (done) => waitForState(() => handle.query(purchaseStateQuery), done),
            result: () => handle.result(),
          });
        } finally {
          // A run the scenario left waiting must not move with the next test's skipped time.
          const { status } = await handle.describe();
          if (status.name === 'RUNNING') await handle.terminate('scenario finished with it');
        }
      });
    },
  };
}
