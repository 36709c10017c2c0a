import request from 'supertest';
import { InterestAccrualSchema } from '../../../src/db/entities/interest-accrual';
import { PurchaseOrderSchema } from '../../../src/db/entities/purchase-order';
import { shanghaiDate, addDays } from '../../../src/domain/calendar';
import { purchaseStateQuery, purchaseWorkflowId } from '../../../workflows/purchase/contract';
import { postAccrualNights } from '../../../tools/testing/accrual-nights';
import { TEST_API_KEY, TEST_FINANCE, TEST_OPERATOR, TEST_VIEWER, useTestEngine } from '../../../tools/testing/engine';
import { addedBesidesWorkflowTasks, historyEventTypes } from '../../../tools/testing/history';
import { asPlatformFor, buy, payAtCashier, purchaseBody, simAdmin } from '../../../tools/testing/purchases';
import { waitForState } from '../../../tools/testing/wait';

/** Seeded orders: A paid (member M-A, 30 days), B unpaid (M-B, 90 days), C unpaid (M-A, 180 days), created in that order. */
let orderA: string;
let orderB: string;
let orderC: string;

const ops = () => request(running.engine.apiUrl);
const asOperator = { 'x-operator-key': TEST_OPERATOR.key };
const asFinance = { 'x-operator-key': TEST_FINANCE.key };
const state = (orderNo: string) =>
  running.engine.client.workflow.getHandle(purchaseWorkflowId(orderNo)).query(purchaseStateQuery);

async function seed(productId: string, amountFen: number, memberId: string): Promise<string> {
  const created = await buy(running.engine, purchaseBody(productId, amountFen, memberId));
  expect(created.status).toBe(201);
  return created.body.orderNo as string;
}

const running = useTestEngine();

beforeAll(async () => {
  orderA = await seed('XJP-P-0001', 200_000, 'M-A');
  const created = await ops()
    .get(`/v1/purchases/${orderA}`)
    .set(await asPlatformFor('M-A'));
  await payAtCashier(created.body.paymentUrl as string);
  await waitForState(
    () => state(orderA),
    (s) => s.status === 'ACCRUING',
  );
  orderB = await seed('XJP-P-0002', 1_000_000, 'M-B');
  orderC = await seed('XJP-P-0003', 100_000, 'M-A');
});

describe('operator credential', () => {
  test.each([
    ['GET', '/ops/orders'],
    ['GET', '/ops/overview'],
    ['GET', '/ops/orders/XJP20261122000123'],
    ['POST', '/ops/orders/XJP20261122000123/retry-payout'],
    ['POST', '/ops/orders/XJP20261122000123/manual-payout'],
    ['POST', '/ops/orders/XJP20261122000123/payout-query'],
    ['POST', '/ops/orders/XJP20261122000123/ledger-corrections'],
    ['POST', '/ops/orders/XJP20261122000123/interest-decision'],
  ])('%s %s answers 401 without a key, with a wrong key and with the platform API key', async (method, path) => {
    const call = (headers: Record<string, string>) =>
      (method === 'GET' ? ops().get(path) : ops().post(path)).set(headers);
    const attempts: Array<Record<string, string>> = [
      {},
      { 'x-operator-key': 'not-an-operator-key-at-all' },
      { 'x-api-key': TEST_API_KEY },
    ];
    for (const headers of attempts) {
      const response = await call(headers);
      expect(response.status).toBe(401);
      expect(response.body.error.code).toBe('UNAUTHENTICATED');
    }
  });
});

describe('operator roles', () => {
  const as = (operator: { key: string }) => ({ 'x-operator-key': operator.key });
  const actions = () => [
    `/ops/orders/${orderB}/retry-payout`,
    `/ops/orders/${orderB}/interest-decision`,
    '/ops/reconciliation/2026-11-01/run',
  ];

  test('a viewer reads orders and the overview but cannot act: 403 FORBIDDEN_ROLE on every action, and the order is unchanged', async () => {
    expect((await ops().get('/ops/orders').set(as(TEST_VIEWER))).status).toBe(200);
    expect((await ops().get('/ops/overview').set(as(TEST_VIEWER))).status).toBe(200);
    const before = (await state(orderB)).status;
    for (const path of actions()) {
      const response = await ops().post(path).set(as(TEST_VIEWER)).send({ decision: 'REJECT' });
      expect({ path, status: response.status, code: response.body.error?.code }).toEqual({
        path,
        status: 403,
        code: 'FORBIDDEN_ROLE',
      });
      expect(response.body.error.message).toContain(TEST_VIEWER.name);
    }
    expect((await state(orderB)).status).toBe(before);
  });

  test('finance may start a reconciliation run; a payout action is finance’s, not the operator role’s', async () => {
    const run = await ops().post('/ops/reconciliation/2026-11-02/run').set(as(TEST_FINANCE));
    expect([200, 202]).toContain(run.status);
    const audit = { reason: 'card reissued', evidenceRef: 'TICKET-1' };
    expect((await ops().post(`/ops/orders/${orderB}/retry-payout`).set(as(TEST_OPERATOR)).send(audit)).status).toBe(
      403,
    );
    // Finance passes the role check (the order has no payout to retry: 409, not 403).
    expect((await ops().post(`/ops/orders/${orderB}/retry-payout`).set(as(TEST_FINANCE)).send(audit)).status).toBe(409);
  });
});

