import { z } from 'zod';
import { PartnerError } from '../../../src/partners/errors';
import { rejection } from '../rejection';
import { createXjpClient, type XjpClient, type XjpPayment } from '../../../src/partners/xjp';
import { PARTNER_ID, admin, adminState, startPartners, type RunningPartners } from '../sim-harness';

// XJP's client against the running simulators over real HTTP: every method's answer, every
// refusal code, idempotency, and how each injected fault is classified.

const ON_SALE = 'XJP-P-0001'; // min 1 000 yuan, step 1 000 yuan, 500 万 target
const SOLD_OUT = 'XJP-P-0006';
const ENDED = 'XJP-P-0007';
const BIG_TARGET = 'XJP-P-0003'; // 800 万 yuan target, nothing raised
const VALID_ID_CARD = '11010519491231002X';
const TIMEOUT_MS = 1_000;

let partners: RunningPartners;
let xjp: XjpClient;
let sequence = 0;
const unique = (prefix: string): string => `${prefix}-${Date.now()}-${(sequence += 1)}`;

const stateSchema = z.object({
  products: z.array(z.object({ productId: z.string(), raisedFen: z.number() })),
  subscriptions: z.array(
    z.object({ purchaseRecordId: z.string(), xjpOrderNo: z.string(), quotaLockedFen: z.number() }),
  ),
});
const xjpState = async () => stateSchema.parse(await adminState(partners.xjpUrl));
const raisedFen = async (productId: string) =>
  (await xjpState()).products.find((p) => p.productId === productId)?.raisedFen;

function client(overrides: Partial<Parameters<typeof createXjpClient>[0]> = {}): XjpClient {
  return createXjpClient({
    baseUrl: partners.xjpUrl,
    partnerId: PARTNER_ID,
    platformPrivateKeyPem: partners.keys.platform.privateKeyPem,
    timeoutMs: TIMEOUT_MS,
    ...overrides,
  });
}

async function openAccount(): Promise<string> {
  const memberId = unique('m');
  const account = await xjp.openAccount({
    requestId: unique('rq'),
    channel: 'PC',
    memberId,
    name: '张三',
    mobile: '13800138000',
    idCardNo: VALID_ID_CARD,
    email: 'zhang@example.com',
  });
  return account.accountNo;
}

async function subscribe(amountFen = 100_000, productId = ON_SALE) {
  return xjp.subscribe({
    requestId: unique('rq'),
    purchaseRecordId: unique('PR'),
    productId,
    accountNo: await openAccount(),
    amountFen,
  });
}

/** Pays an order the way an investor does: the cashier's Pay form, then XJP hears from LianLian. */
async function pay(cashierUrl: string, xjpOrderNo: string): Promise<XjpPayment> {
  const response = await fetch(`${cashierUrl}/pay`, { method: 'POST', redirect: 'manual' });
  expect(response.status).toBeLessThan(500);
  for (let attempt = 0; attempt < 50; attempt += 1) {
    const payment = await xjp.queryPayment({ xjpOrderNo });
    if (payment.payStatus === 'PAID') return payment;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`order ${xjpOrderNo} never became PAID`);
}

async function refusal(call: Promise<unknown>): Promise<PartnerError> {
  const error = await rejection(call);
  expect(error).toBeInstanceOf(PartnerError);
  return error as PartnerError;
}

beforeAll(async () => {
  partners = await startPartners();
  xjp = client();
});

afterAll(async () => {
  await partners.close();
});

describe('XJP products', () => {
  it('gets a product by id, with rates as decimal strings and amounts in fen', async () => {
    const product = await xjp.getProduct({ productId: ON_SALE });
    expect(product).toMatchObject({
      productId: ON_SALE,
      annualRate: '0.0325',
      term: 30,
      termUnit: 'DAY',
      minAmountFen: 100_000,
      status: 'ON_SALE',
    });
  });

  it('gets the same product by its code', async () => {
    const byId = await xjp.getProduct({ productId: ON_SALE });
    expect(await xjp.getProduct({ productCode: byId.productCode })).toEqual(byId);
  });

  it('refuses an unknown product with a FINAL PRODUCT_NOT_FOUND', async () => {
    expect(await refusal(xjp.getProduct({ productId: 'NOPE' }))).toMatchObject({
      partner: 'XJP',
      classification: 'FINAL',
      code: 'PRODUCT_NOT_FOUND',
      httpStatus: 404,
    });
  });

  it('refuses a delisted product with PRODUCT_NOT_FOUND until it is listed again', async () => {
    await admin(partners.xjpUrl, `/products/${BIG_TARGET}/delist`);
    expect(await refusal(xjp.getProduct({ productId: BIG_TARGET }))).toMatchObject({ code: 'PRODUCT_NOT_FOUND' });
    await admin(partners.xjpUrl, `/products/${BIG_TARGET}/list`);
    expect((await xjp.getProduct({ productId: BIG_TARGET })).productId).toBe(BIG_TARGET);
  });

  it('lists the home-page products', async () => {
    const home = await xjp.listHomeProducts();
    expect(home.map((p) => p.productId)).toEqual(['XJP-P-0001', 'XJP-P-0002', 'XJP-P-0003']);
  });

  it('pages the product list', async () => {
    const first = await xjp.listProducts({ page: 1, size: 2 });
    const second = await xjp.listProducts({ page: 2, size: 2 });
    expect(first).toMatchObject({ page: 1, size: 2, total: 7 });
    expect(first.items).toHaveLength(2);
    expect(second.items[0]?.productId).toBe('XJP-P-0003');
  });

  it('refuses a page size over 100 as a FINAL INVALID_REQUEST', async () => {
    expect(await refusal(xjp.listProducts({ page: 1, size: 101 }))).toMatchObject({
      classification: 'FINAL',
      code: 'INVALID_REQUEST',
      httpStatus: 400,
    });
  });
});

