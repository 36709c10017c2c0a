/** The demand product's routes: buy and redeem through the holding's run, the holding with its income, the back office's views. */
import request from 'supertest';
import { recordUserAccount } from '../../src/db/repositories/user-accounts';
import { addDays, shanghaiDate, shanghaiMidnight } from '../../src/domain/calendar';
import { TEST_API_KEY, TEST_OPERATOR, useTestEngine } from '../../tools/testing/engine';
import { asMember } from '../../tools/testing/member-tokens';
import { payAtCashier } from '../../tools/testing/purchases';
import { waitForState } from '../../tools/testing/wait';

const running = useTestEngine();
const MEMBER = 'HQM40001';
const NO_ACCOUNT = 'HQM40002';

async function post(path: string, memberId: string, body: unknown, key = `key-${Math.random()}`) {
  return request(running.engine.apiUrl)
    .post(path)
    .set('x-api-key', TEST_API_KEY)
    .set(await asMember(memberId))
    .set('idempotency-key', key)
    .send(body as object);
}

async function get(path: string, memberId: string) {
  return request(running.engine.apiUrl)
    .get(path)
    .set('x-api-key', TEST_API_KEY)
    .set(await asMember(memberId));
}

beforeAll(async () => {
  const { engine } = running;
  const account = await engine.apiDependencies.xjp.openAccount({
    requestId: `open-${MEMBER}`,
    channel: 'APP',
    memberId: MEMBER,
    name: '活期接口',
    mobile: '13800138001',
    idCardNo: '11010519491231002X',
    email: 'hq-api@example.com',
  });
  await recordUserAccount(engine.db.orm.em.fork(), engine.pii, {
    memberId: MEMBER,
    accountId: account.accountNo,
    accountName: account.accountName,
    at: new Date(),
  });
});

test('a member without an XJP account is told to open one; a malformed body is refused field by field', async () => {
  const noAccount = await post('/v1/demand/subscriptions', NO_ACCOUNT, { productCode: 'XJPHQ01', amountFen: 10_000 });
  expect([noAccount.status, noAccount.body.error?.code]).toEqual([409, 'DEMAND_NO_ACCOUNT']);
  const malformed = await post('/v1/demand/subscriptions', MEMBER, { productCode: 'xjp hq', amountFen: 1.5 });
  expect(malformed.status).toBe(400);
  expect(malformed.body.error.fields.map((f: { field: string }) => f.field).sort()).toEqual([
    'body.amountFen',
    'body.productCode',
  ]);
  const unknown = await post('/v1/demand/subscriptions', MEMBER, { productCode: 'XJPHQ99', amountFen: 10_000 });
  expect([unknown.status, unknown.body.error?.code]).toEqual([404, 'PRODUCT_NOT_FOUND']);
  const noHolding = await post('/v1/demand/redemptions', NO_ACCOUNT, {
    productCode: 'XJPHQ01',
    amountFen: 1,
    kind: 'FAST',
  });
  expect([noHolding.status, noHolding.body.error?.code]).toEqual([409, 'DEMAND_NO_HOLDING']);
});

