/**
 * The investor centre over real HTTP on the whole engine: two paid orders accrue for ten skipped
 * days, then holdings, income history and contracts are read back and checked against the ledger.
 */
import request from 'supertest';
import {
  contractSchema,
  holdingsSchema,
  incomeHistorySchema,
  statementSchema,
} from '../../../src/api/investor/schemas';
import { InterestAccrualSchema } from '../../../src/db/entities/interest-accrual';
import { PurchaseOrderSchema } from '../../../src/db/entities/purchase-order';
import { addDays, daysBetween, shanghaiDate } from '../../../src/domain/calendar';
import { interestForDays } from '../../../src/domain/interest';
import { parseAnnualRate } from '../../../src/domain/rate';
import { purchaseStateQuery, purchaseWorkflowId } from '../../../workflows/purchase/contract';
import { TEST_API_KEY, useTestEngine } from '../../../tools/testing/engine';
import { postAccrualNights } from '../../../tools/testing/accrual-nights';
import { asMember } from '../../../tools/testing/member-tokens';
import { buy, payAtCashier, purchaseBody } from '../../../tools/testing/purchases';
import { waitForState } from '../../../tools/testing/wait';

const OWNER = 'M30001';
const STRANGER = 'M30002';

// The API's clock follows the test server's skipped time, so "today" and token expiry agree with the ledger.
let apiNow = new Date();
let today: string;
const orders: Array<{ orderNo: string; amountFen: number; rate: string; expectedInterestFen: number }> = [];
// Read tokens, minted at the API's clock once it has skipped ahead (a read token serves until it expires).
const readTokens = new Map<string, Record<string, string>>();

function get(path: string, memberId: string | null = OWNER) {
  const req = request(running.engine.apiUrl).get(path).set('x-api-key', TEST_API_KEY);
  return memberId === null ? req : req.set(readTokens.get(memberId) ?? {});
}

async function ledgerRows(orderNo: string) {
  return running.engine.db.orm.em
    .fork()
    .find(InterestAccrualSchema, { order: { orderNo } }, { orderBy: { accrualDate: 'asc' } });
}

async function buyAndPay(productId: string, amountFen: number, rate: string, termDays: number): Promise<void> {
  const created = await buy(running.engine, purchaseBody(productId, amountFen, OWNER));
  expect(created.status).toBe(201);
  const orderNo = created.body.orderNo as string;
  await payAtCashier(created.body.paymentUrl as string);
  const handle = running.engine.client.workflow.getHandle(purchaseWorkflowId(orderNo));
  await waitForState(
    () => handle.query(purchaseStateQuery),
    (s) => s.status === 'ACCRUING',
  );
  // Interest starts tomorrow, so the whole term is still ahead: days left count from the interest start, not today.
  const held = holdingsSchema
    .parse(
      (
        await get(`/v1/members/${OWNER}/holdings`)
          .set(await asMember(OWNER, { now: apiNow }))
          .expect(200)
      ).body,
    )
    .orders.find((h) => h.orderNo === orderNo);
  expect(held?.daysLeft).toBe(termDays);
  orders.push({ orderNo, amountFen, rate, expectedInterestFen: created.body.expectedInterestFen as number });
}

const running = useTestEngine({ apiNow: () => apiNow });

beforeAll(async () => {
  await buyAndPay('XJP-P-0002', 1_000_000, '0.038', 90);
  await buyAndPay('XJP-P-0001', 2_000_000, '0.0325', 30);
  await running.env.sleep('10 days');
  apiNow = new Date(await running.env.currentTimeMs());
  today = shanghaiDate(apiNow);
  for (const memberId of [OWNER, STRANGER]) readTokens.set(memberId, await asMember(memberId, { now: apiNow }));
  // The nightly batch posts each day once it has ended in Shanghai (no Schedule on the test server: run here),
  // so by today every day before it is in.
  const starts = await running.engine.db.orm.em
    .fork()
    .find(PurchaseOrderSchema, { orderNo: { $in: orders.map((o) => o.orderNo) } });
  const firstStart = starts.map((o) => o.interestStartDate ?? today).sort()[0] ?? today;
  await postAccrualNights(running.engine, firstStart, addDays(today, -1));
  for (const { orderNo, interestStartDate } of starts) {
    expect(await ledgerRows(orderNo)).toHaveLength(daysBetween(interestStartDate ?? '', today));
  }
});