describe('GET /ops/orders', () => {
  const search = async (query: Record<string, string | string[]>) => {
    const response = await ops().get('/ops/orders').query(query).set(asOperator);
    expect(response.status).toBe(200);
    return response.body as {
      total: number;
      page: number;
      pageSize: number;
      items: Array<{ orderNo: string; status: string; investorName: string; bankCard: string }>;
    };
  };
  const numbers = (result: { items: Array<{ orderNo: string }> }) => result.items.map((item) => item.orderNo);

  test('lists every order newest first, personal data masked', async () => {
    const all = await search({});
    expect(all.total).toBe(3);
    expect(numbers(all)).toEqual([orderC, orderB, orderA]);
    expect(all.items[0]).toMatchObject({ investorName: '张*', bankCard: '**** 3446' });
    expect(JSON.stringify(all)).not.toMatch(/6222020200112233446|13800138000|11010519491231002X/);
  });

  test('filters by member, product and order number', async () => {
    expect(numbers(await search({ memberId: 'M-A' }))).toEqual([orderC, orderA]);
    expect(numbers(await search({ productId: 'XJP-P-0002' }))).toEqual([orderB]);
    expect(numbers(await search({ orderNo: orderA }))).toEqual([orderA]);
    expect(numbers(await search({ memberId: 'M-B', productId: 'XJP-P-0001' }))).toEqual([]);
  });

  test('filters by one state or several, repeated or comma-separated', async () => {
    expect(numbers(await search({ state: 'SUBSCRIBED' }))).toEqual([orderC, orderB]);
    expect(numbers(await search({ state: 'ACCRUING' }))).toEqual([orderA]);
    expect(numbers(await search({ state: ['ACCRUING', 'SUBSCRIBED'] }))).toEqual([orderC, orderB, orderA]);
    expect(numbers(await search({ state: 'ACCRUING,COMPLETED' }))).toEqual([orderA]);
  });

  test('filters by created date range in Shanghai days, both ends included', async () => {
    const today = shanghaiDate(new Date());
    expect((await search({ createdFrom: today, createdTo: today })).total).toBe(3);
    expect((await search({ createdFrom: addDays(today, 1) })).total).toBe(0);
    expect((await search({ createdTo: addDays(today, -1) })).total).toBe(0);
  });

  test('pages through the results', async () => {
    const first = await search({ pageSize: '2', page: '1' });
    const second = await search({ pageSize: '2', page: '2' });
    expect(numbers(first)).toEqual([orderC, orderB]);
    expect(second).toMatchObject({ total: 3, page: 2, pageSize: 2 });
    expect(numbers(second)).toEqual([orderA]);
  });

  test('refuses an unknown state, a reversed date range and an oversized page with 400', async () => {
    for (const query of [
      { state: 'PAID,SHIPPED' },
      { createdFrom: '2026-11-20', createdTo: '2026-11-19' },
      { pageSize: '1000' },
      { colour: 'red' },
    ]) {
      const response = await ops().get('/ops/orders').query(query).set(asOperator);
      expect(response.status).toBe(400);
      expect(response.body.error.code).toBe('VALIDATION_FAILED');
    }
  });
});

describe('GET /ops/orders/:orderNo', () => {
  test('shows events, the accrual summary, payouts, redemption, live workflow state and the notifications received', async () => {
    const response = await ops().get(`/ops/orders/${orderA}`).set(asOperator);
    expect(response.status).toBe(200);
    const detail = response.body;
    expect(detail).toMatchObject({
      orderNo: orderA,
      memberId: 'M-A',
      status: 'ACCRUING',
      payouts: [],
      redemption: null,
    });
    expect(detail.workflow).toMatchObject({ status: 'ACCRUING', awaiting: 'NOTHING' });
    expect(detail.accruals).toMatchObject({
      daysPosted: 0,
      accruedInterestFen: 0,
      expectedInterestFen: expect.any(Number),
    });
    expect(detail.events.map((e: { to: string }) => e.to)).toEqual(['CREATED', 'SUBSCRIBED', 'PAID', 'ACCRUING']);
    expect(detail.notifications).toHaveLength(1);
    expect(detail.notifications[0]).toMatchObject({ partner: 'XJP', result: 'SIGNALLED', signatureValid: true });
    expect(JSON.parse(detail.notifications[0].rawBody as string)).toMatchObject({ payStatus: 'PAID' });
    expect(JSON.stringify(detail)).not.toMatch(/6222020200112233446|13800138000|11010519491231002X/);
  });

  test('answers 404 for an order we do not have and 400 for a malformed number', async () => {
    expect((await ops().get('/ops/orders/XJP20000101000001').set(asOperator)).status).toBe(404);
    expect((await ops().get('/ops/orders/nope').set(asOperator)).status).toBe(400);
  });
});

