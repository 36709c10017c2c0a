import { daysBetween } from '../../src/domain/calendar';
import { admin, adminState, callXjp, nextId, openAccount, subscribe, VALID_ID_CARD, useWorld } from './harness';

const world = useWorld();

interface ProductState {
  productId: string;
  status: string;
  raisedFen: number;
  remainingFen: number;
}
interface XjpState {
  products: ProductState[];
  accounts: { accountNo: string }[];
  subscriptions: { xjpOrderNo: string; quotaLockedFen: number; payStatus: string; requestIds: string[] }[];
}
const state = (): Promise<XjpState> => adminState<XjpState>(world.xjpUrl);
const product = async (productId: string): Promise<ProductState> =>
  (await state()).products.find((p) => p.productId === productId)!;

describe('catalogue', () => {
  it('serves one product by id or code, the home set, and a paged list', async () => {
    const byId = await callXjp(world, '/products/get', { productId: 'XJP-P-0003' });
    const byCode = await callXjp(world, '/products/get', { productCode: 'XJP180D2611' });
    expect(byId.body.data).toEqual(byCode.body.data);
    expect(byId.body.data).toMatchObject({
      term: 180,
      termUnit: 'DAY',
      dayCountBasis: 360,
      annualRate: '0.0420',
      status: 'ON_SALE',
    });

    const home = (await callXjp(world, '/products/home', {})).body.data as unknown[];
    expect(home.length).toBeGreaterThan(0);

    const page2 = (await callXjp(world, '/products/list', { page: 2, size: 3 })).body.data as {
      total: number;
      items: { productId: string }[];
    };
    expect(page2.total).toBe(7);
    expect(page2.items.map((p) => p.productId)).toEqual(['XJP-P-0004', 'XJP-P-0005', 'XJP-P-0006']);
  });

  it('seeds the sold-out, ended, monthly and pay-on-withdrawal products', async () => {
    const all = (
      (await callXjp(world, '/products/list', { page: 1, size: 100 })).body.data as { items: Record<string, unknown>[] }
    ).items;
    expect(all.find((p) => p.status === 'SOLD_OUT')).toMatchObject({ raisedFen: expect.any(Number) as number });
    const soldOut = all.find((p) => p.status === 'SOLD_OUT')!;
    expect(soldOut.raisedFen).toBe(soldOut.raiseTargetFen);
    expect(all.some((p) => p.status === 'ENDED')).toBe(true);
    expect(all.some((p) => p.termUnit === 'MONTH' && p.term === 6)).toBe(true);
    expect(all.some((p) => p.payoutMode === 'ON_WITHDRAWAL')).toBe(true);
  });

  it('a delisted product is not found until listed again', async () => {
    await admin(world.xjpUrl, '/products/XJP-P-0001/delist');
    const gone = await callXjp(world, '/products/get', { productId: 'XJP-P-0001' });
    expect(gone).toEqual({ status: 404, body: { code: 'PRODUCT_NOT_FOUND', message: 'no such product' } });
    await admin(world.xjpUrl, '/products/XJP-P-0001/list');
    expect((await callXjp(world, '/products/get', { productId: 'XJP-P-0001' })).status).toBe(200);
  });

  it('refuses a malformed request with 400 INVALID_REQUEST', async () => {
    const answer = await callXjp(world, '/products/list', { page: 0, size: 500 });
    expect(answer.status).toBe(400);
    expect(answer.body.code).toBe('INVALID_REQUEST');
  });
});