test('holdings list both orders with ledger interest, days left and totals in integer fen', async () => {
  const holdings = holdingsSchema.parse(
    (
      await get(`/v1/members/${OWNER}/holdings`)
        .set(await asMember(OWNER, { now: apiNow }))
        .expect(200)
    ).body,
  );
  expect(holdings.asOf).toBe(today);
  expect(holdings.orders).toHaveLength(2);
  for (const order of orders) {
    const held = holdings.orders.find((h) => h.orderNo === order.orderNo);
    const rows = await ledgerRows(order.orderNo);
    expect(rows.length).toBeGreaterThanOrEqual(8);
    expect(held).toMatchObject({
      status: 'ACCRUING',
      principalFen: order.amountFen,
      annualRate: order.rate,
      expectedInterestFen: order.expectedInterestFen,
      accruedInterestFen: rows.reduce((sum, r) => sum + r.amountFen, 0),
    });
    expect(held?.accruedInterestFen).toBe(
      interestForDays(order.amountFen, parseAnnualRate(order.rate), rows.length, 365),
    );
    expect(held?.daysLeft).toBe(daysBetween(today, held?.maturityDate ?? ''));
  }
  const accrued = holdings.orders.reduce((sum, h) => sum + h.accruedInterestFen, 0);
  expect(accrued).toBeGreaterThan(0);
  expect(holdings.totals).toEqual({
    principalHeldFen: 3_000_000,
    incomeToDateFen: accrued,
    expectedIncomeFen: orders[0]!.expectedInterestFen + orders[1]!.expectedInterestFen,
  });
});

test('income history sums equal the ledger, day by day and per order', async () => {
  const from = addDays(today, -30);
  const history = incomeHistorySchema.parse(
    (await get(`/v1/members/${OWNER}/income?from=${from}&to=${today}`).expect(200)).body,
  );
  const perOrder = await Promise.all(
    orders.map(async (o) => (await ledgerRows(o.orderNo)).map((r) => ({ ...r, orderNo: o.orderNo }))),
  );
  const ledger = perOrder.flat();
  expect(history.totalFen).toBe(ledger.reduce((sum, r) => sum + r.amountFen, 0));
  expect(history.days.flatMap((d) => d.orders)).toHaveLength(ledger.length);
  for (const day of history.days) {
    expect(day.amountFen).toBe(day.orders.reduce((sum, o) => sum + o.amountFen, 0));
    for (const entry of day.orders) {
      const row = ledger.find((r) => r.accrualDate === day.date && r.orderNo === entry.orderNo);
      expect(entry.amountFen).toBe(row?.amountFen);
    }
  }
  expect(history.days.map((d) => d.date)).toEqual([...new Set(ledger.map((r) => r.accrualDate))].sort());

  // A window holding only the last posted day.
  const last = history.days.at(-1)!;
  const one = incomeHistorySchema.parse(
    (await get(`/v1/members/${OWNER}/income?from=${last.date}&to=${last.date}`).expect(200)).body,
  );
  expect(one.days).toEqual([last]);
  expect(one.totalFen).toBe(last.amountFen);
});

test('income dates are validated: 400 on a bad date, an inverted or too long range, or a missing bound', async () => {
  for (const query of [
    'from=2026-02-30&to=2026-03-01',
    'from=2026-03-02&to=2026-03-01',
    'from=2025-01-01&to=2026-03-01',
    'from=2026-03-01',
    'from=yesterday&to=2026-03-01',
  ]) {
    const answer = await get(`/v1/members/${OWNER}/income?${query}`).expect(400);
    expect(answer.body.error.code).toBe('VALIDATION_FAILED');
  }
});

