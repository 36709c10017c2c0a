/** `GET /v1/purchases/:orderNo`, `/cancel` and `/withdraw` over real HTTP, on a real running.engine. */
import request from 'supertest';
import { purchaseStateQuery, purchaseWorkflowId } from '../../workflows/purchase/contract';
import { TEST_API_KEY, useTestEngine } from '../../tools/testing/engine';
import { asMember } from '../../tools/testing/member-tokens';
import { buy, payAtCashier, purchaseBody } from '../../tools/testing/purchases';
import { waitForState } from '../../tools/testing/wait';

const running = useTestEngine();

const api = () => request(running.engine.apiUrl);
const UNKNOWN_ORDER_NO = 'XJP20990101999999';

/** Buys and answers the new order's number (SUBSCRIBED, awaiting payment). */
async function subscribedOrder(
  productId = 'XJP-P-0002',
  amountFen = 1_000_000,
): Promise<{ orderNo: string; paymentUrl: string }> {
  const created = await buy(running.engine, purchaseBody(productId, amountFen));
  expect(created.status).toBe(201);
  return { orderNo: created.body.orderNo as string, paymentUrl: created.body.paymentUrl as string };
}

function stateOf(orderNo: string) {
  return running.engine.client.workflow.getHandle(purchaseWorkflowId(orderNo)).query(purchaseStateQuery);
}

/** The member every order here is bought for (purchaseBody's default). */
const MEMBER = 'M10001';

async function get(orderNo: string) {
  return api()
    .get(`/v1/purchases/${orderNo}`)
    .set('x-api-key', TEST_API_KEY)
    .set(await asMember(MEMBER));
}

async function action(orderNo: string, name: 'cancel' | 'withdraw') {
  return api()
    .post(`/v1/purchases/${orderNo}/${name}`)
    .set('x-api-key', TEST_API_KEY)
    .set(await asMember(MEMBER));
}

describe('GET /v1/purchases/:orderNo', () => {
  test('a paid order shows state, amounts, dates, accrued interest, payouts and its event history, and no spent cashier link', async () => {
    const { orderNo, paymentUrl } = await subscribedOrder();
    expect((await get(orderNo)).body).toMatchObject({
      status: 'SUBSCRIBED',
      paymentUrl,
      payBefore: expect.any(String),
    });
    await payAtCashier(paymentUrl);
    await waitForState(
      () => stateOf(orderNo),
      (s) => s.status === 'ACCRUING',
    );

    const response = await get(orderNo);
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({
      orderNo,
      memberId: 'M10001',
      status: 'ACCRUING',
      amountFen: 1_000_000,
      expectedInterestFen: 9370,
      accruedInterestFen: 0,
      payouts: [],
      product: { productId: 'XJP-P-0002', annualRate: '0.038', term: { unit: 'DAY', value: 90 }, dayCountBasis: 365 },
      interestStartDate: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/),
      maturityDate: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/),
      paidAt: expect.any(String),
      xjpOrderNo: expect.any(String),
    });
    expect(response.body).not.toHaveProperty('paymentUrl');
    expect(response.body).not.toHaveProperty('payBefore');
    const transitions = (response.body.events as Array<{ from: string | null; to: string }>).map(
      (e) => `${e.from ?? '-'}>${e.to}`,
    );
    expect(transitions).toEqual(['->CREATED', 'CREATED>SUBSCRIBED', 'SUBSCRIBED>PAID', 'PAID>ACCRUING']);
  });

  test('personal data is masked: no clear ID card, mobile, email or card number anywhere in the body', async () => {
    const { orderNo } = await subscribedOrder();
    const response = await get(orderNo);
    expect(response.status).toBe(200);
    const investor = purchaseBody('X', 1).investor;
    const cardNo = purchaseBody('X', 1).bankCard.cardNo;
    for (const secret of [investor.idCardNo, investor.mobile, investor.email, cardNo, investor.name]) {
      expect(response.text).not.toContain(secret);
    }
    expect(response.body.investor).toEqual({
      name: expect.stringContaining('*'),
      bankCard: expect.stringContaining('*'),
    });
    expect(response.body.investor.bankCard).toMatch(/3446$/);
  });

  test('an unknown order answers 404 ORDER_NOT_FOUND', async () => {
    const response = await get(UNKNOWN_ORDER_NO);
    expect(response.status).toBe(404);
    expect(response.body).toEqual({ error: { code: 'ORDER_NOT_FOUND', message: expect.any(String) } });
  });

  test('a malformed order number answers 400 on path.orderNo', async () => {
    const response = await get('not-an-order');
    expect(response.status).toBe(400);
    expect(response.body.error).toMatchObject({
      code: 'VALIDATION_FAILED',
      fields: [{ field: 'path.orderNo', message: expect.any(String) }],
    });
  });

  test('a path that is not valid percent-encoding answers 400, not 500', async () => {
    const response = await get('%E0%A4%A');
    expect(response.status).toBe(400);
    expect(response.body).toEqual({ error: { code: 'MALFORMED_PATH', message: expect.any(String) } });
  });

  test('needs the API key', async () => {
    expect((await api().get(`/v1/purchases/${UNKNOWN_ORDER_NO}`)).status).toBe(401);
  });
});

