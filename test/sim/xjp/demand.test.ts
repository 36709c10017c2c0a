/** XJP's demand product (活期): figures, cut-off dates, caps, limits, idempotency and the daily statement. */
import { callXjp, nextId, openAccount, useWorld } from '../harness';
import { simAdmin } from '../../../tools/testing/purchases';
import { waitForState } from '../../../tools/testing/wait';
import { simDemandFigure } from '../../../tools/sim/xjp/demand/product';

const world = useWorld();
const PRODUCT = 'XJPHQ01';

interface Data {
  [key: string]: unknown;
}

async function demand(
  path: string,
  body: Record<string, unknown>,
): Promise<{ status: number; data: Data; code: unknown }> {
  const answer = await callXjp(world, `/demand${path}`, body);
  return { status: answer.status, data: answer.body.data as Data, code: answer.body.code };
}

function subscription(accountNo: string, amountFen: number, requestedAt: string): Record<string, unknown> {
  const id = nextId('DS');
  return { requestId: id, subscriptionId: id, productCode: PRODUCT, accountNo, amountFen, requestedAt };
}

/** Presses Pay on the subscription's cashier and waits until LianLian's result reached XJP. */
async function payFor(placed: Data): Promise<Data> {
  const paid = await fetch(`${placed.cashierUrl as string}/pay`, {
    method: 'POST',
    headers: { accept: 'application/json' },
  });
  expect(paid.ok).toBe(true);
  return waitForState(
    async () => (await demand('/subscriptions/query', { subscriptionId: placed.subscriptionId })).data,
    (s) => s.payment !== undefined,
  );
}

/** Places, pays and applies a subscription: the cut-off applies to `paidAt` (default: the order time). */
async function subscribed(accountNo: string, amountFen: number, requestedAt: string, paidAt = requestedAt) {
  const placed = await demand('/subscriptions', subscription(accountNo, amountFen, requestedAt));
  await payFor(placed.data);
  const id = placed.data.subscriptionId;
  return demand('/subscriptions/confirm', { requestId: `${String(id)}-c`, subscriptionId: id, paidAt });
}

test('the figure of a day is exact decimals and the same every time it is asked', async () => {
  const first = await demand('/figures', { productCode: PRODUCT, date: '2027-03-10' });
  const again = await demand('/figures', { productCode: PRODUCT, date: '2027-03-10' });
  expect(first.data).toEqual(again.data);
  expect(first.data.incomePer10kFen).toMatch(/^0\.[4-6]\d{3}$/);
  expect(first.data.sevenDayYield).toMatch(/^0\.0\d{5}$/);
  expect(simDemandFigure('2027-03-10').incomePer10kFen).toBe(first.data.incomePer10kFen);
});

test('a subscription paid before the cut-off counts from the next business day, after it from the one after', async () => {
  const accountNo = await openAccount(world);
  // 2027-03-10 is a Wednesday; 14:59 and 15:00 Shanghai.
  const before = await subscribed(accountNo, 10_000, '2027-03-10T06:59:00Z');
  const after = await subscribed(accountNo, 10_000, '2027-03-10T06:59:00Z', '2027-03-10T07:00:00Z');
  const friday = await subscribed(accountNo, 10_000, '2027-03-12T08:00:00Z');
  const saturday = await subscribed(accountNo, 10_000, '2027-03-13T02:00:00Z');
  expect([before.data.tradeDate, before.data.countsFrom]).toEqual(['2027-03-10', '2027-03-11']);
  expect([after.data.tradeDate, after.data.countsFrom]).toEqual(['2027-03-11', '2027-03-12']);
  expect([friday.data.tradeDate, friday.data.countsFrom]).toEqual(['2027-03-15', '2027-03-16']);
  expect([saturday.data.tradeDate, saturday.data.countsFrom]).toEqual(['2027-03-15', '2027-03-16']);
});

