/** `POST /v1/purchases` over real HTTP: authentication, validation, creation, idempotency, refusals, partner outage. */
import request from 'supertest';
import { PurchaseOrderSchema } from '../../src/db/entities/purchase-order';
import { purchaseWorkflowId } from '../../workflows/purchase/contract';
import { TEST_API_KEY, useTestEngine } from '../../tools/testing/engine';
import { historyEventTypes } from '../../tools/testing/history';
import { asMember } from '../../tools/testing/member-tokens';
import { purchaseBody, simAdmin, simState } from '../../tools/testing/purchases';

let keySeq = 0;

const running = useTestEngine();

/** A fresh, valid Idempotency-Key per call. */
function newKey(): string {
  keySeq += 1;
  return `api-test-key-${keySeq}-${Date.now()}`;
}

const MEMBER = 'M10001';

/** POST /v1/purchases as the platform acting for the body's member (a fresh token); `null` sends no Idempotency-Key at all. */
async function post(body: object, idempotencyKey: string | null = newKey()) {
  const memberId = 'memberId' in body && typeof body.memberId === 'string' ? body.memberId : MEMBER;
  const req = request(running.engine.apiUrl)
    .post('/v1/purchases')
    .set('x-api-key', TEST_API_KEY)
    .set(await asMember(memberId));
  return idempotencyKey === null ? req.send(body) : req.set('idempotency-key', idempotencyKey).send(body);
}

interface SimSubscription {
  purchaseRecordId: string;
}

async function xjpSubscriptionsFor(orderNo: string): Promise<number> {
  const state = await simState<{ subscriptions: SimSubscription[] }>(running.engine.xjpUrl);
  return state.subscriptions.filter((s) => s.purchaseRecordId === orderNo).length;
}

async function orderCount(): Promise<number> {
  return running.engine.db.orm.em.fork().count(PurchaseOrderSchema, {});
}

interface FieldProblem {
  field: string;
  message: string;
}

/** The `field` paths of a 400 answer, after checking its shape. */
function problemFields(response: {
  status: number;
  body: { error: { code: string; fields: FieldProblem[] } };
}): string[] {
  expect(response.status).toBe(400);
  expect(response.body.error.code).toBe('VALIDATION_FAILED');
  const fields = response.body.error.fields as FieldProblem[];
  for (const f of fields) expect(f.message).toEqual(expect.any(String));
  return fields.map((f) => f.field);
}

const valid = () => purchaseBody('XJP-P-0002', 1_000_000);

describe('authentication', () => {
  test('answers 401 without an x-api-key', async () => {
    const response = await request(running.engine.apiUrl)
      .post('/v1/purchases')
      .set('idempotency-key', newKey())
      .send(valid());
    expect(response.status).toBe(401);
    expect(response.body).toEqual({ error: { code: 'UNAUTHENTICATED', message: expect.any(String) } });
  });

  test('answers 401 with a wrong x-api-key, and orders nothing', async () => {
    const before = await orderCount();
    const response = await request(running.engine.apiUrl)
      .post('/v1/purchases')
      .set('x-api-key', 'not-the-key')
      .set('idempotency-key', newKey())
      .send(valid());
    expect(response.status).toBe(401);
    expect(response.body.error.code).toBe('UNAUTHENTICATED');
    expect(await orderCount()).toBe(before);
  });
});

