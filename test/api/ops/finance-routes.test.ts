/**
 * Finance's manual actions over HTTP on the real engine: each audited with the operator's name, a
 * reason and an evidence reference, refused with 409 in a state it does not apply to: payouts,
 * ledger corrections, and payments XJP confirms that the order cannot take as they are.
 * (401 without an operator key: test/api/ops/ops-routes.test.ts covers every /ops route.)
 */
import request from 'supertest';
import { ledgerInterestFen } from '../../../src/db/repositories/accruals';
import { findOrderByNo, listOrderEvents } from '../../../src/db/repositories/orders';
import { TEST_FINANCE, TEST_OPERATOR, useTestEngine } from '../../../tools/testing/engine';
import { payoutStateOf, seedMaturedOrder, skipUntilPayout, startPayout } from '../../../tools/testing/payouts';
import { buy, payAtCashier, purchaseBody, simAdmin } from '../../../tools/testing/purchases';
import { purchaseStateQuery, purchaseWorkflowId } from '../../../workflows/purchase/contract';
import { waitForState } from '../../../tools/testing/wait';

const running = useTestEngine();
const ops = () => request(running.engine.apiUrl);
const asFinance = { 'x-operator-key': TEST_FINANCE.key };
const audit = { reason: 'paid by bank transfer after the card was closed', evidenceRef: 'BANK-SLIP-0042' };
const em = () => running.engine.db.orm.em.fork();

describe('POST /ops/orders/:orderNo/manual-payout', () => {
  test('completes a parked order as MANUAL_PAYOUT, audited; 409 before the payout parks and once it is settled', async () => {
    const order = await seedMaturedOrder(running, { principalFen: 210_000, days: 2, redemptionOffByFen: -1 });
    const early = await ops().post(`/ops/orders/${order.orderNo}/manual-payout`).set(asFinance).send(audit);
    expect(early.status).toBe(409);
    await startPayout(running, order);
    await skipUntilPayout(running, order.orderNo, (s) => s.parkReason === 'REDEMPTION_MISMATCH');

    const response = await ops().post(`/ops/orders/${order.orderNo}/manual-payout`).set(asFinance).send(audit);

    expect(response.status).toBe(202);
    expect(response.body).toMatchObject({
      orderNo: order.orderNo,
      action: 'MARK_PAID_BY_HAND',
      operator: TEST_FINANCE.name,
      payout: { status: 'COMPLETED' },
    });
    expect((await findOrderByNo(em(), order.orderNo))?.status).toBe('COMPLETED');
    expect((await listOrderEvents(em(), order.orderNo)).at(-1)).toMatchObject({
      toStatus: 'COMPLETED',
      cause: 'MANUAL_PAYOUT',
      actor: 'OPERATOR',
      actorRef: TEST_FINANCE.name,
      detail: expect.objectContaining(audit),
    });
    const again = await ops().post(`/ops/orders/${order.orderNo}/manual-payout`).set(asFinance).send(audit);
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('WRONG_STATE');
  });

  test('answers 400 without a reason or evidence and 404 for an order we do not have', async () => {
    const order = await seedMaturedOrder(running, { principalFen: 220_000, days: 1 });
    const unexplained = await ops()
      .post(`/ops/orders/${order.orderNo}/manual-payout`)
      .set(asFinance)
      .send({ reason: ' ' });
    expect(unexplained.status).toBe(400);
    expect(unexplained.body.error.fields.map((f: { field: string }) => f.field)).toEqual([
      'body.reason',
      'body.evidenceRef',
    ]);
    const unknown = await ops().post('/ops/orders/XJP20261122999999/manual-payout').set(asFinance).send(audit);
    expect(unknown.status).toBe(404);
  });
});