describe('POST /ops/orders/:orderNo/interest-decision', () => {
  test("is refused with 409 by the Update's validator unless the workflow awaits an operator review, nothing written to history; a bad decision is a 400", async () => {
    const handle = running.engine.client.workflow.getHandle(purchaseWorkflowId(orderA));
    const before = await historyEventTypes(handle);
    const wrong = await ops()
      .post(`/ops/orders/${orderA}/interest-decision`)
      .set(asOperator)
      .send({ decision: 'ACCEPT_XJP_FIGURE' });
    expect(wrong.status).toBe(409);
    expect(wrong.body.error.code).toBe('WRONG_STATE');
    expect(addedBesidesWorkflowTasks(before, await historyEventTypes(handle))).toEqual([]);
    const bad = await ops().post(`/ops/orders/${orderA}/interest-decision`).set(asOperator).send({ decision: 'MAYBE' });
    expect(bad.status).toBe(400);
  });

  test('a held mismatch is counted in the overview; ACCEPT subscribes the order, REJECT ends it REJECTED, each by the operator', async () => {
    await simAdmin(running.engine.xjpUrl, '/products/XJP-P-0005/interest-skew', { fen: 1 });
    const held = await Promise.all([0, 1].map(() => buy(running.engine, purchaseBody('XJP-P-0005', 100_000, 'M-R'))));
    await simAdmin(running.engine.xjpUrl, '/products/XJP-P-0005/interest-skew', { fen: 0 });
    const [accepted, rejected] = held.map((h) => {
      expect(h.status).toBe(202);
      expect(h.body).toMatchObject({ status: 'CREATED', awaiting: 'OPERATOR_REVIEW' });
      return h.body.orderNo as string;
    }) as [string, string];

    const overview = await ops().get('/ops/overview').set(asOperator);
    expect(overview.body.interestMismatchesAwaitingReview).toBe(2);

    const accept = await ops()
      .post(`/ops/orders/${accepted}/interest-decision`)
      .set(asOperator)
      .send({ decision: 'ACCEPT_XJP_FIGURE' });
    expect(accept.status).toBe(200);
    expect(accept.body).toMatchObject({
      orderNo: accepted,
      status: 'SUBSCRIBED',
      decision: 'ACCEPT_XJP_FIGURE',
      operator: TEST_OPERATOR.name,
    });
    const reject = await ops()
      .post(`/ops/orders/${rejected}/interest-decision`)
      .set(asOperator)
      .send({ decision: 'REJECT' });
    expect(reject.status).toBe(200);
    expect(reject.body).toMatchObject({ orderNo: rejected, status: 'REJECTED' });

    await waitForState(
      () => state(accepted),
      (s) => s.status === 'SUBSCRIBED',
    );
    await waitForState(
      () => state(rejected),
      (s) => s.status === 'REJECTED',
    );
    const detail = await ops().get(`/ops/orders/${rejected}`).set(asOperator);
    expect(detail.body.events.at(-1)).toMatchObject({
      to: 'REJECTED',
      actor: 'OPERATOR',
      actorRef: TEST_OPERATOR.name,
    });
    expect((await ops().get('/ops/overview').set(asOperator)).body.interestMismatchesAwaitingReview).toBe(0);
  });
});

