/**
 * Refunds on the whole engine (time-skipping server, PostgreSQL, API, XJP and LianLian simulators):
 * money an order cannot keep goes back to the paying card through LianLian, exactly once, on its
 * own ledger rows, reconciled against LianLian's refund statement, and every refund that cannot
 * finish waits for finance.
 */
import request from 'supertest';
import type { Refund } from '../../../src/db/entities/refund';
import { PartnerError } from '../../../src/partners/errors';
import { createLianLianClient } from '../../../src/partners/lianlian';
import { findOrderByNo, listOrderEvents } from '../../../src/db/repositories/orders';
import { createRefund, listRefunds } from '../../../src/db/repositories/refunds';
import { ReconciliationFindingSchema } from '../../../src/db/entities/reconciliation-finding';
import { shanghaiDate } from '../../../src/domain/calendar';
import { TEST_FINANCE, TEST_OPERATOR, useTestEngine } from '../../../tools/testing/engine';
import { buy, memberAction, payAtCashier, purchaseBody, simAdmin, simState } from '../../../tools/testing/purchases';
import { waitForState } from '../../../tools/testing/wait';
import { purchaseStateQuery, purchaseWorkflowId } from '../../../workflows/purchase/contract';
import { reconciliationWorkflowId } from '../../../workflows/reconciliation/contract';
import { refundStateQuery, refundWorkflowId } from '../../../workflows/refund/contract';

const running = useTestEngine();
const em = () => running.engine.db.orm.em.fork();
const ops = () => request(running.engine.apiUrl);
const asFinance = { 'x-operator-key': TEST_FINANCE.key };
const audit = { reason: 'investor called; bank confirmed the transfer', evidenceRef: 'TICKET-7731' };

/** What LianLian's books say of payments and refunds. */
interface LianLianBooks {
  payments: Array<{ token: string; no_order: string; oid_paybill?: string; paidFen?: number }>;
  refunds: Array<{ no_refund: string; oid_paybill: string; moneyFen: number; sta_refund: string }>;
}
const lianlianBooks = () => simState<LianLianBooks>(running.engine.lianlianUrl);

/** Money LianLian returned on a bill: the sum of its successful refunds. */
async function refundedAtLianLian(billNo: string): Promise<number> {
  const { refunds } = await lianlianBooks();
  return refunds
    .filter((r) => r.oid_paybill === billNo && r.sta_refund === 'SUCCESS')
    .reduce((sum, r) => sum + r.moneyFen, 0);
}

function refundsOf(orderNo: string): Promise<Refund[]> {
  return listRefunds(em(), { orderNo });
}

/** Buys and waits until the payment, of `paidFen`, holds the order for finance. */
async function heldPayment(amountFen: number, paidFen: number): Promise<string> {
  const bought = await buy(running.engine, purchaseBody('XJP-P-0002', amountFen));
  expect(bought.status).toBe(201);
  const orderNo = bought.body.orderNo as string;
  await payAtCashier(bought.body.paymentUrl as string, paidFen);
  await waitForState(
    () => running.engine.client.workflow.getHandle(purchaseWorkflowId(orderNo)).query(purchaseStateQuery),
    (s) => s.awaiting === 'OPERATOR_REVIEW',
  );
  return orderNo;
}

async function decide(orderNo: string, action: 'ACCEPT_AS_PAID' | 'REFUSE_PAYMENT'): Promise<void> {
  const answer = await ops()
    .post(`/ops/orders/${orderNo}/payment-decision`)
    .set(asFinance)
    .send({ action, ...audit });
  expect(answer.status).toBe(200);
}

/** Waits until the order has a refund in `status`, and answers it. */
async function refundReaches(orderNo: string, status: Refund['status']): Promise<Refund> {
  const refunds = await waitForState(
    () => refundsOf(orderNo),
    (rows) => rows.some((r) => r.status === status),
  );
  return refunds.find((r) => r.status === status) as Refund;
}

test('an over-payment finance accepts is refunded the excess, once, and the order accrues on its own amount', async () => {
  const orderNo = await heldPayment(1_000_000, 1_000_150);
  await decide(orderNo, 'ACCEPT_AS_PAID');

  const refund = await refundReaches(orderNo, 'SUCCESS');

  expect(refund).toMatchObject({ cause: 'OVERPAID', amountFen: 150, attempt: 1 });
  expect(await refundedAtLianLian(refund.paymentBillNo)).toBe(150);
  expect(await refundsOf(orderNo)).toHaveLength(1);
  expect((await findOrderByNo(em(), orderNo))?.status).toBe('ACCRUING');
  expect((await listOrderEvents(em(), orderNo)).map((e) => e.cause)).toEqual(
    expect.arrayContaining(['OPERATOR_ACCEPTED_PAYMENT', 'REFUND_SUCCEEDED']),
  );
});