describe('POST /ops/orders/:orderNo/payout-query', () => {
  test('asks LianLian at once while a payout waits for its lost result, which completes the order; 409 when nothing is awaited', async () => {
    const order = await seedMaturedOrder(running, { principalFen: 230_000, days: 2 });
    await simAdmin(running.engine.lianlianUrl, '/notification-faults', { kind: 'drop', count: 1 });
    await startPayout(running, order);
    // No time is skipped: without the forced query the run would wait 10 minutes of workflow time.
    await waitForState(
      () => payoutStateOf(running, order.orderNo),
      (s) => s.awaiting === 'PAYOUT_RESULT',
    );
    await new Promise((resolve) => setTimeout(resolve, 500));

    const response = await ops().post(`/ops/orders/${order.orderNo}/payout-query`).set(asFinance).send(audit);

    expect(response.status).toBe(202);
    expect(response.body).toMatchObject({ action: 'QUERY_NOW', operator: TEST_FINANCE.name });
    await waitForState(
      () => findOrderByNo(em(), order.orderNo),
      (o) => o?.status === 'COMPLETED',
    );
    const again = await ops().post(`/ops/orders/${order.orderNo}/payout-query`).set(asFinance).send(audit);
    expect(again.status).toBe(409);
  });
});

describe('POST /ops/orders/:orderNo/ledger-corrections', () => {
  test('appends a signed correction row with an audited event; 400 for zero, 409 once the order is paid out', async () => {
    const order = await seedMaturedOrder(running, { principalFen: 240_000, days: 3 });

    const response = await ops()
      .post(`/ops/orders/${order.orderNo}/ledger-corrections`)
      .set(asFinance)
      .send({ amountFen: -1, ...audit });

    expect(response.status).toBe(201);
    expect(response.body).toMatchObject({ orderNo: order.orderNo, amountFen: -1, operator: TEST_FINANCE.name });
    expect(await ledgerInterestFen(em(), order.orderNo)).toBe(order.interestFen - 1);
    expect((await listOrderEvents(em(), order.orderNo)).at(-1)).toMatchObject({
      toStatus: 'MATURED',
      cause: 'LEDGER_CORRECTED',
      actor: 'OPERATOR',
      actorRef: TEST_FINANCE.name,
      detail: expect.objectContaining({ amountFen: -1, ...audit }),
    });
    const zero = await ops()
      .post(`/ops/orders/${order.orderNo}/ledger-corrections`)
      .set(asFinance)
      .send({ amountFen: 0, ...audit });
    expect(zero.status).toBe(400);
    expect(zero.body.error.fields[0].field).toBe('body.amountFen');

    const paid = await seedMaturedOrder(running, { principalFen: 250_000, days: 1 });
    await startPayout(running, paid);
    await waitForState(
      () => findOrderByNo(em(), paid.orderNo),
      (o) => o?.status === 'COMPLETED',
    );
    const late = await ops()
      .post(`/ops/orders/${paid.orderNo}/ledger-corrections`)
      .set(asFinance)
      .send({ amountFen: 5, ...audit });
    expect(late.status).toBe(409);
    expect(late.body.error.code).toBe('WRONG_STATE');
  });
});

