/**
 * Records the workflow histories that test/workflows/replay.test.ts replays: representative
 * purchases (and a payout) run end to end on the time-skipping server with the real engine (PostgreSQL,
 * simulators, API, worker), each history written as Temporal's JSON to test/histories/.
 * Re-record (and commit the files) only for a deliberate, versioned change; see replay.test.ts.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { PurchaseOrderSchema } from '../../src/db/entities/purchase-order';
import { shanghaiMidnight } from '../../src/domain/calendar';
import { ACCRUAL_POSTING_WORKFLOW_TYPE } from '../../workflows/accrual/contract';
import type { accrualPostingWorkflow } from '../../workflows/accrual/workflow';
import { payoutWorkflowId } from '../../workflows/payout/contract';
import {
  PURCHASE_TASK_QUEUE,
  purchaseStateQuery,
  purchaseWorkflowId,
  type PurchaseState,
} from '../../workflows/purchase/contract';
import { startTestEngine, type TestEngine } from '../testing/engine';
import { buy, earlyRedemptionCall, payAtCashier, purchaseBody } from '../testing/purchases';
import { createTimeSkippingTestEnv } from '../testing/temporal';
import { historyToJson } from '../../test/workflows/fixtures/history-json';
import { waitForState } from '../testing/wait';

const HISTORIES_DIR = path.resolve(__dirname, '../../test/histories');

/** One recorded history: the file name and the run whose history it holds. */
interface Recording {
  name: string;
  workflowId: string;
  runId?: string;
}

/** Buys with a known Idempotency-Key and returns the order number the engine gave it, whatever the API answered. */
async function purchase(
  engine: TestEngine,
  productId: string,
  amountFen: number,
): Promise<{ orderNo: string; paymentUrl?: string }> {
  const idempotencyKey = `record-${randomUUID()}`;
  const answer = await buy(engine, purchaseBody(productId, amountFen), idempotencyKey);
  const order = await engine.db.orm.em.fork().findOneOrFail(PurchaseOrderSchema, { idempotencyKey });
  return { orderNo: order.orderNo, paymentUrl: answer.body.paymentUrl as string | undefined };
}

async function expectEnd(
  env: TestWorkflowEnvironment,
  workflowId: string,
  status: PurchaseState['status'],
): Promise<void> {
  const final: PurchaseState = await env.client.workflow.getHandle(workflowId).result();
  if (final.status !== status) throw new Error(`${workflowId} ended ${final.status}, expected ${status}`);
}

/**
 * A 30-day AUTO product: order → paid → 30 accrual days → redeemed → paid out → COMPLETED; the
 * purchase's history and its payout child's (applied, notified, 30-day reversal watch, PAID).
 */
async function completed(env: TestWorkflowEnvironment, engine: TestEngine): Promise<Recording[]> {
  const { orderNo, paymentUrl } = await purchase(engine, 'XJP-P-0001', 1_000_000);
  if (paymentUrl === undefined) throw new Error(`${orderNo} has no payment URL`);
  await payAtCashier(paymentUrl);
  await expectEnd(env, purchaseWorkflowId(orderNo), 'COMPLETED');
  return [
    { name: 'completed-30-day', workflowId: purchaseWorkflowId(orderNo) },
    { name: 'payout-paid', workflowId: payoutWorkflowId(orderNo) },
  ];
}

/** Never paid: the payment window elapses, XJP is asked, the subscription is cancelled → EXPIRED. */
async function expired(env: TestWorkflowEnvironment, engine: TestEngine): Promise<Recording> {
  const { orderNo } = await purchase(engine, 'XJP-P-0001', 1_000_000);
  await expectEnd(env, purchaseWorkflowId(orderNo), 'EXPIRED');
  return { name: 'expired-unpaid', workflowId: purchaseWorkflowId(orderNo) };
}

/** An ended product: the workflow's validation refuses it before subscribing → REJECTED. */
async function rejected(env: TestWorkflowEnvironment, engine: TestEngine): Promise<Recording> {
  const { orderNo } = await purchase(engine, 'XJP-P-0007', 1_000_000);
  await expectEnd(env, purchaseWorkflowId(orderNo), 'REJECTED');
  return { name: 'rejected-product-ended', workflowId: purchaseWorkflowId(orderNo) };
}