test('a payment finance refuses is refunded whole and the order stays REJECTED', async () => {
  const orderNo = await heldPayment(1_000_000, 999_900);
  await decide(orderNo, 'REFUSE_PAYMENT');

  const refund = await refundReaches(orderNo, 'SUCCESS');

  expect(refund).toMatchObject({ cause: 'PAYMENT_REFUSED', amountFen: 999_900 });
  expect(await refundedAtLianLian(refund.paymentBillNo)).toBe(999_900);
  expect((await findOrderByNo(em(), orderNo))?.status).toBe('REJECTED');
});

test('money paid at the cashier after the investor cancelled goes back to the card (PAID_AFTER_CLOSE)', async () => {
  const bought = await buy(running.engine, purchaseBody('XJP-P-0002', 300_000, 'M20001'));
  const orderNo = bought.body.orderNo as string;
  expect((await memberAction(running.engine, orderNo, 'cancel', 'M20001')).status).toBe(200);
  await waitForState(
    () => findOrderByNo(em(), orderNo),
    (o) => o?.status === 'CANCELLED',
  );

  await payAtCashier(bought.body.paymentUrl as string);

  const refund = await refundReaches(orderNo, 'SUCCESS');
  expect(refund).toMatchObject({ cause: 'PAID_AFTER_CLOSE', amountFen: 300_000 });
  expect(await refundedAtLianLian(refund.paymentBillNo)).toBe(300_000);
  expect((await findOrderByNo(em(), orderNo))?.status).toBe('CANCELLED');
});

test('a payment for no order we know waits for finance, and leaves only once approved (409 before, 403 for an operator)', async () => {
  const { xjp } = running.engine.apiDependencies;
  const account = await xjp.openAccount({
    requestId: 'stranger-acct',
    channel: 'APP',
    memberId: 'M-STRANGER',
    name: '李四',
    mobile: '13900139000',
    idCardNo: '11010519491231002X',
    email: 'lisi@example.com',
  });
  const order = await xjp.subscribe({
    requestId: 'stranger-sub',
    purchaseRecordId: 'XJP29990101000001',
    productId: 'XJP-P-0002',
    accountNo: account.accountNo,
    amountFen: 200_000,
  });
  await payAtCashier(order.cashierUrl);
  const billNo = await waitForState(
    async () => (await lianlianBooks()).payments.find((p) => p.no_order === order.xjpOrderNo)?.oid_paybill,
    (bill) => bill !== undefined,
  );
  const handle = running.engine.client.workflow.getHandle(refundWorkflowId(billNo as string));
  await waitForState(
    () => handle.query(refundStateQuery).catch(() => undefined),
    (s) => s?.parkReason === 'REFUND_APPROVAL_NEEDED',
  );
  const queued = await ops().get('/ops/refunds?status=AWAITING_APPROVAL').set(asFinance);
  expect(queued.body.refunds).toEqual([
    expect.objectContaining({ paymentBillNo: billNo, orderNo: null, cause: 'UNKNOWN_ORDER', amountFen: 200_000 }),
  ]);
  expect(await refundedAtLianLian(billNo as string)).toBe(0);

  const retryFirst = await ops().post(`/ops/refunds/${billNo}/retry`).set(asFinance).send(audit);
  expect([retryFirst.status, retryFirst.body.error.code]).toEqual([409, 'WRONG_STATE']);
  const byOperator = await ops()
    .post(`/ops/refunds/${billNo}/approve`)
    .set({ 'x-operator-key': TEST_OPERATOR.key })
    .send(audit);
  expect(byOperator.status).toBe(403);

  const approved = await ops().post(`/ops/refunds/${billNo}/approve`).set(asFinance).send(audit);
  expect(approved.status).toBe(202);
  expect(approved.body).toMatchObject({ action: 'APPROVE', operator: TEST_FINANCE.name });

  const result = await handle.result();
  expect(result).toMatchObject({ outcome: 'REFUNDED', amountFen: 200_000, attempts: 1 });
  expect(await refundedAtLianLian(billNo as string)).toBe(200_000);
  const [row] = await listRefunds(em(), { paymentBillNo: billNo as string });
  expect(row).toMatchObject({ status: 'SUCCESS', operator: TEST_FINANCE.name, evidenceRef: audit.evidenceRef });
});