describe('POST /ops/orders/:orderNo/payment-decision', () => {
  /** An order whose money arrived short by 1 yuan: XJP confirms the payment, the order waits for finance. */
  async function shortPaidOrder(): Promise<string> {
    const bought = await buy(running.engine, purchaseBody('XJP-P-0002', 1_000_000));
    expect(bought.status).toBe(201);
    const orderNo = bought.body.orderNo as string;
    await payAtCashier(bought.body.paymentUrl as string, 999_900);
    await waitForState(
      () => running.engine.client.workflow.getHandle(purchaseWorkflowId(orderNo)).query(purchaseStateQuery),
      (s) => s.awaiting === 'OPERATOR_REVIEW',
    );
    return orderNo;
  }

  test('a short payment XJP confirms never accrues: held as PAID_AMOUNT_MISMATCH, then refused by finance it ends REJECTED, audited', async () => {
    const orderNo = await shortPaidOrder();
    expect((await findOrderByNo(em(), orderNo))?.status).toBe('SUBSCRIBED');
    expect((await listOrderEvents(em(), orderNo)).map((e) => e.cause)).toContain('PAID_AMOUNT_MISMATCH');

    const refused = await ops()
      .post(`/ops/orders/${orderNo}/payment-decision`)
      .set(asFinance)
      .send({ action: 'REFUSE_PAYMENT', ...audit });

    expect(refused.status).toBe(200);
    expect(refused.body).toMatchObject({
      orderNo,
      action: 'REFUSE_PAYMENT',
      operator: TEST_FINANCE.name,
      status: 'REJECTED',
    });
    expect(await findOrderByNo(em(), orderNo)).toMatchObject({
      status: 'REJECTED',
      rejectReason: 'PAID_AMOUNT_MISMATCH',
    });
    expect((await listOrderEvents(em(), orderNo)).at(-1)).toMatchObject({
      cause: 'OPERATOR_REFUSED_PAYMENT',
      actor: 'OPERATOR',
      actorRef: TEST_FINANCE.name,
      detail: expect.objectContaining({ paidAmountFen: 999_900, amountFen: 1_000_000, ...audit }),
    });
  });

  test('answers 409 for an order not held for a payment decision, 400 for an unknown action, 403 for an operator without the finance role', async () => {
    const bought = await buy(running.engine, purchaseBody('XJP-P-0002', 1_000_000));
    const orderNo = bought.body.orderNo as string;
    const early = await ops()
      .post(`/ops/orders/${orderNo}/payment-decision`)
      .set(asFinance)
      .send({ action: 'ACCEPT_AS_PAID', ...audit });
    expect([early.status, early.body.error.code]).toEqual([409, 'WRONG_STATE']);

    const unknown = await ops()
      .post(`/ops/orders/${orderNo}/payment-decision`)
      .set(asFinance)
      .send({ action: 'KEEP_IT', ...audit });
    expect([unknown.status, unknown.body.error.fields[0].field]).toEqual([400, 'body.action']);

    const asOperator = await ops()
      .post(`/ops/orders/${orderNo}/payment-decision`)
      .set({ 'x-operator-key': TEST_OPERATOR.key })
      .send({ action: 'ACCEPT_AS_PAID', ...audit });
    expect(asOperator.status).toBe(403);
  });
});

describe('POST /ops/orders/:orderNo/payment-query', () => {
  test("asks XJP's payment query now when the notification was lost: PAID at once, audited; 409 once nothing waits for a payment, 403 without the finance role", async () => {
    const bought = await buy(running.engine, purchaseBody('XJP-P-0002', 400_000, 'M40001'));
    const orderNo = bought.body.orderNo as string;
    await simAdmin(running.engine.xjpUrl, '/notification-faults', { kind: 'drop', count: 1 });
    await payAtCashier(bought.body.paymentUrl as string);
    // The notification is lost: the order still waits for its payment (the window is 30 minutes).
    await waitForState(
      async () => {
        const response = await fetch(`${running.engine.lianlianUrl}/admin/state`);
        const books = (await response.json()) as { payments: Array<{ token: string; status: string }> };
        return books.payments.find((p) => (bought.body.paymentUrl as string).endsWith(p.token))?.status;
      },
      (status) => status === 'PAID',
    );
    const asOperator = await ops()
      .post(`/ops/orders/${orderNo}/payment-query`)
      .set({ 'x-operator-key': TEST_OPERATOR.key })
      .send(audit);
    expect(asOperator.status).toBe(403);

    const asked = await ops().post(`/ops/orders/${orderNo}/payment-query`).set(asFinance).send(audit);

    expect(asked.status).toBe(200);
    expect(asked.body).toMatchObject({ orderNo, action: 'QUERY_PAYMENT_NOW', operator: TEST_FINANCE.name });
    expect(['PAID', 'ACCRUING']).toContain(asked.body.status);
    const causes = (await listOrderEvents(em(), orderNo)).map((e) => [e.cause, e.actorRef]);
    expect(causes).toEqual(
      expect.arrayContaining([
        ['XJP_PAYMENT_QUERIED', null],
        ['PAYMENT_QUERY_REQUESTED', TEST_FINANCE.name],
      ]),
    );
    const again = await ops().post(`/ops/orders/${orderNo}/payment-query`).set(asFinance).send(audit);
    expect([again.status, again.body.error.code]).toEqual([409, 'WRONG_STATE']);
  });
});