test('a placed subscription waits for its payment at the cashier; a repeat answers the first placement; money on its way in counts against the cap', async () => {
  const accountNo = await openAccount(world);
  const body = subscription(accountNo, 40_000_000, '2027-04-07T01:00:00Z');
  const first = await demand('/subscriptions', body);
  expect(first.data).toMatchObject({ status: 'AWAITING_PAYMENT', payBefore: '2027-04-07T01:30:00.000Z' });
  expect(first.data.cashierUrl).toMatch(/\/cashier\//);
  const repeat = await demand('/subscriptions', body);
  expect([repeat.data.xjpSubscriptionNo, repeat.data.cashierUrl]).toEqual([
    first.data.xjpSubscriptionNo,
    first.data.cashierUrl,
  ]);
  const over = await demand('/subscriptions', subscription(accountNo, 10_000_001, '2027-04-07T01:00:00Z'));
  expect([over.status, over.code]).toEqual([422, 'HOLDING_CAP_EXCEEDED']);
  const unpaid = await demand('/subscriptions/confirm', {
    requestId: nextId('DC'),
    subscriptionId: first.data.subscriptionId,
    paidAt: '2027-04-07T01:05:00Z',
  });
  expect([unpaid.status, unpaid.code]).toEqual([422, 'SUBSCRIPTION_NOT_PAID']);
});

test('an unpaid window expires; money paid after it stays beside the expired subscription, and the payment query says CANCELLED', async () => {
  const accountNo = await openAccount(world);
  const placed = await demand('/subscriptions', subscription(accountNo, 20_000, '2027-04-08T01:00:00Z'));
  const id = placed.data.subscriptionId;
  const expired = await demand('/subscriptions/expire', { requestId: nextId('DE'), subscriptionId: id });
  expect(expired.data.status).toBe('EXPIRED');
  const late = await payFor(placed.data);
  expect(late.status).toBe('EXPIRED');
  const refused = await demand('/subscriptions/confirm', {
    requestId: nextId('DC'),
    subscriptionId: id,
    paidAt: '2027-04-08T02:00:00Z',
  });
  expect(refused.code).toBe('SUBSCRIPTION_EXPIRED');
  const payment = await callXjp(world, '/payments/query', { xjpOrderNo: placed.data.xjpSubscriptionNo });
  expect(payment.body.data).toMatchObject({ payStatus: 'CANCELLED', paidAmountFen: 20_000 });
});

test('a paid subscription over a holding cap lowered meanwhile is REFUSED, its payment still PAID for the refund', async () => {
  const accountNo = await openAccount(world);
  const placed = await demand('/subscriptions', subscription(accountNo, 30_000, '2027-04-09T01:00:00Z'));
  await payFor(placed.data);
  await simAdmin(world.xjpUrl, `/demand/products/${PRODUCT}/holding-cap`, { fen: 10_000 });
  try {
    const id = placed.data.subscriptionId;
    const refused = await demand('/subscriptions/confirm', {
      requestId: nextId('DC'),
      subscriptionId: id,
      paidAt: '2027-04-09T01:10:00Z',
    });
    expect([refused.status, refused.code]).toEqual([422, 'HOLDING_CAP_EXCEEDED']);
    const after = await demand('/subscriptions/query', { subscriptionId: id });
    expect(after.data).toMatchObject({ status: 'REFUSED', refusal: 'HOLDING_CAP_EXCEEDED' });
    const payment = await callXjp(world, '/payments/query', { xjpOrderNo: placed.data.xjpSubscriptionNo });
    expect(payment.body.data).toMatchObject({ payStatus: 'PAID', paidAmountFen: 30_000 });
  } finally {
    await simAdmin(world.xjpUrl, `/demand/products/${PRODUCT}/holding-cap`, { fen: null });
  }
});

test('redemptions: only confirmed units, fast within the daily limit, standard paid the next business day', async () => {
  const accountNo = await openAccount(world);
  await subscribed(accountNo, 3_000_000, '2027-05-10T01:00:00Z');
  const redeem = (amountFen: number, kind: string, requestedAt: string) => {
    const id = nextId('DR');
    return demand('/redemptions', {
      requestId: id,
      redemptionId: id,
      productCode: PRODUCT,
      accountNo,
      amountFen,
      kind,
      requestedAt,
    });
  };
  expect((await redeem(100, 'FAST', '2027-05-10T02:00:00Z')).code).toBe('INSUFFICIENT_UNITS');
  const fast = await redeem(1_000_000, 'FAST', '2027-05-11T02:00:00Z');
  expect(fast.data).toMatchObject({
    status: 'SETTLED',
    settlesTo: 'PLATFORM',
    effectiveDate: '2027-05-11',
    payDate: '2027-05-11',
  });
  expect((await redeem(1, 'FAST', '2027-05-11T03:00:00Z')).code).toBe('FAST_LIMIT_EXCEEDED');
  const standard = await redeem(1_000_000, 'STANDARD', '2027-05-14T08:00:00Z');
  expect(standard.data).toMatchObject({ status: 'ACCEPTED', effectiveDate: '2027-05-17', payDate: '2027-05-18' });
  const query = await demand('/redemptions/query', { redemptionId: standard.data.redemptionId });
  expect(query.data).toEqual(standard.data);
});

test("the daily statement lists the day's requests and each holding's income of that day", async () => {
  const accountNo = await openAccount(world);
  await subscribed(accountNo, 1_000_000, '2027-06-01T01:00:00Z');
  const statement = await demand('/statements/daily', { businessDate: '2027-06-02' });
  const line = (statement.data.income as Data[]).find((l) => l.accountNo === accountNo);
  const per10k = Number(simDemandFigure('2027-06-02').incomePer10kFen.replace('.', ''));
  expect(line).toEqual({
    accountNo,
    productCode: PRODUCT,
    date: '2027-06-02',
    unitsFen: 1_000_000,
    incomeFen: Math.floor((1_000_000 * per10k) / 100_000_000),
  });
  const requestDay = await demand('/statements/daily', { businessDate: '2027-06-01' });
  expect((requestDay.data.subscriptions as Data[]).some((s) => s.accountNo === accountNo)).toBe(true);
});
