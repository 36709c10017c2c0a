import { IllegalTransitionError } from '../../../src/domain/errors';
import {
  DuplicateIdempotencyKeyError,
  MemberLimitExceededError,
  OrderNotFoundError,
} from '../../../src/db/repositories/errors';
import { nextOrderNumber } from '../../../src/db/repositories/order-numbers';
import {
  createOrder,
  findOrderByIdempotencyKey,
  findOrderByNo,
  listOrderEvents,
  recordOrderNote,
  listOrdersByMember,
  readInvestorPii,
  transitionOrder,
} from '../../../src/db/repositories/orders';
import { testPiiCipher, useTestDatabase } from '../../../tools/testing/database';
import { INVESTOR, orderInput } from './fixtures';

const db = useTestDatabase();
const cipher = testPiiCipher();

const fork = () => db.orm.em.fork();

test('a created order reads back with its frozen product terms, status CREATED and a creation event', async () => {
  const input = orderInput();
  const created = await createOrder(fork(), cipher, input);
  expect(created.orderNo).toMatch(/^XJP20261122\d{6}$/);

  const read = await findOrderByNo(fork(), created.orderNo);
  expect(read).toMatchObject({
    orderNo: created.orderNo,
    memberId: input.memberId,
    idempotencyKey: input.idempotencyKey,
    productId: 'P001',
    productCode: 'XJP-90D-01',
    productName: '小金票90天',
    annualRateMicros: 42500,
    termValue: 90,
    termUnit: 'DAY',
    dayCountBasis: 365,
    interestStartRule: 'T+1',
    payoutMode: 'AUTO',
    acceptingBank: '中国工商银行',
    channel: 'PC',
    amountFen: 1_000_000,
    status: 'CREATED',
    investorNameMasked: '张*丰',
    bankCardMasked: '**** 0123',
    bankCode: 'ICBC',
    rejectReason: null,
    paidAt: null,
  });
  expect(read?.createdAt.toISOString()).toBe('2026-11-22T02:00:00.000Z');
  expect(readInvestorPii(read!, cipher)).toEqual(INVESTOR);
  expect(await findOrderByIdempotencyKey(fork(), input.memberId, input.idempotencyKey)).toMatchObject({
    orderNo: created.orderNo,
  });
  expect(await findOrderByIdempotencyKey(fork(), 'another-member', input.idempotencyKey)).toBeNull();
  expect(await listOrdersByMember(fork(), input.memberId)).toHaveLength(1);

  const events = await listOrderEvents(fork(), created.orderNo);
  expect(events.map((e) => [e.fromStatus, e.toStatus, e.cause, e.actor])).toEqual([
    [null, 'CREATED', 'ORDER_CREATED', 'INVESTOR'],
  ]);
});

test('the same idempotency key twice yields the typed conflict carrying the first order number', async () => {
  const input = orderInput();
  const first = await createOrder(fork(), cipher, input);
  const second = createOrder(fork(), cipher, { ...input, amountFen: 2_000_000 });
  await expect(second).rejects.toBeInstanceOf(DuplicateIdempotencyKeyError);
  await expect(second).rejects.toMatchObject({ code: 'DUPLICATE_IDEMPOTENCY_KEY', existingOrderNo: first.orderNo });
});

test('the same idempotency key from two members is two orders: keys are scoped per member', async () => {
  const input = orderInput();
  const mine = await createOrder(fork(), cipher, input);
  const theirs = await createOrder(fork(), cipher, { ...input, memberId: `${input.memberId}-other` });
  expect(theirs.orderNo).not.toBe(mine.orderNo);
});