describe('XJP accounts', () => {
  const investor = {
    channel: 'PC',
    name: '张三',
    mobile: '13800138000',
    idCardNo: VALID_ID_CARD,
    email: 'zhang@example.com',
  };

  it('opens an account once per member: a repeat returns the same account, not created', async () => {
    const memberId = unique('m');
    const first = await xjp.openAccount({ ...investor, requestId: unique('rq'), memberId });
    const again = await xjp.openAccount({ ...investor, requestId: unique('rq'), memberId });
    expect(first).toMatchObject({ memberId, accountName: '张三', created: true });
    expect(again).toEqual({ ...first, created: false });
  });

  it('refuses an ID card number failing the GB 11643 checksum with INVALID_ID_CARD', async () => {
    const call = xjp.openAccount({
      ...investor,
      requestId: unique('rq'),
      memberId: unique('m'),
      idCardNo: '110105194912310021',
    });
    expect(await refusal(call)).toMatchObject({ classification: 'FINAL', code: 'INVALID_ID_CARD', httpStatus: 422 });
  });

  it('refuses a mobile that is not a mainland number with INVALID_MOBILE', async () => {
    const call = xjp.openAccount({ ...investor, requestId: unique('rq'), memberId: unique('m'), mobile: '12345' });
    expect(await refusal(call)).toMatchObject({ classification: 'FINAL', code: 'INVALID_MOBILE' });
  });
});

describe('XJP subscriptions', () => {
  it('subscribes: an UNPAID order with maturity figures, dates and a cashier URL', async () => {
    const order = await subscribe(200_000);
    expect(order).toMatchObject({
      productId: ON_SALE,
      amountFen: 200_000,
      term: 30,
      termUnit: 'DAY',
      annualRate: '0.0325',
      payStatus: 'UNPAID',
    });
    expect(order.maturityAmountFen).toBe(order.amountFen + order.maturityInterestFen);
    expect(order.cashierUrl.startsWith(`${partners.lianlianUrl}/cashier/`)).toBe(true);
  });

  it('the same subscription sent three times at once yields one XJP order and one quota lock', async () => {
    const before = await raisedFen(ON_SALE);
    const request = {
      requestId: unique('rq'),
      purchaseRecordId: unique('PR'),
      productId: ON_SALE,
      accountNo: await openAccount(),
      amountFen: 300_000,
    };
    const orders = await Promise.all([xjp.subscribe(request), xjp.subscribe(request), xjp.subscribe(request)]);
    expect(new Set(orders.map((o) => o.xjpOrderNo)).size).toBe(1);
    const held = (await xjpState()).subscriptions.filter((s) => s.purchaseRecordId === request.purchaseRecordId);
    expect(held).toEqual([expect.objectContaining({ quotaLockedFen: 300_000 })]);
    expect(await raisedFen(ON_SALE)).toBe((before ?? Number.NaN) + 300_000);
  });

  it.each([
    ['PRODUCT_NOT_ON_SALE', 'a sold-out product', SOLD_OUT, 100_000],
    ['PRODUCT_NOT_ON_SALE', 'an ended product', ENDED, 100_000],
    ['BELOW_MINIMUM', 'less than the minimum', ON_SALE, 99_900],
    ['NOT_ON_STEP', 'an amount off the step', ON_SALE, 150_000],
    ['QUOTA_EXCEEDED', 'more than the remaining quota', BIG_TARGET, 900_000_000],
  ])('refuses %s for %s', async (code, _case, productId, amountFen) => {
    expect(await refusal(subscribe(amountFen, productId))).toMatchObject({
      classification: 'FINAL',
      code,
      httpStatus: 422,
    });
  });

  it('refuses an unknown account with ACCOUNT_NOT_FOUND', async () => {
    const call = xjp.subscribe({
      requestId: unique('rq'),
      purchaseRecordId: unique('PR'),
      productId: ON_SALE,
      accountNo: 'NO-SUCH',
      amountFen: 100_000,
    });
    expect(await refusal(call)).toMatchObject({ classification: 'FINAL', code: 'ACCOUNT_NOT_FOUND' });
  });

  it('cancels an unpaid order, releasing its quota; cancelling again answers the same', async () => {
    const before = await raisedFen(ON_SALE);
    const order = await subscribe(100_000);
    const cancelled = await xjp.cancelSubscription({ requestId: unique('rq'), xjpOrderNo: order.xjpOrderNo });
    const again = await xjp.cancelSubscription({ requestId: unique('rq'), xjpOrderNo: order.xjpOrderNo });
    expect(cancelled).toMatchObject({ xjpOrderNo: order.xjpOrderNo, payStatus: 'CANCELLED' });
    expect(again).toEqual(cancelled);
    expect(await raisedFen(ON_SALE)).toBe(before);
  });

  it('refuses to cancel a paid order with ORDER_ALREADY_PAID', async () => {
    const order = await subscribe();
    await pay(order.cashierUrl, order.xjpOrderNo);
    const call = xjp.cancelSubscription({ requestId: unique('rq'), xjpOrderNo: order.xjpOrderNo });
    expect(await refusal(call)).toMatchObject({ classification: 'FINAL', code: 'ORDER_ALREADY_PAID' });
  });
});