describe('validation: 400 with field-level messages, never a 500', () => {
  test('a missing Idempotency-Key is reported on header.Idempotency-Key', async () => {
    const response = await post(valid(), null);
    expect(problemFields(response)).toEqual(['header.Idempotency-Key']);
  });

  test('a malformed Idempotency-Key is reported on header.Idempotency-Key', async () => {
    expect(problemFields(await post(valid(), 'short'))).toEqual(['header.Idempotency-Key']);
  });

  test('a body that is not valid JSON is 400 MALFORMED_BODY', async () => {
    const response = await request(running.engine.apiUrl)
      .post('/v1/purchases')
      .set('x-api-key', TEST_API_KEY)
      .set(await asMember(MEMBER))
      .set('idempotency-key', newKey())
      .set('content-type', 'application/json')
      .send('{"memberId": "M1", ');
    expect(response.status).toBe(400);
    expect(response.body).toEqual({ error: { code: 'MALFORMED_BODY', message: expect.any(String) } });
    expect(response.text).not.toMatch(/SyntaxError|at .*\.js/);
  });

  test('a JSON body that is not an object is 400 MALFORMED_BODY', async () => {
    const response = await request(running.engine.apiUrl)
      .post('/v1/purchases')
      .set('x-api-key', TEST_API_KEY)
      .set(await asMember(MEMBER))
      .set('idempotency-key', newKey())
      .set('content-type', 'application/json')
      .send('"just a string"');
    expect(response.status).toBe(400);
    expect(response.body.error.code).toBe('MALFORMED_BODY');
  });

  test('a body over the size limit is 413 BODY_TOO_LARGE', async () => {
    const response = await post({ ...valid(), productId: 'P'.repeat(40_000) });
    expect(response.status).toBe(413);
    expect(response.body).toEqual({ error: { code: 'BODY_TOO_LARGE', message: expect.any(String) } });
  });

  test('a body that is not JSON at all (other content type) is reported on body', async () => {
    const response = await request(running.engine.apiUrl)
      .post('/v1/purchases')
      .set('x-api-key', TEST_API_KEY)
      .set(await asMember(MEMBER))
      .set('idempotency-key', newKey())
      .set('content-type', 'text/plain')
      .send('memberId=M1');
    expect(problemFields(response)).toEqual(['body']);
  });

  test('missing fields are each reported with their path', async () => {
    const body: Record<string, unknown> = valid();
    const investor: Record<string, unknown> = { ...valid().investor };
    delete body.memberId;
    delete investor.mobile;
    const fields = problemFields(await post({ ...body, investor }));
    expect(fields).toEqual(expect.arrayContaining(['body.memberId', 'body.investor.mobile']));
    expect(fields).toHaveLength(2);
  });

  test('extra fields are refused with their path', async () => {
    const body = valid();
    const fields = problemFields(
      await post({ ...body, discountFen: 100, investor: { ...body.investor, nickname: 'x' } }),
    );
    expect(fields).toEqual(expect.arrayContaining(['body', 'body.investor']));
  });

  test.each([
    ['a fractional amount', 1000.5],
    ['a negative amount', -100_000],
    ['a zero amount', 0],
    ['an amount as a string', '100000'],
    ['an amount beyond the safe-integer range', 2 ** 60],
  ])('%s is reported on body.amountFen', async (_label, amountFen) => {
    expect(new Set(problemFields(await post({ ...valid(), amountFen })))).toEqual(new Set(['body.amountFen']));
  });

  test.each([
    ['a bad mobile', { mobile: '12345' }, 'body.investor.mobile'],
    ['a bad ID card format', { idCardNo: '1101051949123100' }, 'body.investor.idCardNo'],
    ['a bad email', { email: 'not-an-email' }, 'body.investor.email'],
  ])('%s is reported on its path', async (_label, change, field) => {
    const body = valid();
    expect(problemFields(await post({ ...body, investor: { ...body.investor, ...change } }))).toEqual([field]);
  });

  test('a bad card number is reported on body.bankCard.cardNo', async () => {
    const body = valid();
    expect(problemFields(await post({ ...body, bankCard: { ...body.bankCard, cardNo: '6222-0202' } }))).toEqual([
      'body.bankCard.cardNo',
    ]);
  });

  test.each([
    ['null', 'null'],
    ['an array', '[1,2]'],
    ['investor as an array', JSON.stringify({ ...valid(), investor: [] })],
    ['a __proto__ key', JSON.stringify(valid()).replace('{', '{"__proto__":{"admin":true},')],
    ['a number as the whole body', '42'],
  ])('an odd body (%s) answers 400 with a code, never a 500', async (_label, raw) => {
    const response = await request(running.engine.apiUrl)
      .post('/v1/purchases')
      .set('x-api-key', TEST_API_KEY)
      .set(await asMember(MEMBER))
      .set('idempotency-key', newKey())
      .set('content-type', 'application/json')
      .send(raw);
    expect(response.status).toBe(400);
    expect(response.body.error.code).toMatch(/^(MALFORMED_BODY|VALIDATION_FAILED)$/);
  });

  test('invalid input stores nothing and reaches no partner', async () => {
    const before = await orderCount();
    const subscriptionsBefore = (await simState<{ subscriptions: SimSubscription[] }>(running.engine.xjpUrl))
      .subscriptions.length;
    await post({ ...valid(), amountFen: -1 });
    expect(await orderCount()).toBe(before);
    expect((await simState<{ subscriptions: SimSubscription[] }>(running.engine.xjpUrl)).subscriptions).toHaveLength(
      subscriptionsBefore,
    );
  });
});