test('two concurrent orders with the same idempotency key: exactly one wins, the other gets the conflict', async () => {
  const input = orderInput();
  const results = await Promise.allSettled([createOrder(fork(), cipher, input), createOrder(fork(), cipher, input)]);

  const won = results.filter((r) => r.status === 'fulfilled');
  const lost = results.filter((r) => r.status === 'rejected');
  expect(won).toHaveLength(1);
  expect(lost).toHaveLength(1);
  const winner = (won[0] as PromiseFulfilledResult<{ orderNo: string }>).value;
  const reason: unknown = (lost[0] as PromiseRejectedResult).reason;
  expect(reason).toBeInstanceOf(DuplicateIdempotencyKeyError);
  expect(reason).toMatchObject({ existingOrderNo: winner.orderNo });
  const count = await fork().execute<{ n: string }[]>(
    'select count(*) as n from purchase_order where idempotency_key = ?',
    [input.idempotencyKey],
  );
  expect(count[0]?.n).toBe('1');
});

test('order numbers are unique under concurrency, consecutive within a Shanghai day and restart the next day', async () => {
  const day = new Date('2027-03-01T03:00:00Z');
  const numbers = await Promise.all(Array.from({ length: 20 }, () => nextOrderNumber(fork(), day)));
  expect(new Set(numbers).size).toBe(20);
  expect([...numbers].sort()).toEqual(
    Array.from({ length: 20 }, (_, i) => `XJP20270301${String(i + 1).padStart(6, '0')}`),
  );
  // 16:30 UTC is already 00:30 the next day in Shanghai.
  expect(await nextOrderNumber(fork(), new Date('2027-03-01T16:30:00Z'))).toBe('XJP20270302000001');
});

test('a transition updates the status and its fields and writes the event row, all together', async () => {
  const { orderNo } = await createOrder(fork(), cipher, orderInput());
  const at = new Date('2026-11-22T02:00:05Z');
  const result = await transitionOrder(fork(), {
    orderNo,
    to: 'SUBSCRIBED',
    cause: 'XJP_SUBSCRIBED',
    actor: 'PARTNER',
    actorRef: 'XJP',
    at,
    changes: {
      xjpOrderId: 'X1',
      xjpOrderNo: `XO-${orderNo}`,
      paymentUrl: 'http://cashier/t',
      payBefore: new Date('2026-11-22T02:30:05Z'),
      expectedInterestFen: 10479,
    },
    detail: { quotaLocked: true },
  });
  expect(result.changed).toBe(true);

  const read = await findOrderByNo(fork(), orderNo);
  expect(read).toMatchObject({
    status: 'SUBSCRIBED',
    xjpOrderNo: `XO-${orderNo}`,
    expectedInterestFen: 10479,
    paymentUrl: 'http://cashier/t',
  });
  expect(read?.updatedAt.toISOString()).toBe(at.toISOString());
  const events = await listOrderEvents(fork(), orderNo);
  expect(events.map((e) => [e.fromStatus, e.toStatus, e.cause, e.actor, e.actorRef])).toEqual([
    [null, 'CREATED', 'ORDER_CREATED', 'INVESTOR', null],
    ['CREATED', 'SUBSCRIBED', 'XJP_SUBSCRIBED', 'PARTNER', 'XJP'],
  ]);
  expect(events[1]?.detail).toEqual({ quotaLocked: true });
});

test('repeating a transition to the current status changes nothing and writes no event', async () => {
  const { orderNo } = await createOrder(fork(), cipher, orderInput());
  const input = {
    orderNo,
    to: 'SUBSCRIBED' as const,
    cause: 'XJP_SUBSCRIBED',
    actor: 'SYSTEM' as const,
    at: new Date(),
  };
  expect((await transitionOrder(fork(), input)).changed).toBe(true);
  expect((await transitionOrder(fork(), input)).changed).toBe(false);
  expect(await listOrderEvents(fork(), orderNo)).toHaveLength(2);
});

test('an illegal transition is refused by the lifecycle guard and leaves the order and its trail untouched', async () => {
  const { orderNo } = await createOrder(fork(), cipher, orderInput());
  const attempt = transitionOrder(fork(), {
    orderNo,
    to: 'COMPLETED',
    cause: 'BOGUS',
    actor: 'OPERATOR',
    at: new Date(),
  });
  await expect(attempt).rejects.toBeInstanceOf(IllegalTransitionError);
  expect((await findOrderByNo(fork(), orderNo))?.status).toBe('CREATED');
  expect(await listOrderEvents(fork(), orderNo)).toHaveLength(1);
});

