/**
 * The nightly reconciliation run covers demand business (活期) on the whole engine: a holding's
 * subscription (paid at the cashier), a fast redemption and its income rows are compared with XJP's
 * demand statement and stored as findings beside the fixed-term ones; a planted difference in our
 * income row is stored as a discrepancy.
 */
import { DemandIncomeSchema, DemandMovementSchema } from '../../src/db/entities/demand';
import { ReconciliationFindingSchema } from '../../src/db/entities/reconciliation-finding';
import { demandWorkflows } from '../../src/api/demand/demand-workflows';
import { addDays, shanghaiDate, shanghaiMidnight } from '../../src/domain/calendar';
import { isBusinessDay, nextBusinessDay } from '../../src/domain/demand/business-days';
import { demandWorkflowId } from '../../workflows/demand/contract';
import { PURCHASE_TASK_QUEUE } from '../../workflows/purchase/contract';
import { reconciliationWorkflowId, type ReconciliationSummary } from '../../workflows/reconciliation/contract';
import { TEST_OPERATOR, useTestEngine } from '../../tools/testing/engine';
import { payAtCashier } from '../../tools/testing/purchases';
import { waitForState } from '../../tools/testing/wait';

const running = useTestEngine();
const em = () => running.engine.db.orm.em.fork();
const PRODUCT = 'XJPHQ01';
const HOUR_MS = 3600 * 1000;

async function skipTo(date: string, hour: number): Promise<void> {
  const target = shanghaiMidnight(date).getTime() + hour * HOUR_MS;
  const now = await running.env.currentTimeMs();
  if (target > now) await running.env.sleep(target - now);
}

/** Starts the date's run as an operator does and waits for it with a client that never unlocks time skipping. */
async function reconcile(date: string): Promise<ReconciliationSummary> {
  const started = await fetch(`${running.engine.apiUrl}/ops/reconciliation/${date}/run`, {
    method: 'POST',
    headers: { 'x-operator-key': TEST_OPERATOR.key },
  });
  expect(started.status).toBe(202);
  return running.engine.client.workflow
    .getHandle(reconciliationWorkflowId(date))
    .result() as Promise<ReconciliationSummary>;
}

async function storedDemandFindings(date: string) {
  const rows = await em().find(ReconciliationFindingSchema, {
    businessDate: date,
    category: { $in: ['DEMAND_SUBSCRIPTION', 'DEMAND_REDEMPTION', 'DEMAND_INCOME'] },
  });
  return rows.map((f) => [f.category, f.kind, f.reference, f.ourAmountFen, f.partnerAmountFen]).sort();
}

test('demand subscriptions, redemptions and income are reconciled every night and stored; a planted income difference is a stored discrepancy', async () => {
  const memberId = 'HQR0001';
  const account = await running.engine.apiDependencies.xjp.openAccount({
    requestId: `open-${memberId}`,
    channel: 'APP',
    memberId,
    name: '活期对账',
    mobile: '13800138003',
    idCardNo: '11010519491231002X',
    email: 'hq-recon@example.com',
  });
  const input = {
    memberId,
    productCode: PRODUCT,
    accountNo: account.accountNo,
    terms: { minAmountFen: 100, holdingCapFen: 50_000_000, fastRedemptionDailyLimitFen: 1_000_000 },
  };
  const workflows = demandWorkflows(running.engine.client, PURCHASE_TASK_QUEUE);
  const holdingId = demandWorkflowId(memberId, PRODUCT);

  let day = addDays(shanghaiDate(new Date(await running.env.currentTimeMs())), 1);
  while (!isBusinessDay(day)) day = addDays(day, 1);
  await skipTo(day, 10);
  const placed = await workflows.subscribe(input, { subscriptionId: 'hqr-sub', amountFen: 2_000_000 });
  await payAtCashier(placed.paymentUrl);
  await waitForState(
    () => em().findOne(DemandMovementSchema, { id: 'hqr-sub' }),
    (row) => row !== null,
  );
  const countsFrom = nextBusinessDay(day);
  const redemptionDay = addDays(countsFrom, 1);
  await skipTo(redemptionDay, 11);
  await workflows.redeem(memberId, PRODUCT, { redemptionId: 'hqr-fast', amountFen: 100_000, kind: 'FAST' });
  await skipTo(addDays(redemptionDay, 1), 1);
  const income = await waitForState(
    () => em().find(DemandIncomeSchema, { holding: holdingId }, { orderBy: { incomeDate: 'asc' } }),
    (rows) => rows.some((r) => r.incomeDate === redemptionDay),
  );
  const incomeOf = (date: string) => income.find((r) => r.incomeDate === date)?.incomeFen ?? -1;
  const holdingKey = `${account.accountNo}/${PRODUCT}`;

  expect((await reconcile(day)).discrepancies).toBe(0);
  expect(await storedDemandFindings(day)).toEqual([
    ['DEMAND_SUBSCRIPTION', 'MATCHED', 'hqr-sub', 2_000_000, 2_000_000],
  ]);
  expect((await reconcile(redemptionDay)).discrepancies).toBe(0);
  expect(await storedDemandFindings(redemptionDay)).toEqual([
    ['DEMAND_INCOME', 'MATCHED', holdingKey, incomeOf(redemptionDay), incomeOf(redemptionDay)],
    ['DEMAND_REDEMPTION', 'MATCHED', 'hqr-fast', 100_000, 100_000],
  ]);

  // Our income row of the first earning day differs from XJP's by one fen.
  await em()
    .getConnection()
    .execute(`update demand_income set income_fen = income_fen + 1 where holding_id = ? and income_date = ?`, [
      holdingId,
      countsFrom,
    ]);
  const planted = await reconcile(countsFrom);
  expect([planted.discrepancies, planted.counts.AMOUNT_MISMATCH]).toEqual([1, 1]);
  expect(await storedDemandFindings(countsFrom)).toEqual([
    ['DEMAND_INCOME', 'AMOUNT_MISMATCH', holdingKey, incomeOf(countsFrom) + 1, incomeOf(countsFrom)],
  ]);
}, 120_000);