describe('creation and idempotency', () => {
  test('a valid purchase answers 201 SUBSCRIBED with the payment URL, dates, expected interest and a Location header', async () => {
    const response = await post(valid());
    expect(response.status).toBe(201);
    expect(response.body).toEqual({
      orderNo: expect.stringMatching(/^XJP\d{14}$/),
      status: 'SUBSCRIBED',
      paymentUrl: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+\/cashier\//),
      payBefore: expect.any(String),
      expectedInterestFen: 9370,
      interestStartDate: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/),
      maturityDate: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/),
    });
    expect(Number.isNaN(Date.parse(response.body.payBefore as string))).toBe(false);
    expect(response.headers.location).toBe(`/v1/purchases/${response.body.orderNo as string}`);
    expect(await xjpSubscriptionsFor(response.body.orderNo as string)).toBe(1);
  });

  test('the same key again attaches to the same run (update-with-start) and answers 200 with the same order, no second XJP subscription', async () => {
    const key = newKey();
    const first = await post(valid(), key);
    expect(first.status).toBe(201);
    const again = await post(valid(), key);
    expect(again.status).toBe(200);
    expect(again.body).toEqual(first.body);
    expect(again.headers.location).toBe(first.headers.location);
    expect(await xjpSubscriptionsFor(first.body.orderNo as string)).toBe(1);
    const orders = await running.engine.db.orm.em.fork().count(PurchaseOrderSchema, { idempotencyKey: key });
    expect(orders).toBe(1);
    const events = await historyEventTypes(
      running.engine.client.workflow.getHandle(purchaseWorkflowId(first.body.orderNo as string)),
    );
    expect(events.filter((e) => e === 'EVENT_TYPE_WORKFLOW_EXECUTION_STARTED')).toHaveLength(1);
    expect(events.filter((e) => e === 'EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_COMPLETED')).toHaveLength(2);
  });

  test('the same key with a different amount answers 422 IDEMPOTENCY_KEY_REUSED', async () => {
    const key = newKey();
    expect((await post(valid(), key)).status).toBe(201);
    const response = await post({ ...valid(), amountFen: 2_000_000 }, key);
    expect(response.status).toBe(422);
    expect(response.body).toEqual({ error: { code: 'IDEMPOTENCY_KEY_REUSED', message: expect.any(String) } });
  });

  test('the same key with a different investor answers 422 IDEMPOTENCY_KEY_REUSED', async () => {
    const key = newKey();
    const body = valid();
    expect((await post(body, key)).status).toBe(201);
    const response = await post({ ...body, bankCard: { ...body.bankCard, cardNo: '6222020200112233453' } }, key);
    expect(response.status).toBe(422);
    expect(response.body.error.code).toBe('IDEMPOTENCY_KEY_REUSED');
  });

  test('two concurrent requests with one key make one order and one XJP subscription', async () => {
    const key = newKey();
    const [a, b] = await Promise.all([post(valid(), key), post(valid(), key)]);
    expect([a.status, b.status].sort()).toEqual([200, 201]);
    expect(a.body.orderNo).toBe(b.body.orderNo);
    expect(await running.engine.db.orm.em.fork().count(PurchaseOrderSchema, { idempotencyKey: key })).toBe(1);
    expect(await xjpSubscriptionsFor(a.body.orderNo as string)).toBe(1);
  });
});