test('buy, redeem above the available units (refused), then fast and standard redemptions; the holding shows income, the 7-day yield and the series', async () => {
  const { env } = running;
  const key = 'hq-buy-0001';
  const bought = await post('/v1/demand/subscriptions', MEMBER, { productCode: 'XJPHQ01', amountFen: 2_000_000 }, key);
  expect(bought.status).toBe(201);
  expect(bought.body).toMatchObject({ status: 'AWAITING_PAYMENT', amountFen: 2_000_000 });
  const again = await post('/v1/demand/subscriptions', MEMBER, { productCode: 'XJPHQ01', amountFen: 2_000_000 }, key);
  expect([again.body.xjpSubscriptionNo, again.body.paymentUrl]).toEqual([
    bought.body.xjpSubscriptionNo,
    bought.body.paymentUrl,
  ]);
  const unpaid = await get('/v1/demand/holdings/XJPHQ01', MEMBER);
  expect([unpaid.body.unitsFen, unpaid.body.awaitingPayment.map((a: { id: string }) => a.id)]).toEqual([
    0,
    [bought.body.subscriptionId],
  ]);
  await payAtCashier(bought.body.paymentUrl as string);
  const paid = await waitForState(
    async () => (await get('/v1/demand/holdings/XJPHQ01', MEMBER)).body,
    (h) => h.pendingSubscriptions.length === 1,
  );
  expect(paid.awaitingPayment).toEqual([]);
  const overCap = await post('/v1/demand/subscriptions', MEMBER, { productCode: 'XJPHQ01', amountFen: 48_000_001 });
  expect([overCap.status, overCap.body.error?.code]).toEqual([409, 'DEMAND_HOLDING_CAP_EXCEEDED']);

  const tooMuch = await post('/v1/demand/redemptions', MEMBER, { productCode: 'XJPHQ01', amountFen: 1, kind: 'FAST' });
  expect([tooMuch.status, tooMuch.body.error?.code]).toEqual([409, 'DEMAND_INSUFFICIENT_UNITS']);

  // Past the first earning day and one more posted night.
  const countsFrom = paid.pendingSubscriptions[0].countsFrom as string;
  const target = shanghaiMidnight(addDays(countsFrom, 2)).getTime() + 11 * 3600 * 1000;
  await env.sleep(target - (await env.currentTimeMs()));

  const fast = await post('/v1/demand/redemptions', MEMBER, {
    productCode: 'XJPHQ01',
    amountFen: 300_000,
    kind: 'FAST',
  });
  expect(fast.status).toBe(201);
  expect(fast.body).toMatchObject({ status: 'SETTLED', kind: 'FAST', amountFen: 300_000 });
  const standard = await post('/v1/demand/redemptions', MEMBER, {
    productCode: 'XJPHQ01',
    amountFen: 200_000,
    kind: 'STANDARD',
  });
  expect(standard.body).toMatchObject({ status: 'ACCEPTED', kind: 'STANDARD' });

  const holding = await get('/v1/demand/holdings/XJPHQ01', MEMBER);
  expect(holding.status).toBe(200);
  const today = shanghaiDate(new Date(await env.currentTimeMs()));
  expect(holding.body.todayIncome.date).toBe(addDays(today, -1));
  expect(holding.body.series.map((d: { date: string }) => d.date)).toEqual([countsFrom, addDays(countsFrom, 1)]);
  const seriesIncome = holding.body.series.reduce((sum: number, d: { incomeFen: number }) => sum + d.incomeFen, 0);
  expect(holding.body.cumulativeIncomeFen).toBe(seriesIncome);
  expect(seriesIncome).toBeGreaterThan(0);
  expect(holding.body.sevenDayYield).toMatch(/^0\.\d{6}$/);
  expect(holding.body.availableFen).toBe(2_000_000 + seriesIncome - 500_000);

  const other = await get('/v1/demand/holdings/XJPHQ01', NO_ACCOUNT);
  expect(other.status).toBe(404);

  const ops = await request(running.engine.apiUrl).get('/ops/demand/holdings').set('x-operator-key', TEST_OPERATOR.key);
  expect(ops.body.items).toEqual([
    expect.objectContaining({ memberId: MEMBER, productCode: 'XJPHQ01', cumulativeIncomeFen: seriesIncome }),
  ]);
  const totals = await request(running.engine.apiUrl)
    .get(`/ops/demand/daily-totals?from=${countsFrom}&to=${today}`)
    .set('x-operator-key', TEST_OPERATOR.key);
  expect(totals.body.days.map((d: { incomeFen: number }) => d.incomeFen)).toEqual(
    holding.body.series.map((d: { incomeFen: number }) => d.incomeFen),
  );
  // Reconciled once each day has ended: the purchase day, the first earning day, and the redemptions' day.
  await env.sleep(shanghaiMidnight(addDays(today, 1)).getTime() + 3600 * 1000 - (await env.currentTimeMs()));
  for (const date of [shanghaiDate(new Date(bought.body.requestedAt as string)), countsFrom, today]) {
    const reconciled = await request(running.engine.apiUrl)
      .get(`/ops/demand/reconciliation/${date}`)
      .set('x-operator-key', TEST_OPERATOR.key);
    expect(reconciled.status).toBe(200);
    expect(reconciled.body.findings.length).toBeGreaterThan(0);
    expect(reconciled.body.counts.MATCHED).toBe(reconciled.body.findings.length);
  }
  const badRange = await request(running.engine.apiUrl)
    .get(`/ops/demand/daily-totals?from=${today}&to=${countsFrom}`)
    .set('x-operator-key', TEST_OPERATOR.key);
  expect(badRange.status).toBe(400);
}, 120_000);
