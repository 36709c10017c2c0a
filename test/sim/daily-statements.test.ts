/** The simulators' daily statements (对账单) and the statement faults their admin API arms. */
import { formatShanghaiTimestamp, shanghaiDate } from '../../tools/sim/common/shanghai-time';
import {
  admin,
  callLianLian,
  callXjp,
  eventually,
  nextId,
  PAYOUT_NOTIFY_PATH,
  pay,
  subscribe,
  withLuhnDigit,
  useWorld,
} from './harness';

const world = useWorld();

interface XjpLine {
  purchaseRecordId: string;
  xjpOrderNo: string;
  amountFen: number;
  payStatus: string;
  paidAmountFen?: number;
}

async function xjpStatement(businessDate: string): Promise<XjpLine[]> {
  const answer = await callXjp(world, '/statements/daily', { businessDate });
  expect(answer.status).toBe(200);
  return (answer.body.data as { records: XjpLine[] }).records;
}

async function payoutStatement(
  billDate: string,
): Promise<{ no_order: string; money_order: string; result_pay: string }[]> {
  const answer = await callLianLian(world, '/statement/payout', { bill_date: billDate });
  expect(answer.body.ret_code).toBe('0000');
  return answer.body.records as { no_order: string; money_order: string; result_pay: string }[];
}

test("XJP lists the day's subscriptions with amount and pay status; other days are empty", async () => {
  const unpaid = await subscribe(world, 100_000);
  const paid = await subscribe(world, 200_000);
  expect((await pay(paid)).ok).toBe(true);
  const today = shanghaiDate(new Date());
  const lines = await xjpStatement(today);
  expect(lines).toEqual(
    expect.arrayContaining([
      expect.objectContaining({ xjpOrderNo: unpaid.xjpOrderNo, amountFen: 100_000, payStatus: 'UNPAID' }),
      expect.objectContaining({
        xjpOrderNo: paid.xjpOrderNo,
        amountFen: 200_000,
        payStatus: 'PAID',
        paidAmountFen: 200_000,
      }),
    ]),
  );
  expect(lines).toHaveLength(2);
  expect(await xjpStatement('2001-01-01')).toEqual([]);
});

test('XJP statement faults drop, duplicate, alter and invent lines without touching the books', async () => {
  const [kept, dropped, doubled] = [
    await subscribe(world, 100_000),
    await subscribe(world, 200_000),
    await subscribe(world, 300_000),
  ];
  const today = shanghaiDate(new Date());
  await admin(world.xjpUrl, '/statement-faults', { kind: 'drop', reference: dropped.xjpOrderNo });
  await admin(world.xjpUrl, '/statement-faults', { kind: 'duplicate', reference: doubled.xjpOrderNo });
  await admin(world.xjpUrl, '/statement-faults', {
    kind: 'alter',
    reference: kept.xjpOrderNo,
    amountFen: 99_900,
    status: 'PAID',
  });
  await admin(world.xjpUrl, '/statement-faults', {
    kind: 'phantom',
    date: today,
    reference: 'XJPGHOST1',
    amountFen: 5_000,
    status: 'PAID',
  });
  const lines = await xjpStatement(today);
  expect(lines.map((l) => l.xjpOrderNo).sort()).toEqual(
    [kept.xjpOrderNo, doubled.xjpOrderNo, doubled.xjpOrderNo, 'XJPGHOST1'].sort(),
  );
  expect(lines.find((l) => l.xjpOrderNo === kept.xjpOrderNo)).toMatchObject({ amountFen: 99_900, payStatus: 'PAID' });
  // The books are as they were: the dropped order still answers the payment query.
  const query = await callXjp(world, '/payments/query', { xjpOrderNo: dropped.xjpOrderNo });
  expect(query.body.data).toMatchObject({ payStatus: 'UNPAID' });
  // Reset clears the faults.
  await admin(world.xjpUrl, '/reset');
  expect(await xjpStatement(today)).toEqual([]);
});

