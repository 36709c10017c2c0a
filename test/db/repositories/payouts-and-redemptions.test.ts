import {
  createPayout,
  findPayout,
  listPayouts,
  PayoutConflictError,
  recordPayoutResult,
  SecondSuccessfulPayoutError,
} from '../../../src/db/repositories/payouts';
import { findRedemption, upsertRedemption } from '../../../src/db/repositories/redemptions';
import {
  findUserAccount,
  recordUserAccount,
  replaceUserAccount,
  UserAccountConflictError,
} from '../../../src/db/repositories/user-accounts';
import { createOrder } from '../../../src/db/repositories/orders';
import { testPiiCipher, useTestDatabase } from '../../../tools/testing/database';
import { orderInput } from './fixtures';

const db = useTestDatabase();
const cipher = testPiiCipher();
const fork = () => db.orm.em.fork();

const at = new Date('2027-02-21T02:00:00Z');

async function newOrderNo(): Promise<string> {
  return (await createOrder(fork(), cipher, orderInput())).orderNo;
}

describe('redemption', () => {
  test('is created REQUESTED, then settled in place: one row per order with XJP id and amounts', async () => {
    const orderNo = await newOrderNo();
    const requested = await upsertRedemption(fork(), {
      orderNo,
      status: 'REQUESTED',
      principalFen: 1_000_000,
      interestFen: 10479,
      at,
    });
    expect(requested).toMatchObject({
      status: 'REQUESTED',
      totalFen: 1_010_479,
      xjpRedemptionId: null,
      settledAt: null,
    });

    const settledAt = new Date('2027-02-21T02:00:03Z');
    const settled = await upsertRedemption(fork(), {
      orderNo,
      status: 'SETTLED',
      xjpRedemptionId: 'R-1',
      principalFen: 1_000_000,
      interestFen: 10479,
      at: settledAt,
      settledAt,
    });
    expect(settled).toMatchObject({ id: requested.id, status: 'SETTLED', xjpRedemptionId: 'R-1', settledAt });
    expect(await findRedemption(fork(), orderNo)).toMatchObject({ id: requested.id, status: 'SETTLED' });
  });

  test('a late REQUESTED upsert never moves a SETTLED redemption back', async () => {
    const orderNo = await newOrderNo();
    await upsertRedemption(fork(), {
      orderNo,
      status: 'SETTLED',
      xjpRedemptionId: 'R-2',
      principalFen: 5,
      interestFen: 1,
      at,
      settledAt: at,
    });
    const after = await upsertRedemption(fork(), { orderNo, status: 'REQUESTED', principalFen: 5, interestFen: 1, at });
    expect(after).toMatchObject({ status: 'SETTLED', xjpRedemptionId: 'R-2', settledAt: at });
  });

  test('concurrent upserts for one order leave one row', async () => {
    const orderNo = await newOrderNo();
    const input = { orderNo, status: 'REQUESTED' as const, principalFen: 7, interestFen: 0, at };
    const [a, b] = await Promise.all([upsertRedemption(fork(), input), upsertRedemption(fork(), input)]);
    expect(a.id).toBe(b.id);
  });
});

