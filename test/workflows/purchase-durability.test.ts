/**
 * Accrual survives a history too long for one run (continue-as-new). The ledger is the judge:
 * exactly one row per accrual day.
 */
import { InterestAccrualSchema } from '../../src/db/entities/interest-accrual';
import { interestForDays } from '../../src/domain/interest';
import { parseAnnualRate } from '../../src/domain/rate';
import { HISTORY_EVENTS_LIMIT } from '../../workflows/purchase/accrual';
import {
  purchaseStateQuery,
  purchaseWorkflowId,
  type PurchaseState,
  withdrawUpdate,
} from '../../workflows/purchase/contract';
import { useTestEngine } from '../../tools/testing/engine';
import { buy, payAtCashier, purchaseBody } from '../../tools/testing/purchases';
import { waitForState } from '../../tools/testing/wait';

/** A day of accrual in history: timer started/fired, then a workflow task, the posting activity, a workflow task (3 + 3 + 3 + 2). */
const EVENTS_PER_ACCRUAL_DAY = 11;
/** Room for the closing events and for a few workflow tasks retried after a timeout (3 events each). */
const RETRIED_TASK_ALLOWANCE = 2 + 5 * 3;

const running = useTestEngine();

/** Buys and pays; resolves once the order accrues. */
async function buyAndPay(productId: string, amountFen: number): Promise<string> {
  const created = await buy(running.engine, purchaseBody(productId, amountFen));
  expect(created.status).toBe(201);
  const orderNo = created.body.orderNo as string;
  await payAtCashier(created.body.paymentUrl as string);
  await waitForState(
    () => running.engine.client.workflow.getHandle(purchaseWorkflowId(orderNo)).query(purchaseStateQuery),
    (s) => s.status === 'ACCRUING',
  );
  return orderNo;
}

async function ledgerRows(orderNo: string) {
  return running.engine.db.orm.em
    .fork()
    .find(InterestAccrualSchema, { order: { orderNo } }, { orderBy: { accrualDate: 'asc' } });
}

/** Every day 1..days exactly once, on consecutive dates, each row's running total consistent. */
function expectGaplessLedger(
  rows: Awaited<ReturnType<typeof ledgerRows>>,
  days: number,
  maturityInterestFen: number,
): void {
  expect(rows.map((r) => r.dayIndex)).toEqual(Array.from({ length: days }, (_, i) => i + 1));
  expect(new Set(rows.map((r) => r.accrualDate)).size).toBe(days);
  let running = 0;
  for (const row of rows) {
    running += row.amountFen;
    expect(row.cumulativeFen).toBe(running);
  }
  expect(running).toBe(maturityInterestFen);
}

test('a 365-day order continues as new during accrual, carries its accrued interest across runs, and keeps every run below the history limit', async () => {
  const amountFen = 5_000_000;
  const maturityInterest = interestForDays(amountFen, parseAnnualRate('0.0480'), 365, 365);
  expect(maturityInterest).toBe(240_000);
  const orderNo = await buyAndPay('XJP-P-0004', amountFen);
  const workflowId = purchaseWorkflowId(orderNo);
  const firstRunId = (await running.engine.client.workflow.getHandle(workflowId).describe()).runId;

  // Skip a bounded span past maturity: awaiting the result instead would let the test server jump
  // to the run's execution timeout while the order waits, untimed, for the investor's withdrawal.
  await running.env.sleep('400 days');
  const matured = await waitForState(
    () => running.engine.client.workflow.getHandle(workflowId).query(purchaseStateQuery),
    (s) => s.status === 'MATURED' && s.awaiting === 'WITHDRAWAL',
  );
  expect(matured.accruedInterestFen).toBe(maturityInterest);
  await running.engine.client.workflow.getHandle(workflowId).executeUpdate(withdrawUpdate);
  const final: PurchaseState = await running.env.client.workflow.getHandle(workflowId).result();
  expect(final).toMatchObject({
    status: 'COMPLETED',
    accruedInterestFen: maturityInterest,
    expectedInterestFen: maturityInterest,
    xjpOrderNo: expect.any(String),
  });

  expect((await running.engine.client.workflow.getHandle(workflowId, firstRunId).describe()).status.name).toBe(
    'CONTINUED_AS_NEW',
  );
  const runIds = await runChain(workflowId, firstRunId);
  expect(runIds.length).toBeGreaterThan(1);
  for (const runId of runIds) {
    const history = await running.engine.client.workflow.getHandle(workflowId, runId).fetchHistory();
    // The limit is checked after each posted day, so a run passes it by about a day's events before
    // closing; a workflow task that timed out on a loaded machine adds a few more (seen: one extra).
    expect(history.events?.length ?? 0).toBeLessThanOrEqual(
      HISTORY_EVENTS_LIMIT + EVENTS_PER_ACCRUAL_DAY + RETRIED_TASK_ALLOWANCE,
    );
  }
  expectGaplessLedger(await ledgerRows(orderNo), 365, maturityInterest);
});

/** The run ids of a workflow from `firstRunId`, following each continue-as-new to its successor. */
async function runChain(workflowId: string, firstRunId: string): Promise<string[]> {
  const runIds = [firstRunId];
  // Bounded: a 365-day order needs a handful of runs; more than 50 would itself be a bug.
  for (let i = 0; i < 50; i++) {
    const history = await running.engine.client.workflow
      .getHandle(workflowId, runIds[runIds.length - 1])
      .fetchHistory();
    const last = history.events?.[history.events.length - 1];
    const next = last?.workflowExecutionContinuedAsNewEventAttributes?.newExecutionRunId;
    if (!next) return runIds;
    runIds.push(next);
  }
  throw new Error(`more than 50 runs for ${workflowId}`);
}