test("XJP's statement carries each order's interest dates and the day's redemption settlements, its faults kept to their own section", async () => {
  const order = await subscribe(world, 100_000);
  expect((await pay(order)).ok).toBe(true);
  await eventually(async () => {
    const query = await callXjp(world, '/payments/query', { xjpOrderNo: order.xjpOrderNo });
    return (query.body.data as { payStatus: string }).payStatus === 'PAID' ? true : undefined;
  });
  const redeemed = await callXjp(world, '/redemptions', { requestId: nextId('R'), xjpOrderNo: order.xjpOrderNo });
  expect(redeemed.status).toBe(200);
  const settlement = redeemed.body.data as { redemptionId: string; totalFen: number; principalFen: number };
  const today = shanghaiDate(new Date());
  await admin(world.xjpUrl, '/statement-faults', {
    kind: 'alter',
    reference: order.xjpOrderNo,
    maturityDate: '2027-01-02',
  });
  await admin(world.xjpUrl, '/statement-faults', {
    kind: 'alter',
    reference: settlement.redemptionId,
    amountFen: settlement.totalFen + 1,
  });
  await admin(world.xjpUrl, '/statement-faults', {
    kind: 'phantom',
    section: 'redemptions',
    date: today,
    reference: 'XRGHOST1',
    amountFen: 5_000,
    status: 'SETTLED',
  });

  const answer = await callXjp(world, '/statements/daily', { businessDate: today });
  const { records, redemptions } = answer.body.data as {
    records: { xjpOrderNo: string; interestStartDate: string; interestEndDate: string }[];
    redemptions: { xjpOrderNo: string; redemptionId: string; interestFen: number; totalFen: number }[];
  };

  expect(records).toEqual([
    expect.objectContaining({
      xjpOrderNo: order.xjpOrderNo,
      interestStartDate: order.interestStartDate,
      interestEndDate: '2027-01-02',
    }),
  ]);
  expect(redemptions).toEqual([
    expect.objectContaining({
      xjpOrderNo: order.xjpOrderNo,
      redemptionId: settlement.redemptionId,
      interestFen: settlement.totalFen + 1 - settlement.principalFen,
      totalFen: settlement.totalFen + 1,
    }),
    expect.objectContaining({ redemptionId: 'XRGHOST1', totalFen: 5_000 }),
  ]);
});

test('a malformed statement fault is refused with 400', async () => {
  expect((await admin(world.xjpUrl, '/statement-faults', { kind: 'alter' })).status).toBe(400);
  expect((await admin(world.lianlianUrl, '/statement-faults', { kind: 'phantom', reference: 'x' })).status).toBe(400);
});

test('LianLian lists the payouts ordered on the bill date, in yuan, with faults applied', async () => {
  const noOrder = nextId('PO');
  const applied = await callLianLian(world, '/payout/apply', {
    no_order: noOrder,
    dt_order: formatShanghaiTimestamp(new Date()),
    money_order: '1002.67',
    card_no: withLuhnDigit('622202000000009999'),
    acct_name: '张三',
    bank_code: '01020000',
    info_order: '小金票到期兑付',
    notify_url: `${world.engine.url}${PAYOUT_NOTIFY_PATH}`,
  });
  expect(applied.body.ret_code).toBe('0000');
  const billDate = shanghaiDate(new Date()).replace(/-/g, '');
  expect(await payoutStatement(billDate)).toEqual([
    expect.objectContaining({ no_order: noOrder, money_order: '1002.67' }),
  ]);
  expect(await payoutStatement('20010101')).toEqual([]);

  await admin(world.lianlianUrl, '/statement-faults', { kind: 'alter', reference: noOrder, amountFen: 100_000 });
  await admin(world.lianlianUrl, '/statement-faults', { kind: 'duplicate', reference: noOrder });
  await admin(world.lianlianUrl, '/statement-faults', {
    kind: 'phantom',
    date: shanghaiDate(new Date()),
    reference: 'GHOSTPAYOUT',
    amountFen: 1,
    status: 'SUCCESS',
  });
  const lines = await payoutStatement(billDate);
  expect(lines.map((l) => [l.no_order, l.money_order])).toEqual([
    [noOrder, '1000.00'],
    [noOrder, '1000.00'],
    ['GHOSTPAYOUT', '0.01'],
  ]);
});