describe('payout', () => {
  test('is created PENDING and idempotently: a repeated create returns the same row', async () => {
    const orderNo = await newOrderNo();
    const input = { orderNo, payoutNo: `${orderNo}P1`, attempt: 1, principalFen: 1_000_000, interestFen: 10479, at };
    const first = await createPayout(fork(), input);
    const again = await createPayout(fork(), input);
    expect(again.id).toBe(first.id);
    expect(first).toMatchObject({ status: 'PENDING', totalFen: 1_010_479, callCount: 0, oidPaybill: null });
  });

  test('reusing a payout number with other figures is a conflict', async () => {
    const orderNo = await newOrderNo();
    await createPayout(fork(), {
      orderNo,
      payoutNo: `${orderNo}P1`,
      attempt: 1,
      principalFen: 100,
      interestFen: 1,
      at,
    });
    await expect(
      createPayout(fork(), { orderNo, payoutNo: `${orderNo}P1`, attempt: 1, principalFen: 100, interestFen: 2, at }),
    ).rejects.toBeInstanceOf(PayoutConflictError);
  });

  test('results move the status, count calls, keep the bill number, and a late PROCESSING never overwrites SUCCESS', async () => {
    const orderNo = await newOrderNo();
    const payoutNo = `${orderNo}P1`;
    await createPayout(fork(), { orderNo, payoutNo, attempt: 1, principalFen: 100, interestFen: 1, at });

    expect(
      (await recordPayoutResult(fork(), { payoutNo, status: 'PENDING', error: 'ECONNRESET', at })).payout,
    ).toMatchObject({ lastError: 'ECONNRESET' });
    await recordPayoutResult(fork(), { payoutNo, status: 'PROCESSING', oidPaybill: 'LL-1', at });
    const success = await recordPayoutResult(fork(), { payoutNo, status: 'SUCCESS', settleDate: '2027-02-21', at });
    expect(success.statusChanged).toBe(true);
    const late = await recordPayoutResult(fork(), { payoutNo, status: 'PROCESSING', at });
    expect(late.statusChanged).toBe(false);

    expect(await findPayout(fork(), payoutNo)).toMatchObject({
      status: 'SUCCESS',
      oidPaybill: 'LL-1',
      settleDate: '2027-02-21',
      callCount: 4,
      lastError: null,
      settledAt: at,
    });
  });

  test('a bank reversal (CANCEL) does replace SUCCESS', async () => {
    const orderNo = await newOrderNo();
    const payoutNo = `${orderNo}P1`;
    await createPayout(fork(), { orderNo, payoutNo, attempt: 1, principalFen: 100, interestFen: 1, at });
    await recordPayoutResult(fork(), { payoutNo, status: 'SUCCESS', at });
    expect((await recordPayoutResult(fork(), { payoutNo, status: 'CANCEL', at })).payout.status).toBe('CANCEL');
  });

  test('the database refuses a second SUCCESS for one order, and allows one again once the first is reversed', async () => {
    const orderNo = await newOrderNo();
    const figures = { orderNo, principalFen: 100, interestFen: 1, at };
    await createPayout(fork(), { ...figures, payoutNo: `${orderNo}P1`, attempt: 1 });
    await createPayout(fork(), { ...figures, payoutNo: `${orderNo}P2`, attempt: 2 });
    await createPayout(fork(), { ...figures, payoutNo: `${orderNo}P3`, attempt: 3 });
    await recordPayoutResult(fork(), { payoutNo: `${orderNo}P1`, status: 'SUCCESS', at });

    await expect(
      recordPayoutResult(fork(), { payoutNo: `${orderNo}P2`, status: 'SUCCESS', at }),
    ).rejects.toBeInstanceOf(SecondSuccessfulPayoutError);
    expect(await findPayout(fork(), `${orderNo}P2`)).toMatchObject({ status: 'PENDING' });

    await recordPayoutResult(fork(), { payoutNo: `${orderNo}P1`, status: 'CANCEL', at });
    await recordPayoutResult(fork(), { payoutNo: `${orderNo}P3`, status: 'SUCCESS', at });
    expect((await listPayouts(fork(), orderNo)).map((p) => p.status)).toEqual(['CANCEL', 'PENDING', 'SUCCESS']);
  });

  test('a retry after failure is a second attempt with its own payout number', async () => {
    const orderNo = await newOrderNo();
    await createPayout(fork(), {
      orderNo,
      payoutNo: `${orderNo}P1`,
      attempt: 1,
      principalFen: 100,
      interestFen: 1,
      at,
    });
    await recordPayoutResult(fork(), { payoutNo: `${orderNo}P1`, status: 'FAILURE', at });
    await createPayout(fork(), {
      orderNo,
      payoutNo: `${orderNo}P2`,
      attempt: 2,
      principalFen: 100,
      interestFen: 1,
      at,
    });
    expect((await listPayouts(fork(), orderNo)).map((p) => [p.attempt, p.status])).toEqual([
      [1, 'FAILURE'],
      [2, 'PENDING'],
    ]);
  });
});

describe('user account', () => {
  test('is absent until recorded, then found; recording it again returns the same row', async () => {
    expect(await findUserAccount(fork(), 'member-1')).toBeNull();
    const first = await recordUserAccount(fork(), cipher, {
      memberId: 'member-1',
      accountId: 'XA-1',
      accountName: '张三丰',
      at,
    });
    const again = await recordUserAccount(fork(), cipher, {
      memberId: 'member-1',
      accountId: 'XA-1',
      accountName: '张三丰',
      at,
    });
    expect(again.id).toBe(first.id);
    expect(await findUserAccount(fork(), 'member-1')).toMatchObject({ accountId: 'XA-1', createdAt: at });
  });

  test("the account holder's name XJP echoes is stored encrypted, never in clear", async () => {
    const account = await recordUserAccount(fork(), cipher, {
      memberId: 'member-3',
      accountId: 'XA-4',
      accountName: '张三丰',
      at,
    });
    const rows = await fork()
      .getConnection()
      .execute<Record<string, unknown>[]>(`select * from ua_bill_user_account where member_id = 'member-3'`);
    expect(JSON.stringify(rows)).not.toContain('张三丰');
    expect(cipher.decrypt(account.accountNameEnc ?? '')).toBe('张三丰');
  });

  test('a different XJP account for a member who has one is a conflict', async () => {
    await recordUserAccount(fork(), cipher, { memberId: 'member-2', accountId: 'XA-2', accountName: 'x', at });
    await expect(
      recordUserAccount(fork(), cipher, { memberId: 'member-2', accountId: 'XA-3', accountName: 'x', at }),
    ).rejects.toBeInstanceOf(UserAccountConflictError);
  });

  test("an account number another member's row holds is a conflict, for a new row and for a replaced one", async () => {
    await recordUserAccount(fork(), cipher, { memberId: 'member-13', accountId: 'XA-30', accountName: 'x', at });
    await recordUserAccount(fork(), cipher, { memberId: 'member-14', accountId: 'XA-40', accountName: 'x', at });
    await expect(
      recordUserAccount(fork(), cipher, { memberId: 'member-15', accountId: 'XA-30', accountName: 'x', at }),
    ).rejects.toMatchObject({ code: 'USER_ACCOUNT_CONFLICT' });
    await expect(
      replaceUserAccount(fork(), cipher, { memberId: 'member-14', accountId: 'XA-30', accountName: 'x' }),
    ).rejects.toMatchObject({ code: 'USER_ACCOUNT_CONFLICT' });
  });

  test('replacing the account XJP re-opened stores the new number and says which it replaced', async () => {
    await recordUserAccount(fork(), cipher, { memberId: 'member-6', accountId: 'XA-60', accountName: 'x', at });
    expect(
      await replaceUserAccount(fork(), cipher, { memberId: 'member-6', accountId: 'XA-61', accountName: 'y' }),
    ).toEqual({ previousAccountId: 'XA-60' });
    expect(await findUserAccount(fork(), 'member-6')).toMatchObject({ accountId: 'XA-61' });
  });
});