describe('refusals and partner outage', () => {
  test('an unknown product answers 422 PRODUCT_NOT_FOUND and stores nothing', async () => {
    const before = await orderCount();
    const response = await post(purchaseBody('XJP-P-9999', 1_000_000));
    expect(response.status).toBe(422);
    expect(response.body).toEqual({ error: { code: 'PRODUCT_NOT_FOUND', message: expect.any(String) } });
    expect(await orderCount()).toBe(before);
  });

  test('XJP answering 500 answers 503 PARTNER_UNAVAILABLE, stores nothing, and the same key succeeds once XJP is back', async () => {
    await simAdmin(running.engine.xjpUrl, '/faults', { endpoint: '/api/products/get', kind: 'error500', count: 2 });
    const before = await orderCount();
    const key = newKey();
    for (let i = 0; i < 2; i += 1) {
      const response = await post(valid(), key);
      expect(response.status).toBe(503);
      expect(response.body).toEqual({ error: { code: 'PARTNER_UNAVAILABLE', message: expect.any(String) } });
    }
    expect(await orderCount()).toBe(before);
    const retried = await post(valid(), key);
    expect(retried.status).toBe(201);
  });

  test('past the per-member limit XJP states for the product: 422 MEMBER_LIMIT_EXCEEDED saying how much more fits, nothing stored', async () => {
    const memberId = 'M-LIMIT-1';
    await simAdmin(running.engine.xjpUrl, '/products/XJP-P-0002/member-limit', { fen: 1_500_000 });
    try {
      expect((await post(purchaseBody('XJP-P-0002', 1_000_000, memberId))).status).toBe(201);
      const before = await orderCount();
      const response = await post(purchaseBody('XJP-P-0002', 1_000_000, memberId));
      expect(response.status).toBe(422);
      expect(response.body.error).toEqual({
        code: 'MEMBER_LIMIT_EXCEEDED',
        message: expect.stringContaining('so 500000 fen more at most, not 1000000'),
      });
      expect(await orderCount()).toBe(before);
      expect((await post(purchaseBody('XJP-P-0002', 500_000, memberId))).status).toBe(201);
    } finally {
      await simAdmin(running.engine.xjpUrl, '/products/XJP-P-0002/member-limit', { fen: null });
    }
  });

  test.each([
    ['below the minimum', purchaseBody('XJP-P-0001', 50_000), 'BELOW_MINIMUM'],
    ['off the step', purchaseBody('XJP-P-0001', 150_000), 'NOT_ON_STEP'],
    ['an ended product', purchaseBody('XJP-P-0007', 100_000), 'PRODUCT_NOT_ON_SALE'],
    ['a sold-out product', purchaseBody('XJP-P-0006', 100_000), 'QUOTA_EXCEEDED'],
    ['beyond the open quota', purchaseBody('XJP-P-0001', 400_000_000), 'QUOTA_EXCEEDED'],
    [
      'an ID card failing its checksum at XJP',
      { ...valid(), memberId: 'M-BAD-ID', investor: { ...valid().investor, idCardNo: '110105194912310021' } },
      'INVALID_ID_CARD',
    ],
  ])('a refusal (%s) answers 422 with its code and message', async (_label, body, code) => {
    const response = await post(body);
    expect(response.status).toBe(422);
    expect(response.body).toEqual({ error: { code, message: expect.any(String) } });
  });
});