test('a guard passed in replaces the default lifecycle check', async () => {
  const { orderNo } = await createOrder(fork(), cipher, orderInput());
  const refuseAll = () => {
    throw new Error('refused by caller');
  };
  await expect(
    transitionOrder(fork(), {
      orderNo,
      to: 'SUBSCRIBED',
      cause: 'X',
      actor: 'SYSTEM',
      at: new Date(),
      guard: refuseAll,
    }),
  ).rejects.toThrow('refused by caller');
});

test('a rejection must carry its reason code: the database refuses REJECTED without one', async () => {
  const { orderNo } = await createOrder(fork(), cipher, orderInput());
  await expect(
    transitionOrder(fork(), { orderNo, to: 'REJECTED', cause: 'XJP_REFUSED', actor: 'PARTNER', at: new Date() }),
  ).rejects.toThrow(/purchase_order_reject_reason_iff_rejected/);
  const rejected = await transitionOrder(fork(), {
    orderNo,
    to: 'REJECTED',
    cause: 'XJP_REFUSED',
    actor: 'PARTNER',
    at: new Date(),
    changes: { rejectReason: 'QUOTA_EXCEEDED' },
  });
  expect(rejected.order).toMatchObject({ status: 'REJECTED', rejectReason: 'QUOTA_EXCEEDED' });
});

test('concurrent transitions from the same status: one moves the order, the other is refused by the guard', async () => {
  const { orderNo } = await createOrder(fork(), cipher, orderInput());
  await transitionOrder(fork(), {
    orderNo,
    to: 'SUBSCRIBED',
    cause: 'XJP_SUBSCRIBED',
    actor: 'SYSTEM',
    at: new Date(),
  });
  const results = await Promise.allSettled([
    transitionOrder(fork(), {
      orderNo,
      to: 'PAID',
      cause: 'PAYMENT_NOTIFIED',
      actor: 'PARTNER',
      at: new Date(),
      changes: { paidAt: new Date() },
    }),
    transitionOrder(fork(), {
      orderNo,
      to: 'EXPIRED',
      cause: 'PAYMENT_WINDOW_ELAPSED',
      actor: 'SYSTEM',
      at: new Date(),
    }),
  ]);
  expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
  expect(await listOrderEvents(fork(), orderNo)).toHaveLength(3);
});

test('transitioning an unknown order throws ORDER_NOT_FOUND', async () => {
  await expect(
    transitionOrder(fork(), { orderNo: 'XJP20261122999999', to: 'PAID', cause: 'X', actor: 'SYSTEM', at: new Date() }),
  ).rejects.toBeInstanceOf(OrderNotFoundError);
});

test('personal data is stored only as ciphertext: no raw column holds the clear value', async () => {
  const { orderNo } = await createOrder(fork(), cipher, orderInput());
  const rows = await fork().execute<Record<string, unknown>[]>('select * from purchase_order where order_no = ?', [
    orderNo,
  ]);
  const stored = JSON.stringify(rows[0]);
  for (const clear of [
    INVESTOR.name,
    INVESTOR.idCardNo,
    INVESTOR.mobile,
    INVESTOR.email,
    INVESTOR.bankCardNo,
    '7447X',
    '345678',
    '890123',
  ]) {
    expect(stored).not.toContain(clear);
  }
  expect(rows[0]).toMatchObject({
    id_card_no_enc: expect.stringMatching(/^v1:/),
    bank_card_masked: '**** 0123',
    investor_name_masked: '张*丰',
  });
});

