/**
 * Reconciliation end to end on the time-skipping server with the real engine: orders bought and paid
 * over HTTP, one carried through its whole 30-day life to a LianLian payout; discrepancies seeded
 * through the simulators' admin API; one payout row (never sent to LianLian) inserted through the
 * payouts repository, since a second full lifecycle would only repeat the first.
 */
import { PurchaseOrderSchema } from '../../src/db/entities/purchase-order';
import { ReconciliationFindingSchema } from '../../src/db/entities/reconciliation-finding';
import { createPayout, listPayouts } from '../../src/db/repositories/payouts';
import { findRedemption, upsertRedemption } from '../../src/db/repositories/redemptions';
import { shanghaiDate, shanghaiMidnight } from '../../src/domain/calendar';
import {
  previousBusinessDate,
  reconciliationWorkflowId,
  type ReconciliationSummary,
} from '../../workflows/reconciliation/contract';
import { purchaseStateQuery, purchaseWorkflowId, type PurchaseState } from '../../workflows/purchase/contract';
import { TEST_OPERATOR, useTestEngine } from '../../tools/testing/engine';
import { skipUntilClosed } from '../../tools/testing/skip-time';
import { buy, payAtCashier, purchaseBody, simAdmin } from '../../tools/testing/purchases';
import { waitForState } from '../../tools/testing/wait';

const running = useTestEngine();

interface Bought {
  orderNo: string;
  xjpOrderNo: string;
  amountFen: number;
}

async function buyAndPay(productId: string, amountFen: number, memberId: string, pay = true): Promise<Bought> {
  const created = await buy(running.engine, purchaseBody(productId, amountFen, memberId));
  expect(created.status).toBe(201);
  const orderNo = created.body.orderNo as string;
  const handle = running.engine.client.workflow.getHandle(purchaseWorkflowId(orderNo));
  if (pay) {
    await payAtCashier(created.body.paymentUrl as string);
    await waitForState(
      () => handle.query(purchaseStateQuery),
      (s) => s.status === 'ACCRUING',
    );
  }
  const order = await running.engine.db.orm.em.fork().findOneOrFail(PurchaseOrderSchema, { orderNo });
  return { orderNo, xjpOrderNo: order.xjpOrderNo ?? '', amountFen };
}

function ops(path: string, method: 'GET' | 'POST' = 'GET'): Promise<Response> {
  return fetch(`${running.engine.apiUrl}/ops/reconciliation${path}`, {
    method,
    headers: { 'x-operator-key': TEST_OPERATOR.key },
  });
}

/** Starts a run through the API and waits for it with a client that never unlocks time skipping. */
async function runThroughApi(date: string): Promise<ReconciliationSummary> {
  const started = await ops(`/${date}/run`, 'POST');
  expect(started.status).toBe(202);
  return running.engine.client.workflow
    .getHandle(reconciliationWorkflowId(date))
    .result() as Promise<ReconciliationSummary>;
}

interface FindingView {
  side: string;
  category: string;
  kind: string;
  reference: string;
  ourAmountFen: number | null;
  partnerAmountFen: number | null;
  ourStatus: string | null;
  partnerStatus: string | null;
}

async function report(
  date: string,
): Promise<{ run: { counts: Record<string, number>; workflowId: string }; findings: FindingView[] }> {
  const response = await ops(`?date=${date}`);
  expect(response.status).toBe(200);
  return (await response.json()) as {
    run: { counts: Record<string, number>; workflowId: string };
    findings: FindingView[];
  };
}

const brief = (f: FindingView) => `${f.side} ${f.category} ${f.kind} ${f.reference}`;