describe('POST /v1/purchases/:orderNo/cancel', () => {
  test('an unpaid SUBSCRIBED order answers 200 with its new state CANCELLED, and a second cancel answers 409', async () => {
    const { orderNo } = await subscribedOrder();
    const response = await action(orderNo, 'cancel');
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ orderNo, status: 'CANCELLED' });
    expect((await get(orderNo)).body.status).toBe('CANCELLED');

    const again = await action(orderNo, 'cancel');
    expect(again.status).toBe(409);
    expect(again.body).toEqual({ error: { code: 'WRONG_STATE', message: expect.any(String) } });
  });

  test('a paid order answers 409 WRONG_STATE and stays paid', async () => {
    const { orderNo, paymentUrl } = await subscribedOrder();
    await payAtCashier(paymentUrl);
    await waitForState(
      () => stateOf(orderNo),
      (s) => s.status === 'ACCRUING',
    );
    const response = await action(orderNo, 'cancel');
    expect(response.status).toBe(409);
    expect(response.body.error.code).toBe('WRONG_STATE');
    expect((await stateOf(orderNo)).status).toBe('ACCRUING');
  });

  test('an unknown order answers 404', async () => {
    const response = await action(UNKNOWN_ORDER_NO, 'cancel');
    expect(response.status).toBe(404);
    expect(response.body.error.code).toBe('ORDER_NOT_FOUND');
  });

  test('a malformed order number answers 400', async () => {
    expect((await action('XJP123', 'cancel')).status).toBe(400);
  });
});

describe('POST /v1/purchases/:orderNo/withdraw', () => {
  test('an unpaid order answers 409 WRONG_STATE', async () => {
    const { orderNo } = await subscribedOrder('XJP-P-0004', 100_000);
    const response = await action(orderNo, 'withdraw');
    expect(response.status).toBe(409);
    expect(response.body).toEqual({ error: { code: 'WRONG_STATE', message: expect.any(String) } });
  });

  test('an unknown order answers 404', async () => {
    expect((await action(UNKNOWN_ORDER_NO, 'withdraw')).status).toBe(404);
  });

  // Last in the file: skipping a year expires every other unpaid order here too.
  test('a matured ON_WITHDRAWAL order answers 200 with the payout under way and is then paid out to COMPLETED; a second withdrawal answers 409', async () => {
    const { orderNo, paymentUrl } = await subscribedOrder('XJP-P-0004', 100_000);
    await payAtCashier(paymentUrl);
    await waitForState(
      () => stateOf(orderNo),
      (s) => s.status === 'ACCRUING',
    );
    // A bounded skip: past the 365-day term, and no further (an unbounded skip would time the run out).
    await running.env.sleep('368 days');
    await waitForState(
      () => stateOf(orderNo),
      (s) => s.awaiting === 'WITHDRAWAL',
    );

    const response = await action(orderNo, 'withdraw');
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ orderNo, status: 'MATURED', awaiting: 'PAYOUT' });
    // The payout run completes the order, then watches 30 days for a bank reversal before it ends: read the order, not the run.
    const completed = await waitForState(
      async () => (await get(orderNo)).body as { status: string },
      (body) => body.status === 'COMPLETED',
    );
    expect(completed).toMatchObject({
      status: 'COMPLETED',
      accruedInterestFen: 4800,
      payouts: [{ totalFen: 104_800, status: 'SUCCESS' }],
    });

    const again = await action(orderNo, 'withdraw');
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('WRONG_STATE');
  }, 240_000);
});