/**
 * Early redemption (违约赎回) of a 180-day product with a fee on principal and a fixed service fee:
 * ACCRUING, the investor's quote and confirmation (two Updates) cancel the accrual timer, XJP
 * redeems early, the ledger is corrected, the payout child pays the quote → COMPLETED. Recorded on a
 * server of its own, whose clock is still the simulators' date: it moves to the interest start date
 * (the product has no lock-in), where the request is taken.
 */
async function earlyRedeemed(env: TestWorkflowEnvironment, engine: TestEngine): Promise<Recording> {
  const { orderNo, paymentUrl } = await purchase(engine, 'XJP-P-0003', 2_000_000);
  if (paymentUrl === undefined) throw new Error(`${orderNo} has no payment URL`);
  await payAtCashier(paymentUrl);
  const workflowId = purchaseWorkflowId(orderNo);
  const accruing = await waitForState(
    () => engine.client.workflow.getHandle(workflowId).query(purchaseStateQuery),
    (s) => s.status === 'ACCRUING',
  );
  const dayOne = shanghaiMidnight(accruing.interestStartDate ?? '').getTime() + 3600 * 1000;
  await env.sleep(Math.max(dayOne - (await env.currentTimeMs()), 0));
  const quote = await earlyRedemptionCall(engine, orderNo, 'quote');
  if (quote.status !== 200)
    throw new Error(`quote of ${orderNo} answered ${quote.status}: ${JSON.stringify(quote.body)}`);
  const confirmed = await earlyRedemptionCall(engine, orderNo, 'confirm', { quoteId: quote.body.quoteId });
  if (confirmed.status !== 200) throw new Error(`confirmation of ${orderNo} answered ${confirmed.status}`);
  await expectEnd(env, workflowId, 'COMPLETED');
  return { name: 'early-redeemed', workflowId };
}

/**
 * A 365-day product paid out on withdrawal: ACCRUING, a night of the accrual batch (its own
 * history) posting the first day, then one timer to maturity, the ledger settled, redeemed, waiting
 * for the investor; the purchase's history is taken there.
 */
async function accruedYear(env: TestWorkflowEnvironment, engine: TestEngine): Promise<Recording[]> {
  const { orderNo, paymentUrl } = await purchase(engine, 'XJP-P-0004', 5_000_000);
  if (paymentUrl === undefined) throw new Error(`${orderNo} has no payment URL`);
  await payAtCashier(paymentUrl);
  const workflowId = purchaseWorkflowId(orderNo);
  await waitForState(
    () => engine.client.workflow.getHandle(workflowId).query(purchaseStateQuery),
    (s) => s.status === 'ACCRUING',
  );
  await env.sleep('2 days');
  const nightId = `accrual-posting-${orderNo}`;
  await engine.client.workflow.execute<typeof accrualPostingWorkflow>(ACCRUAL_POSTING_WORKFLOW_TYPE, {
    taskQueue: PURCHASE_TASK_QUEUE,
    workflowId: nightId,
    args: [{}],
  });
  await env.sleep('400 days');
  await waitForState(
    () => engine.client.workflow.getHandle(workflowId).query(purchaseStateQuery),
    (s) => s.awaiting === 'WITHDRAWAL',
  );
  return [
    { name: 'accrual-posting-night', workflowId: nightId },
    { name: 'accrual-365-day-matured', workflowId },
  ];
}

async function main(): Promise<void> {
  const env = await createTimeSkippingTestEnv();
  const engine = await startTestEngine(env);
  try {
    await mkdir(HISTORIES_DIR, { recursive: true });
    for (const scenario of [completed, expired, rejected, accruedYear]) {
      await write(engine, [await scenario(env, engine)].flat());
    }
  } finally {
    await engine.stop();
    await env.teardown();
  }
  // The scenarios above leave the server's clock far ahead of the simulators' dates: a fresh one.
  const earlyEnv = await createTimeSkippingTestEnv();
  const earlyEngine = await startTestEngine(earlyEnv);
  try {
    await write(earlyEngine, [await earlyRedeemed(earlyEnv, earlyEngine)]);
  } finally {
    await earlyEngine.stop();
    await earlyEnv.teardown();
  }
}

/** Writes each recording's history as Temporal's JSON. */
async function write(engine: TestEngine, recordings: readonly Recording[]): Promise<void> {
  for (const recording of recordings) {
    const history = await engine.client.workflow.getHandle(recording.workflowId, recording.runId).fetchHistory();
    const file = path.join(HISTORIES_DIR, `${recording.name}.json`);
    await writeFile(file, `${historyToJson(history)}\n`);
    console.log(`${file}: ${history.events?.length ?? 0} events`);
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