describe('account opening', () => {
  const open = (fields: Record<string, unknown>) =>
    callXjp(world, '/accounts/open', {
      requestId: nextId('R'),
      channel: 'PC',
      memberId: 'M-1',
      name: '李四',
      mobile: '13912345678',
      idCardNo: VALID_ID_CARD,
      ...fields,
    });

  it('is idempotent per member', async () => {
    const first = await open({});
    const second = await open({ requestId: nextId('R') });
    expect(first.body.data).toMatchObject({ memberId: 'M-1', accountName: '李四', created: true });
    expect(second.body.data).toMatchObject({
      accountNo: (first.body.data as { accountNo: string }).accountNo,
      created: false,
    });
    expect((await state()).accounts).toHaveLength(1);
  });

  it.each([
    ['a wrong check character', { idCardNo: '110105194912310021' }, 'INVALID_ID_CARD'],
    ['an impossible birth date with a correct check character', { idCardNo: '110105194902300020' }, 'INVALID_ID_CARD'],
    ['a short ID number', { idCardNo: '11010519491231' }, 'INVALID_ID_CARD'],
    ['a landline number', { mobile: '02112345678' }, 'INVALID_MOBILE'],
    ['a mobile starting 12', { mobile: '12812345678' }, 'INVALID_MOBILE'],
  ])('refuses %s', async (_case, fields, code) => {
    const answer = await open(fields);
    expect(answer.status).toBe(422);
    expect(answer.body.code).toBe(code);
    expect((await state()).accounts).toHaveLength(0);
  });
});

describe('subscription', () => {
  it('quotes T+1 simple interest: ¥1,000 for 30 days at 3.25% on basis 365 is 267 fen', async () => {
    const order = await subscribe(world, 100_000, 'XJP-P-0001');
    expect(order.maturityInterestFen).toBe(267);
    expect(order.maturityAmountFen).toBe(100_267);
    const days = (Date.parse(order.interestEndDate) - Date.parse(order.interestStartDate)) / 86_400_000;
    expect(days).toBe(30);
  });

  it('uses basis 360 where the product says so: ¥10,000 for 180 days at 4.20% is ¥210', async () => {
    const order = await subscribe(world, 1_000_000, 'XJP-P-0003');
    expect(order.maturityInterestFen).toBe(21_000);
  });

  it('the same request three times makes one order and one quota lock', async () => {
    const accountNo = await openAccount(world);
    const request = {
      requestId: nextId('R'),
      purchaseRecordId: nextId('PR'),
      productId: 'XJP-P-0001',
      accountNo,
      amountFen: 200_000,
    };
    const before = await product('XJP-P-0001');
    const answers = await Promise.all([
      callXjp(world, '/subscriptions', request),
      callXjp(world, '/subscriptions', request),
    ]);
    answers.push(await callXjp(world, '/subscriptions', request));
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200]);
    expect(new Set(answers.map((a) => JSON.stringify(a.body.data))).size).toBe(1);
    const after = await state();
    expect(after.subscriptions).toHaveLength(1);
    expect(after.products.find((p) => p.productId === 'XJP-P-0001')!.raisedFen).toBe(before.raisedFen + 200_000);
    const payments = await adminState<{ payments: unknown[] }>(world.lianlianUrl);
    expect(payments.payments).toHaveLength(1);
  });

  it.each([
    ['below the minimum', 'XJP-P-0001', 99_000, 'BELOW_MINIMUM'],
    ['off the step', 'XJP-P-0001', 150_000, 'NOT_ON_STEP'],
    ['over the remaining quota', 'XJP-P-0003', 800_100_000, 'QUOTA_EXCEEDED'],
    ['a sold-out product', 'XJP-P-0006', 100_000, 'PRODUCT_NOT_ON_SALE'],
    ['an ended product', 'XJP-P-0007', 100_000, 'PRODUCT_NOT_ON_SALE'],
  ])('refuses %s', async (_case, productId, amountFen, code) => {
    const accountNo = await openAccount(world);
    const answer = await callXjp(world, '/subscriptions', {
      requestId: nextId('R'),
      purchaseRecordId: nextId('PR'),
      productId,
      accountNo,
      amountFen,
    });
    expect(answer.status).toBe(422);
    expect(answer.body.code).toBe(code);
    expect((await state()).subscriptions).toHaveLength(0);
  });

  it('refuses a delisted product and an unknown account', async () => {
    const accountNo = await openAccount(world);
    await admin(world.xjpUrl, '/products/XJP-P-0002/delist');
    const delisted = await callXjp(world, '/subscriptions', {
      requestId: nextId('R'),
      purchaseRecordId: nextId('PR'),
      productId: 'XJP-P-0002',
      accountNo,
      amountFen: 100_000,
    });
    const noAccount = await callXjp(world, '/subscriptions', {
      requestId: nextId('R'),
      purchaseRecordId: nextId('PR'),
      productId: 'XJP-P-0001',
      accountNo: 'XJPA-NOPE',
      amountFen: 100_000,
    });
    expect([delisted.body.code, noAccount.body.code]).toEqual(['PRODUCT_NOT_ON_SALE', 'ACCOUNT_NOT_FOUND']);
  });

  it('a product whose quota is taken up becomes SOLD_OUT, and cancelling releases the quota', async () => {
    const before = await product('XJP-P-0001');
    const order = await subscribe(world, before.remainingFen, 'XJP-P-0001');
    expect(await product('XJP-P-0001')).toMatchObject({ status: 'SOLD_OUT', remainingFen: 0 });

    const cancel = { requestId: nextId('R'), xjpOrderNo: order.xjpOrderNo };
    const cancelled = await callXjp(world, '/subscriptions/cancel', cancel);
    const again = await callXjp(world, '/subscriptions/cancel', cancel);
    expect(cancelled.body.data).toMatchObject({ payStatus: 'CANCELLED' });
    expect(again.body.data).toEqual(cancelled.body.data);
    expect(await product('XJP-P-0001')).toMatchObject({
      status: 'ON_SALE',
      remainingFen: before.remainingFen,
      raisedFen: before.raisedFen,
    });
  });

  it('the interest-skew knob shifts the quoted maturity interest by N fen', async () => {
    await admin(world.xjpUrl, '/products/XJP-P-0001/interest-skew', { fen: 3 });
    const order = await subscribe(world, 100_000, 'XJP-P-0001');
    expect(order.maturityInterestFen).toBe(270);
  });

  it('the date-shift knob moves the quoted maturity date by N days, and the interest follows the dates', async () => {
    const plain = await subscribe(world, 100_000, 'XJP-P-0001');
    await admin(world.xjpUrl, '/products/XJP-P-0001/date-shift', { days: 10 });
    const shifted = await subscribe(world, 100_000, 'XJP-P-0001');
    expect(shifted.interestStartDate).toBe(plain.interestStartDate);
    expect(daysBetween(plain.interestEndDate, shifted.interestEndDate)).toBe(10);
    expect(shifted.maturityInterestFen).toBe(356);
    expect((await admin(world.xjpUrl, '/products/XJP-P-0001/date-shift', { days: 'ten' })).status).toBe(400);
  });
});