describe('GET /ops/overview', () => {
  test('after days of accrual: principal outstanding, ledger interest, states, maturities and failures', async () => {
    await running.env.sleep('3 days');
    // The nightly batch posts the ended days (run here: the test server has no Schedules).
    const today = shanghaiDate(new Date(await running.env.currentTimeMs()));
    const { interestStartDate } = await running.engine.db.orm.em
      .fork()
      .findOneOrFail(PurchaseOrderSchema, { orderNo: orderA });
    await postAccrualNights(running.engine, interestStartDate ?? today, addDays(today, -1));
    expect(
      await running.engine.db.orm.em.fork().count(InterestAccrualSchema, { order: { orderNo: orderA } }),
    ).toBeGreaterThanOrEqual(2);
    await waitForState(
      () => state(orderB),
      (s) => s.status === 'EXPIRED',
    );
    const accruals = await running.engine.db.orm.em.fork().find(InterestAccrualSchema, { order: { orderNo: orderA } });
    const ledgerInterest = accruals.reduce((sum, a) => sum + a.amountFen, 0);
    expect(ledgerInterest).toBeGreaterThan(0);

    const { maturityDate } = (await ops().get(`/ops/orders/${orderA}`).set(asOperator)).body as {
      maturityDate: string;
    };
    const response = await ops().get('/ops/overview').query({ date: maturityDate }).set(asOperator);
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({
      date: maturityDate,
      principalOutstanding: { orders: 1, fen: 200_000 },
      interestAccruedFen: ledgerInterest,
      maturingToday: { orders: 1, principalFen: 200_000 },
      maturingThisWeek: { orders: 1, principalFen: 200_000 },
      payoutsFailed: { orders: 0, principalFen: 0 },
      interestMismatchesAwaitingReview: 0,
    });
    expect(response.body.ordersByState).toMatchObject({ ACCRUING: 1, EXPIRED: 3, REJECTED: 1, COMPLETED: 0 });

    const dayBefore = await ops()
      .get('/ops/overview')
      .query({ date: addDays(maturityDate, -7) })
      .set(asOperator);
    expect(dayBefore.body.maturingToday).toEqual({ orders: 0, principalFen: 0 });
    expect((await ops().get('/ops/overview').query({ date: '2026-02-30' }).set(asOperator)).status).toBe(400);
  });
});

describe('POST /ops/orders/:orderNo/retry-payout', () => {
  const audit = { reason: 'LianLian fixed the card route', evidenceRef: 'TICKET-9' };

  test('is refused with 409 while the order has no payout, and with 400 without a reason and evidence', async () => {
    const response = await ops().post(`/ops/orders/${orderA}/retry-payout`).set(asFinance).send(audit);
    expect(response.status).toBe(409);
    expect(response.body.error.code).toBe('WRONG_STATE');
    const unexplained = await ops().post(`/ops/orders/${orderA}/retry-payout`).set(asFinance).send({});
    expect(unexplained.status).toBe(400);
    expect(unexplained.body.error.fields.map((f: { field: string }) => f.field)).toEqual([
      'body.reason',
      'body.evidenceRef',
    ]);
  });

  test('a PAYOUT_FAILED order is retried with 202 by the named finance operator and reaches COMPLETED', async () => {
    await simAdmin(running.engine.lianlianUrl, '/payout-faults', { kind: 'fail', count: 1 });
    await running.env.sleep('31 days');
    await waitForState(
      () =>
        ops()
          .get(`/ops/orders/${orderA}`)
          .set(asOperator)
          .then((r) => r.body),
      (d) => d.payoutWorkflow?.awaiting === 'OPERATOR_REVIEW',
      60_000,
    );
    const parked = (await ops().get(`/ops/orders/${orderA}`).set(asOperator)).body;
    expect(parked).toMatchObject({
      status: 'PAYOUT_FAILED',
      payoutWorkflow: { status: 'PAYOUT_FAILED', parkReason: 'PAYOUT_FAILED', attempts: 1 },
    });
    const overview = await ops().get('/ops/overview').set(asOperator);
    expect(overview.body.payoutsFailed).toEqual({ orders: 1, principalFen: 200_000 });

    const response = await ops().post(`/ops/orders/${orderA}/retry-payout`).set(asFinance).send(audit);
    expect(response.status).toBe(202);
    expect(response.body).toMatchObject({
      orderNo: orderA,
      action: 'RETRY',
      operator: TEST_FINANCE.name,
      payout: { status: 'PAYING_OUT' },
    });
    // The payout workflow watches a success 30 days for a reversal before the purchase completes.
    await waitForState(
      () =>
        ops()
          .get(`/ops/orders/${orderA}`)
          .set(asOperator)
          .then((r) => r.body),
      (d) => d.payoutWorkflow?.awaiting === 'REVERSAL_WATCH',
      60_000,
    );
    await running.env.sleep('31 days');
    await waitForState(
      () => state(orderA),
      (s) => s.status === 'COMPLETED',
      60_000,
    );

    const detail = (await ops().get(`/ops/orders/${orderA}`).set(asOperator)).body;
    expect(detail.payouts.map((p: { status: string }) => p.status)).toEqual(['FAILURE', 'SUCCESS']);
    expect(detail.events).toContainEqual(
      expect.objectContaining({ cause: 'OPERATOR_RETRIED_PAYOUT', actor: 'OPERATOR', actorRef: TEST_FINANCE.name }),
    );
    expect(detail.events.find((e: { cause: string }) => e.cause === 'OPERATOR_RETRIED_PAYOUT').detail).toMatchObject(
      audit,
    );
    expect(detail.redemption).toMatchObject({ principalFen: 200_000 });
    expect(
      detail.notifications.filter((n: { partner: string }) => n.partner === 'LIANLIAN').length,
    ).toBeGreaterThanOrEqual(2);
  });
});