test('a note goes on the audit trail without changing the status, with its actor and detail', async () => {
  const { orderNo } = await createOrder(fork(), cipher, orderInput());
  const at = new Date('2026-11-25T03:00:00Z');
  await recordOrderNote(fork(), {
    orderNo,
    cause: 'LEDGER_CORRECTED',
    actor: 'OPERATOR',
    actorRef: 'fin.zhao',
    detail: { amountFen: -1 },
    at,
  });

  const events = await listOrderEvents(fork(), orderNo);
  expect(events.at(-1)).toMatchObject({
    fromStatus: 'CREATED',
    toStatus: 'CREATED',
    cause: 'LEDGER_CORRECTED',
    actor: 'OPERATOR',
    actorRef: 'fin.zhao',
    detail: { amountFen: -1 },
  });
  expect((await findOrderByNo(fork(), orderNo))?.status).toBe('CREATED');
});

test('a note written once (an activity retried after a lost reply) stays one event however often it is asked', async () => {
  const { orderNo } = await createOrder(fork(), cipher, orderInput());
  const note = {
    orderNo,
    cause: 'PAY_DATE_MOVED',
    actor: 'SYSTEM' as const,
    detail: { maturityDate: '2027-10-01', payDate: '2027-10-08' },
    at: new Date('2026-11-25T03:00:00Z'),
    once: true,
  };
  const first = await recordOrderNote(fork(), note);
  const again = await recordOrderNote(fork(), note);

  expect(again.id).toBe(first.id);
  const moved = (await listOrderEvents(fork(), orderNo)).filter((e) => e.cause === 'PAY_DATE_MOVED');
  expect(moved).toHaveLength(1);
});

describe('the per-member limit of a product', () => {
  const limited = (memberId: string, amountFen: number) =>
    orderInput({ memberId, amountFen, memberLimitFen: 3_000_000 });

  test('takes orders up to the limit, refuses the one past it with the figures, and stops counting orders that ended unpaid', async () => {
    const memberId = 'm-limit-1';
    await createOrder(fork(), cipher, limited(memberId, 2_000_000));
    const second = await createOrder(fork(), cipher, limited(memberId, 1_000_000));

    const refused = await createOrder(fork(), cipher, limited(memberId, 100)).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(MemberLimitExceededError);
    expect(refused).toMatchObject({ code: 'MEMBER_LIMIT_EXCEEDED', limitFen: 3_000_000, heldFen: 3_000_000 });
    // Another member, and another product of the same member, have their own sums.
    await createOrder(fork(), cipher, limited('m-limit-2', 3_000_000));
    const other = limited(memberId, 3_000_000);
    await createOrder(fork(), cipher, { ...other, product: { ...other.product, productId: 'P002' } });

    const at = new Date('2026-11-22T03:00:00Z');
    await transitionOrder(fork(), { orderNo: second.orderNo, to: 'SUBSCRIBED', cause: 'T', actor: 'SYSTEM', at });
    await transitionOrder(fork(), { orderNo: second.orderNo, to: 'EXPIRED', cause: 'T', actor: 'SYSTEM', at });
    await expect(createOrder(fork(), cipher, limited(memberId, 1_000_000))).resolves.toBeDefined();
  });

  test('two concurrent orders that fit the limit only one at a time: exactly one is taken', async () => {
    const memberId = 'm-limit-race';
    const results = await Promise.allSettled(
      Array.from({ length: 4 }, () => createOrder(fork(), cipher, limited(memberId, 2_000_000))),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    for (const r of results.filter((x) => x.status === 'rejected'))
      expect((r as PromiseRejectedResult).reason).toBeInstanceOf(MemberLimitExceededError);
  });

  test('a retried request at the limit answers its own order (duplicate key), not the limit', async () => {
    const input = limited('m-limit-retry', 3_000_000);
    const first = await createOrder(fork(), cipher, input);
    const retried = await createOrder(fork(), cipher, input).catch((e: unknown) => e);
    expect(retried).toBeInstanceOf(DuplicateIdempotencyKeyError);
    expect((retried as DuplicateIdempotencyKeyError).existingOrderNo).toBe(first.orderNo);
  });
});
