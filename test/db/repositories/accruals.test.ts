import {
  AccrualConflictError,
  accruedInterestFen,
  addLedgerCorrection,
  ledgerInterestFen,
  listAccruals,
  postAccrual,
} from '../../../src/db/repositories/accruals';
import { OrderNotFoundError } from '../../../src/db/repositories/errors';
import { createOrder } from '../../../src/db/repositories/orders';
import { testPiiCipher, useTestDatabase } from '../../../tools/testing/database';
import { orderInput } from './fixtures';

const db = useTestDatabase();
const cipher = testPiiCipher();
const fork = () => db.orm.em.fork();

const day = (orderNo: string, accrualDate: string, dayIndex: number, amountFen: number, cumulativeFen: number) => ({
  orderNo,
  accrualDate,
  dayIndex,
  amountFen,
  cumulativeFen,
  at: new Date('2026-11-24T16:05:00Z'),
});

test('accruals post and read back in date order with their running total', async () => {
  const { orderNo } = await createOrder(fork(), cipher, orderInput());
  expect(await accruedInterestFen(fork(), orderNo)).toBe(0);
  expect((await postAccrual(fork(), day(orderNo, '2026-11-23', 1, 116, 116))).created).toBe(true);
  expect((await postAccrual(fork(), day(orderNo, '2026-11-24', 2, 117, 233))).created).toBe(true);

  const rows = await listAccruals(fork(), orderNo);
  expect(rows.map((r) => [r.accrualDate, r.dayIndex, r.amountFen, r.cumulativeFen])).toEqual([
    ['2026-11-23', 1, 116, 116],
    ['2026-11-24', 2, 117, 233],
  ]);
  expect(rows[0]?.postedAt.toISOString()).toBe('2026-11-24T16:05:00.000Z');
  expect(await accruedInterestFen(fork(), orderNo)).toBe(233);
});

test('two posts of the same day at once leave exactly one row, and exactly one caller sees it as new', async () => {
  const { orderNo } = await createOrder(fork(), cipher, orderInput());
  const results = await Promise.all([
    postAccrual(fork(), day(orderNo, '2026-11-23', 1, 116, 116)),
    postAccrual(fork(), day(orderNo, '2026-11-23', 1, 116, 116)),
  ]);

  expect(results.map((r) => r.created).sort()).toEqual([false, true]);
  expect(results[0]?.accrual.id).toBe(results[1]?.accrual.id);
  const count = await fork().execute<{ n: string }[]>(
    'select count(*) as n from interest_accrual a join purchase_order o on o.id = a.order_id where o.order_no = ?',
    [orderNo],
  );
  expect(count[0]?.n).toBe('1');
});

test('a retried post of a day already posted is not new and changes nothing', async () => {
  const { orderNo } = await createOrder(fork(), cipher, orderInput());
  await postAccrual(fork(), day(orderNo, '2026-11-23', 1, 116, 116));
  const again = await postAccrual(fork(), day(orderNo, '2026-11-23', 1, 116, 116));
  expect(again.created).toBe(false);
  expect(await listAccruals(fork(), orderNo)).toHaveLength(1);
});

test('posting a day again with different figures is a conflict, not a silent overwrite', async () => {
  const { orderNo } = await createOrder(fork(), cipher, orderInput());
  await postAccrual(fork(), day(orderNo, '2026-11-23', 1, 116, 116));
  const clash = postAccrual(fork(), day(orderNo, '2026-11-23', 1, 117, 117));
  await expect(clash).rejects.toBeInstanceOf(AccrualConflictError);
  await expect(clash).rejects.toMatchObject({ code: 'ACCRUAL_CONFLICT' });
  expect((await listAccruals(fork(), orderNo))[0]?.amountFen).toBe(116);
});

test('posting for an unknown order throws ORDER_NOT_FOUND', async () => {
  await expect(postAccrual(fork(), day('XJP20261122999999', '2026-11-23', 1, 1, 1))).rejects.toBeInstanceOf(
    OrderNotFoundError,
  );
});

test('a signed correction row changes the ledger interest without touching the accrual rows', async () => {
  const { orderNo } = await createOrder(fork(), cipher, orderInput());
  await postAccrual(fork(), day(orderNo, '2026-11-23', 1, 116, 116));
  const correction = {
    orderNo,
    operator: 'fin.zhao',
    reason: 'XJP settled one fen less',
    evidenceRef: 'TICKET-7',
    at: new Date('2026-12-01T02:00:00Z'),
  };
  await addLedgerCorrection(fork(), { ...correction, amountFen: -1 });
  await addLedgerCorrection(fork(), { ...correction, amountFen: 3 });

  expect(await ledgerInterestFen(fork(), orderNo)).toBe(118);
  expect(await accruedInterestFen(fork(), orderNo)).toBe(116);
  expect((await listAccruals(fork(), orderNo)).map((r) => r.amountFen)).toEqual([116]);
});