test('the agreement as printable HTML names the investor with a masked ID number, the accepting bank, the amount in capitals and the rate', async () => {
  const { orderNo } = orders[0]!;
  const html = await get(`/v1/purchases/${orderNo}/contract`)
    .set('accept', 'text/html')
    .expect(200)
    .expect('content-type', /text\/html/);
  expect(html.text).toContain('张三');
  expect(html.text).toContain('110***********002X');
  expect(html.text).not.toContain('11010519491231002X');
  expect(html.text).toContain('中国工商银行');
  expect(html.text).toContain('人民币壹万元整');
  expect(html.text).toContain('¥10,000.00');
  expect(html.text).toContain('3.80%');
  expect(html.text).toContain(orderNo);
  const byQuery = await get(`/v1/purchases/${orderNo}/contract?format=html`)
    .expect(200)
    .expect('content-type', /text\/html/);
  expect(byQuery.text).toBe(html.text);
});

test('the contract as JSON states the maturity amount, the service fee and what is paid out; as PDF it is a PDF', async () => {
  const { orderNo, amountFen, expectedInterestFen } = orders[0]!;
  // XJP-P-0002 keeps 10 % of the interest: 9,370 fen of interest, 937 fen of fee.
  expect(expectedInterestFen).toBe(9_370);
  const contract = contractSchema.parse((await get(`/v1/purchases/${orderNo}/contract`).expect(200)).body);
  expect(contract).toMatchObject({
    orderNo,
    amountFen,
    annualRatePercent: '3.80%',
    expectedInterestFen,
    maturityAmountFen: amountFen + expectedInterestFen,
    serviceFeeFen: 937,
    maturityPayoutFen: amountFen + expectedInterestFen - 937,
  });
  expect(contract.investor).toMatchObject({ name: '张三', idCardNoMasked: '110***********002X' });
  expect(contract.acceptance.channel).toBe('PC');
  const english = await get(`/v1/purchases/${orderNo}/contract?format=html&lang=en`).expect(200);
  expect(english.text).toContain('XJP Product Investment Agreement');

  const pdf = await fetch(`${running.engine.apiUrl}/v1/purchases/${orderNo}/contract?format=pdf`, {
    headers: { 'x-api-key': TEST_API_KEY, ...readTokens.get(OWNER) },
  });
  expect(pdf.status).toBe(200);
  expect(pdf.headers.get('content-type')).toMatch(/^application\/pdf/);
  const bytes = Buffer.from(await pdf.arrayBuffer());
  expect(bytes.subarray(0, 5).toString('latin1')).toBe('%PDF-');
  expect(bytes.subarray(-8).toString('latin1')).toContain('%%EOF');
});

test("the monthly statement holds both orders, the month's ledger income day by day, and prints as HTML and PDF", async () => {
  const month = today.slice(0, 7);
  const statement = statementSchema.parse((await get(`/v1/members/${OWNER}/statements/${month}`).expect(200)).body);
  expect(statement.holdings.map((h) => h.orderNo).sort()).toEqual(orders.map((o) => o.orderNo).sort());
  expect(statement.investorName).toBe('张三');
  const ledger = (await Promise.all(orders.map((o) => ledgerRows(o.orderNo))))
    .flat()
    .filter((r) => r.accrualDate.startsWith(month));
  expect(statement.totals.incomeFen).toBe(ledger.reduce((sum, r) => sum + r.amountFen, 0));
  expect(statement.income.reduce((sum, d) => sum + d.amountFen, 0)).toBe(statement.totals.incomeFen);
  expect(statement.totals.principalHeldFen).toBe(3_000_000);

  const html = await get(`/v1/members/${OWNER}/statements/${month}?format=html`)
    .expect(200)
    .expect('content-type', /text\/html/);
  expect(html.text).toContain('小金票月度对账单');
  const pdf = await get(`/v1/members/${OWNER}/statements/${month}?format=pdf`)
    .expect(200)
    .expect('content-type', /application\/pdf/);
  expect(
    Buffer.from(pdf.body as Buffer)
      .subarray(0, 5)
      .toString('latin1'),
  ).toBe('%PDF-');

  for (const bad of ['2026-13', '26-01', `${Number(today.slice(0, 4)) + 1}-01`]) {
    expect((await get(`/v1/members/${OWNER}/statements/${bad}`).expect(400)).body.error.code).toBe('VALIDATION_FAILED');
  }
  expect((await get(`/v1/members/${OWNER}/statements/${month}`, STRANGER).expect(404)).body.error.code).toBe(
    'MEMBER_NOT_FOUND',
  );
  await get(`/v1/members/${OWNER}/statements/${month}`, null).expect(401);
});