describe('payment, cancel and redemption of a paid order', () => {
  it('refuses to cancel or redeem at the wrong time, and redeems once', async () => {
    const order = await subscribe(world, 100_000, 'XJP-P-0001');
    const early = await callXjp(world, '/redemptions', { requestId: nextId('R'), xjpOrderNo: order.xjpOrderNo });
    expect(early).toMatchObject({ status: 422, body: { code: 'ORDER_NOT_PAID' } });

    await fetch(`${order.cashierUrl}/pay`, { method: 'POST' });
    const paid = async () =>
      ((await callXjp(world, '/payments/query', { xjpOrderNo: order.xjpOrderNo })).body.data as { payStatus: string })
        .payStatus;
    for (let i = 0; i < 100 && (await paid()) !== 'PAID'; i += 1) await new Promise((r) => setTimeout(r, 10));

    const cancel = await callXjp(world, '/subscriptions/cancel', {
      requestId: nextId('R'),
      xjpOrderNo: order.xjpOrderNo,
    });
    expect(cancel).toMatchObject({ status: 422, body: { code: 'ORDER_ALREADY_PAID' } });

    const first = await callXjp(world, '/redemptions', { requestId: nextId('R'), xjpOrderNo: order.xjpOrderNo });
    const second = await callXjp(world, '/redemptions', { requestId: nextId('R'), xjpOrderNo: order.xjpOrderNo });
    expect(first.body.data).toMatchObject({
      principalFen: 100_000,
      interestFen: 267,
      totalFen: 100_267,
      status: 'SETTLED',
    });
    expect(second.body.data).toEqual(first.body.data);
  });

  it('answers 404 for an unknown order', async () => {
    const answer = await callXjp(world, '/payments/query', { xjpOrderNo: 'XJP-NOPE' });
    expect(answer).toEqual({ status: 404, body: { code: 'ORDER_NOT_FOUND', message: 'no such order' } });
  });
});