test('each seeded discrepancy becomes exactly its finding on the right side; a re-run replaces the date atomically; a run in flight is joined', async () => {
  // The 30-day order lives out its whole term (time skipped) and is paid out through LianLian.
  const paidOut = await buyAndPay('XJP-P-0001', 1_000_000, 'M20001');
  // The term, then day by day through the payout's reversal watch (see tools/testing/skip-time.ts).
  const final = await skipUntilClosed<PurchaseState>(
    running.env,
    running.engine.client,
    purchaseWorkflowId(paidOut.orderNo),
    { firstMs: 32 * 24 * 3600 * 1000 },
  );
  expect(final.status).toBe('COMPLETED');
  const [payout] = await listPayouts(running.engine.db.orm.em.fork(), paidOut.orderNo);
  if (payout === undefined) throw new Error('no payout');

  // Only now the rest, so none of them runs on while the first one's term was skipped.
  const matched = await buyAndPay('XJP-P-0002', 2_000_000, 'M20002');
  const dropped = await buyAndPay('XJP-P-0002', 2_010_000, 'M20003');
  const altered = await buyAndPay('XJP-P-0002', 2_020_000, 'M20004');
  const duplicated = await buyAndPay('XJP-P-0002', 2_030_000, 'M20005');
  const unpaid = await buyAndPay('XJP-P-0002', 2_040_000, 'M20006', false);
  const redated = await buyAndPay('XJP-P-0002', 2_050_000, 'M20007');
  const redeemed = await findRedemption(running.engine.db.orm.em.fork(), paidOut.orderNo);
  if (redeemed?.xjpRedemptionId == null) throw new Error('no settled redemption');

  const createdAt = (
    await running.engine.db.orm.em.fork().findOneOrFail(PurchaseOrderSchema, { orderNo: paidOut.orderNo })
  ).createdAt;
  const date = shanghaiDate(createdAt);

  await simAdmin(running.engine.xjpUrl, '/statement-faults', { kind: 'drop', reference: dropped.xjpOrderNo });
  await simAdmin(running.engine.xjpUrl, '/statement-faults', {
    kind: 'alter',
    reference: altered.xjpOrderNo,
    amountFen: altered.amountFen + 100,
  });
  await simAdmin(running.engine.xjpUrl, '/statement-faults', { kind: 'duplicate', reference: duplicated.xjpOrderNo });
  await simAdmin(running.engine.xjpUrl, '/statement-faults', {
    kind: 'alter',
    reference: unpaid.xjpOrderNo,
    status: 'PAID',
  });
  await simAdmin(running.engine.xjpUrl, '/statement-faults', {
    kind: 'phantom',
    date,
    reference: 'XJPPHANTOM0001',
    amountFen: 500_000,
    status: 'PAID',
  });
  // XJP's dates for one order differ from ours (the 2026-11-23 against 2027-01-02 kind of case).
  await simAdmin(running.engine.xjpUrl, '/statement-faults', {
    kind: 'alter',
    reference: redated.xjpOrderNo,
    maturityDate: '2099-01-02',
  });
  // Redemptions: one settled by XJP for a fen more than we pay out, one we asked for that XJP does not
  // list, one XJP lists that we never asked for; the paid-out order's settlement matches our payout.
  const noon = new Date(shanghaiMidnight(date).getTime() + 12 * 3600 * 1000);
  // On the unpaid order, whose ledger stays still, so a re-run of the same books gives the same figures.
  await upsertRedemption(running.engine.db.orm.em.fork(), {
    orderNo: unpaid.orderNo,
    status: 'REQUESTED',
    principalFen: unpaid.amountFen,
    interestFen: 0,
    at: noon,
  });
  await upsertRedemption(running.engine.db.orm.em.fork(), {
    orderNo: matched.orderNo,
    status: 'SETTLED',
    xjpRedemptionId: 'XRTEST0001',
    principalFen: matched.amountFen,
    interestFen: 0,
    at: noon,
    settledAt: noon,
  });
  await simAdmin(running.engine.xjpUrl, '/statement-faults', {
    kind: 'phantom',
    section: 'redemptions',
    date,
    reference: matched.orderNo,
    amountFen: matched.amountFen + 1,
    status: 'SETTLED',
  });
  await simAdmin(running.engine.xjpUrl, '/statement-faults', {
    kind: 'phantom',
    section: 'redemptions',
    date,
    reference: 'XRPHANTOM0001',
    amountFen: 700_000,
    status: 'SETTLED',
  });
  await simAdmin(running.engine.lianlianUrl, '/statement-faults', { kind: 'duplicate', reference: payout.payoutNo });
  await simAdmin(running.engine.lianlianUrl, '/statement-faults', {
    kind: 'phantom',
    date,
    reference: 'PAYPHANTOM0001',
    amountFen: 300_000,
    status: 'SUCCESS',
  });
  // Ours only: a payout recorded on our side that LianLian never received.
  await createPayout(running.engine.db.orm.em.fork(), {
    orderNo: matched.orderNo,
    payoutNo: `${matched.orderNo}-P9`,
    attempt: 9,
    principalFen: matched.amountFen,
    interestFen: 0,
    at: noon,
  });

  const summary = await runThroughApi(date);
  const first = await report(date);
  expect(first.findings.map(brief).sort()).toEqual(
    [
      `XJP SUBSCRIPTION MATCHED ${paidOut.orderNo}`,
      `XJP SUBSCRIPTION MATCHED ${matched.orderNo}`,
      `XJP SUBSCRIPTION MISSING_AT_PARTNER ${dropped.orderNo}`,
      `XJP SUBSCRIPTION AMOUNT_MISMATCH ${altered.orderNo}`,
      `XJP SUBSCRIPTION DUPLICATE ${duplicated.orderNo}`,
      `XJP SUBSCRIPTION STATUS_MISMATCH ${unpaid.orderNo}`,
      `XJP SUBSCRIPTION DATE_MISMATCH ${redated.orderNo}`,
      'XJP SUBSCRIPTION MISSING_AT_US XJPPHANTOM0001',
      `XJP REDEMPTION MATCHED ${paidOut.orderNo}`,
      `XJP REDEMPTION AMOUNT_MISMATCH ${matched.orderNo}`,
      `XJP REDEMPTION MISSING_AT_PARTNER ${unpaid.orderNo}`,
      'XJP REDEMPTION MISSING_AT_US XRPHANTOM0001',
      `LIANLIAN PAYOUT DUPLICATE ${payout.payoutNo}`,
      'LIANLIAN PAYOUT MISSING_AT_US PAYPHANTOM0001',
      `LIANLIAN PAYOUT MISSING_AT_PARTNER ${matched.orderNo}-P9`,
    ].sort(),
  );
  const find = (kind: string, side = 'XJP', category = side === 'XJP' ? 'SUBSCRIPTION' : 'PAYOUT') =>
    first.findings.find((f) => f.kind === kind && f.side === side && f.category === category);
  expect(find('AMOUNT_MISMATCH')).toMatchObject({
    ourAmountFen: altered.amountFen,
    partnerAmountFen: altered.amountFen + 100,
  });
  expect(find('STATUS_MISMATCH')).toMatchObject({ ourStatus: 'SUBSCRIBED', partnerStatus: 'PAID' });
  expect(find('DATE_MISMATCH')).toMatchObject({
    ourAmountFen: redated.amountFen,
    partnerAmountFen: redated.amountFen,
    detail: expect.stringMatching(/^maturityDate ours \d{4}-\d{2}-\d{2}, partner 2099-01-02$/),
  });
  expect(find('MATCHED', 'XJP', 'REDEMPTION')).toMatchObject({
    partnerReference: redeemed.xjpRedemptionId,
    ourAmountFen: payout.totalFen,
    partnerAmountFen: payout.totalFen,
    ourStatus: 'SETTLED',
  });
  // Ours is what leaves for the order: its latest payout attempt (the P9 row below), principal only.
  expect(find('AMOUNT_MISMATCH', 'XJP', 'REDEMPTION')).toMatchObject({
    ourAmountFen: matched.amountFen,
    partnerAmountFen: matched.amountFen + 1,
  });
  expect(find('MISSING_AT_PARTNER', 'XJP', 'REDEMPTION')).toMatchObject({
    ourAmountFen: unpaid.amountFen,
    ourStatus: 'REQUESTED',
    partnerAmountFen: null,
  });
  expect(find('MISSING_AT_US', 'XJP', 'REDEMPTION')).toMatchObject({ ourAmountFen: null, partnerAmountFen: 700_000 });
  expect(find('MISSING_AT_US')).toMatchObject({ ourAmountFen: null, partnerAmountFen: 500_000 });
  expect(find('MISSING_AT_PARTNER', 'LIANLIAN')).toMatchObject({
    ourAmountFen: matched.amountFen,
    partnerAmountFen: null,
  });
  expect(find('DUPLICATE', 'LIANLIAN')).toMatchObject({
    ourAmountFen: payout.totalFen,
    partnerAmountFen: payout.totalFen,
    ourStatus: 'SUCCESS',
  });
  const expectedCounts = {
    MATCHED: 3,
    MISSING_AT_PARTNER: 3,
    MISSING_AT_US: 3,
    AMOUNT_MISMATCH: 2,
    STATUS_MISMATCH: 1,
    DATE_MISMATCH: 1,
    DUPLICATE: 2,
  };
  expect(first.run.counts).toEqual(expectedCounts);
  expect(summary).toEqual({ businessDate: date, counts: expectedCounts, discrepancies: 12 });

  // Nothing about money moved: the unpaid order is still waiting for its payment, the others accrue.
  const unpaidState = await running.engine.client.workflow
    .getHandle(purchaseWorkflowId(unpaid.orderNo))
    .query(purchaseStateQuery);
  expect(unpaidState.status).toBe('SUBSCRIBED');

  // The same books again: the same findings, and the date still holds one set of them.
  await runThroughApi(date);
  const second = await report(date);
  expect(second.findings).toEqual(first.findings);
  expect(await running.engine.db.orm.em.fork().count(ReconciliationFindingSchema, { businessDate: date })).toBe(
    first.findings.length,
  );

  // The partner heals (faults cleared): the re-run replaces the old findings rather than adding to them.
  await simAdmin(running.engine.xjpUrl, '/reset');
  const healedXjp = await runThroughApi(date);
  // XJP's books were reset, so now every order and redemption of ours is missing there (7 + 3, and
  // LianLian's P9); LianLian's findings are unchanged.
  expect(healedXjp.counts).toMatchObject({ MATCHED: 0, MISSING_AT_PARTNER: 11, MISSING_AT_US: 1, DUPLICATE: 1 });
  expect(await running.engine.db.orm.em.fork().count(ReconciliationFindingSchema, { businessDate: date })).toBe(13);

  // A run in flight (XJP's statement is slow) is joined, not started twice.
  await simAdmin(running.engine.xjpUrl, '/faults', {
    endpoint: '/api/statements/daily',
    kind: 'latency',
    count: 1,
    latencyMs: 3_000,
  });
  const firstStart = await ops(`/${date}/run`, 'POST');
  const secondStart = await ops(`/${date}/run`, 'POST');
  expect([firstStart.status, secondStart.status]).toEqual([202, 200]);
  const [a, b] = (await Promise.all([firstStart.json(), secondStart.json()])) as { runId: string; started: boolean }[];
  expect(b).toMatchObject({ started: false, runId: a?.runId });
  await running.engine.client.workflow.getHandle(reconciliationWorkflowId(date)).result();
});

test('a run without a date (as the schedule starts it) reconciles the Shanghai day before it was started', async () => {
  const handle = await running.engine.client.workflow.start('reconciliationWorkflow', {
    workflowId: 'reconciliation-undated-test',
    taskQueue: 'xjp-purchases',
    args: [{}],
  });
  const summary = (await handle.result()) as ReconciliationSummary;
  const startTime = (await handle.describe()).startTime;
  expect(summary.businessDate).toBe(previousBusinessDate(startTime));
});

test('the ops endpoints refuse a malformed date, answer 404 for a date never reconciled, and need an operator key', async () => {
  expect((await ops('?date=2026-02-30')).status).toBe(400);
  expect((await ops('/2026-13-01/run', 'POST')).status).toBe(400);
  expect((await ops('?date=2001-01-01')).status).toBe(404);
  const anonymous = await fetch(`${running.engine.apiUrl}/ops/reconciliation?date=2001-01-01`);
  expect(anonymous.status).toBe(401);
});