test('a refund the bank fails waits for finance; the retry uses a new refund id and the money goes back once', async () => {
  await simAdmin(running.engine.lianlianUrl, '/refund-faults', { kind: 'fail', count: 1 });
  const orderNo = await heldPayment(500_000, 499_000);
  await decide(orderNo, 'REFUSE_PAYMENT');
  const failed = await refundReaches(orderNo, 'FAILURE');
  const handle = running.engine.client.workflow.getHandle(refundWorkflowId(failed.paymentBillNo));
  await waitForState(
    () => handle.query(refundStateQuery),
    (s) => s.parkReason === 'REFUND_FAILED',
  );
  expect((await listOrderEvents(em(), orderNo)).map((e) => e.cause)).toContain('REFUND_FAILED');

  const retried = await ops().post(`/ops/refunds/${failed.paymentBillNo}/retry`).set(asFinance).send(audit);
  expect(retried.status).toBe(202);

  expect(await handle.result()).toMatchObject({ outcome: 'REFUNDED', attempts: 2 });
  const rows = await refundsOf(orderNo);
  expect(rows.map((r) => [r.attempt, r.status]).sort()).toEqual([
    [1, 'FAILURE'],
    [2, 'SUCCESS'],
  ]);
  expect(await refundedAtLianLian(failed.paymentBillNo)).toBe(499_000);
});

test("LianLian's refund desk: idempotent on the refund id, never beyond what arrived on the bill, never for a bill it does not know", async () => {
  const lianlian = createLianLianClient({
    baseUrl: running.engine.lianlianUrl,
    oidPartner: '201811220000001',
    platformPrivateKeyPem: running.engine.keys.platform.privateKeyPem,
    timeoutMs: 5_000,
  });
  const bought = await buy(running.engine, purchaseBody('XJP-P-0002', 100_000, 'M30001'));
  await payAtCashier(bought.body.paymentUrl as string);
  const billNo = await waitForState(
    async () =>
      (await lianlianBooks()).payments.find((p) => (bought.body.paymentUrl as string).endsWith(p.token))?.oid_paybill,
    (bill) => bill !== undefined,
  );
  const refund = (refundId: string, amountFen: number, paymentBillNo = billNo as string) =>
    lianlian.applyRefund({
      refundId,
      paymentBillNo,
      amountFen,
      notifyUrl: `${running.engine.apiUrl}/x`,
      orderedAt: new Date(),
    });
  const refusalCode = (call: Promise<unknown>) =>
    call.then(
      () => 'ACCEPTED',
      (err: unknown) => (err instanceof PartnerError ? err.code : String(err)),
    );

  const first = await refund('RF-DESK-1', 60_000);
  expect(await refund('RF-DESK-1', 60_000)).toMatchObject({
    lianlianRefundNo: first.lianlianRefundNo,
    amountFen: 60_000,
  });
  expect(await refusalCode(refund('RF-DESK-1', 60_001))).toBe('4002');
  expect(await refusalCode(refund('RF-DESK-2', 40_001))).toBe('4003');
  expect(await refusalCode(refund('RF-DESK-3', 1, '20261202199999999'))).toBe('8902');
  await refund('RF-DESK-4', 40_000);
  expect(await refusalCode(refund('RF-DESK-5', 1))).toBe('4003');
  await waitForState(
    () => lianlian.queryRefund({ refundId: 'RF-DESK-4' }),
    (r) => r.state === 'SUCCESS',
  );
  expect(await refundedAtLianLian(billNo as string)).toBe(100_000);
});

test("reconciliation matches our refunds against LianLian's refund statement, and names the one LianLian never got", async () => {
  const orderNo = await heldPayment(800_000, 800_300);
  await decide(orderNo, 'ACCEPT_AS_PAID');
  const refunded = await refundReaches(orderNo, 'SUCCESS');
  const lost = await createRefund(em(), {
    refundNo: 'RF-NEVER-SENT',
    orderNo,
    xjpOrderNo: refunded.xjpOrderNo,
    paymentBillNo: 'BILL-NEVER-SENT',
    attempt: 1,
    amountFen: 123,
    cause: 'OVERPAID',
    status: 'PENDING',
    at: new Date(),
  });
  const businessDate = shanghaiDate(new Date());

  const started = await ops()
    .post(`/ops/reconciliation/${businessDate}/run`)
    .set({ 'x-operator-key': TEST_OPERATOR.key });
  expect(started.status).toBe(202);
  await running.engine.client.workflow.getHandle(reconciliationWorkflowId(businessDate)).result();

  const findings = await em().find(ReconciliationFindingSchema, { businessDate, category: 'REFUND' });
  const kindOf = (reference: string) => findings.find((f) => f.reference === reference)?.kind;
  expect(kindOf(refunded.refundNo)).toBe('MATCHED');
  expect(kindOf(lost.refundNo)).toBe('MISSING_AT_PARTNER');
});
