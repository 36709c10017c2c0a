/**
 * A year of accrual in one short run: the purchase sleeps on one timer until maturity, and its
 * settlement posts every day no nightly batch did (none runs here). The ledger is the judge:
 * exactly one row per accrual day.
 */
import { InterestAccrualSchema } from '../../src/db/entities/interest-accrual';
import { interestForDays } from '../../src/domain/interest';
import { parseAnnualRate } from '../../src/domain/rate';
import {
  purchaseStateQuery,
  purchaseWorkflowId,
  type PurchaseState,
  withdrawUpdate,
} from '../../workflows/purchase/contract';
import { useTestEngine } from '../../tools/testing/engine';
import { buy, payAtCashier, purchaseBody } from '../../tools/testing/purchases';
import { waitForState } from '../../tools/testing/wait';

/** The bound on a 365-day order's whole history. */
const HISTORY_EVENTS_BOUND = 500;

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

test('a 365-day order no batch posted for settles all 365 days at maturity, in one run whose history stays small', async () => {
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

  const run = running.engine.client.workflow.getHandle(workflowId, firstRunId);
  expect((await run.describe()).status.name).toBe('COMPLETED');
  expect((await run.fetchHistory()).events?.length ?? 0).toBeLessThan(HISTORY_EVENTS_BOUND);
  expectGaplessLedger(await ledgerRows(orderNo), 365, maturityInterest);
});