describe('XJP payments and redemptions', () => {
  it('reports an unpaid order as UNPAID', async () => {
    const order = await subscribe();
    expect(await xjp.queryPayment({ xjpOrderNo: order.xjpOrderNo })).toEqual({
      xjpOrderNo: order.xjpOrderNo,
      payStatus: 'UNPAID',
    });
  });

  it('reports a paid order as PAID with the amount, time and LianLian bill', async () => {
    const order = await subscribe(200_000);
    const payment = await pay(order.cashierUrl, order.xjpOrderNo);
    expect(payment).toMatchObject({ xjpOrderNo: order.xjpOrderNo, payStatus: 'PAID', paidAmountFen: 200_000 });
  });

  it('refuses a query for an unknown order with a FINAL not-found code', async () => {
    expect(await refusal(xjp.queryPayment({ xjpOrderNo: 'NO-SUCH' }))).toMatchObject({
      classification: 'FINAL',
      code: 'ORDER_NOT_FOUND',
      httpStatus: 404,
    });
  });

  it('refuses to redeem an unpaid order with ORDER_NOT_PAID', async () => {
    const order = await subscribe();
    const call = xjp.redeem({ requestId: unique('rq'), xjpOrderNo: order.xjpOrderNo });
    expect(await refusal(call)).toMatchObject({ classification: 'FINAL', code: 'ORDER_NOT_PAID' });
  });

  it('redeems a paid order once: a repeat answers the same settlement', async () => {
    const order = await subscribe(100_000);
    await pay(order.cashierUrl, order.xjpOrderNo);
    const requestId = unique('rq');
    const settled = await xjp.redeem({ requestId, xjpOrderNo: order.xjpOrderNo });
    expect(settled).toMatchObject({ xjpOrderNo: order.xjpOrderNo, principalFen: 100_000, status: 'SETTLED' });
    expect(await xjp.redeem({ requestId, xjpOrderNo: order.xjpOrderNo })).toEqual(settled);
  });

  it('products state their early-redemption terms and service fee; a product held to maturity refuses early redemption', async () => {
    expect(await xjp.getProduct({ productId: 'XJP-P-0002' })).toMatchObject({
      earlyRedemption: { allowed: true, lockInDays: 7, penalty: { kind: 'PENALTY_RATE', annualRate: '0.0035' } },
      serviceFee: { kind: 'INTEREST_BP', bp: 1_000 },
    });
    const order = await subscribe(100_000);
    await pay(order.cashierUrl, order.xjpOrderNo);
    const call = xjp.redeemEarly({
      requestId: unique('rq'),
      xjpOrderNo: order.xjpOrderNo,
      redemptionDate: order.interestStartDate,
    });
    expect(await refusal(call)).toMatchObject({ classification: 'FINAL', code: 'EARLY_REDEMPTION_NOT_ALLOWED' });
  });

  it('refuses early redemption inside the lock-in (IN_LOCK_IN) and from maturity on (ORDER_MATURED)', async () => {
    const order = await subscribe(100_000, 'XJP-P-0002');
    await pay(order.cashierUrl, order.xjpOrderNo);
    const early = (redemptionDate: string) =>
      refusal(xjp.redeemEarly({ requestId: unique('rq'), xjpOrderNo: order.xjpOrderNo, redemptionDate }));
    const sixDays = new Date(Date.parse(`${order.interestStartDate}T00:00:00Z`) + 6 * 86_400_000).toISOString();
    expect(await early(sixDays.slice(0, 10))).toMatchObject({ code: 'IN_LOCK_IN' });
    expect(await early(order.interestEndDate)).toMatchObject({ code: 'ORDER_MATURED' });
  });

  it('settles an early redemption with a fee on principal once: the total is principal + interest − fee; a repeat answers the same, another request ALREADY_REDEEMED', async () => {
    const order = await subscribe(1_000_000, BIG_TARGET);
    await pay(order.cashierUrl, order.xjpOrderNo);
    const redemptionDate = new Date(Date.parse(`${order.interestStartDate}T00:00:00Z`) + 60 * 86_400_000)
      .toISOString()
      .slice(0, 10);
    const requestId = unique('rq');
    const settled = await xjp.redeemEarly({ requestId, xjpOrderNo: order.xjpOrderNo, redemptionDate });
    // 60 days at 4.20 % on basis 360: 7 000 fen; 50 bp of principal: 5 000 fen.
    expect(settled).toMatchObject({
      redemptionDate,
      principalFen: 1_000_000,
      interestFen: 7_000,
      penaltyFen: 5_000,
      totalFen: 1_002_000,
      status: 'SETTLED',
    });
    expect(await xjp.redeemEarly({ requestId, xjpOrderNo: order.xjpOrderNo, redemptionDate })).toEqual(settled);
    const another = xjp.redeemEarly({ requestId: unique('rq'), xjpOrderNo: order.xjpOrderNo, redemptionDate });
    expect(await refusal(another)).toMatchObject({ code: 'ALREADY_REDEEMED' });
  });
});