describe('member isolation', () => {
  test('another member sees 404 for the holdings, income, order and contract of this one, and cannot cancel or withdraw it', async () => {
    const { orderNo } = orders[0]!;
    expect((await get(`/v1/members/${OWNER}/holdings`, STRANGER).expect(404)).body.error.code).toBe('MEMBER_NOT_FOUND');
    await get(`/v1/members/${OWNER}/income?from=${addDays(today, -30)}&to=${today}`, STRANGER).expect(404);
    expect((await get(`/v1/purchases/${orderNo}/contract`, STRANGER).expect(404)).body.error.code).toBe(
      'ORDER_NOT_FOUND',
    );
    expect((await get(`/v1/purchases/${orderNo}`, STRANGER).expect(404)).body.error.code).toBe('ORDER_NOT_FOUND');
    for (const action of ['cancel', 'withdraw']) {
      const attempt = request(running.engine.apiUrl)
        .post(`/v1/purchases/${orderNo}/${action}`)
        .set('x-api-key', TEST_API_KEY);
      expect((await attempt.set(await asMember(STRANGER, { now: apiNow })).expect(404)).body.error.code).toBe(
        'ORDER_NOT_FOUND',
      );
    }
    const own = holdingsSchema.parse((await get(`/v1/members/${STRANGER}/holdings`, STRANGER).expect(200)).body);
    expect(own.orders).toEqual([]);
  });

  test('without a member token every member-scoped read answers 401, the API key alone being no member', async () => {
    const { orderNo } = orders[0]!;
    for (const path of [
      `/v1/members/${OWNER}/holdings`,
      `/v1/members/${OWNER}/income?from=${today}&to=${today}`,
      `/v1/purchases/${orderNo}`,
      `/v1/purchases/${orderNo}/contract`,
    ]) {
      expect((await get(path, null).expect(401)).body.error.code).toBe('MEMBER_UNAUTHENTICATED');
    }
    // A query parameter is not an identity.
    await get(`/v1/members/${OWNER}/holdings?memberId=${OWNER}`, null).expect(401);
    expect((await get(`/v1/purchases/${orderNo}`, OWNER).expect(200)).body.orderNo).toBe(orderNo);
  });
});

test('the OpenAPI document lists the /v1 paths, the purchase request schema and the response schemas, all references resolving', async () => {
  const doc = (await request(running.engine.apiUrl).get('/v1/openapi.json').set('x-api-key', TEST_API_KEY).expect(200))
    .body as {
    openapi: string;
    paths: Record<string, Record<string, unknown>>;
    components: {
      schemas: Record<string, { type?: string; required?: string[]; properties?: Record<string, unknown> }>;
    };
  };
  expect(doc.openapi).toBe('3.1.0');
  expect(Object.keys(doc.paths)).toEqual(
    expect.arrayContaining([
      '/v1/products',
      '/v1/products/{idOrCode}',
      '/v1/purchases',
      '/v1/purchases/{orderNo}',
      '/v1/purchases/{orderNo}/contract',
      '/v1/members/{memberId}/holdings',
      '/v1/members/{memberId}/income',
    ]),
  );
  const purchase = doc.components.schemas.PurchaseRequest;
  expect(purchase?.required).toEqual(
    expect.arrayContaining(['memberId', 'productId', 'amountFen', 'investor', 'bankCard', 'channel']),
  );
  expect(purchase?.properties?.amountFen).toMatchObject({ type: 'integer' });
  expect(doc.components.schemas.Holdings?.properties).toHaveProperty('totals');

  const refs = JSON.stringify(doc).match(/"#\/components\/schemas\/[^"]+"/g) ?? [];
  expect(refs.length).toBeGreaterThan(5);
  for (const ref of refs) expect(doc.components.schemas).toHaveProperty(ref.slice('"#/components/schemas/'.length, -1));
  for (const [path, operations] of Object.entries(doc.paths)) {
    expect(path.startsWith('/v1/')).toBe(true);
    for (const operation of Object.values(operations)) expect(operation).toHaveProperty('responses');
  }
});