describe('XJP signatures', () => {
  it('a request signed with the wrong key is a FINAL INVALID_SIGNATURE', async () => {
    const stranger = client({ platformPrivateKeyPem: partners.keys.xjp.privateKeyPem });
    expect(await refusal(stranger.listHomeProducts())).toMatchObject({
      classification: 'FINAL',
      code: 'INVALID_SIGNATURE',
      httpStatus: 401,
    });
  });

  it('a request timestamped ten minutes ago is a FINAL STALE_TIMESTAMP', async () => {
    const lagging = client({ now: () => new Date(Date.now() - 10 * 60_000) });
    expect(await refusal(lagging.listHomeProducts())).toMatchObject({
      classification: 'FINAL',
      code: 'STALE_TIMESTAMP',
      httpStatus: 401,
    });
  });
});

describe('XJP injected faults', () => {
  it('latency beyond the client timeout is a RETRYABLE TIMEOUT, and the next call succeeds', async () => {
    await admin(partners.xjpUrl, '/faults', {
      endpoint: '/api/products/home',
      kind: 'latency',
      count: 1,
      latencyMs: TIMEOUT_MS * 2,
    });
    expect(await refusal(xjp.listHomeProducts())).toMatchObject({
      partner: 'XJP',
      classification: 'RETRYABLE',
      code: 'TIMEOUT',
    });
    expect(await xjp.listHomeProducts()).toHaveLength(3);
  });

  it('a 500 is a RETRYABLE HTTP_5XX', async () => {
    await admin(partners.xjpUrl, '/faults', { endpoint: '/api/payments/query', kind: 'error500', count: 1 });
    expect(await refusal(xjp.queryPayment({ xjpOrderNo: 'ANY' }))).toMatchObject({
      classification: 'RETRYABLE',
      code: 'HTTP_5XX',
      httpStatus: 500,
    });
  });

  it('a subscription whose answer is lost is a RETRYABLE TIMEOUT, and the retry returns the one order it made', async () => {
    const request = {
      requestId: unique('rq'),
      purchaseRecordId: unique('PR'),
      productId: ON_SALE,
      accountNo: await openAccount(),
      amountFen: 100_000,
    };
    await admin(partners.xjpUrl, '/faults', {
      endpoint: '/api/subscriptions',
      kind: 'timeout',
      count: 1,
      latencyMs: TIMEOUT_MS * 5,
    });
    expect(await refusal(xjp.subscribe(request))).toMatchObject({ classification: 'RETRYABLE', code: 'TIMEOUT' });
    const order = await xjp.subscribe(request);
    const held = (await xjpState()).subscriptions.filter((s) => s.purchaseRecordId === request.purchaseRecordId);
    expect(held).toEqual([expect.objectContaining({ xjpOrderNo: order.xjpOrderNo, quotaLockedFen: 100_000 })]);
  });
});
